# Sourced, not run: `at_env "2027-01-31 23:30"` fills the array AT_ENV with the environment
# that runs a program at that moment (a time in Europe/Amsterdam), through libfaketime loaded
# into the program itself (the `faketime` command would fork, and stopping it would leave the
# program running). Monotonic clocks move with it (Chromium hangs when only the wall clock
# moves); the faked clock runs on from the moment the program starts.
at_env() {
  local lib
  lib=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -n 1)
  if [ -z "$lib" ]; then
    echo "at: libfaketime is missing (scripts/setup.sh installs the faketime package)" >&2
    return 1
  fi
  AT_ENV=(env TZ=Europe/Amsterdam "LD_PRELOAD=$lib" "FAKETIME=@$1:00")
}
