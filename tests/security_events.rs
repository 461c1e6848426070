//! Every security-relevant event is in the audit trail, in its own words: a passphrase change,
//! a new passphrase set with the recovery code, a new recovery code, a backup made, an
//! automatic backup that failed, a key rotation and a restore. (Client mode's start, end and
//! failed exits, unlocks, locks and exports have their own tests; `tests/backup.rs` covers a
//! backup of the practice file.)

use holdspace::backup::folder::{self, FolderPreferences};
use holdspace::practice::{AuditAction, Practice};
use holdspace::{KdfPolicy, Passphrase, RecoveryCode, Vault};

const PASSPHRASE: &str = "lantern orbit cobalt meadow";

fn passphrase(text: &str) -> Passphrase {
    Passphrase::new(text).unwrap()
}

/// The actions recorded after the first `since` events, and their details.
fn recorded_since(practice: &Practice, since: usize) -> Vec<(AuditAction, String)> {
    practice.state().audit[since..]
        .iter()
        .map(|e| (e.action, e.detail.clone()))
        .collect()
}

#[test]
fn passphrase_changes_recovery_and_a_new_recovery_code_are_each_named() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault");
    let created = Vault::create(&vault, &passphrase(PASSPHRASE), KdfPolicy::InsecureTest).unwrap();
    let mut practice = Practice::unlock(created.vault).unwrap();
    let before = practice.state().audit.len();

    let changed = "copper kettle drifting willow";
    practice
        .change_passphrase(&passphrase(PASSPHRASE), &passphrase(changed))
        .unwrap();
    let code = holdspace::backup::new_recovery_code(&mut practice, &passphrase(changed)).unwrap();
    let actions: Vec<AuditAction> = recorded_since(&practice, before)
        .into_iter()
        .map(|(action, _)| action)
        .collect();
    assert_eq!(
        actions,
        [
            AuditAction::PassphraseChanged,
            AuditAction::RecoveryCodeReplaced
        ]
    );
    practice.lock().unwrap();

    let recovered = "amber tide quarry whistle";
    let practice = holdspace::practice::recover(
        &vault,
        &code,
        &passphrase(recovered),
        KdfPolicy::InsecureTest,
    )
    .unwrap();
    let last = practice.state().audit.last().unwrap().clone();
    assert_eq!(last.action, AuditAction::PassphraseRecovered);
    assert!(
        !last.detail.contains(recovered),
        "the audit never holds a passphrase"
    );
    practice.lock().unwrap();
}

#[test]
fn a_backup_made_and_a_backup_that_failed_are_each_named() {
    let dir = tempfile::tempdir().unwrap();
    let (mut practice, _) = practice_with_backup_key(dir.path());
    let backups = dir.path().join("Yedekler — Αντίγραφα");
    std::fs::create_dir(&backups).unwrap();
    let preferences = FolderPreferences {
        folder: Some(backups.clone()),
        on_lock: true,
        keep_recent: 10,
        keep_monthly: 12,
    };
    folder::save_preferences(&mut practice, &preferences).unwrap();
    let before = practice.state().audit.len();

    folder::back_up_to_folder(&mut practice).expect("a backup into the folder");
    std::fs::remove_dir_all(&backups).unwrap();
    let failure = folder::back_up_to_folder(&mut practice).expect_err("the folder is gone");
    folder::record_failure(&mut practice, &failure).unwrap();

    let recorded = recorded_since(&practice, before);
    assert!(
        recorded
            .iter()
            .any(|(action, detail)| *action == AuditAction::BackupMade
                && detail.starts_with("backup into the backup folder")),
        "{recorded:?}"
    );
    let (action, detail) = recorded.last().unwrap();
    assert_eq!(*action, AuditAction::BackupFailed);
    assert!(detail.starts_with("automatic backup failed"), "{detail}");
    assert!(
        recorded
            .iter()
            .all(|(action, _)| *action != AuditAction::Export),
        "a backup is not recorded as an export: {recorded:?}"
    );
    practice.lock().unwrap();
}

#[test]
fn a_key_rotation_is_recorded_with_the_new_key_and_read_back_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault");
    let created = Vault::create(&path, &passphrase(PASSPHRASE), KdfPolicy::InsecureTest).unwrap();
    let mut practice = Practice::unlock(created.vault).unwrap();
    let epoch = practice.vault_facts().key_epoch;
    let before = practice.state().audit.len();

    let wrong = practice.rotate_key(&passphrase("not the passphrase at all"), |_| {});
    assert!(wrong.is_err(), "a wrong passphrase rotates nothing");
    assert_eq!(practice.state().audit.len(), before, "and records nothing");

    practice
        .rotate_key(&passphrase(PASSPHRASE), |_| {})
        .unwrap();
    let rotated = format!("key epoch {}", epoch + 1);
    assert_eq!(
        recorded_since(&practice, before),
        [(AuditAction::KeyRotated, rotated.clone())]
    );
    practice.lock().unwrap();

    let reopened = Vault::open(&path, &passphrase(PASSPHRASE), KdfPolicy::InsecureTest).unwrap();
    let practice = Practice::unlock(reopened).unwrap();
    assert_eq!(practice.vault_facts().key_epoch, epoch + 1);
    let stored: Vec<(AuditAction, String)> = practice
        .state()
        .audit
        .iter()
        .filter(|e| e.action == AuditAction::KeyRotated)
        .map(|e| (e.action, e.detail.clone()))
        .collect();
    assert_eq!(stored, [(AuditAction::KeyRotated, rotated)]);
    let history = practice.history();
    assert!(
        history.verified,
        "the event is part of the history the new store carries: {:?}",
        history.problems
    );
    practice.lock().unwrap();
}

#[test]
fn a_restore_is_recorded_with_when_the_backup_was_made_and_who_vouches_for_it() {
    use holdspace::backup::{BackupIdentity, Opener, Protection};
    let dir = tempfile::tempdir().unwrap();
    let (mut practice, recovery_code) = practice_with_backup_key(dir.path());
    let recipient = holdspace::backup::stored_recipient(&practice).unwrap();
    let file = dir.path().join("Çarşamba grubu — Αντίγραφο.age");
    let summary = holdspace::backup::write_backup(
        &mut practice,
        &file,
        Protection::BackupKey(&recipient),
        KdfPolicy::InsecureTest,
    )
    .unwrap();
    practice.lock().unwrap();

    let identity = BackupIdentity::from_recovery_code(&recovery_code);
    let restored = holdspace::backup::restore(
        &file,
        Opener::BackupKey(&identity),
        &dir.path().join("restored"),
        &passphrase("amber tide quarry whistle"),
        KdfPolicy::InsecureTest,
        false,
    )
    .unwrap();
    let last = restored.practice.state().audit.last().unwrap().clone();
    assert_eq!(last.action, AuditAction::BackupRestored);
    let made = summary
        .manifest
        .created_at
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    assert_eq!(
        last.detail,
        format!("from a backup made {made}, signed by this practice")
    );
    restored.practice.lock().unwrap();
}

/// A new practice in `dir/vault` with its backup key stored, as the app makes one, and its
/// recovery code.
fn practice_with_backup_key(dir: &std::path::Path) -> (Practice, RecoveryCode) {
    let created = Vault::create(
        &dir.join("vault"),
        &passphrase(PASSPHRASE),
        KdfPolicy::InsecureTest,
    )
    .unwrap();
    let mut practice = Practice::unlock(created.vault).unwrap();
    holdspace::backup::store_backup_key(&mut practice, &created.recovery_code).unwrap();
    (practice, created.recovery_code)
}
