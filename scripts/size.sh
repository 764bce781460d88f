#!/usr/bin/env bash
# Prints the transfer size of the built app in dist/: raw, gzip -9 and brotli -q 11.
# With --check, exits non-zero when the brotli total is over the budget (make test uses it).
# Without it, also names the largest items in the wasm (twiggy, installed on first use).
set -euo pipefail
BUDGET_KB=456
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
# What takes the room in the wasm: the largest items by their own size, from a copy of the
# release wasm with function names kept (the shipped one has none to tell).
TWIGGY_VERSION=0.8.0
if [ "${1:-}" != "--check" ] && ! twiggy --version 2>/dev/null | grep -q " $TWIGGY_VERSION$"; then
  echo "size: installing twiggy $TWIGGY_VERSION (a minute, once)"
  cargo install --locked "twiggy@$TWIGGY_VERSION" >/dev/null 2>&1 || echo "size: twiggy could not be installed" >&2
fi
if [ "${1:-}" != "--check" ] && command -v twiggy >/dev/null; then
  named=target/wasm32-unknown-unknown/release/buurtbel-app.wasm
  if [ -f "$named" ]; then
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    if wasm-bindgen --target web --out-dir "$work" "$named" >/dev/null 2>&1 &&
      e2e/node_modules/.bin/wasm-opt -O1 -g --enable-bulk-memory --enable-nontrapping-float-to-int \
        --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
        "$work/buurtbel-app_bg.wasm" -o "$work/named.wasm" 2>/dev/null; then
      echo
      echo "largest items in the wasm (twiggy, by their own size before brotli):"
      twiggy top -n 15 "$work/named.wasm" | grep -v '"function names" subsection' | cut -c1-150
    fi
  fi
fi
if [ "${1:-}" = "--check" ] && [ "$total_br" -gt $((BUDGET_KB * 1024)) ]; then
  echo "size: the app is over the ${BUDGET_KB} KB brotli budget" >&2
  exit 1
fi
