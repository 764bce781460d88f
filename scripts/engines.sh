#!/usr/bin/env bash
# The journeys in the other engines every phone runs: WebKit (WebKitGTK's WebKitWebDriver,
# under Xvfb when there is no display) and Firefox ESR (geckodriver), through WebdriverIO
# (engines/), against the real server; then the wasm-bindgen tests in Firefox. Prints how long
# each engine's part takes.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

if [ -z "${DISPLAY:-}" ]; then
  display=":$((90 + RANDOM % 100))"
  Xvfb "$display" -screen 0 1280x1024x24 >"$work/xvfb.log" 2>&1 &
  pids+=($!)
  export DISPLAY="$display"
  sleep 1
fi

free_port() { node -e 'const s=require("net").createServer().listen(0,()=>{console.log(s.address().port);s.close()})'; }

# Two drivers per engine, one per phone: WebKitWebDriver runs one session at a time.
run_engine() {
  local engine=$1 driver=$2 started ports=() port
  for _ in 1 2; do
    port=$(free_port)
    if [ "$driver" = geckodriver ]; then
      geckodriver --port "$port" >>"$work/$engine.log" 2>&1 &
    else
      "$driver" --port="$port" >>"$work/$engine.log" 2>&1 &
    fi
    pids+=($!)
    ports+=("$port")
  done
  sleep 1
  started=$(date +%s)
  ENGINE=$engine DRIVER_PORTS="${ports[0]},${ports[1]}" node --test engines/journeys.test.mjs
  echo "engines: $engine journeys took $(( $(date +%s) - started )) s"
}

if [ ! -d engines/node_modules/webdriverio ]; then
  (cd engines && npm ci --no-audit --no-fund)
fi
run_engine webkit WebKitWebDriver
run_engine firefox geckodriver

started=$(date +%s)
. scripts/wasm-env.sh
MOZ_HEADLESS=1 wasm_env env CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  GECKODRIVER="$(command -v geckodriver)" WASM_BINDGEN_TEST_TIMEOUT=120 \
  cargo test -p buurtbel-app --target wasm32-unknown-unknown --test web --test screens --test team_screens \
  --test degraded --test storage --test api_client --test replica --locked
echo "engines: wasm-bindgen tests in Firefox took $(( $(date +%s) - started )) s"
