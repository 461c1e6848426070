//! Commands about the vault and the session: status, create, unlock, recover, lock, activity,
//! passphrase changes, key rotation and export.

use holdspace::strength::Strength;
use tauri::{Runtime, State, Window};

use super::{reply, CommandResult, SecretArg};
use crate::host::WindowHost;
use crate::progress::Progress;
use crate::service::passphrases;
use crate::service::settings::Exported;
use crate::service::vault;
use crate::session::{AppSession, AppStatus, RecoverySheet};

/// What the first screen needs: is there a vault, is it unlocked, is it open elsewhere.
#[tauri::command(rename_all = "snake_case")]
pub async fn app_status(session: State<'_, AppSession>) -> CommandResult<AppStatus> {
    Ok(session.status())
}

/// How strong a proposed passphrase is (for the meter; nothing is kept).
#[tauri::command(rename_all = "snake_case")]
pub async fn passphrase_strength(
    session: State<'_, AppSession>,
    passphrase: SecretArg,
) -> CommandResult<Strength> {
    Ok(passphrases::strength_of(&session, passphrase.expose()))
}

/// Creates the vault and unlocks it; returns the recovery sheet's secrets to show once:
/// `{recovery_code, backup_identity}`.
#[tauri::command(rename_all = "snake_case")]
pub async fn create_vault(
    session: State<'_, AppSession>,
    passphrase: SecretArg,
    confirmation: SecretArg,
) -> CommandResult<RecoverySheet> {
    reply(vault::create(&session, &passphrase, &confirmation))
}

/// Unlocks with the passphrase.
#[tauri::command(rename_all = "snake_case")]
pub async fn unlock(session: State<'_, AppSession>, passphrase: SecretArg) -> CommandResult<()> {
    reply(vault::unlock(&session, &passphrase))
}

/// Unlocks with the recovery code and sets a new passphrase.
#[tauri::command(rename_all = "snake_case")]
pub async fn recover(
    session: State<'_, AppSession>,
    code: SecretArg,
    passphrase: SecretArg,
    confirmation: SecretArg,
) -> CommandResult<()> {
    reply(vault::recover(&session, &code, &passphrase, &confirmation))
}

/// Makes a new recovery code after checking the passphrase ("I lost my recovery sheet"); the
/// old code stops opening the vault. Returns the new sheet, shown once.
#[tauri::command(rename_all = "snake_case")]
pub async fn new_recovery_code(
    session: State<'_, AppSession>,
    passphrase: SecretArg,
) -> CommandResult<RecoverySheet> {
    reply(vault::new_recovery_code(&session, &passphrase))
}

/// Locks the vault, then shows the page afresh in a new web content process (see
/// `web_process`), whether or not the lock could be recorded.
#[tauri::command(rename_all = "snake_case")]
pub async fn lock<R: Runtime>(
    window: Window<R>,
    session: State<'_, AppSession>,
) -> CommandResult<()> {
    reply(vault::lock(&session, &WindowHost(window)))
}

/// Shows the page afresh in a new web content process: what the page asks for after a
/// restore has locked the app, before the restored vault is unlocked.
#[tauri::command(rename_all = "snake_case")]
pub async fn show_afresh<R: Runtime>(window: Window<R>) -> CommandResult<()> {
    holdspace_shell::host::Host::show_afresh(&WindowHost(window));
    Ok(())
}

/// Forgets the notice about wrong secrets typed at the locked app before this unlock.
#[tauri::command(rename_all = "snake_case")]
pub async fn dismiss_unlock_notice(session: State<'_, AppSession>) -> CommandResult<()> {
    session.dismiss_unlock_notice();
    Ok(())
}

/// The practitioner has read what the history check found and accepts the vault as it is:
/// recorded in the audit trail; the banner goes. Returns the verdict afterwards.
#[tauri::command(rename_all = "snake_case")]
pub async fn accept_history(
    session: State<'_, AppSession>,
) -> CommandResult<holdspace::practice::HistoryVerdict> {
    reply(session.with_practice(|p| Ok(p.accept_history()?)))
}

/// Notes activity, postponing auto-lock. The page also calls it once its first screen has
/// painted, which `make bench` uses to time start-up (`HOLDSPACE_REPORT_STARTUP=1`).
#[tauri::command(rename_all = "snake_case")]
pub async fn touch(session: State<'_, AppSession>) -> CommandResult<()> {
    session.touch();
    crate::startup::report_first_paint();
    Ok(())
}

/// Changes the passphrase after checking the current one.
#[tauri::command(rename_all = "snake_case")]
pub async fn change_passphrase(
    session: State<'_, AppSession>,
    current: SecretArg,
    passphrase: SecretArg,
    confirmation: SecretArg,
) -> CommandResult<()> {
    reply(vault::change_passphrase(
        &session,
        &current,
        &passphrase,
        &confirmation,
    ))
}

/// Re-encrypts every record under a new data key (progress: `rotation_progress`).
#[tauri::command(rename_all = "snake_case")]
pub async fn rotate_key(
    session: State<'_, AppSession>,
    passphrase: SecretArg,
) -> CommandResult<()> {
    reply(vault::rotate_key(&session, &passphrase))
}

/// How far a running rotation has got.
#[tauri::command(rename_all = "snake_case")]
pub async fn rotation_progress(session: State<'_, AppSession>) -> CommandResult<Progress> {
    Ok(session.rewrite_progress())
}

/// Exports the practice as open JSON into `folder` (the Documents folder when empty).
#[tauri::command(rename_all = "snake_case")]
pub async fn export_practice(
    session: State<'_, AppSession>,
    folder: Option<String>,
) -> CommandResult<Exported> {
    reply(vault::export_practice(&session, folder.as_deref()))
}
