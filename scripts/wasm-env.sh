# Sourced, not run: puts the build tools on PATH and picks how to build for wasm32.
#
# Normal path: rustup's wasm32-unknown-unknown target. Fallback when rustup cannot download
# it: Debian's packaged Rust with its standard-library source, building std with build-std.
# The fallback's variables are exported only for wasm builds by the scripts that source this;
# host builds and `cargo install` must never see them (they would rebuild std for the host).
# With --setup, installs what the chosen path needs.

_buurtbel_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$_buurtbel_root/e2e/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true

_buurtbel_has_wasm_target() {
  rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown
}

if ! _buurtbel_has_wasm_target && [ "${1:-}" = "--setup" ]; then
  echo "setup: adding the wasm32-unknown-unknown target"
  timeout 180 rustup target add wasm32-unknown-unknown || true
fi

if _buurtbel_has_wasm_target; then
  BUURTBEL_WASM_ENV=()
else
  if [ "${1:-}" = "--setup" ] && ! rustup toolchain list | grep -q '^debian'; then
    echo "setup: rustup cannot add wasm32; using Debian's Rust with build-std"
    _pkgs=(rustc-web cargo-web rust-web-src libstd-rust-web-dev lld-22)
    if [ "$(id -u)" -eq 0 ]; then apt-get -o DPkg::Lock::Timeout=600 install -y -q "${_pkgs[@]}"; else sudo apt-get -o DPkg::Lock::Timeout=600 install -y -q "${_pkgs[@]}"; fi
    rustup toolchain link debian /usr
  fi
  BUURTBEL_WASM_ENV=(RUSTUP_TOOLCHAIN=debian RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort)
fi

# Runs a command with the wasm build environment.
wasm_env() { env "${BUURTBEL_WASM_ENV[@]}" "$@"; }
