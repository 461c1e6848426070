//! Commands for backups: the backups screen, "Back up now", the system's folder and file
//! choosers (through [`WindowHost`]), and restoring (open and check, restore, progress).

use tauri::{Runtime, State, Window};

use super::{reply, CommandResult, SecretArg};
use crate::host::WindowHost;
use crate::progress::Progress;
use crate::service::backup_page::{self, RestoreDone, RestoreForm};
use crate::service::backups::{
    self, BackedUp, BackupOverview, BackupSettingsForm, FolderPurpose, Inspected, RestoreTarget,
    SavedCopy, SecretKind,
};
use crate::session::{AppSession, RestoredSheet};

/// The backups screen: settings, the folder's backups, the last failure.
#[tauri::command(rename_all = "snake_case")]
pub async fn backup_overview(session: State<'_, AppSession>) -> CommandResult<BackupOverview> {
    reply(backup_page::overview(&session))
}

/// Stores the backup key and signing key from the recovery code (it must open this vault);
/// returns the screen again.
#[tauri::command(rename_all = "snake_case")]
pub async fn store_backup_key(
    session: State<'_, AppSession>,
    code: SecretArg,
) -> CommandResult<BackupOverview> {
    reply(backup_page::store_backup_key(&session, &code))
}

/// Saves the backup settings; returns the screen again.
#[tauri::command(rename_all = "snake_case")]
pub async fn save_backup_settings(
    session: State<'_, AppSession>,
    settings: BackupSettingsForm,
) -> CommandResult<BackupOverview> {
    reply(backup_page::save_settings(&session, settings))
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
    reply(backup_page::save_protected_copy(
        &session,
        &folder,
        &passphrase,
        &confirmation,
    ))
}

/// Opens the native folder picker for `purpose`.
#[tauri::command(rename_all = "snake_case")]
pub async fn choose_folder<R: Runtime>(
    window: Window<R>,
    purpose: FolderPurpose,
) -> CommandResult<Option<String>> {
    reply(backup_page::choose_folder(&WindowHost(window), purpose))
}

/// Opens the native file picker for a backup file.
#[tauri::command(rename_all = "snake_case")]
pub async fn choose_backup_file<R: Runtime>(window: Window<R>) -> CommandResult<Option<String>> {
    reply(backup_page::choose_backup_file(&WindowHost(window)))
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
        std::path::Path::new(&path),
        secret_kind,
        secret.expose(),
        as_found.unwrap_or(false),
    ))
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
    let form = RestoreForm {
        target,
        folder: folder.as_deref(),
        replace_confirmed,
        current: current.as_ref(),
        passphrase: &passphrase,
        confirmation: &confirmation,
        allow_unsigned: allow_unsigned.unwrap_or(false),
    };
    reply(backup_page::restore(&session, form))
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
pub async fn restore_progress(session: State<'_, AppSession>) -> CommandResult<Progress> {
    Ok(session.restoring.progress())
}
