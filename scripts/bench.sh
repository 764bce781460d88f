#!/usr/bin/env bash
# Runs the project's benchmarks and prints their figures. Figures, not pass/fail: compare them
# with the goals in docs/ARCHITECTURE.md.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --locked -p buurtbel-core -p buurtbel-server
cargo run --locked --release -q -p buurtbel-core --example storage_size
