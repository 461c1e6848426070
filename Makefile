# Holdspace: every command sets up what it needs first (scripts/ensure-deps.sh).
#   make run    build the desktop app and open it on the default vault (or VAULT=DIR)
#   make test   formatting, lints, doc links, every test: core, CLI, shell (mock runtime),
#               UI modules (node --test), and end to end on the real app under Xvfb
#   make bench  benchmarks; writes BENCHMARKS.md
#   make package  the Debian package a practitioner installs (release build; prints its path)
#   make soak   the long crash loops (500 kills each) and 2,000 random operation sequences
# `make test` uses one cargo profile (debug) and one invocation style (--workspace) throughout,
# so nothing is compiled twice; `make run` builds only the app.

CARGO ?= cargo
# CI builds once, from a clean clone: incremental caches (about 3 GB) would only fill its disk.
ifeq ($(CI),true)
export CARGO_INCREMENTAL := 0
endif
APP := target/debug/holdspace
VAULT ?=

.PHONY: run test lint unit ui e2e memory-probe package package-test bench soak deps deps-test deps-package clean

deps:
	@scripts/ensure-deps.sh core app

deps-test:
	@scripts/ensure-deps.sh core app ui e2e package

deps-package:
	@scripts/ensure-deps.sh core app package

run: deps
	$(CARGO) build -p holdspace-app
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ]; then \
	  echo "No display here: Holdspace is a desktop app. Run 'make run' in a desktop session."; exit 1; fi
	$(APP) $(if $(VAULT),--vault "$(VAULT)",)

lint: deps-test
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --workspace --no-deps --lib

unit: deps-test
	$(CARGO) test --workspace

ui: deps-test
	node --test tests/ui/

# The installed-package case runs in package-test, once the package is installed.
e2e: deps-test
	$(CARGO) test --workspace --test e2e -- --ignored --test-threads=1 --skip installed::

# Only the memory tests of `make e2e` (what a lock leaves in the memory of the app and of
# WebKit's processes), printing what they found in each process.
memory-probe: deps-test
	$(CARGO) test --workspace --test e2e -- --ignored --test-threads=1 --nocapture memory::

# Builds the Debian package from the debug build, checks its files, desktop entry, man pages
# and dependencies, installs it, starts the installed app and removes it again.
package-test: deps-test
	scripts/package-test.sh

test: lint unit ui e2e package-test

# The package a practitioner installs: the tuned release profile, built by Tauri's bundler.
package: deps-package
	scripts/package.sh release

soak: deps
	HOLDSPACE_CRASH_ROUNDS=500 $(CARGO) test --test crash -- --nocapture
	HOLDSPACE_STATE_MACHINE_CASES=2000 $(CARGO) test --test state_machine -- --nocapture

# Vault first: each bench rewrites only its own section of BENCHMARKS.md, in this order.
# The app bench measures the production build (release, custom-protocol) and the release CLI.
# The vault, practice and backup benches build demo vaults with the insecure test KDF
# (`insecure-test-kdf`, a feature no release binary has); every figure that includes Argon2id
# uses the real, calibrated one. The app bench measures real release binaries, so it is built
# without the feature (which also rebuilds holdspace-cli without it) and checks that they
# refuse the test KDF before measuring anything.
bench: deps-test
	$(CARGO) bench --features insecure-test-kdf --bench vault
	$(CARGO) bench --features insecure-test-kdf --bench practice
	$(CARGO) bench --features insecure-test-kdf --bench backup
	$(CARGO) build --release -p holdspace-app --features tauri/custom-protocol
	$(CARGO) build --release --bin holdspace-cli
	$(CARGO) bench --bench app

clean:
	$(CARGO) clean
