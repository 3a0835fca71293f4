#!/usr/bin/env bash
# Install the Debian packages MotCua needs, only those missing.
#   tools/system-deps.sh runtime   Pango (WeasyPrint's PDF slips), fonts, and npm
#                                  when no npm is on PATH (tools/vendor-js.sh)
#   tools/system-deps.sh test      the above, plus Chromium (browser tests),
#                                  poppler-utils (pdftoppm: QR codes on slips) and
#                                  PgBouncer (the pooler test, tests/deploy)
#   tools/system-deps.sh prod      runtime, plus what `make prod-check` starts:
#                                  nginx, PostgreSQL and wrk (the load test)
#   tools/system-deps.sh bench     wrk (HTTP load generator of bench/http.py) and
#                                  pgbench (PostgreSQL's client tools)
# Runs apt-get as root, or through sudo when available; otherwise says what to
# install and fails.
set -euo pipefail

runtime=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation2)
test_only=(chromium poppler-utils pgbouncer)
prod_only=(nginx-light postgresql wrk)
bench_only=(wrk postgresql-client)

case "${1:-runtime}" in
    runtime) wanted=("${runtime[@]}") ;;
    test) wanted=("${runtime[@]}" "${test_only[@]}") ;;
    bench) wanted=("${runtime[@]}" "${bench_only[@]}") ;;
    prod) wanted=("${runtime[@]}" "${prod_only[@]}") ;;
    *) echo "usage: $0 runtime|test|bench|prod" >&2; exit 2 ;;
esac

missing=()
# npm fetches Chart.js at install (tools/vendor-js.sh); any npm on PATH will do.
command -v npm >/dev/null 2>&1 || missing+=(npm)
for pkg in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
        || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    apt=(apt-get)
elif command -v sudo >/dev/null 2>&1; then
    apt=(sudo apt-get)
else
    echo "system-deps: please install: ${missing[*]}" >&2
    exit 1
fi
echo "system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${apt[@]}" update -qq
"${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
