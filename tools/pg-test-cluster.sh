#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster.
#
#   tools/pg-test-cluster.sh COMMAND [ARG...]
#
# Starts a fresh cluster (initdb + pg_ctl) in a temporary folder, listening on
# 127.0.0.1 on a free port with trust authentication, creates the database
# `motcua`, runs COMMAND with DATABASE_URL=postgres://motcua@127.0.0.1:PORT/motcua
# and exits with COMMAND's status. The cluster is stopped and its folder removed
# afterwards, whatever happens (trap).
#
# When `initdb` is missing, installs Debian's PostgreSQL 15 (needs root).
# initdb refuses to run as root, so as root the server runs as the `postgres`
# system user (created by the Debian package).
#
# Environment: PG_BIN (folder with initdb/pg_ctl) overrides the search;
# PG_USER the system user to run the server as when root (default postgres);
# PG_TMPDIR where the temporary cluster folder is made (default /tmp).
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARG...]" >&2
    exit 2
fi

say() { printf 'pg-test-cluster: %s\n' "$*" >&2; }

find_pg_bin() {
    local d
    if [ -n "${PG_BIN:-}" ] && [ -x "$PG_BIN/initdb" ]; then
        echo "$PG_BIN"; return 0
    fi
    if [ -x /usr/lib/postgresql/15/bin/initdb ]; then
        echo /usr/lib/postgresql/15/bin; return 0
    fi
    # Highest installed Debian version, then whatever is on PATH.
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -rn); do
        if [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
    done
    if command -v initdb >/dev/null 2>&1; then
        dirname "$(readlink -f "$(command -v initdb)")"; return 0
    fi
    return 1
}

install_postgres() {
    if [ "$(id -u)" -ne 0 ]; then
        say "initdb not found and not root: install PostgreSQL 15 (postgresql-15) first"
        exit 1
    fi
    say "initdb not found: installing PostgreSQL from Debian packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql-15 postgresql-contrib-15 >/dev/null \
        || apt-get install -y -qq postgresql postgresql-contrib >/dev/null
}

PG_BIN_DIR=$(find_pg_bin) || { install_postgres; PG_BIN_DIR=$(find_pg_bin); }

# Who runs the server: initdb and postgres refuse to run as root.
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
    PG_USER=${PG_USER:-postgres}
    if ! id "$PG_USER" >/dev/null 2>&1; then
        say "creating system user $PG_USER"
        useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_USER"
    fi
    as_pg=(runuser -u "$PG_USER" --)
fi

# Under /tmp by default: the server user must be able to reach the folder.
PG_DIR=$(mktemp -d "${PG_TMPDIR:-/tmp}/motcua-pg.XXXXXX")
if [ "${#as_pg[@]}" -gt 0 ]; then
    chown "$PG_USER" "$PG_DIR"
fi

cleanup() {
    local status=$?
    trap - EXIT INT TERM HUP
    if [ -f "$PG_DIR/data/postmaster.pid" ]; then
        "${as_pg[@]}" "$PG_BIN_DIR/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop \
            >/dev/null 2>&1 || true
    fi
    rm -rf "$PG_DIR"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

free_port() {
    python3 - <<'PY'
import socket

with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
PY
}

"${as_pg[@]}" "$PG_BIN_DIR/initdb" -D "$PG_DIR/data" -U motcua --auth=trust \
    --encoding=UTF8 --no-locale --no-sync >"$PG_DIR/initdb.log" 2>&1 || {
    cat "$PG_DIR/initdb.log" >&2
    say "initdb failed"
    exit 1
}

# A throwaway cluster: durability off for speed (tests). MOTCUA_PG_DURABLE=1
# keeps PostgreSQL's own settings (fsync, synchronous_commit, full_page_writes
# on): the benchmarks measure commits as a production server makes them.
if [ "${MOTCUA_PG_DURABLE:-0}" = 1 ]; then
    durability=""
else
    durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
fi
started=""
for _ in 1 2 3; do
    PORT=$(free_port)
    if "${as_pg[@]}" "$PG_BIN_DIR/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" \
        -w -t 60 \
        -o "-h 127.0.0.1 -p $PORT -k $PG_DIR $durability -c max_connections=50" \
        start >/dev/null; then
        started=1
        break
    fi
done
if [ -z "$started" ]; then
    cat "$PG_DIR/server.log" >&2 || true
    say "could not start PostgreSQL"
    exit 1
fi

"$PG_BIN_DIR/createdb" -h 127.0.0.1 -p "$PORT" -U motcua motcua

export DATABASE_URL="postgres://motcua@127.0.0.1:$PORT/motcua"
say "PostgreSQL $("$PG_BIN_DIR/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT (data in $PG_DIR)"

# Not exec: the trap must run after the command ends.
status=0
"$@" || status=$?
exit "$status"
