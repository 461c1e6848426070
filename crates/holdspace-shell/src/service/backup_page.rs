//! What the backups screen and the restore flow ask for, one function per command: the
//! screen again after each change, a protected copy, the system's folder and file choosers,
//! and a restore from the page's form.
//!
//! Policy: the same rules as [`super::backups`], which does the work; here the page's text
//! becomes typed values (a folder must be a full path, a new passphrase meets the one rule
//! with the words known so far), and a restore over the app's vault keeps its recovery sheet
//! for the page shown afresh after the lock.

use std::path::PathBuf;

use holdspace::backup::Trust;
use serde::Serialize;

use super::backups::{
    self, BackupOverview, BackupSettingsForm, FolderPurpose, RestoreTarget, SavedCopy,
};
use super::passphrases::{self, new_passphrase};
use crate::error::AppError;
use crate::host::{FileFilter, Host};
use crate::ipc::SecretArg;
use crate::session::{AppSession, RestoredSheet};

/// The backup file chooser's title (the end-to-end tests find the chooser by it).
pub const BACKUP_FILE_TITLE: &str = "Choose a Holdspace backup";

/// What the backup file chooser shows.
pub const BACKUP_FILES: FileFilter = FileFilter {
    name: "Holdspace backups",
    extensions: &["age"],
};

/// The backups screen: settings, the folder's backups, the last failure.
pub fn overview(session: &AppSession) -> Result<BackupOverview, AppError> {
    let alert = session.backup_alert();
    session.with_practice(|p| Ok(backups::overview(p, alert)))
}

/// Stores the backup key and signing key from the recovery code (it must open this vault);
/// the screen again.
pub fn store_backup_key(
    session: &AppSession,
    code: &SecretArg,
) -> Result<BackupOverview, AppError> {
    let alert = session.backup_alert();
    session.with_practice(|p| {
        backups::store_backup_key(session, p, code.expose())?;
        Ok(backups::overview(p, alert))
    })
}

/// Saves the backup settings; the screen again.
pub fn save_settings(
    session: &AppSession,
    settings: BackupSettingsForm,
) -> Result<BackupOverview, AppError> {
    let alert = session.backup_alert();
    session.with_practice(|p| {
        backups::save_settings(p, settings)?;
        Ok(backups::overview(p, alert))
    })
}

/// Saves a copy of the practice into `folder` (a full path), protected by a new passphrase of
/// its own, which may not lean on the practice's own words.
pub fn save_protected_copy(
    session: &AppSession,
    folder: &str,
    passphrase: &SecretArg,
    confirmation: &SecretArg,
) -> Result<SavedCopy, AppError> {
    let folder = PathBuf::from(folder.trim());
    if !folder.is_absolute() {
        return Err(AppError::FolderNeeded);
    }
    let kdf = session.kdf();
    session.with_practice(|p| {
        let words = p.own_words();
        let passphrase = new_passphrase(passphrase.expose(), confirmation.expose(), &words)?;
        backups::save_copy(p, &folder, &passphrase, kdf)
    })
}

/// Asks for a folder for `purpose` in the system's chooser; its path as text, or `None` when
/// cancelled (a path that is not valid Unicode counts as cancelled: the page could not show
/// it truthfully).
pub fn choose_folder(host: &dyn Host, purpose: FolderPurpose) -> Result<Option<String>, AppError> {
    Ok(host.choose_folder(purpose.title())?.and_then(path_text))
}

/// Asks for a backup file in the system's chooser; as [`choose_folder`].
pub fn choose_backup_file(host: &dyn Host) -> Result<Option<String>, AppError> {
    Ok(host
        .choose_file(BACKUP_FILE_TITLE, BACKUP_FILES)?
        .and_then(path_text))
}

fn path_text(path: PathBuf) -> Option<String> {
    path.into_os_string().into_string().ok()
}

/// What a finished restore shows: the new vault's recovery sheet, once.
#[derive(Clone, Serialize)]
pub struct RestoreDone {
    /// The sheet, where the vault is, and where the replaced one was kept.
    #[serde(flatten)]
    pub restored: RestoredSheet,
    /// Where it was restored.
    pub target: RestoreTarget,
}

/// The restore form as the page sends it.
pub struct RestoreForm<'a> {
    /// Into a new folder, or in place of the app's vault.
    pub target: RestoreTarget,
    /// The new folder, for [`RestoreTarget::OtherFolder`].
    pub folder: Option<&'a str>,
    /// "I understand" that the app's vault is set aside.
    pub replace_confirmed: bool,
    /// The app's vault's passphrase or recovery code, proving it is the practitioner's.
    pub current: Option<&'a SecretArg>,
    /// The restored vault's new passphrase, and its confirmation.
    pub passphrase: &'a SecretArg,
    /// The confirmation of [`RestoreForm::passphrase`].
    pub confirmation: &'a SecretArg,
    /// The practitioner knows where a backup this practice did not sign came from.
    pub allow_unsigned: bool,
}

/// Restores the checked backup as `form` asks. Over the app's vault, the app is locked by
/// then, and the sheet is kept for the page shown afresh (until that vault is first
/// unlocked).
pub fn restore(session: &AppSession, form: RestoreForm<'_>) -> Result<RestoreDone, AppError> {
    let words = passphrases::own_words(session);
    let new = new_passphrase(form.passphrase.expose(), form.confirmation.expose(), &words)?;
    let done = backups::restore(
        session,
        form.target,
        form.folder.map(|f| PathBuf::from(f.trim())),
        form.replace_confirmed,
        form.current.map(SecretArg::expose),
        &new,
        Trust::from_flag(form.allow_unsigned),
    )?;
    let restored = RestoredSheet {
        sheet: done.sheet,
        vault_dir: done.vault_dir.display().to_string(),
        previous_vault_kept_at: done.previous_kept_at.map(|p| p.display().to_string()),
    };
    if form.target == RestoreTarget::AppVault {
        session.keep_restored_sheet(restored.clone());
    }
    Ok(RestoreDone {
        restored,
        target: form.target,
    })
}
