#!/usr/bin/env bash
# Installs what building and testing Holdspace needs on a fresh Debian/Ubuntu machine, and
# nothing that is already there. Usage: scripts/ensure-deps.sh [core]
# Runs apt-get only when a package is missing (with sudo when not root), and never downloads
# prebuilt binaries: Rust itself must already be installed (https://rustup.rs).
set -euo pipefail

groups=("${@:-core}")

# Debian packages per group. `core` builds the core library and holdspace-cli.
packages_for() {
  case "$1" in
    core) echo "build-essential pkg-config" ;;
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
