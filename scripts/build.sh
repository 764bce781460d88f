#!/usr/bin/env bash
# Builds the app in release mode into dist/ (wasm-opt -O1, hashed file names).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/wasm-env.sh
wasm_env trunk build --release "$@"
