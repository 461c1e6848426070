//! The Holdspace desktop app's entry point: hardens the process, reads the options and runs
//! the app (or prints its version or its options).
//!
//! Without a console (a release build on Windows) errors go nowhere, so the app itself shows
//! every problem it can; only a bad command line is reported here.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use holdspace_app::config::Invocation;

/// Every heap block the app frees is zeroed first (see `holdspace_app::memory`).
#[global_allocator]
static ALLOCATOR: holdspace_app::memory::ZeroingAllocator =
    holdspace_app::memory::ZEROING_ALLOCATOR;

fn main() {
    // First, before any thread or secret exists: every allocator of the app's process wipes
    // what it frees. This may start the program again, in place.
    holdspace_app::memory::run_with_wiping_allocators();
    holdspace_app::memory::perturb_freed_blocks();
    // Where a panic happened, never what: its message can quote record text.
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("holdspace: internal error{at}");
    }));
    // Before anything else, and before any secret exists: no core files, not dumpable,
    // private new files. Without that protection the app does not start.
    if let Err(e) = holdspace::hardening::harden_process() {
        eprintln!("holdspace: {e}; Holdspace does not start without this protection");
        std::process::exit(2);
    }
    let kdf = match holdspace::KdfPolicy::from_env() {
        Ok(kdf) => kdf,
        Err(refused) => {
            eprintln!("holdspace: {refused}");
            std::process::exit(2);
        }
    };
    let config = match holdspace_app::config::invocation(std::env::args().skip(1)) {
        Ok(Invocation::Run(config)) => config,
        Ok(Invocation::Version) => {
            println!("{}", holdspace_app::config::version_text());
            return;
        }
        Ok(Invocation::Help) => {
            print!("{}", holdspace_app::config::HELP);
            return;
        }
        Err(message) => {
            eprintln!("holdspace: {message}");
            std::process::exit(2);
        }
    };
    if let Err(message) = holdspace_app::run(config, kdf) {
        eprintln!("holdspace: {message}");
        std::process::exit(1);
    }
}
