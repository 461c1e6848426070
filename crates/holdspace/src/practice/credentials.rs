//! Changing the vault's passphrase from the practice: with the current passphrase, or with the
//! recovery code; and making a new recovery code. Both weigh the new passphrase against the one passphrase rule with the
//! practice's own names ([`Practice::own_words`]) and record the change in the audit trail.
//!
//! Policy: the rule is checked before any key work and nothing changes when it fails; a
//! recovery that is refused locks the vault again. The audit says what happened, never the
//! passphrase.

use std::path::Path;

use super::model::AuditAction;
use super::unlocked::{Practice, PracticeResult};
use crate::strength::check_new_passphrase;
use crate::{KdfPolicy, Passphrase, RecoveryCode, Vault, VaultError};

/// The audit detail of a passphrase change.
pub const PASSPHRASE_CHANGED: &str = "passphrase changed";
/// The audit detail of a new passphrase set with the recovery code.
pub const PASSPHRASE_RECOVERED: &str = "new passphrase set with the recovery code";
/// The audit detail of a new recovery code.
pub const RECOVERY_CODE_REPLACED: &str = "a new recovery code was made: the old one no longer opens the vault, and new backups need the new one (backups made before still open with the old code)";

impl Practice {
    /// Replaces the passphrase after checking the current one; the new one must meet the rule
    /// with this practice's own names. Audited.
    pub fn change_passphrase(
        &mut self,
        current: &Passphrase,
        new: &Passphrase,
    ) -> PracticeResult<()> {
        check_new_passphrase(new, &self.own_words()).map_err(VaultError::from)?;
        self.vault.change_passphrase(current, new)?;
        self.record(AuditAction::Changed, PASSPHRASE_CHANGED)
    }

    /// Makes a new recovery code ("I lost my recovery sheet") after checking the passphrase:
    /// the old code stops opening the vault, and the backup key and signing key become the
    /// new code's, recorded with the audit event in one batch. If that batch fails, the old
    /// header is put back, so the old code still opens the vault and nothing changed.
    /// Returns the new code, to show once.
    pub fn new_recovery_code(&mut self, passphrase: &Passphrase) -> PracticeResult<RecoveryCode> {
        let (code, previous) = self.vault.replace_recovery_code(passphrase)?;
        let identity = crate::backup::BackupIdentity::from_recovery_code(&code);
        let stored = self.store_new_backup_key(&identity);
        if let Err(e) = stored {
            self.vault.restore_header(previous)?;
            return Err(e);
        }
        Ok(code)
    }

    /// Stores the backup key of a new recovery code with its audit event.
    fn store_new_backup_key(
        &mut self,
        identity: &crate::backup::BackupIdentity,
    ) -> PracticeResult<()> {
        let mut settings = self.backup_settings().cloned().unwrap_or_default();
        settings.recipient = identity.recipient().to_string();
        settings.signing_key = super::model::SecretText::new(identity.signing_key().to_hex());
        let action = if self.backup_settings().is_some() {
            AuditAction::Changed
        } else {
            AuditAction::Created
        };
        self.put_backup_settings(settings, action, RECOVERY_CODE_REPLACED)
    }
}

/// Opens the vault in `dir` with the recovery code and sets `new` as its passphrase, once the
/// practice is decoded and the new passphrase meets the rule with its own names; returns the
/// unlocked practice. Refused, the vault is locked again and keeps its passphrase. Audited.
pub fn recover(
    dir: &Path,
    code: &RecoveryCode,
    new: &Passphrase,
    policy: KdfPolicy,
) -> PracticeResult<Practice> {
    let vault = Vault::open_with_recovery_code(dir, code, policy)?;
    let mut practice = Practice::unlock(vault)?;
    let own_words = practice.own_words();
    if let Err(refused) = practice
        .vault
        .set_passphrase_after_recovery(new, &own_words)
    {
        practice.lock()?;
        return Err(refused.into());
    }
    practice.record(AuditAction::Changed, PASSPHRASE_RECOVERED)?;
    Ok(practice)
}
