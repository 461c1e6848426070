//! The vault and the session, as the page asks for them: create, unlock, recover, lock,
//! passphrase changes, a new recovery code, key rotation and export.
//!
//! Policy: every new passphrase goes through `passphrases::new_passphrase` (its confirmation,
//! then the core's one rule with the practice's own words); every lock shows the page afresh
//! through the [`Host`], whether or not the lock could be recorded, so nothing the page
//! showed outlives it.

use std::path::PathBuf;

use holdspace::strength::own_words;
use holdspace::RecoveryCode;

use super::passphrases::new_passphrase;
use super::settings::{self, Exported};
use crate::error::AppError;
use crate::host::Host;
use crate::ipc::SecretArg;
use crate::session::{AppSession, RecoverySheet};

/// Creates the vault and unlocks it; the recovery sheet's secrets, to show once. A new vault
/// has no words of its own yet, so only the rule's own apply.
pub fn create(
    session: &AppSession,
    passphrase: &SecretArg,
    confirmation: &SecretArg,
) -> Result<RecoverySheet, AppError> {
    let none_yet = own_words("", "");
    let passphrase = new_passphrase(passphrase.expose(), confirmation.expose(), &none_yet)?;
    session.create(&passphrase)
}

/// Unlocks with the passphrase.
pub fn unlock(session: &AppSession, passphrase: &SecretArg) -> Result<(), AppError> {
    session.unlock(&passphrase.passphrase()?)
}

/// Unlocks with the recovery code and sets a new passphrase.
pub fn recover(
    session: &AppSession,
    code: &SecretArg,
    passphrase: &SecretArg,
    confirmation: &SecretArg,
) -> Result<(), AppError> {
    let code = RecoveryCode::parse(code.expose())?;
    let none_known = own_words("", "");
    let new = new_passphrase(passphrase.expose(), confirmation.expose(), &none_known)?;
    session.recover(&code, &new)
}

/// A new recovery code after checking the passphrase ("I lost my recovery sheet"); the old
/// code stops opening the vault. The new sheet, to show once.
pub fn new_recovery_code(
    session: &AppSession,
    passphrase: &SecretArg,
) -> Result<RecoverySheet, AppError> {
    let passphrase = passphrase.passphrase()?;
    session.with_practice(|p| {
        let code = holdspace::backup::new_recovery_code(p, &passphrase)?;
        Ok(RecoverySheet::of(&code))
    })
}

/// Changes the passphrase after checking the current one; the new one may not lean on the
/// practice's own words.
pub fn change_passphrase(
    session: &AppSession,
    current: &SecretArg,
    passphrase: &SecretArg,
    confirmation: &SecretArg,
) -> Result<(), AppError> {
    session.with_practice(|p| {
        let current = current.passphrase()?;
        let new = new_passphrase(passphrase.expose(), confirmation.expose(), &p.own_words())?;
        Ok(p.change_passphrase(&current, &new)?)
    })
}

/// Re-encrypts every record under a new data key (its progress: the session's rotation
/// status).
pub fn rotate_key(session: &AppSession, passphrase: &SecretArg) -> Result<(), AppError> {
    session.rotate(&passphrase.passphrase()?)
}

/// Locks the vault, then shows the page afresh, whether or not the lock could be recorded.
/// A failed automatic backup does not stop the lock; the unlock screen shows it.
pub fn lock(session: &AppSession, host: &dyn Host) -> Result<(), AppError> {
    let locked = session.lock().map(|_backup_failed| ());
    host.show_afresh();
    locked
}

/// Exports the practice as open JSON into `folder`, or the Documents folder when none is
/// given.
pub fn export_practice(session: &AppSession, folder: Option<&str>) -> Result<Exported, AppError> {
    let folder = folder
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .map_or_else(settings::default_export_dir, PathBuf::from);
    session.with_practice(|p| settings::export_practice(p, &folder))
}
