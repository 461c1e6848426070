#!/usr/bin/env bash
# Installs what building and testing Holdspace needs on a fresh Debian/Ubuntu machine, and
# nothing that is already there. Usage: scripts/ensure-deps.sh [core] [app] [ui] [e2e]
# Runs apt-get only when a package is missing (with sudo when not root), and never downloads
# prebuilt binaries: Rust itself must already be installed (https://rustup.rs).
set -euo pipefail

groups=("${@:-core}")

# Debian packages per group. `core` builds the core library and holdspace-cli (and `age`, which
# the backup tests use to prove backups open with the standard tool); `app` the Tauri
# desktop app (WebKitGTK); `ui` runs the UI's unit tests (node --test); `e2e` drives the real
# app window under a virtual display (Xvfb, WebKitWebDriver) and takes screenshots;
# `package` builds and checks the Debian package (Tauri's bundler, dpkg-shlibdeps,
# desktop-file-validate).
packages_for() {
  case "$1" in
    core) echo "build-essential pkg-config age" ;;
    app) echo "build-essential pkg-config file libwebkit2gtk-4.1-dev libxdo-dev libssl-dev libayatana-appindicator3-dev librsvg2-dev" ;;
    ui) command -v node >/dev/null 2>&1 || echo "nodejs" ;;
    e2e) echo "xvfb xauth webkit2gtk-driver xdotool imagemagick"
         command -v npm >/dev/null 2>&1 || echo "npm" ;;
    package) echo "dpkg-dev desktop-file-utils imagemagick" ;;
    *) echo "unknown dependency group: $1" >&2; exit 2 ;;
  esac
}

if ! command -v cargo >/dev/null 2>&1; then
  echo "Rust is not installed. Install it with rustup (https://rustup.rs), then run this again." >&2
  exit 1
fi

missing=()
for group in "${groups[@]}"; do
  for pkg in $(packages_for "$group"); do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
done

if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "Missing packages (${missing[*]}) and no apt-get: install them with your system's package manager." >&2
    exit 1
  fi
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# tauri-driver (the WebDriver front for Tauri apps) is built from crates.io source, never
# downloaded prebuilt.
for group in "${groups[@]}"; do
  if [ "$group" = e2e ] && ! command -v tauri-driver >/dev/null 2>&1 \
      && [ ! -x "${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver" ]; then
    echo "Installing tauri-driver (cargo install, about a minute)"
    cargo install tauri-driver --locked --quiet
  fi
done

# tauri-cli (Tauri's bundler, which makes the Debian package) is built from crates.io source
# too: the 2.x line the app's Tauri belongs to.
for group in "${groups[@]}"; do
  if [ "$group" = package ] && ! cargo tauri --version >/dev/null 2>&1; then
    echo "Installing tauri-cli (cargo install, several minutes on a first run)"
    cargo install tauri-cli --version "^2" --locked --quiet
  fi
done

# axe-core (accessibility rules the end-to-end tests inject into the page) is a test-only npm
# package, pinned in e2e/a11y/package-lock.json and installed from the npm registry.
for group in "${groups[@]}"; do
  a11y="$(cd "$(dirname "$0")/.." && pwd)/e2e/a11y"
  if [ "$group" = e2e ] && [ ! -f "$a11y/node_modules/axe-core/axe.min.js" ]; then
    echo "Installing axe-core for the accessibility checks (npm, test-only)"
    npm ci --prefix "$a11y" --no-audit --no-fund --silent
  fi
done
