//! The services as the desktop app's commands call them, with no window: a [`RecordingHost`]
//! stands in for it and records what the services asked of it.
//!
//! Covers: a lock always shows the page afresh; a new passphrase needs its confirmation and
//! the one rule; the choosers get the right title and filter, and a chooser that cannot open
//! is a clear error; a protected copy needs a full folder path; an export lands in the folder
//! asked for; ending client mode outside it is refused; the unlock hook runs once per unlock;
//! a manual backup that fails never raises the automatic backup's alert, and one that works
//! clears it.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use holdspace::KdfPolicy;
use holdspace_shell::error::{AppError, IpcError};
use holdspace_shell::host::{FileFilter, Host};
use holdspace_shell::ipc::SecretArg;
use holdspace_shell::service::backup_page;
use holdspace_shell::service::backups::FolderPurpose;
use holdspace_shell::service::{client, vault};
use holdspace_shell::session::AppSession;

const PASSPHRASE: &str = "lantern orbit cobalt meadow";

/// A window that answers every chooser with `chosen` (`None`: cancelled), or fails to open
/// one when `broken`, and records what it was asked.
#[derive(Default)]
struct RecordingHost {
    shown_afresh: AtomicUsize,
    asked: Mutex<Vec<String>>,
    chosen: Option<PathBuf>,
    broken: bool,
}

impl RecordingHost {
    fn choosing(path: &str) -> Self {
        Self {
            chosen: Some(PathBuf::from(path)),
            ..Self::default()
        }
    }

    fn answer(&self, asked: String) -> Result<Option<PathBuf>, AppError> {
        self.asked.lock().unwrap().push(asked);
        if self.broken {
            return Err(AppError::PickerFailed);
        }
        Ok(self.chosen.clone())
    }
}

impl Host for RecordingHost {
    fn show_afresh(&self) {
        self.shown_afresh.fetch_add(1, Ordering::SeqCst);
    }

    fn choose_folder(&self, title: &str) -> Result<Option<PathBuf>, AppError> {
        self.answer(format!("folder: {title}"))
    }

    fn choose_file(&self, title: &str, filter: FileFilter) -> Result<Option<PathBuf>, AppError> {
        self.answer(format!(
            "file: {title} ({} {:?})",
            filter.name, filter.extensions
        ))
    }
}

fn secret(text: &str) -> SecretArg {
    SecretArg::new(text)
}

/// A session on a new, unlocked vault in `dir`.
fn unlocked_session(dir: &std::path::Path) -> AppSession {
    let session = AppSession::new(dir.join("vault"), KdfPolicy::InsecureTest, None);
    vault::create(&session, &secret(PASSPHRASE), &secret(PASSPHRASE)).expect("vault created");
    session
}

fn code_of(error: AppError) -> &'static str {
    IpcError::from(error).code
}

#[test]
fn a_lock_shows_the_page_afresh_whether_or_not_there_was_anything_to_lock() {
    let dir = tempfile::tempdir().unwrap();
    let session = unlocked_session(dir.path());
    let host = RecordingHost::default();
    vault::lock(&session, &host).expect("locked");
    assert!(!session.status().unlocked);
    vault::lock(&session, &host).expect("locking a locked app changes nothing");
    assert_eq!(host.shown_afresh.load(Ordering::SeqCst), 2);
}

#[test]
fn a_new_vault_needs_its_confirmation_and_the_passphrase_rule() {
    let dir = tempfile::tempdir().unwrap();
    let session = AppSession::new(dir.path().join("vault"), KdfPolicy::InsecureTest, None);
    let mismatch = vault::create(
        &session,
        &secret(PASSPHRASE),
        &secret("lantern orbit cobalt"),
    );
    assert_eq!(
        code_of(mismatch.err().expect("refused")),
        "confirmation_mismatch"
    );
    let weak = vault::create(&session, &secret("sunflower"), &secret("sunflower"));
    assert_eq!(code_of(weak.err().expect("refused")), "too_weak");
    assert!(!session.status().vault_exists, "nothing was made");
}

#[test]
fn a_new_passphrase_may_not_lean_on_the_practices_own_words() {
    let dir = tempfile::tempdir().unwrap();
    let session = unlocked_session(dir.path());
    session
        .with_practice(|p| {
            let mut profile = p.profile();
            profile.practitioner_name = "Ezra Quist".into();
            profile.practice_name = "Brightwater Lantern Meadow".into();
            Ok(p.save_profile(profile)?)
        })
        .expect("profile saved");
    let theirs = "ezra quist brightwater lantern";
    let refused = vault::change_passphrase(
        &session,
        &secret(PASSPHRASE),
        &secret(theirs),
        &secret(theirs),
    );
    assert_eq!(code_of(refused.expect_err("refused")), "too_weak");
    let other = "copper kettle drifting willow";
    vault::change_passphrase(
        &session,
        &secret(PASSPHRASE),
        &secret(other),
        &secret(other),
    )
    .expect("a passphrase of its own is taken");
}

#[test]
fn a_folder_is_asked_for_with_its_purpose_and_handed_on_as_text() {
    let host = RecordingHost::choosing("/media/backup-drive/Holdspace");
    let chosen = backup_page::choose_folder(&host, FolderPurpose::Backups).expect("chosen");
    assert_eq!(chosen.as_deref(), Some("/media/backup-drive/Holdspace"));
    let cancelled = backup_page::choose_folder(&RecordingHost::default(), FolderPurpose::Copy)
        .expect("cancelling is no error");
    assert_eq!(cancelled, None);
    assert_eq!(
        *host.asked.lock().unwrap(),
        ["folder: Choose the folder for your backups"]
    );
}

#[test]
fn a_backup_file_is_asked_for_among_holdspace_backups() {
    let host = RecordingHost::choosing("/home/ada/Υπόλοιπα/αντίγραφο 3 Δεκ.age");
    let chosen = backup_page::choose_backup_file(&host).expect("chosen");
    assert_eq!(
        chosen.as_deref(),
        Some("/home/ada/Υπόλοιπα/αντίγραφο 3 Δεκ.age")
    );
    assert_eq!(
        *host.asked.lock().unwrap(),
        ["file: Choose a Holdspace backup (Holdspace backups [\"age\"])"]
    );
}

#[test]
fn a_chooser_that_cannot_open_says_so_in_plain_words() {
    let host = RecordingHost {
        broken: true,
        ..RecordingHost::default()
    };
    let error = backup_page::choose_backup_file(&host).expect_err("no chooser");
    let ipc = IpcError::from(error);
    assert_eq!(ipc.code, "picker_failed");
    assert!(ipc
        .message
        .starts_with("The file chooser could not be opened."));
}

#[test]
fn a_protected_copy_needs_a_full_folder_path_before_anything_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let session = unlocked_session(dir.path());
    for folder in ["", "   ", "backups", "./backups"] {
        let refused = backup_page::save_protected_copy(
            &session,
            folder,
            &secret("copper kettle drifting willow"),
            &secret("copper kettle drifting willow"),
        );
        assert!(matches!(refused, Err(AppError::FolderNeeded)), "{folder:?}");
    }
}

#[test]
fn an_export_lands_in_the_folder_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let session = unlocked_session(dir.path());
    let folder = dir.path().join("Dışa aktarım — 3 Δεκ");
    std::fs::create_dir(&folder).unwrap();
    let asked = format!("  {}  ", folder.display());
    let exported = vault::export_practice(&session, Some(&asked)).expect("exported");
    let path = PathBuf::from(&exported.path);
    assert_eq!(path.parent(), Some(folder.as_path()));
    assert!(path.is_file() && exported.bytes > 0);
}

#[test]
fn ending_client_mode_outside_it_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let session = unlocked_session(dir.path());
    let refused = client::leave_client_mode(&session, &secret(PASSPHRASE));
    assert_eq!(code_of(refused.expect_err("refused")), "not_in_client_mode");
    assert!(session.status().unlocked);
}

#[test]
fn the_hosts_unlock_hook_runs_once_per_unlock() {
    let dir = tempfile::tempdir().unwrap();
    let runs = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&runs);
    let session = AppSession::new(dir.path().join("vault"), KdfPolicy::InsecureTest, None)
        .after_unlock(Arc::new(move || {
            counted.fetch_add(1, Ordering::SeqCst);
        }));
    vault::create(&session, &secret(PASSPHRASE), &secret(PASSPHRASE)).expect("created");
    vault::lock(&session, &RecordingHost::default()).expect("locked");
    let wrong = vault::unlock(&session, &secret("not the passphrase at all"));
    assert!(wrong.is_err());
    vault::unlock(&session, &secret(PASSPHRASE)).expect("unlocked");
    assert_eq!(
        runs.load(Ordering::SeqCst),
        1,
        "once, for the one unlock that opened"
    );
}

#[test]
fn a_manual_backup_that_fails_is_never_reported_as_a_failed_automatic_one() {
    let dir = tempfile::tempdir().unwrap();
    let session = unlocked_session(dir.path());
    let refused = holdspace_shell::service::backups::back_up_now(&session);
    assert!(refused.is_err(), "no folder chosen yet");
    assert!(
        session.backup_alert().is_none(),
        "no automatic-backup alert"
    );
    assert!(session.status().backup_alert.is_none());
}

#[test]
fn a_manual_backup_that_works_clears_the_automatic_backups_alert() {
    let dir = tempfile::tempdir().unwrap();
    let session = unlocked_session(dir.path());
    let folder = dir.path().join("Sauvegardes — 백업");
    std::fs::create_dir(&folder).unwrap();
    let settings: holdspace_shell::service::backups::BackupSettingsForm =
        serde_json::from_value(serde_json::json!({
            "folder": folder.display().to_string(),
            "on_lock": true,
            "keep_recent": 10,
            "keep_monthly": 12,
        }))
        .expect("the form as the page sends it");
    backup_page::save_settings(&session, settings).expect("folder saved");
    let failure = holdspace::backup::BackupError::NoBackupKey;
    session.note_backup(Some(&failure), time::OffsetDateTime::now_utc());
    assert!(
        session.backup_alert().is_some(),
        "an automatic backup failed earlier"
    );
    holdspace_shell::service::backups::back_up_now(&session).expect("backed up");
    assert!(
        session.backup_alert().is_none(),
        "the alert goes once a backup works"
    );
}
