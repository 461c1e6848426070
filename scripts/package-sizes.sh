#!/usr/bin/env bash
# Writes the "Package" section of BENCHMARKS.md from a release package just built: the size
# of each binary, of the package and installed. Usage: scripts/package-sizes.sh DEB
# Replaces only the text between <!-- package:start --> and <!-- package:end --> (appending
# the section the first time), as each bench replaces only its own.
set -euo pipefail
cd "$(dirname "$0")/.."
deb="$1"
app=target/release/holdspace
cli=target/release/holdspace-cli
bytes() { stat -c %s "$1"; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1000000 }'; }
installed_kib="$(dpkg-deb -f "$deb" Installed-Size)"
installed=$((installed_kib * 1024))
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
git diff --quiet HEAD 2>/dev/null || commit="$commit (with uncommitted changes)"
section="$(mktemp)"
cat > "$section" <<SECTION
<!-- package:start -->
## Package

Written by \`make package\` (\`scripts/package.sh release\`, then \`scripts/package-sizes.sh\`):
the Debian package Tauri's bundler makes from the release profile of the root \`Cargo.toml\`
(fat LTO, one codegen unit, symbols stripped; \`docs/packaging.md\`).

| This run | |
| --- | --- |
| Date | $(date -u '+%Y-%m-%d %H:%M UTC') |
| Commit | $commit |
| rustc | $(rustc --version) |

| what | bytes | size |
| --- | ---: | ---: |
| \`holdspace\` (the app) | $(bytes "$app") | $(mb "$(bytes "$app")") |
| \`holdspace-cli\` | $(bytes "$cli") | $(mb "$(bytes "$cli")") |
| the package, \`$(basename "$deb")\` | $(bytes "$deb") | $(mb "$(bytes "$deb")") |
| installed (dpkg's Installed-Size, $installed_kib KiB) | $installed | $(mb "$installed") |

- Before the profile was tuned (Cargo's default release profile: no LTO, 16 codegen units, symbols kept), measured once at commit d778724 on a machine like this one: \`holdspace\` 22,849,160 bytes, \`holdspace-cli\` 10,628,936 bytes.
<!-- package:end -->
SECTION
if grep -q '<!-- package:start -->' BENCHMARKS.md; then
  awk -v file="$section" '
    /<!-- package:start -->/ { while ((getline line < file) > 0) print line; skip = 1; next }
    /<!-- package:end -->/ { skip = 0; next }
    !skip { print }' BENCHMARKS.md > BENCHMARKS.md.new
else
  { cat BENCHMARKS.md; echo; cat "$section"; } > BENCHMARKS.md.new
fi
mv BENCHMARKS.md.new BENCHMARKS.md
rm -f "$section"
echo "BENCHMARKS.md: package sizes written"
