# Holdspace: every command sets up what it needs first (scripts/ensure-deps.sh).
#   make run    build holdspace-cli and show how to use it (the desktop app comes later)
#   make test   formatting, lints, doc links and every test (core, practice, CLI, tamper, crash)
#   make bench  benchmarks; writes BENCHMARKS.md
#   make soak   the long crash loops (500 kills each)
# Everything uses cargo's default (debug) profile except bench, so one build serves run and test.

CARGO ?= cargo
CLI := target/debug/holdspace-cli

.PHONY: run test lint unit bench soak deps clean

deps:
	@scripts/ensure-deps.sh core

run: deps
	$(CARGO) build --bin holdspace-cli
	@echo
	@echo "holdspace-cli is built: $(CLI)"
	@echo "Your vault lives in: $$($(CLI) where)"
	@echo
	@echo "  $(CLI) init            create the vault (prints the recovery code once)"
	@echo "  $(CLI) check           decrypt every record; exit 1 if any is damaged"
	@echo "  $(CLI) stats [--json]  counts, sizes and key-derivation settings"
	@echo "  $(CLI) passwd          change the passphrase"
	@echo "  $(CLI) rotate          re-encrypt everything under a new data key"
	@echo "  $(CLI) recover         set a new passphrase with the recovery code"
	@echo "  $(CLI) demo --scale 1  fill an empty vault with a synthetic practice"
	@echo "  $(CLI) search QUERY    search members, groups, sessions, notes, incidents"
	@echo "  $(CLI) export | import FILE | member-export ID [--html]   open JSON in and out"
	@echo "  add --vault DIR to use another folder; see --help for more"

lint: deps
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps --lib

unit: deps
	$(CARGO) test

test: lint unit

soak: deps
	HOLDSPACE_CRASH_ROUNDS=500 $(CARGO) test --test crash -- --nocapture

# Vault first: each bench rewrites only its own section of BENCHMARKS.md, in this order.
bench: deps
	$(CARGO) bench --bench vault
	$(CARGO) bench --bench practice

clean:
	$(CARGO) clean
