//! Commands for backups: the backups screen, "Back up now", the native folder and file
//! pickers, and restoring (open and check, restore, progress).
//!
//! The pickers are the dialog plugin's, called from Rust: the page gets the chosen path, never
//! the plugin's own commands (the capability grants none of them).

use std::path::PathBuf;

use tauri::{Runtime, State, Window};
use tauri_plugin_dialog::Dialog;

use super::{reply, CommandResult, SecretArg};
use crate::error::{AppError, IpcError};
use crate::restoring::RestoreProgress;
use crate::service::backups::{
    self, BackedUp, BackupOverview, BackupSettingsForm, FolderPurpose, Inspected, RestoreTarget,
    SavedCopy, SecretKind,
};
use crate::service::passphrases::{self, new_passphrase};
use crate::session::{AppSession, RestoredSheet};

/// The backups screen: settings, the folder's backups, the last failure.
#[tauri::command(rename_all = "snake_case")]
pub async fn backup_overview(session: State<'_, AppSession>) -> CommandResult<BackupOverview> {
    let alert = session.backup_alert();
    reply(session.with_practice(|p| Ok(backups::overview(p, alert))))
}

/// Stores the backup key and signing key from the recovery code (it must open this vault);
/// returns the screen again.
#[tauri::command(rename_all = "snake_case")]
pub async fn store_backup_key(
    session: State<'_, AppSession>,
    code: SecretArg,
) -> CommandResult<BackupOverview> {
    let alert = session.backup_alert();
    reply(session.with_practice(|p| {
        backups::store_backup_key(&session, p, code.expose())?;
        Ok(backups::overview(p, alert))
    }))
}

/// Saves the backup settings; returns the screen again.
#[tauri::command(rename_all = "snake_case")]
pub async fn save_backup_settings(
    session: State<'_, AppSession>,
    settings: BackupSettingsForm,
) -> CommandResult<BackupOverview> {
    let alert = session.backup_alert();
    reply(session.with_practice(|p| {
        backups::save_settings(p, settings)?;
        Ok(backups::overview(p, alert))
    }))
}

/// Backs up into the backup folder now.
#[tauri::command(rename_all = "snake_case")]
pub async fn back_up_now(session: State<'_, AppSession>) -> CommandResult<BackedUp> {
    reply(backups::back_up_now(&session))
}

/// Saves a copy of the practice into `folder`, protected by a new passphrase of its own.
#[tauri::command(rename_all = "snake_case")]
pub async fn save_protected_copy(
    session: State<'_, AppSession>,
    folder: String,
    passphrase: SecretArg,
    confirmation: SecretArg,
) -> CommandResult<SavedCopy> {
    reply((|| {
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
    })())
}

/// Opens the native folder picker for `purpose`.
#[tauri::command(rename_all = "snake_case")]
pub async fn choose_folder<R: Runtime>(
    window: Window<R>,
    purpose: FolderPurpose,
) -> CommandResult<Option<String>> {
    let picker = dialog(&window)?
        .file()
        .set_title(purpose.title())
        .set_parent(&window);
    Ok(picker.blocking_pick_folder().and_then(path_text))
}

/// Opens the native file picker for a backup file.
#[tauri::command(rename_all = "snake_case")]
pub async fn choose_backup_file<R: Runtime>(window: Window<R>) -> CommandResult<Option<String>> {
    let picker = dialog(&window)?
        .file()
        .set_title("Choose a Holdspace backup")
        .add_filter("Holdspace backups", &["age"])
        .set_parent(&window);
    Ok(picker.blocking_pick_file().and_then(path_text))
}

/// Opens and fully checks a backup, keeping it for `restore_backup`; `as_found` keeps an
/// intact backup whose records break a rule, listing its problems.
#[tauri::command(rename_all = "snake_case")]
pub async fn inspect_backup(
    session: State<'_, AppSession>,
    path: String,
    secret_kind: SecretKind,
    secret: SecretArg,
    as_found: Option<bool>,
) -> CommandResult<Inspected> {
    reply(backups::inspect(
        &session,
        &PathBuf::from(path),
        secret_kind,
        secret.expose(),
        as_found.unwrap_or(false),
    ))
}

/// What a finished restore shows: the new vault's recovery sheet, once.
#[derive(serde::Serialize)]
pub struct RestoreDone {
    /// The sheet, where the vault is, and where the replaced one was kept.
    #[serde(flatten)]
    restored: RestoredSheet,
    /// Where it was restored.
    target: RestoreTarget,
}

/// Restores the checked backup into a new vault with a new passphrase. Replacing the app's
/// vault needs `replace_confirmed` and `current`: its passphrase or recovery code. A backup
/// this practice did not sign needs `allow_unsigned`: the practitioner knows where it came
/// from.
#[tauri::command(rename_all = "snake_case")]
#[allow(clippy::too_many_arguments)]
pub async fn restore_backup(
    session: State<'_, AppSession>,
    target: RestoreTarget,
    folder: Option<String>,
    replace_confirmed: bool,
    current: Option<SecretArg>,
    passphrase: SecretArg,
    confirmation: SecretArg,
    allow_unsigned: Option<bool>,
) -> CommandResult<RestoreDone> {
    reply((|| {
        let words = passphrases::own_words(&session);
        let new = new_passphrase(passphrase.expose(), confirmation.expose(), &words)?;
        let folder = folder.map(|f| PathBuf::from(f.trim()));
        let current = current.as_ref().map(SecretArg::expose);
        let trust = holdspace::backup::Trust::from_flag(allow_unsigned.unwrap_or(false));
        let done = backups::restore(
            &session,
            target,
            folder,
            replace_confirmed,
            current,
            &new,
            trust,
        )?;
        let restored = RestoredSheet {
            sheet: done.sheet,
            vault_dir: done.vault_dir.display().to_string(),
            previous_vault_kept_at: done.previous_kept_at.map(|p| p.display().to_string()),
        };
        if target == RestoreTarget::AppVault {
            // The app is locked now; the page will be shown afresh and ask for the sheet.
            session.keep_restored_sheet(restored.clone());
        }
        Ok(RestoreDone { restored, target })
    })())
}

/// The recovery sheet of the vault just restored over the app's own, while the app is locked
/// and until that vault is first unlocked; `null` otherwise.
#[tauri::command(rename_all = "snake_case")]
pub async fn restored_sheet(
    session: State<'_, AppSession>,
) -> CommandResult<Option<RestoredSheet>> {
    Ok(session.restored_sheet())
}

/// How far opening or restoring a backup has got.
#[tauri::command(rename_all = "snake_case")]
pub async fn restore_progress(session: State<'_, AppSession>) -> CommandResult<RestoreProgress> {
    Ok(session.restoring.progress())
}

/// The dialog plugin, or a clear error when it is not set up (the mock runtime in tests).
fn dialog<R: Runtime>(window: &Window<R>) -> Result<Dialog<R>, IpcError> {
    use tauri::Manager;
    window
        .try_state::<Dialog<R>>()
        .map(|d| d.inner().clone())
        .ok_or_else(IpcError::picker_failed)
}

/// The picked path as text (paths that are not valid Unicode are refused as cancelled).
fn path_text(picked: tauri_plugin_dialog::FilePath) -> Option<String> {
    picked
        .into_path()
        .ok()
        .and_then(|p| p.to_str().map(str::to_owned))
}
