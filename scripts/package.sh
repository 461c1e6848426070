#!/usr/bin/env bash
# Builds the Debian package with Tauri's own bundler: the desktop app, holdspace-cli, its
# manual pages (generated from its clap definition), the desktop entry, the icons and the
# copyright file. Usage: scripts/package.sh [release|debug]   (default: release)
# Writes target/debian/holdspace_<version>_<arch>.deb and prints its path last.
#
# `release` is what a practitioner installs (the tuned release profile). `debug` packages
# the debug build `make test` has already made, so the package test compiles nothing twice;
# the package's files, entry and behaviour are the same, only the binaries are larger.
set -euo pipefail
cd "$(dirname "$0")/.."

profile="${1:-release}"
case "$profile" in
  release) cargo_profile=(--release); bundle_profile=() ;;
  debug) cargo_profile=(); bundle_profile=(--debug) ;;
  *) echo "usage: scripts/package.sh [release|debug]" >&2; exit 2 ;;
esac

version="$(sed -n 's/^version = "\(.*\)"/\1/p' src-tauri/Cargo.toml | head -n1)"
arch="$(dpkg --print-architecture)"

# The files tauri.conf.json's deb section puts beside the app (bundle.linux.deb.files).
stage=target/package-files
rm -rf "$stage"
mkdir -p "$stage/man1"
cargo build "${cargo_profile[@]}" --bin holdspace-cli
install -m 0755 "target/$profile/holdspace-cli" "$stage/holdspace-cli"
"$stage/holdspace-cli" generate-man "$stage/man1"
gzip -9n "$stage"/man1/*.1
chmod 0644 "$stage"/man1/*.gz
scripts/debian-copyright.sh > "$stage/copyright"
chmod 0644 "$stage/copyright"

# Tauri's bundler builds the app (with its production feature) and assembles the package.
cargo tauri build "${bundle_profile[@]}" --bundles deb --ci

built="target/$profile/bundle/deb/Holdspace_${version}_${arch}.deb"
mkdir -p target/debian
out="target/debian/holdspace_${version}_${arch}.deb"
cp "$built" "$out"
if [ "$profile" = release ]; then scripts/package-sizes.sh "$out" >&2; fi
echo "$out"
