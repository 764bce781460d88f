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

# Waits until `check` succeeds, up to ten seconds: for a program that was just started.
wait_for() {
  local what=$1
  shift
  for _ in $(seq 1 100); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "engines: $what did not come up" >&2
  return 1
}

if [ -z "${DISPLAY:-}" ]; then
  # The first free display number: Xvfb holds its lock file while it runs.
  n=90
  while [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ]; do n=$((n + 1)); done
  Xvfb ":$n" -screen 0 1280x1024x24 >"$work/xvfb.log" 2>&1 &
  pids+=($!)
  export DISPLAY=":$n"
  wait_for "Xvfb on :$n" test -e "/tmp/.X11-unix/X$n"
fi

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

# A WebDriver server on a free port; sets DRIVER_PORT once it answers. Another program may take
# the port between the choice and the start: then the driver exits and another port is tried.
start_driver() {
  local engine=$1 driver=$2 port pid
  for _ in 1 2 3 4 5; do
    port=$(free_port)
    if [ "$driver" = geckodriver ]; then
      geckodriver --port "$port" >>"$work/$engine.log" 2>&1 &
    else
      "$driver" --port="$port" >>"$work/$engine.log" 2>&1 &
    fi
    pid=$!
    for _ in $(seq 1 100); do
      if curl -fsS "http://127.0.0.1:$port/status" >/dev/null 2>&1; then
        pids+=("$pid")
        DRIVER_PORT=$port
        return 0
      fi
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill "$pid" 2>/dev/null || true
  done
  echo "engines: $driver did not start; its log:" >&2
  cat "$work/$engine.log" >&2
  return 1
}

# Two drivers per engine, one per phone: WebKitWebDriver runs one session at a time.
run_engine() {
  local engine=$1 driver=$2 started first second
  start_driver "$engine" "$driver"
  first=$DRIVER_PORT
  start_driver "$engine" "$driver"
  second=$DRIVER_PORT
  started=$(date +%s)
  ENGINE=$engine DRIVER_PORTS="$first,$second" node --test engines/journeys.test.mjs
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
