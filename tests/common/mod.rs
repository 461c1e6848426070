//! Helpers shared by the integration tests: temporary vaults under the explicit insecure test
//! KDF policy, and small record bodies.
#![allow(dead_code)]

pub mod builders;
pub mod cli;
pub mod small_disk;

use holdspace::{KdfPolicy, Passphrase, RecordId, RecoveryCode, Vault};
use serde::{Deserialize, Serialize};

/// The policy every integration test uses: tiny Argon2id parameters, chosen explicitly.
pub const POLICY: KdfPolicy = KdfPolicy::InsecureTest;

/// The passphrase test vaults are created with.
pub const PASSPHRASE: &str = "correct horse battery staple";

/// A passphrase value.
pub fn passphrase(text: &str) -> Passphrase {
    Passphrase::new(text).expect("non-empty passphrase")
}

/// A small record body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub title: String,
    pub text: String,
}

/// A note with recognisable text.
pub fn note(i: usize) -> Note {
    Note {
        title: format!("note {i}"),
        text: format!("what was said in session {i}"),
    }
}

/// Creates a vault in a fresh temporary folder; returns the folder guard, the vault and the
/// recovery code.
pub fn new_vault() -> (tempfile::TempDir, Vault, RecoveryCode) {
    let dir = tempfile::tempdir().expect("temp dir");
    let created = Vault::create(&dir.path().join("vault"), &passphrase(PASSPHRASE), POLICY)
        .expect("create vault");
    (dir, created.vault, created.recovery_code)
}

/// Writes `n` notes and returns their ids in order.
pub fn fill(vault: &Vault, n: usize) -> Vec<RecordId> {
    (0..n)
        .map(|i| {
            let id = RecordId::random();
            vault.put(id, "note", 1, &note(i)).expect("put");
            id
        })
        .collect()
}

/// Opens the vault in `dir` with the test passphrase.
pub fn reopen(dir: &std::path::Path) -> Vault {
    Vault::open(dir, &passphrase(PASSPHRASE), POLICY).expect("reopen")
}

/// Opens a closed vault's record store directly with sled (to damage or inspect raw values).
/// A vault's own handles are closed by the time it is dropped or locked, but a handle this
/// helper returned is plain sled, whose threads can hold its file lock for a moment after it
/// is dropped (seconds, on a loaded disk); so a held lock is retried for up to 30 seconds.
pub fn open_store_directly(store: &std::path::Path) -> sled::Db {
    let started = std::time::Instant::now();
    loop {
        match sled::open(store) {
            Ok(db) => return db,
            Err(e) if started.elapsed() < std::time::Duration::from_secs(30) => {
                assert!(e.to_string().contains("could not acquire lock"), "{e}");
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(e) => panic!("open the record store directly: {e}"),
        }
    }
}

/// Copies the folder tree `from` into `to` (a vault, or one of its stores, to put back or to
/// work on without touching the original).
pub fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("create the copy's folder");
    for entry in std::fs::read_dir(from).expect("read folder") {
        let entry = entry.expect("folder entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// The names in `folder` (hidden temporary files included), sorted.
pub fn names_in(folder: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .expect("read the folder")
        .map(|e| {
            e.expect("a folder entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}
