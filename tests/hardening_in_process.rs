//! The hardening call every binary makes first ([`harden_process`]), checked in this test
//! process (its own, since the call is process-wide and cannot be undone): core files off,
//! not dumpable (Linux), new files private, and harmless to repeat.
#![cfg(target_os = "linux")]

use std::os::unix::fs::PermissionsExt;

use holdspace::hardening::{harden_process, process_protection};

#[test]
fn the_shared_call_turns_off_core_files_and_dumping_and_makes_new_files_private() {
    harden_process().unwrap();
    let now = process_protection();
    assert!(now.core_files_off, "{now:?}");
    assert!(now.not_dumpable, "{now:?}");
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("plain");
    std::fs::write(&file, b"x").unwrap();
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the file-creation mask is 077");
    // Calling it again is harmless.
    harden_process().unwrap();
}
