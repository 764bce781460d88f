#!/usr/bin/env bash
# Every test of the project, cheapest first, after the setup. Exits non-zero on the first
# failure. Prints how long each stage took, and at the end (pass or fail) all of them.
set -euo pipefail
cd "$(dirname "$0")/.."

stages=()
stage=
stage_started=
all_started=$(date +%s)
BUURTBEL_FAILURES=$(mktemp)
export BUURTBEL_FAILURES

# Ends the stage under way, noting its time.
stage_done() {
  [ -n "$stage" ] || return 0
  local took=$(($(date +%s) - stage_started))
  stages+=("$(printf '%6d s  %s' "$took" "$stage")")
  echo "test: $stage took $took s"
  stage=
}

step() {
  stage_done
  stage=$*
  stage_started=$(date +%s)
  printf '\n\033[1m== %s\033[0m\n' "$*"
}

summary() {
  local status=$?
  local failed=$stage
  stage_done
  printf '\n\033[1m== time per stage\033[0m\n'
  printf '%s\n' "${stages[@]}"
  printf '%6d s  in all\n' "$(($(date +%s) - all_started))"
  if [ "$status" -ne 0 ] && [ -n "$failed" ]; then echo "test: failed in: $failed"; fi
  # What a stage named as failing (the journeys), so the last lines of a CI log say which.
  if [ -s "$BUURTBEL_FAILURES" ]; then sed 's/^/test: /' "$BUURTBEL_FAILURES"; fi
  rm -f "$BUURTBEL_FAILURES"
}
trap summary EXIT

step "setup (installs what is missing)"
scripts/setup.sh
. scripts/wasm-env.sh

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

step "PostgreSQL: the storage and API suites against a throw-away cluster"
# The suites that do not look into SQLite's files, with every test server on PostgreSQL, and
# the storage contract and two-instance tests.
scripts/pg.sh cargo test --locked -p buurtbel-server --test store --test sync --test coach \
  --test resident --test access --test abuse --test bad_input --test limits --test corpus \
  --test trust --test hardening --test instances

step "wasm-bindgen-test in headless Chromium"
wasm_env env CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=120 \
  cargo test -p buurtbel-app --target wasm32-unknown-unknown --test web --test screens --test team_screens --test degraded --test storage --test api_client --test replica --locked

step "release build of the app"
scripts/build.sh

step "size budget"
scripts/size.sh --check

step "Playwright journeys against the real server"
# Same packages, targets and features as `cargo test --workspace` above, so this reuses its build.
cargo build --workspace --bins --tests --locked
scripts/e2e.sh

step "the tests that use dates, at a month's end, New Year's Eve, both summer-time changes and a leap day"
scripts/dates.sh

step "WebKit and Firefox: journeys through WebDriver, wasm-bindgen tests in Firefox"
scripts/engines.sh

step "the documented deployment behind Caddy"
# Beside a throw-away PostgreSQL cluster: the two instances of the PostgreSQL section too.
scripts/pg.sh scripts/deploy-check.sh

stage_done
printf '\n\033[1m== all tests passed\033[0m\n'
