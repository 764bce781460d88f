#!/usr/bin/env bash
# Runs the project's benchmarks and prints their figures. Figures, not pass/fail: compare them
# with the goals in docs/ARCHITECTURE.md.
set -euo pipefail
cd "$(dirname "$0")/.."
# Beside a throw-away PostgreSQL cluster: the capacity table has rows for it.
scripts/pg.sh cargo bench --locked -p buurtbel-core -p buurtbel-server
cargo run --locked --release -q -p buurtbel-core --example storage_size
# The replica in headless Chromium, built as shipped (release: opt-level z).
. scripts/wasm-env.sh
wasm_env env CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=300 \
  cargo test --release --locked -p buurtbel-app --target wasm32-unknown-unknown --test bench_replica --test bench_screens -- --nocapture
