#!/usr/bin/env bash
# Fetch the vendored front-end files listed in tools/vendor-js.lock from the npm
# registry into src/motcua/static/vendor/ (git-ignored). For each line
# "name version file integrity": `npm pack name@version` into a temporary folder,
# check the tarball's sha512 against the lock, extract the one file. Idempotent:
# a file already in place with the recorded tarball hash is left alone.
# Needs npm, tar and python3.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
lock="${VENDOR_JS_LOCK:-$root/tools/vendor-js.lock}"
dest="${VENDOR_JS_DEST:-$root/src/motcua/static/vendor}"

command -v npm >/dev/null || { echo "vendor-js: npm is needed (apt-get install npm)" >&2; exit 1; }
mkdir -p "$dest"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

sha512_b64() {
  python3 -c 'import base64, hashlib, sys
print(base64.b64encode(hashlib.sha512(open(sys.argv[1], "rb").read()).digest()).decode())' "$1"
}

status=0
while read -r name version file integrity; do
  [[ -z "${name:-}" || "$name" == \#* ]] && continue
  target="$dest/$(basename "$file")"
  stamp="$target.integrity"
  if [[ -f "$target" && -f "$stamp" && "$(cat "$stamp")" == "$name@$version $integrity" ]]; then
    echo "vendor-js: $name@$version up to date"
    continue
  fi
  echo "vendor-js: fetching $name@$version"
  tarball="$(cd "$work" && npm pack --silent "$name@$version" | tail -n1)"
  actual="sha512-$(sha512_b64 "$work/$tarball")"
  if [[ "$actual" != "$integrity" ]]; then
    echo "vendor-js: integrity mismatch for $name@$version" >&2
    echo "  expected $integrity" >&2
    echo "  got      $actual" >&2
    status=1
    continue
  fi
  tar -xzf "$work/$tarball" -C "$work" "$file"
  cp "$work/$file" "$target.tmp"
  mv "$target.tmp" "$target"
  echo "$name@$version $integrity" > "$stamp"
  echo "vendor-js: $name@$version → ${target#"$root"/}"
done < "$lock"
exit $status
