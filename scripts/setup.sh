#!/usr/bin/env bash
# Installs whatever Buurtbel's build and tests need and is missing. Idempotent: a second run
# only checks, and takes seconds. Trunk never downloads anything: every tool it uses is
# installed here at the version Trunk.toml pins. Prints how long each install took.
#
# On a bare machine the Debian packages download and unpack in the background while the three
# tools that come as source (trunk, wasm-bindgen-cli, geckodriver) compile: one waits for the
# network and the disk, the other for the processors.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
GECKODRIVER_VERSION=0.37.1
WASM_OPT_VERSION=132
APT_PACKAGES=(chromium chromium-driver brotli nodejs npm curl caddy firefox-esr webkit2gtk-driver xvfb faketime postgresql)

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }
setup_started=$(date +%s)

# Runs a command and says how long it took.
timed() {
  local what=$1 started
  shift
  started=$(date +%s)
  "$@"
  say "$what took $(($(date +%s) - started)) s"
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# --- Rust: the wasm32 target (or the Debian fallback, see scripts/wasm-env.sh) --------------
if ! command -v cargo >/dev/null; then
  echo "setup: cargo is missing; install Rust with rustup (https://rustup.rs) and run again" >&2
  exit 1
fi
export PATH="$HOME/.cargo/bin:$PATH"
# shellcheck source=scripts/wasm-env.sh
. scripts/wasm-env.sh --setup

# --- system packages (Debian), in the background ------------------------------------------
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  # A machine may have Node.js from elsewhere; a newer node ships npm inside it.
  case "$pkg" in nodejs | npm) command -v node >/dev/null && command -v npm >/dev/null && continue ;; esac
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
apt_pid=
apt_log=$(mktemp)
# A machine that has just started often runs its own apt (unattended upgrades): wait for its
# lock rather than fail.
trap 'rm -f "$apt_log"' EXIT
install_packages() {
  local started
  started=$(date +%s)
  as_root apt-get -o DPkg::Lock::Timeout=600 update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q "${missing[@]}"
  # Caddy is here for the deployment check, which runs one of its own: the package's service
  # (listening on port 80) is not wanted on a development machine.
  if [[ " ${missing[*]} " == *" caddy "* ]] && [ -d /run/systemd/system ]; then
    as_root systemctl disable --now caddy >/dev/null 2>&1 || true
  fi
  # PostgreSQL is here for the tests' throw-away clusters (scripts/pg.sh); the package's own
  # cluster service is not wanted either.
  if [[ " ${missing[*]} " == *" postgresql "* ]] && [ -d /run/systemd/system ]; then
    as_root systemctl disable --now postgresql >/dev/null 2>&1 || true
  fi
  echo "system packages took $(($(date +%s) - started)) s"
}
if [ ${#missing[@]} -gt 0 ]; then
  # sudo asks for its password here, not in the background.
  [ "$(id -u)" -eq 0 ] || sudo -v
  say "installing system packages in the background: ${missing[*]}"
  install_packages >"$apt_log" 2>&1 &
  apt_pid=$!
fi
# Waits for the system packages; on failure shows what apt said.
packages_ready() {
  [ -n "$apt_pid" ] || return 0
  if ! wait "$apt_pid"; then
    cat "$apt_log" >&2
    echo "setup: installing the system packages failed" >&2
    exit 1
  fi
  apt_pid=
  say "$(tail -n 1 "$apt_log")"
}

# --- trunk, wasm-bindgen-cli and geckodriver, pinned ---------------------------------------
# They are host tools: build them without the wasm fallback's variables.
host_cargo() { env -u RUSTUP_TOOLCHAIN -u RUSTC_BOOTSTRAP -u CARGO_UNSTABLE_BUILD_STD cargo "$@"; }

if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (minutes, once)"
  # Without its default features: no TLS stack (it fetches nothing here, and proxies the API
  # over plain HTTP in `make dev`) and no update check. Two minutes less to compile.
  timed "trunk" host_cargo install --locked --no-default-features "trunk@$TRUNK_VERSION"
fi

bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
if [ -z "$bindgen_version" ]; then
  echo "setup: no wasm-bindgen in Cargo.lock" >&2
  exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $bindgen_version" ]; then
  say "installing wasm-bindgen-cli $bindgen_version (a few minutes, once)"
  # Not --locked: the lock file shipped with some releases names a dependency version the
  # registry no longer has; the unlocked resolution builds the same tool.
  timed "wasm-bindgen-cli" host_cargo install --force "wasm-bindgen-cli@$bindgen_version"
fi

# geckodriver drives Firefox for the wasm-bindgen tests and the engine journeys.
if ! geckodriver --version 2>/dev/null | grep -q "^geckodriver $GECKODRIVER_VERSION"; then
  say "installing geckodriver $GECKODRIVER_VERSION (a minute, once)"
  timed "geckodriver" host_cargo install --locked "geckodriver@$GECKODRIVER_VERSION"
fi

# --- npm: Playwright, wasm-opt (binaryen) and WebdriverIO ----------------------------------
# npm itself may come with the system packages.
packages_ready
lock_sum=$(sha256sum e2e/package-lock.json | cut -d' ' -f1)
stamp=e2e/node_modules/.buurtbel-lock
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sum" ]; then
  say "installing npm packages (npm ci)"
  (cd e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 timed "npm packages of e2e/" npm ci --no-audit --no-fund)
  echo "$lock_sum" >"$stamp"
fi
# WebdriverIO for the journeys in WebKit and Firefox.
engines_sum=$(sha256sum engines/package-lock.json | cut -d' ' -f1)
engines_stamp=engines/node_modules/.buurtbel-lock
if [ ! -f "$engines_stamp" ] || [ "$(cat "$engines_stamp")" != "$engines_sum" ]; then
  say "installing npm packages of engines/ (npm ci)"
  (cd engines && timed "npm packages of engines/" npm ci --no-audit --no-fund)
  echo "$engines_sum" >"$engines_stamp"
fi
if [ "$(e2e/node_modules/.bin/wasm-opt --version 2>/dev/null | awk '{print $3}')" != "$WASM_OPT_VERSION" ]; then
  echo "setup: e2e/node_modules/.bin/wasm-opt is not version $WASM_OPT_VERSION" >&2
  exit 1
fi

say "ready in $(($(date +%s) - setup_started)) s"
