#!/usr/bin/env bash
# The whole pytest suite on SQLite, then on a throwaway PostgreSQL cluster
# (tools/pg-test-cluster.sh). Extra arguments go to pytest.
#
# Each run gets its own temporary MOTCUA_VAR_DIR (tests never touch var/) and a
# fixed MOTCUA_SECRET_KEY. TEST_DBS picks the runs (default "sqlite postgres").
# Exits non-zero when any run fails, including when it collects no test
# (pytest's exit code 5).
set -uo pipefail
cd "$(dirname "$0")/.."

PYTEST=.venv/bin/pytest
TEST_DBS=${TEST_DBS:-sqlite postgres}
VAR_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/motcua-test.XXXXXX")
trap 'rm -rf "$VAR_ROOT"' EXIT
export MOTCUA_SECRET_KEY=motcua-tests-only-not-a-secret
chmod 755 "$VAR_ROOT"

explain() {  # name, exit status
    case "$2" in
        0) echo "$1: passed" ;;
        5) echo "$1: FAILED: pytest collected no test (exit 5)" ;;
        *) echo "$1: FAILED (exit $2)" ;;
    esac
}

results=()
failed=0
for db in $TEST_DBS; do
    mkdir -p "$VAR_ROOT/$db"
    case "$db" in
        sqlite)
            echo "=== pytest on SQLite (Django's in-memory test database) ==="
            env -u DATABASE_URL MOTCUA_VAR_DIR="$VAR_ROOT/$db" "$PYTEST" "$@" \
                | tee "$VAR_ROOT/$db.log"
            ;;
        postgres)
            echo "=== pytest on PostgreSQL (throwaway cluster, see DATABASE_URL below) ==="
            MOTCUA_VAR_DIR="$VAR_ROOT/$db" tools/pg-test-cluster.sh \
                bash -c 'echo "DATABASE_URL=$DATABASE_URL"; exec "$@"' _ "$PYTEST" "$@" \
                | tee "$VAR_ROOT/$db.log"
            ;;
        *)
            echo "unknown database in TEST_DBS: $db (use sqlite, postgres)" >&2
            false
            ;;
    esac
    status=$?  # pipefail: pytest's status, not tee's
    [ "$status" -eq 0 ] || failed=1
    results+=("$(explain "$db" "$status")")
done

count() {  # total of "<N> <word>" in pytest's closing lines of every run
    cat "$VAR_ROOT"/*.log 2>/dev/null | grep -E '^[=]* ?[0-9]+ (passed|failed|error)' \
        | grep -oE "[0-9]+ $1" | awk '{s += $1} END {print s + 0}'
}

echo "=== summary ==="
printf '  %s\n' "${results[@]}"
echo "total: $(count passed) passed, $(( $(count failed) + $(count error) )) failed, $(count skipped) skipped"
exit "$failed"
