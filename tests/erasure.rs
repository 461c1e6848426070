//! Erasing that erases, read from the raw files: after a purge (and after a lock that follows
//! a deletion) no byte sequence of a deleted record's sealed value, and no deleted record's id,
//! is anywhere in the vault folder's files. A control without erasure shows the same search
//! finds them, as the store keeps old values until it is rewritten.

mod common;

use std::path::Path;

use common::*;
use holdspace::practice::demo::demo_practice;
use holdspace::practice::{MemberId, Practice};
use holdspace::{RecordId, RecoveryCode, Vault};

/// A locked vault holding a small demo practice; returns the folder guard, the vault folder,
/// the recovery code and the member with the most notes.
fn practice_with_a_member() -> (
    tempfile::TempDir,
    std::path::PathBuf,
    RecoveryCode,
    MemberId,
) {
    let (tmp, vault, code) = new_vault();
    let dir = vault.dir().to_path_buf();
    let mut practice = Practice::load(vault).unwrap();
    practice
        .import(demo_practice(0.02, 5, practice.today()))
        .unwrap();
    let state = practice.state();
    let member = *state
        .members
        .keys()
        .max_by_key(|m| state.notes.values().filter(|n| n.member == **m).count())
        .unwrap();
    practice.lock().unwrap();
    (tmp, dir, code, member)
}

/// Every record that is the member's own (the member, memberships, signatures, notes), by id.
fn records_of(practice: &Practice, member: MemberId) -> Vec<RecordId> {
    let s = practice.state();
    let mut ids = vec![member.0];
    ids.extend(
        s.memberships
            .values()
            .filter(|m| m.member == member)
            .map(|m| m.id.0),
    );
    ids.extend(
        s.signatures
            .values()
            .filter(|x| x.member == member)
            .map(|x| x.id.0),
    );
    ids.extend(
        s.notes
            .values()
            .filter(|n| n.member == member)
            .map(|n| n.id.0),
    );
    ids
}

/// The raw sealed values of `ids`, read from the closed vault's current store.
fn sealed_values(dir: &Path, ids: &[RecordId]) -> Vec<Vec<u8>> {
    let store = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("store-")
        })
        .unwrap();
    let db = open_store_directly(&store);
    let tree = db.open_tree("records").unwrap();
    ids.iter()
        .map(|id| tree.get(id.as_bytes()).unwrap().unwrap().to_vec())
        .collect()
}

/// Every file's bytes under `dir`.
fn all_bytes(dir: &Path) -> Vec<u8> {
    let mut out = Vec::new();
    for entry in walk(dir) {
        out.extend(std::fs::read(entry).unwrap());
    }
    out
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// How many of the deleted records leave a trace in the files: a 32-byte piece of their
/// ciphertext (after the format, revision and nonce), or their id.
fn traces(dir: &Path, values: &[Vec<u8>], ids: &[RecordId]) -> usize {
    let files = all_bytes(dir);
    let ciphertext = values
        .iter()
        .filter(|v| contains(&files, &v[33..65]))
        .count();
    ciphertext
        + ids
            .iter()
            .filter(|id| contains(&files, id.as_bytes()))
            .count()
}

#[test]
fn a_purge_leaves_no_sealed_copy_or_id_of_the_member_in_the_vault_files() {
    let (_tmp, dir, _, member) = practice_with_a_member();
    let practice = Practice::load(reopen(&dir)).unwrap();
    let ids = records_of(&practice, member);
    assert!(ids.len() > 3, "the member has records: {}", ids.len());
    practice.lock().unwrap();
    let values = sealed_values(&dir, &ids);
    assert_eq!(
        traces(&dir, &values, &[]),
        values.len(),
        "the search sees them"
    );

    let mut practice = Practice::load(reopen(&dir)).unwrap();
    let mut reported = Vec::new();
    let report = practice
        .purge_member_with_progress(member, |p| reported.push(p))
        .unwrap();
    assert!(report.erased);
    assert!(reported
        .last()
        .is_some_and(|p| p.done == p.total && p.total > 0));
    assert_eq!(
        traces(&dir, &values, &ids),
        0,
        "erased at once, while unlocked"
    );
    practice.lock().unwrap();
    assert_eq!(traces(&dir, &values, &ids), 0);
    let vault = reopen(&dir);
    assert!(vault.integrity().unwrap().is_verified());
    assert!(!vault.erasure_pending());
    drop(vault);
}

#[test]
fn opened_with_the_recovery_code_a_purge_waits_for_the_passphrase_to_erase() {
    let (_tmp, dir, code, member) = practice_with_a_member();
    let vault = Vault::open_with_recovery_code(&dir, &code, POLICY).unwrap();
    let practice = Practice::load(vault).unwrap();
    let ids = records_of(&practice, member);
    practice.lock().unwrap();
    let values = sealed_values(&dir, &ids);

    // The control: without the passphrase key nothing can re-key, and the old values stay.
    let vault = Vault::open_with_recovery_code(&dir, &code, POLICY).unwrap();
    let mut practice = Practice::load(vault).unwrap();
    let report = practice.purge_member(member).unwrap();
    assert!(!report.erased);
    practice.lock().unwrap();
    assert!(
        traces(&dir, &values, &[]) > 0,
        "sled keeps the deleted values until the store is rewritten"
    );
    // The next unlock with the passphrase erases them at its lock.
    let practice = Practice::load(reopen(&dir)).unwrap();
    assert!(
        practice.vault().erasure_pending(),
        "still pending after a restart"
    );
    practice.lock().unwrap();
    assert_eq!(traces(&dir, &values, &ids), 0);
}

#[test]
fn a_deleted_note_is_erased_at_the_next_lock() {
    let (_tmp, dir, _, member) = practice_with_a_member();
    let practice = Practice::load(reopen(&dir)).unwrap();
    let note = practice
        .state()
        .notes
        .values()
        .find(|n| n.member == member)
        .unwrap()
        .id;
    practice.lock().unwrap();
    let values = sealed_values(&dir, &[note.0]);
    let mut practice = Practice::load(reopen(&dir)).unwrap();
    practice.delete_note(note).unwrap();
    assert!(practice.vault().erasure_pending());
    practice.lock().unwrap();
    assert_eq!(traces(&dir, &values, &[note.0]), 0);
    let practice = Practice::load(reopen(&dir)).unwrap();
    let erased = practice
        .state()
        .audit
        .iter()
        .filter(|e| e.detail == holdspace::practice::unlocked::ERASED)
        .count();
    assert_eq!(erased, 1, "the erasure is in the audit trail");
    drop(practice);
}
