#!/usr/bin/env bash
# The wasm-bindgen test runner, with the browser at the moment BUURTBEL_AT names (a time in
# Europe/Amsterdam, see scripts/at.sh). Cargo runs it as the runner for wasm32 tests.
set -euo pipefail
. "$(dirname "$0")/at.sh"
at_env "${BUURTBEL_AT:?BUURTBEL_AT names the moment}"
exec "${AT_ENV[@]}" wasm-bindgen-test-runner "$@"
