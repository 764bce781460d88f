#!/usr/bin/env bash
# Prints the transfer size of the built app in dist/: raw, gzip -9 and brotli -q 11.
# With --check, exits non-zero when the brotli total is over the budget (make test uses it).
set -euo pipefail
BUDGET_KB=430
cd "$(dirname "$0")/.."
[ -f dist/index.html ] || { echo "size: dist/ is missing; run make build" >&2; exit 1; }

printf '%-44s %10s %10s %10s\n' file raw gzip brotli
total_raw=0 total_gz=0 total_br=0
for f in dist/*.wasm dist/*.js dist/*.css; do
  [ -f "$f" ] || continue
  raw=$(stat -c %s "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  br=$(brotli -q 11 -c "$f" | wc -c)
  total_raw=$((total_raw + raw)) total_gz=$((total_gz + gz)) total_br=$((total_br + br))
  printf '%-44s %10d %10d %10d\n' "$(basename "$f")" "$raw" "$gz" "$br"
done
printf '%-44s %10d %10d %10d\n' "total (wasm + js + css)" "$total_raw" "$total_gz" "$total_br"
awk -v b="$total_br" -v budget="$BUDGET_KB" 'BEGIN { printf "brotli total: %.1f KB of the %d KB budget\n", b / 1024, budget }'
if [ "${1:-}" = "--check" ] && [ "$total_br" -gt $((BUDGET_KB * 1024)) ]; then
  echo "size: the app is over the ${BUDGET_KB} KB brotli budget" >&2
  exit 1
fi
