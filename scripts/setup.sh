#!/usr/bin/env bash
# Installs whatever Buurtbel's build and tests need and is missing. Idempotent: a second run
# only checks, and takes seconds. Trunk never downloads anything: every tool it uses is
# installed here at the version Trunk.toml pins.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
TWIGGY_VERSION=0.8.0
GECKODRIVER_VERSION=0.37.1
WASM_OPT_VERSION=132
APT_PACKAGES=(chromium chromium-driver brotli nodejs npm curl caddy firefox-esr webkit2gtk-driver xvfb)

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# --- system packages (Debian) -------------------------------------------------------------
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  # A machine may have Node.js from elsewhere; a newer node ships npm inside it.
  case "$pkg" in nodejs | npm) command -v node >/dev/null && command -v npm >/dev/null && continue ;; esac
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing system packages: ${missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
  # Caddy is here for the deployment check, which runs one of its own: the package's service
  # (listening on port 80) is not wanted on a development machine.
  if [[ " ${missing[*]} " == *" caddy "* ]] && [ -d /run/systemd/system ]; then
    as_root systemctl disable --now caddy >/dev/null 2>&1 || true
  fi
fi

# --- Rust ---------------------------------------------------------------------------------
if ! command -v cargo >/dev/null; then
  echo "setup: cargo is missing; install Rust with rustup (https://rustup.rs) and run again" >&2
  exit 1
fi
export PATH="$HOME/.cargo/bin:$PATH"
# shellcheck source=scripts/wasm-env.sh
. scripts/wasm-env.sh --setup

# --- trunk and wasm-bindgen-cli, pinned ---------------------------------------------------
# They are host tools: build them without the wasm fallback's variables.
host_cargo() { env -u RUSTUP_TOOLCHAIN -u RUSTC_BOOTSTRAP -u CARGO_UNSTABLE_BUILD_STD cargo "$@"; }

if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (several minutes, once)"
  host_cargo install --locked "trunk@$TRUNK_VERSION"
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
  host_cargo install --force "wasm-bindgen-cli@$bindgen_version"
fi

# twiggy names what takes the room in the wasm (make size).
if ! twiggy --version 2>/dev/null | grep -q " $TWIGGY_VERSION$"; then
  say "installing twiggy $TWIGGY_VERSION (a minute, once)"
  host_cargo install --locked "twiggy@$TWIGGY_VERSION"
fi

# geckodriver drives Firefox for the wasm-bindgen tests and the engine journeys.
if ! geckodriver --version 2>/dev/null | grep -q "^geckodriver $GECKODRIVER_VERSION"; then
  say "installing geckodriver $GECKODRIVER_VERSION (a few minutes, once)"
  host_cargo install --locked "geckodriver@$GECKODRIVER_VERSION"
fi

# --- npm: Playwright and wasm-opt (binaryen) ----------------------------------------------
lock_sum=$(sha256sum e2e/package-lock.json | cut -d' ' -f1)
stamp=e2e/node_modules/.buurtbel-lock
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sum" ]; then
  say "installing npm packages (npm ci)"
  (cd e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  echo "$lock_sum" >"$stamp"
fi
# WebdriverIO for the journeys in WebKit and Firefox.
engines_sum=$(sha256sum engines/package-lock.json | cut -d' ' -f1)
engines_stamp=engines/node_modules/.buurtbel-lock
if [ ! -f "$engines_stamp" ] || [ "$(cat "$engines_stamp")" != "$engines_sum" ]; then
  say "installing npm packages of engines/ (npm ci)"
  (cd engines && npm ci --no-audit --no-fund)
  echo "$engines_sum" >"$engines_stamp"
fi
if [ "$(e2e/node_modules/.bin/wasm-opt --version 2>/dev/null | awk '{print $3}')" != "$WASM_OPT_VERSION" ]; then
  echo "setup: e2e/node_modules/.bin/wasm-opt is not version $WASM_OPT_VERSION" >&2
  exit 1
fi

say "ready"
