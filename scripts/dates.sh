#!/usr/bin/env bash
# The tests that use dates, once more at moments known to break date code: the Chromium
# wasm-bindgen tests of the screens (follow-ups, meetings, plans) with the browser under
# faketime, and the Playwright journeys of a meeting (dates and due dates on two phones), the CSV
# exports (times of day) and a phone whose clock runs fast, with the server under faketime and
# each phone's clock set to it. Every moment is in Europe/Amsterdam,
# where the phones are. Prints each moment and how long its run took.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/wasm-env.sh

MOMENTS=(
  "2027-01-31 23:30" # a month's end, late in the evening
  "2026-12-31 23:45" # New Year's Eve, a quarter before the year turns
  "2027-03-28 03:30" # summer time started this night: a day of 23 hours
  "2026-10-25 23:30" # summer time ended this night: a day of 25 hours, nearly over
  "2028-02-29 00:30" # a leap day, just begun (in UTC it is still 28 February)
)

for moment in "${MOMENTS[@]}"; do
  started=$(date +%s)
  echo "dates: at $moment (Europe/Amsterdam): wasm-bindgen tests in Chromium"
  BUURTBEL_AT="$moment" wasm_env env CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER="$PWD/scripts/wasm-test-at.sh" \
    CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=120 \
    cargo test -p buurtbel-app --target wasm32-unknown-unknown --test screens --test team_screens --locked
  echo "dates: at $moment (Europe/Amsterdam): Playwright journeys of a meeting, the exports and the phone's clock"
  BUURTBEL_AT="$moment" scripts/e2e.sh tests/plan.spec.ts tests/data.spec.ts \
    --grep "a meeting on one phone|the exports download|clock runs ten minutes fast"
  echo "dates: at $moment took $(( $(date +%s) - started )) s"
done
