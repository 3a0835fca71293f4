#!/usr/bin/env bash
# tools/timed.sh LABEL UNIT COUNT_COMMAND -- COMMAND...
# Runs COMMAND, then prints "LABEL: N UNIT (S giây, R UNIT/giây)" where N is
# what COUNT_COMMAND (a shell command) prints afterwards. Exit status: COMMAND's.
set -uo pipefail
label="$1" unit="$2" count="$3"
shift 3
[ "${1:-}" = "--" ] && shift
echo "$label…"
start=$(date +%s.%N)
"$@"
status=$?
end=$(date +%s.%N)
n=$(bash -c "$count" 2>/dev/null || echo 0)
python3 - "$label" "$unit" "$n" "$start" "$end" <<'PY'
import sys
label, unit, n, start, end = sys.argv[1], sys.argv[2], int(sys.argv[3] or 0), float(sys.argv[4]), float(sys.argv[5])
seconds = end - start
rate = f"{n / seconds:,.0f}".replace(",", ".") if seconds > 0 else "–"
print(f"{label}: {n} {unit} ({seconds:.1f} giây, {rate} {unit}/giây)", flush=True)
PY
exit $status
