#!/usr/bin/env bash
# `make prod-check`: the production profile, really started, on 127.0.0.1 only.
#
#   PostgreSQL (a throwaway cluster, tools/pg-test-cluster.sh)
#   gunicorn   (deploy/gunicorn.conf.py, one worker per core, MOTCUA_PROFILE=production)
#   the outbox worker and the scheduler (as the systemd units run them)
#   nginx      (TLS with a throwaway certificate, deploy/nginx/motcua-locations.conf,
#               X-Accel-Redirect for protected files), in the foreground, no root
#
# then a smoke test and a short load test (wrk) through nginx, figures printed,
# and everything stopped (trap) whatever happens. Runs as an ordinary user; as
# root (CI) nginx's workers run as nobody and PostgreSQL as postgres.
#
# Environment: PROD_CHECK_LOAD_SECONDS (each of the two wrk runs, default 8),
# PROD_CHECK_KEEP=1 to keep the temporary folder for reading its logs.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

if [ -z "${PROD_CHECK_INNER:-}" ]; then
    # The database first: pg-test-cluster.sh owns its cluster's life and death.
    # Every step below is bounded (timeouts, waits with deadlines), not the
    # whole: a global `timeout` would take the run out of the terminal's
    # process group, and Ctrl-C would no longer stop it.
    PROD_CHECK_INNER=1 exec tools/pg-test-cluster.sh "$0" "$@"
fi

started=$(date +%s)
say() { printf 'prod-check: [%3d s] %s\n' "$(( $(date +%s) - started ))" "$*"; }

PY=$ROOT/.venv/bin/python
MOTCUA=$ROOT/.venv/bin/motcua
export PATH=$PATH:/usr/sbin:/sbin  # nginx is in /usr/sbin
for tool in nginx wrk "$ROOT/.venv/bin/gunicorn"; do
    command -v "$tool" >/dev/null 2>&1 \
        || { say "missing $tool: run 'make install' and 'tools/system-deps.sh prod'"; exit 1; }
done
NGINX=$(command -v nginx)

DIR=$(mktemp -d "${TMPDIR:-/tmp}/motcua-prod.XXXXXX")
chmod 755 "$DIR"  # nginx's workers (nobody, when root) read static/ and media/
pids=()
cleanup() {
    local status=$?
    trap - EXIT INT TERM HUP
    # the newest first: nginx, then the web and the background processes
    for (( i=${#pids[@]}-1; i>=0; i-- )); do
        kill -TERM "${pids[$i]}" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        # bounded: a process that ignores TERM gets KILL after 20 s
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if [ "$status" -ne 0 ]; then
        for log in gunicorn worker scheduler nginx/error; do
            [ -s "$DIR/$log.log" ] && { echo "--- $log.log (end)"; tail -n 20 "$DIR/$log.log"; }
        done
    fi
    if [ -n "${PROD_CHECK_KEEP:-}" ]; then say "kept $DIR"; else rm -rf "$DIR"; fi
    say "$([ "$status" -eq 0 ] && echo passed || echo "FAILED (exit $status)")"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

free_port() {
    "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
WEB_PORT=$(free_port)
TLS_PORT=$(free_port)
URL="https://127.0.0.1:$TLS_PORT"

# --- the environment every process shares (deploy/motcua.env.example) ------------
export PROD_CHECK_DIR=$DIR
export MOTCUA_PROFILE=production
export MOTCUA_SECRET_KEY
MOTCUA_SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
export MOTCUA_DEMO_PASSWORD
MOTCUA_DEMO_PASSWORD=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(18))')
export ALLOWED_HOSTS=127.0.0.1,localhost
export MOTCUA_VAR_DIR=$DIR/var
export MOTCUA_TRUSTED_PROXIES=127.0.0.1
export MOTCUA_X_ACCEL_REDIRECT_PREFIX=/internal-files
export MOTCUA_PUBLIC_URL=$URL
export MOTCUA_BIND=127.0.0.1:$WEB_PORT
export MOTCUA_WEB_WORKERS=${MOTCUA_WEB_WORKERS:-$(nproc)}
export MOTCUA_EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend
export MOTCUA_EMAIL_FILE_PATH=$DIR/mail
export DJANGO_SETTINGS_MODULE=motcua.config.settings
mkdir -p "$MOTCUA_VAR_DIR" "$DIR/mail" "$DIR/nginx"
chmod 755 "$MOTCUA_VAR_DIR"

say "database $DATABASE_URL, folder $DIR"
# the security settings of the profile, warnings included (the whole
# `check --deploy --fail-level WARNING` is a test of the suite); any error
"$MOTCUA" check --deploy --tag security --fail-level WARNING
"$MOTCUA" check
say "migrating"
timeout 300 "$MOTCUA" migrate --noinput -v0
"$MOTCUA" createcachetable
"$MOTCUA" collectstatic --noinput -v0
t0=$(date +%s)
timeout 300 "$MOTCUA" load_demo --days 2 --per-day 1 >"$DIR/load_demo.log"
SEED=$(timeout 120 "$PY" tools/prod_check.py seed | tail -n 1)
say "demo data and a protected file seeded in $(( $(date +%s) - t0 )) s"
find "$MOTCUA_VAR_DIR/static" "$MOTCUA_VAR_DIR/media" -type d -exec chmod 755 {} +
find "$MOTCUA_VAR_DIR/static" "$MOTCUA_VAR_DIR/media" -type f -exec chmod 644 {} +

# --- the processes ---------------------------------------------------------------
"$ROOT/.venv/bin/gunicorn" -c deploy/gunicorn.conf.py motcua.config.wsgi \
    >"$DIR/gunicorn.log" 2>&1 &
pids+=($!)
"$MOTCUA" worker --sleep 2 >"$DIR/worker.log" 2>&1 &
pids+=($!)
worker_pid=$!
"$MOTCUA" scheduler >"$DIR/scheduler.log" 2>&1 &
pids+=($!)
scheduler_pid=$!

"$PY" tools/prod_check.py cert "$DIR/nginx"
user_line=""
[ "$(id -u)" -eq 0 ] && user_line="user nobody nogroup;"
sed -e "s|@VAR_DIR@|$MOTCUA_VAR_DIR|g" -e "s|@ACCESS_LOG@|$DIR/nginx/access.log|g" \
    deploy/nginx/motcua-locations.conf >"$DIR/nginx/motcua-locations.conf"
cat >"$DIR/nginx/nginx.conf" <<EOF
# generated by tools/prod-check.sh for one run
$user_line
worker_processes 1;
pid $DIR/nginx/nginx.pid;
error_log $DIR/nginx/error.log warn;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path $DIR/nginx/client_body;
    proxy_temp_path $DIR/nginx/proxy;
    fastcgi_temp_path $DIR/nginx/fastcgi;
    uwsgi_temp_path $DIR/nginx/uwsgi;
    scgi_temp_path $DIR/nginx/scgi;
    log_format motcua '\$remote_addr [\$time_local] "\$request_method \$uri" '
                      '\$status \$body_bytes_sent \$request_time';
    upstream motcua_web {
        server 127.0.0.1:$WEB_PORT fail_timeout=0;
        keepalive 16;
    }
    server {
        listen 127.0.0.1:$TLS_PORT ssl;
        server_name 127.0.0.1 localhost;
        ssl_certificate $DIR/nginx/cert.pem;
        ssl_certificate_key $DIR/nginx/key.pem;
        include $DIR/nginx/motcua-locations.conf;
    }
}
EOF
"$NGINX" -t -q -p "$DIR/nginx" -e "$DIR/nginx/error.log" -c "$DIR/nginx/nginx.conf"
"$NGINX" -p "$DIR/nginx" -e "$DIR/nginx/error.log" -c "$DIR/nginx/nginx.conf" \
    -g 'daemon off;' &
pids+=($!)

"$PY" tools/prod_check.py wait "$URL" "$DIR/nginx/cert.pem"
say "stack up: nginx on $URL, gunicorn ($MOTCUA_WEB_WORKERS workers) on 127.0.0.1:$WEB_PORT, worker, scheduler"

"$PY" tools/prod_check.py smoke "$URL" "$DIR/nginx/cert.pem" "$SEED" "$DIR/gunicorn.log"
echo "load test (wrk, 2 threads, 16 connections):"
"$PY" tools/prod_check.py load "$URL/" "$DIR/session"

for name in worker scheduler; do
    pid_var=${name}_pid
    kill -0 "${!pid_var}" 2>/dev/null || { say "the $name stopped"; exit 1; }
done
echo "  ok  outbox worker and scheduler still running"
grep -c '"GET ' "$DIR/gunicorn.log" | xargs printf '  gunicorn answered %s GET requests\n'
