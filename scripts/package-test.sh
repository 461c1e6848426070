#!/usr/bin/env bash
# The package test: builds the Debian package (from the debug build `make test` already made),
# checks what it holds, installs it, starts the installed app under Xvfb, runs the installed
# holdspace-cli, removes the package and checks that the vault the app made is still there and
# still opens.
#
# Installs with dpkg when root (or with sudo when it asks no password); otherwise unpacks into
# a scratch root and runs from there. A holdspace package already installed on this machine is
# never touched: the test then uses a scratch root too.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }
fail() { echo "package test: $*" >&2; exit 1; }

started=$(date +%s)
work="$(mktemp -d)"
installed_by_us=""
cleanup() {
  if [ -n "$installed_by_us" ]; then $sudo dpkg -r holdspace >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

step "Building the package"
deb="$(scripts/package.sh debug | tail -n1)"
[ -f "$deb" ] || fail "no package was built"
version="$(sed -n 's/^version = "\(.*\)"/\1/p' src-tauri/Cargo.toml | head -n1)"
echo "$deb ($(stat -c %s "$deb") bytes)"

step "Control fields"
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = holdspace ] || fail "Package is $(field Package), not holdspace"
[ "$(field Version)" = "$version" ] || fail "Version is $(field Version), not $version (Cargo.toml)"
[ "$(field Architecture)" = "$(dpkg --print-architecture)" ] || fail "wrong Architecture"
depends="$(field Depends)"
echo "Depends: $depends"
dups="$(echo "$depends" | tr ',' '\n' | sed -e 's/(.*)//' -e 's/ //g' | sort | uniq -d)"
[ -z "$dups" ] || fail "Depends names $dups more than once"
# Fonts for every script members' names come in (docs/packaging.md): recommended, not required.
recommends="$(field Recommends)"
echo "Recommends: $recommends"
for font in fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji; do
  echo "$recommends" | tr ',' '\n' | sed 's/ //g' | grep -qx "$font" \
    || fail "Recommends does not name $font"
done

step "Files"
dpkg-deb -x "$deb" "$work/root"
root="$work/root"
for path in usr/bin/holdspace usr/bin/holdspace-cli \
    usr/share/applications/Holdspace.desktop usr/share/doc/holdspace/copyright \
    usr/share/man/man1/holdspace-cli.1.gz usr/share/man/man1/holdspace-cli-backup.1.gz; do
  [ -f "$root/$path" ] || fail "the package has no /$path"
done
for size in 16x16 32x32 48x48 64x64 128x128 256x256 512x512; do
  icon="$root/usr/share/icons/hicolor/$size/apps/holdspace.png"
  [ -f "$icon" ] || fail "no ${size} icon"
  [ "$(identify -format '%wx%h' "$icon")" = "$size" ] || fail "the ${size} icon is $(identify -format '%wx%h' "$icon")"
done
[ -x "$root/usr/bin/holdspace" ] && [ -x "$root/usr/bin/holdspace-cli" ] || fail "binaries not executable"
echo "binaries, desktop entry, copyright, man pages and 7 icon sizes present"

step "Desktop entry"
entry="$root/usr/share/applications/Holdspace.desktop"
desktop-file-validate "$entry" | tee "$work/validate"
if grep -Ev ': hint: ' "$work/validate" | grep -q .; then fail "desktop-file-validate found problems"; fi
grep -qx 'Categories=Office;MedicalSoftware;' "$entry" || fail "categories are not Office;MedicalSoftware;"
grep -q '^Keywords=.*therapy' "$entry" || fail "no keywords"
grep -qx 'Exec=holdspace' "$entry" || fail "the entry does not start holdspace"

step "Man pages"
zcat "$root/usr/share/man/man1/holdspace-cli.1.gz" | grep -q '^\.TH holdspace-cli 1' \
  || fail "holdspace-cli.1 is not a section 1 man page"
pages=$(ls "$root/usr/share/man/man1" | wc -l)
echo "$pages pages"

step "Every shared library the binaries need is in Depends"
# dpkg-shlibdeps names the package of each library the binaries link; each must be a
# dependency, so that apt pulls WebKitGTK and the rest on a clean machine.
mkdir -p "$work/shlibs/debian"
printf 'Source: holdspace\n\nPackage: holdspace\nArchitecture: any\n' > "$work/shlibs/debian/control"
needed="$(cd "$work/shlibs" && dpkg-shlibdeps -O "$root/usr/bin/holdspace" "$root/usr/bin/holdspace-cli" 2>/dev/null \
  | sed -n 's/^shlibs:Depends=//p' | tr ',' '\n' | sed -e 's/(.*)//' -e 's/|.*//' -e 's/ //g' | sort -u)"
for pkg in $needed; do
  echo "$depends" | tr ',' '\n' | tr -d ' ' | sed -e 's/(.*)//' -e 's/|.*//' | grep -qx "$pkg" \
    || fail "the binaries need $pkg, which Depends does not name"
done
echo "needed: $(echo $needed)"

step "Installing"
sudo=""
prefix=""
if dpkg-query -W -f='${Status}' holdspace 2>/dev/null | grep -q "install ok installed"; then
  echo "holdspace is already installed here: left alone, testing from a scratch root"
  prefix="$root"
elif [ "$(id -u)" -eq 0 ] || sudo -n true 2>/dev/null; then
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo dpkg -i "$deb"
  installed_by_us=yes
  dpkg -L holdspace > "$work/installed-files"
else
  echo "not root and no password-less sudo: testing from a scratch root"
  prefix="$root"
fi
app="$prefix/usr/bin/holdspace"
cli="$prefix/usr/bin/holdspace-cli"

step "The installed holdspace-cli and holdspace"
[ "$("$cli" --version)" = "holdspace-cli $version" ] || fail "holdspace-cli --version says $("$cli" --version)"
case "$("$app" --version)" in "holdspace $version "*) ;; *) fail "holdspace --version says $("$app" --version)" ;; esac
"$cli" --help >/dev/null
echo "$("$cli" --version); $("$app" --version)"

step "The installed app makes a vault and opens to the unlock screen"
vault="$work/vault"
mkdir -m 0700 "$vault"
HOLDSPACE_INSTALLED_APP="$app" HOLDSPACE_INSTALLED_VAULT="$vault" \
HOLDSPACE_INSTALLED_PASSPHRASE="lantern orbit cobalt meadow" \
  cargo test --workspace --test e2e -- --ignored --exact \
  installed::the_installed_app_makes_a_vault_and_opens_to_the_unlock_screen

if [ -n "$installed_by_us" ]; then
  step "Removing the package"
  $sudo dpkg -r holdspace
  installed_by_us=""
  [ ! -e /usr/bin/holdspace ] && [ ! -e /usr/bin/holdspace-cli ] || fail "removing left the binaries"
  while read -r path; do
    [ -d "$path" ] || [ ! -e "$path" ] || fail "removing left $path"
  done < "$work/installed-files"
fi

step "The vault is still there and opens"
[ -n "$(ls -A "$vault")" ] || fail "the vault folder is empty"
echo "lantern orbit cobalt meadow" | target/debug/holdspace-cli --vault "$vault" check \
  || fail "the vault the installed app made does not open"

echo
echo "package test passed in $(( $(date +%s) - started )) s"
