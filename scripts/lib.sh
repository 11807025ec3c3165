# Shared set-up for scripts/run and scripts/test: installs, idempotently, everything a fresh
# machine lacks. Sourced, not run. Each step checks first, so a second run costs seconds.
#
# Traps this avoids (see ../shared/research/toolchain.md):
# - cargo-leptos downloads wasm-bindgen and wasm-opt from the internet unless they are on PATH;
# - cargo-leptos 0.3.11 needs a newer rustc than 1.95, so 0.3.10 is pinned;
# - Debian's binaryen (wasm-opt 108) silently breaks the WASM: npm's binaryen is used instead;
# - `npx playwright install` downloads browsers: Debian's chromium is used instead.

CARGO_LEPTOS_VERSION=0.3.10
ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
warn() { printf '\033[1;31m!!! %s\033[0m\n' "$*" >&2; }

# Runs a long step and says how long it took, so the estimates printed before it can be checked.
timed() {
  local started=$SECONDS status=0
  "$@" || status=$?
  local took=$((SECONDS - started))
  say "  took $((took / 60)) min $((took % 60)) s"
  return "$status"
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then
    as_root apt-get update -qq || return 1
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@"
}

target_dir() {
  echo "${CARGO_TARGET_DIR:-$ROOT_DIR/target}"
}

# The version of the wasm-bindgen crate in Cargo.lock: the CLI must match it exactly.
locked_wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT_DIR/Cargo.lock"
}

ensure_rust_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "Adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

# `cargo install` would build inside CARGO_TARGET_DIR if it is set; tools get their own.
# Tools are built without their own fat LTO and single codegen unit: these only make the tool a
# little smaller and faster, and cost most of the install's time on a 2-core machine.
cargo_install() {
  env -u CARGO_TARGET_DIR -u RUSTFLAGS CARGO_PROFILE_RELEASE_LTO=false \
    CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 cargo install "$@"
}

ensure_cargo_leptos() {
  if [ "$(cargo leptos --version 2>/dev/null)" != "cargo-leptos $CARGO_LEPTOS_VERSION" ]; then
    say "Installing cargo-leptos $CARGO_LEPTOS_VERSION (20 to 30 minutes on 2 cores, once)"
    timed cargo_install "cargo-leptos@$CARGO_LEPTOS_VERSION" --locked
  fi
}

ensure_wasm_bindgen() {
  local wanted
  wanted="$(locked_wasm_bindgen_version)"
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wanted" ]; then
    say "Installing wasm-bindgen-cli $wanted (about 3 minutes, once)"
    # Not --locked: its lock file pins a crate version the registry no longer serves.
    timed cargo_install wasm-bindgen-cli --version "$wanted" --force
  fi
}

ensure_node() {
  if ! command -v npm >/dev/null 2>&1; then
    say "Installing Node.js and npm from Debian"
    apt_install nodejs npm
  fi
}

# Playwright (without browsers) and npm's binaryen, whose wasm-opt the release build uses.
ensure_end2end_packages() {
  ensure_node || return 1
  local stamp="$ROOT_DIR/end2end/node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ "$ROOT_DIR/end2end/package-lock.json" -nt "$stamp" ]; then
    say "Installing the end2end npm packages"
    (cd "$ROOT_DIR/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund) ||
      return 1
  fi
  export PATH="$ROOT_DIR/end2end/node_modules/.bin:$PATH"
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    say "Installing Debian's chromium"
    apt_install chromium
  fi
}

# What building and running Herald needs.
setup_build() {
  export PATH="$HOME/.cargo/bin:$PATH"
  ensure_rust_target &&
    ensure_cargo_leptos &&
    ensure_wasm_bindgen &&
    ensure_end2end_packages
}

# What the test suite needs on top.
setup_tests() {
  setup_build && ensure_chromium
}
