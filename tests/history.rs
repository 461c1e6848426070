//! Tamper evidence, on the real sled files: each attack the vault's sealed history must reveal
//! is carried out behind the vault's back, and the exact finding is asserted.
//!
//! - (a) a record deleted;
//! - (b) a record put back to an older sealed value of itself;
//! - (c) the whole store put back to an older copy of itself made before the last lock;
//! - (d) an audit event removed, altered or swapped with another;
//!
//! and around them: the history's own entries cut or removed, findings that persist until the
//! practitioner accepts them, a rotation that carries the history, and `holdspace-cli check`
//! naming each problem with exit 1.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use holdspace::ledger::Finding;
use holdspace::practice::history::AUDIT_KIND;
use holdspace::practice::{AuditAction, Practice};
use holdspace::{RecordId, Vault};

fn store(dir: &Path, epoch: u32) -> PathBuf {
    dir.join(format!("store-{epoch:08}"))
}

/// The key epoch the vault's current store is for (a deletion re-keys the vault at its lock).
fn current_epoch(dir: &Path) -> u32 {
    let vault = reopen(dir);
    let epoch = vault.key_epoch();
    drop(vault);
    epoch
}

/// Runs `f` on the records tree of a closed vault's store, then flushes.
fn with_tree<T>(dir: &Path, epoch: u32, f: impl FnOnce(&sled::Tree) -> T) -> T {
    let db = open_store_directly(&store(dir, epoch));
    let tree = db.open_tree("records").unwrap();
    let out = f(&tree);
    db.flush().unwrap();
    out
}

fn raw(dir: &Path, id: RecordId) -> Vec<u8> {
    with_tree(dir, 1, |tree| {
        tree.get(id.as_bytes()).unwrap().unwrap().to_vec()
    })
}

fn findings(dir: &Path) -> Vec<Finding> {
    let vault = reopen(dir);
    let found = vault.integrity().unwrap().findings;
    drop(vault);
    found
}

/// A closed vault holding `n` notes, locked once (so its history is folded and its header
/// carries the high-water mark).
fn closed(n: usize) -> (tempfile::TempDir, PathBuf, Vec<RecordId>) {
    let (tmp, vault, _) = new_vault();
    let dir = vault.dir().to_path_buf();
    let ids = fill(&vault, n);
    vault.lock().unwrap();
    (tmp, dir, ids)
}

#[test]
fn an_untouched_vault_verifies_and_keeps_verifying() {
    let (_tmp, dir, ids) = closed(20);
    for _ in 0..3 {
        let vault = reopen(&dir);
        let integrity = vault.integrity().unwrap();
        assert!(integrity.is_verified(), "{:?}", integrity.findings);
        assert_eq!(integrity.expected_records, ids.len());
        vault.put(ids[0], "note", 1, &note(99)).unwrap();
        vault.lock().unwrap();
    }
}

#[test]
fn a_a_deleted_record_is_named() {
    let (_tmp, dir, ids) = closed(10);
    with_tree(&dir, 1, |tree| tree.remove(ids[3].as_bytes()).unwrap());
    assert_eq!(
        findings(&dir),
        vec![Finding::Missing {
            id: ids[3],
            kind: "note".into(),
            revision: 4
        }]
    );
}

#[test]
fn b_a_record_put_back_to_an_older_sealed_value_is_named() {
    let (_tmp, dir, ids) = closed(5);
    let older = raw(&dir, ids[2]);
    let vault = reopen(&dir);
    vault.put(ids[2], "note", 1, &note(42)).unwrap();
    let revision = vault.get(ids[2]).unwrap().unwrap().revision;
    vault.lock().unwrap();
    with_tree(&dir, 1, |tree| {
        tree.insert(ids[2].as_bytes(), older).unwrap()
    });
    assert_eq!(
        findings(&dir),
        vec![Finding::RolledBack {
            id: ids[2],
            kind: "note".into(),
            expected: revision,
            found: 3
        }]
    );
}

#[test]
fn c_the_store_put_back_to_a_copy_older_than_the_last_lock_is_named() {
    let (tmp, dir, ids) = closed(5);
    let copy = tmp.path().join("older-store");
    copy_tree(&store(&dir, 1), &copy);
    let vault = reopen(&dir);
    vault.put(ids[0], "note", 1, &note(7)).unwrap();
    vault.put(RecordId::random(), "note", 1, &note(8)).unwrap();
    vault.lock().unwrap();
    std::fs::remove_dir_all(store(&dir, 1)).unwrap();
    copy_tree(&copy, &store(&dir, 1));
    let found = findings(&dir);
    assert_eq!(
        found,
        vec![Finding::StoreOlderThanHeader {
            store: 5,
            header: 7
        }]
    );
}

#[test]
fn findings_stand_at_every_open_until_the_practitioner_accepts_them() {
    let (tmp, dir, ids) = closed(5);
    let copy = tmp.path().join("older-store");
    copy_tree(&store(&dir, 1), &copy);
    let vault = reopen(&dir);
    vault.put(ids[0], "note", 1, &note(7)).unwrap();
    vault.lock().unwrap();
    std::fs::remove_dir_all(store(&dir, 1)).unwrap();
    copy_tree(&copy, &store(&dir, 1));
    // New changes after the rollback do not hide it: the history keeps the gap.
    for _ in 0..2 {
        let vault = reopen(&dir);
        assert!(!vault.integrity().unwrap().is_verified());
        vault.put(ids[1], "note", 1, &note(8)).unwrap();
        vault.lock().unwrap();
    }
    assert!(
        findings(&dir).contains(&Finding::HistoryGap { from: 6, to: 6 }),
        "{:?}",
        findings(&dir)
    );
    let vault = reopen(&dir);
    assert!(vault.accept_history().unwrap().is_verified());
    vault.lock().unwrap();
    assert_eq!(findings(&dir), vec![]);
}

/// A vault closed without locking (a crash): its journal is not folded.
fn crashed_after_commits(n: usize) -> (tempfile::TempDir, PathBuf, Vec<RecordId>) {
    let (tmp, dir, _) = closed(0);
    let vault = reopen(&dir);
    let ids = fill(&vault, n);
    drop(vault);
    (tmp, dir, ids)
}

#[test]
fn a_journal_entry_removed_is_a_gap_and_its_record_is_ahead_of_the_history() {
    let (_tmp, dir, ids) = crashed_after_commits(4);
    with_tree(&dir, 1, |tree| {
        tree.remove(holdspace::ledger::journal_key(3)).unwrap()
    });
    assert_eq!(
        findings(&dir),
        vec![
            Finding::HistoryGap { from: 3, to: 3 },
            Finding::AheadOfHistory {
                id: ids[2],
                expected: 0,
                found: 3
            },
        ]
    );
}

#[test]
fn the_checkpoint_removed_leaves_the_history_uncheckable_and_says_so() {
    let (_tmp, dir, _) = closed(3);
    with_tree(&dir, 1, |tree| {
        tree.remove(holdspace::ledger::CHECKPOINT_KEY).unwrap()
    });
    let found = findings(&dir);
    assert!(found.contains(&Finding::CheckpointUnreadable), "{found:?}");
}

#[test]
fn a_deleted_record_put_back_is_unexpected() {
    let (_tmp, dir, ids) = closed(3);
    let deleted = raw(&dir, ids[1]);
    let vault = reopen(&dir);
    vault.delete(ids[1]).unwrap();
    vault.lock().unwrap();
    // The lock erased it by re-keying into the next epoch's store; the old value is put back
    // there (it no longer decrypts either, which the scan reports as damage).
    let epoch = current_epoch(&dir);
    assert_eq!(epoch, 2);
    with_tree(&dir, epoch, |tree| {
        tree.insert(ids[1].as_bytes(), deleted).unwrap()
    });
    assert_eq!(
        findings(&dir),
        vec![Finding::Unexpected {
            id: ids[1],
            found: 2
        }]
    );
    let vault = reopen(&dir);
    assert_eq!(vault.scan().filter(Result::is_err).count(), 1);
    drop(vault);
}

#[test]
fn a_rotation_keeps_revisions_and_carries_the_history() {
    let (_tmp, dir, ids) = closed(6);
    let mut vault = reopen(&dir);
    vault
        .rotate(&passphrase(PASSPHRASE), |_| {})
        .expect("rotation");
    assert_eq!(vault.get(ids[5]).unwrap().unwrap().revision, 6);
    vault.lock().unwrap();
    let vault = reopen(&dir);
    assert!(vault.integrity().unwrap().is_verified());
    drop(vault);
    with_tree(&dir, 2, |tree| tree.remove(ids[0].as_bytes()).unwrap());
    let vault = reopen(&dir);
    assert_eq!(
        vault.integrity().unwrap().findings,
        vec![Finding::Missing {
            id: ids[0],
            kind: "note".into(),
            revision: 1
        }]
    );
}

// ---------------------------------------------------------------------------------------------
// (d) The audit trail, through the practice
// ---------------------------------------------------------------------------------------------

/// A practice with a trail of `n` events (plus the unlock and lock), closed.
fn practice_with_trail(n: usize) -> (tempfile::TempDir, PathBuf) {
    let (tmp, vault, _) = new_vault();
    let dir = vault.dir().to_path_buf();
    let mut practice = Practice::unlock(vault).unwrap();
    for i in 0..n {
        practice
            .record(AuditAction::Export, &format!("export {i}"))
            .unwrap();
    }
    practice.lock().unwrap();
    (tmp, dir)
}

/// The trail's record ids in the order they were written.
fn trail_ids(dir: &Path) -> Vec<RecordId> {
    let vault = reopen(dir);
    let mut events: Vec<(u64, RecordId)> = vault
        .scan_kind(AUDIT_KIND)
        .map(|r| r.unwrap())
        .map(|r| (r.revision, r.id))
        .collect();
    events.sort();
    drop(vault);
    events.into_iter().map(|(_, id)| id).collect()
}

fn open_practice(dir: &Path) -> Practice {
    Practice::load(reopen(dir)).unwrap()
}

#[test]
fn d_an_audit_event_removed_breaks_the_trail_at_its_place() {
    let (_tmp, dir) = practice_with_trail(6);
    let trail = trail_ids(&dir);
    assert_eq!(trail.len(), 8);
    with_tree(&dir, 1, |tree| tree.remove(trail[4].as_bytes()).unwrap());
    let practice = open_practice(&dir);
    let verdict = practice.history();
    assert!(!verdict.verified);
    assert_eq!(
        verdict.problems,
        vec![format!(
            "the audit trail is broken at audit event 5 of 8: that event was removed (record {})",
            trail[4]
        )]
    );
    // The unlock that found it recorded it.
    let recorded = practice
        .state()
        .audit
        .iter()
        .filter(|e| e.action == AuditAction::HistoryProblem)
        .count();
    assert_eq!(recorded, 1);
    drop(practice);
}

#[test]
fn d_an_audit_event_altered_or_swapped_is_damaged_and_named() {
    let (_tmp, dir) = practice_with_trail(4);
    let trail = trail_ids(&dir);
    let (first, second) = (raw(&dir, trail[1]), raw(&dir, trail[2]));
    let mut altered = raw(&dir, trail[3]);
    altered[40] ^= 0x01;
    with_tree(&dir, 1, |tree| {
        tree.insert(trail[1].as_bytes(), second).unwrap();
        tree.insert(trail[2].as_bytes(), first).unwrap();
        tree.insert(trail[3].as_bytes(), altered).unwrap();
    });
    let practice = open_practice(&dir);
    let mut damaged = practice.damaged().to_vec();
    damaged.sort();
    let mut expected = vec![trail[1], trail[2], trail[3]];
    expected.sort();
    assert_eq!(damaged, expected, "swapped and altered events do not open");
    drop(practice);
}

#[test]
fn d_the_issue_reproduction_an_older_store_beside_the_current_header_fails_check() {
    // Copy the vault, make one audited change through the CLI, put the old store back.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let out = cli(&dir, &["init"], &format!("{PASSPHRASE}\n{PASSPHRASE}\n"));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let copy = tmp.path().join("older-store");
    copy_tree(&store(&dir, 1), &copy);
    let out = cli(
        &dir,
        &["backup-settings", "--keep-recent", "3"],
        &format!("{PASSPHRASE}\n"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    std::fs::remove_dir_all(store(&dir, 1)).unwrap();
    copy_tree(&copy, &store(&dir, 1));
    let out = cli(&dir, &["check"], &format!("{PASSPHRASE}\n"));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    assert!(printed.contains("history NOT verified"), "{printed}");
    assert!(
        printed.contains("the record store is older than the vault"),
        "{printed}"
    );
    // Accepting after reading: recorded, and the next check verifies.
    let out = cli(&dir, &["check", "--accept"], &format!("{PASSPHRASE}\n"));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = cli(&dir, &["check"], &format!("{PASSPHRASE}\n"));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("unbroken"));
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn cli(dir: &Path, args: &[&str], stdin: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_holdspace-cli"))
        .arg("--vault")
        .arg(dir)
        .args(args)
        .env("HOLDSPACE_INSECURE_TEST_KDF", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn the_vault_still_opens_with_findings_so_the_records_stay_reachable() {
    let (_tmp, dir, ids) = closed(4);
    with_tree(&dir, 1, |tree| tree.remove(ids[0].as_bytes()).unwrap());
    let vault: Vault = reopen(&dir);
    assert_eq!(vault.scan().filter(Result::is_ok).count(), 3);
    drop(vault);
}
