#!/usr/bin/env bash
# Starts the real server (debug build) on a free port with a fresh database and the built app
# from dist/, runs the Playwright journeys against it, and stops it again. Arguments go to
# Playwright (a spec file, --repeat-each).
#
# With BUURTBEL_AT set ("2027-01-31 23:30", time in Europe/Amsterdam) the whole run happens at
# that moment: the server runs under faketime from it, and every phone's clock is set to the
# server's time (e2e/tests/app.ts) in the Europe/Amsterdam zone.
set -euo pipefail
cd "$(dirname "$0")/.."

server=target/debug/buurtbel-server
[ -x "$server" ] || { echo "e2e: $server is missing; run cargo build -p buurtbel-server" >&2; exit 1; }
[ -f dist/index.html ] || { echo "e2e: dist/ is missing; run scripts/build.sh" >&2; exit 1; }

work=$(mktemp -d)
# Port 0: the operating system picks a free port; the server logs the address it bound.
# Many journeys start or join teams from this one address: lift the join rate limit.
AT_ENV=()
if [ -n "${BUURTBEL_AT:-}" ]; then
  . scripts/at.sh
  at_env "$BUURTBEL_AT"
  BUURTBEL_AT_MS=$(TZ=Europe/Amsterdam date -d "$BUURTBEL_AT" +%s%3N)
  BUURTBEL_AT_REAL_MS=$(date +%s%3N)
  export BUURTBEL_AT_MS BUURTBEL_AT_REAL_MS
fi
BUURTBEL_JOIN_BURST=100 RUST_LOG=info NO_COLOR=1 "${AT_ENV[@]}" "$server" --addr 127.0.0.1:0 --database "$work/e2e.sqlite3" --dist dist >"$work/server.log" 2>&1 &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

port=
for _ in $(seq 1 100); do
  port=$(grep -o 'addr=127.0.0.1:[0-9]*' "$work/server.log" | head -n 1 | cut -d: -f2 || true)
  [ -n "$port" ] && curl -fsS "http://127.0.0.1:$port/api/health/ready" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/server.log" >&2; echo "e2e: server exited" >&2; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { cat "$work/server.log" >&2; echo "e2e: server did not start" >&2; exit 1; }

cd e2e
set +e
BUURTBEL_SERVER_BIN="$PWD/../$server" BUURTBEL_URL="http://127.0.0.1:$port" npx playwright test "$@" 2>&1 | tee "$work/playwright.log"
status=${PIPESTATUS[0]}
set -e
if [ "$status" -ne 0 ]; then
  echo "e2e: server log:" >&2
  tail -n 50 "$work/server.log" >&2
  # The list reporter ends with the failed and flaky journeys; they are named again after the
  # server's log, and for scripts/test.sh's closing lines when it set BUURTBEL_FAILURES.
  failed=$(sed -n '/^ *[0-9]* \(failed\|flaky\)$/,$p' "$work/playwright.log" | grep -E '^ *([0-9]+ (failed|flaky)|\[)' || true)
  if [ -n "$failed" ]; then
    { echo "journeys that did not pass${BUURTBEL_AT:+ at $BUURTBEL_AT}:"; echo "$failed"; } >"$work/failed"
    sed 's/^/e2e: /' "$work/failed" >&2
    [ -z "${BUURTBEL_FAILURES:-}" ] || cat "$work/failed" >>"$BUURTBEL_FAILURES"
  fi
  exit "$status"
fi
