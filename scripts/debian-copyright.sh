#!/usr/bin/env bash
# Prints the package's /usr/share/doc/holdspace/copyright in Debian's machine-readable format.
# Holdspace's own licence is given in full here; the licences of the crates built into the
# app are generated from Cargo.lock at build time and shown in the app (Settings, About).
set -euo pipefail
cd "$(dirname "$0")/.."
cat <<'HEAD'
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: Holdspace
Comment: The app is built from many Rust crates, each under its own licence (mostly MIT or
 Apache-2.0). Their list, with every licence text, is generated from Cargo.lock when the
 app is built and shown in the app: Settings, About, "Licences of the bundled components".

Files: *
Copyright: The Holdspace developers
License: MIT or Apache-2.0

License: MIT
HEAD
sed -e 's/^[[:space:]]*$/./' -e 's/^/ /' LICENSE-MIT
cat <<'TAIL'

License: Apache-2.0
 On Debian systems, the full text of the Apache License, Version 2.0 is in
 /usr/share/common-licenses/Apache-2.0.
TAIL
