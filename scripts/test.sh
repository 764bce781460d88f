#!/usr/bin/env bash
# Every test of the project, cheapest first. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/wasm-env.sh

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "format"
cargo fmt --all --check

step "clippy (host)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "clippy (wasm app)"
wasm_env cargo clippy -p buurtbel-app --target wasm32-unknown-unknown --all-targets --locked -- -D warnings

step "cargo test (workspace)"
# The sync simulation runs on its own below, so its figures are printed.
cargo test --workspace --locked -- --skip every_seed_converges

step "sync simulation (10,000 seeds)"
sim_log=$(mktemp)
if ! cargo test --locked -p buurtbel-core --test sync_simulation -- --nocapture >"$sim_log" 2>&1; then
  cat "$sim_log"
  exit 1
fi
grep -E "sync simulation|test result" "$sim_log"
rm -f "$sim_log"

started=$(date +%s)
step "wasm-bindgen-test in headless Chromium"
wasm_env env CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=120 \
  cargo test -p buurtbel-app --target wasm32-unknown-unknown --test web --test screens --test team_screens --test degraded --test storage --test api_client --test replica --locked

echo "test: wasm-bindgen tests in Chromium took $(( $(date +%s) - started )) s"

step "release build of the app"
scripts/build.sh

step "size budget"
scripts/size.sh --check

step "Playwright journeys against the real server"
# Same packages, targets and features as `cargo test --workspace` above, so this reuses its build.
cargo build --workspace --bins --tests --locked
started=$(date +%s)
scripts/e2e.sh
echo "test: Playwright journeys in Chromium took $(( $(date +%s) - started )) s"

step "WebKit and Firefox: journeys through WebDriver, wasm-bindgen tests in Firefox"
scripts/engines.sh

step "the documented deployment behind Caddy"
scripts/deploy-check.sh

step "all tests passed"
