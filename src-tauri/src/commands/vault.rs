//! Commands about the vault and the session: status, create, unlock, recover, lock, activity,
//! passphrase changes, key rotation and export.

use holdspace::strength::{own_words, Strength};
use holdspace::RecoveryCode;
use tauri::{Runtime, State};

use super::{reply, CommandResult, SecretArg};
use crate::service::passphrases::{self, new_passphrase};
use crate::service::settings::{self, Exported};
use crate::session::{AppSession, AppStatus, RecoverySheet, RotationStatus};

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
    let none_yet = own_words("", "");
    reply(
        new_passphrase(passphrase.expose(), confirmation.expose(), &none_yet)
            .and_then(|p| session.create(&p)),
    )
}

/// Unlocks with the passphrase.
#[tauri::command(rename_all = "snake_case")]
pub async fn unlock(session: State<'_, AppSession>, passphrase: SecretArg) -> CommandResult<()> {
    reply(passphrase.passphrase().and_then(|p| session.unlock(&p)))
}

/// Unlocks with the recovery code and sets a new passphrase.
#[tauri::command(rename_all = "snake_case")]
pub async fn recover(
    session: State<'_, AppSession>,
    code: SecretArg,
    passphrase: SecretArg,
    confirmation: SecretArg,
) -> CommandResult<()> {
    reply((|| {
        let code = RecoveryCode::parse(code.expose())?;
        let base = own_words("", "");
        let new = new_passphrase(passphrase.expose(), confirmation.expose(), &base)?;
        session.recover(&code, &new)
    })())
}

/// Makes a new recovery code after checking the passphrase ("I lost my recovery sheet"); the
/// old code stops opening the vault. Returns the new sheet, shown once.
#[tauri::command(rename_all = "snake_case")]
pub async fn new_recovery_code(
    session: State<'_, AppSession>,
    passphrase: SecretArg,
) -> CommandResult<RecoverySheet> {
    reply((|| {
        let passphrase = passphrase.passphrase()?;
        session.with_practice(|p| Ok(RecoverySheet::of(&p.new_recovery_code(&passphrase)?)))
    })())
}

/// Locks the vault, then shows the page afresh in a new web content process (see
/// `web_process`), whether or not the lock could be recorded.
#[tauri::command(rename_all = "snake_case")]
pub async fn lock<R: Runtime>(
    app: tauri::AppHandle<R>,
    session: State<'_, AppSession>,
) -> CommandResult<()> {
    // A failed automatic backup does not stop the lock; the unlock screen shows it.
    let locked = session.lock().map(|_backup_failed| ());
    crate::web_process::show_afresh(&app);
    reply(locked)
}

/// Shows the page afresh in a new web content process: what the page asks for after a
/// restore has locked the app, before the restored vault is unlocked.
#[tauri::command(rename_all = "snake_case")]
pub async fn show_afresh<R: Runtime>(app: tauri::AppHandle<R>) -> CommandResult<()> {
    crate::web_process::show_afresh(&app);
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
    reply(session.with_practice(|p| {
        let current = current.passphrase()?;
        let new = new_passphrase(passphrase.expose(), confirmation.expose(), &p.own_words())?;
        Ok(p.change_passphrase(&current, &new)?)
    }))
}

/// Re-encrypts every record under a new data key (progress: `rotation_progress`).
#[tauri::command(rename_all = "snake_case")]
pub async fn rotate_key(
    session: State<'_, AppSession>,
    passphrase: SecretArg,
) -> CommandResult<()> {
    reply(passphrase.passphrase().and_then(|p| session.rotate(&p)))
}

/// How far a running rotation has got.
#[tauri::command(rename_all = "snake_case")]
pub async fn rotation_progress(session: State<'_, AppSession>) -> CommandResult<RotationStatus> {
    Ok(session.rotation_status())
}

/// Exports the practice as open JSON into `folder` (the Documents folder when empty).
#[tauri::command(rename_all = "snake_case")]
pub async fn export_practice(
    session: State<'_, AppSession>,
    folder: Option<String>,
) -> CommandResult<Exported> {
    let folder = folder
        .filter(|f| !f.trim().is_empty())
        .map_or_else(settings::default_export_dir, |f| f.trim().into());
    reply(session.with_practice(|p| settings::export_practice(p, &folder)))
}
