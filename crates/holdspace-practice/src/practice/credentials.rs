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
        self.record(AuditAction::PassphraseChanged, PASSPHRASE_CHANGED)
    }

    /// Makes a new recovery code ("I lost my recovery sheet") after checking the passphrase:
    /// the old code stops opening the vault. `keep` then records what the new code means for
    /// the practice (the backups module stores the code's backup key, with its audit event, in
    /// one batch: `backup::new_recovery_code`). If `keep` fails, the old header is put back,
    /// so the old code still opens the vault and nothing changed. Returns the new code, to
    /// show once.
    pub fn replace_recovery_code(
        &mut self,
        passphrase: &Passphrase,
        keep: impl FnOnce(&mut Self, &RecoveryCode) -> PracticeResult<()>,
    ) -> PracticeResult<RecoveryCode> {
        let (code, previous) = self.vault.replace_recovery_code(passphrase)?;
        if let Err(e) = keep(self, &code) {
            self.vault.restore_header(previous)?;
            return Err(e);
        }
        Ok(code)
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
    practice.record(AuditAction::PassphraseRecovered, PASSPHRASE_RECOVERED)?;
    Ok(practice)
}
