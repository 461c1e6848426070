//! The one-line messages the CLI prints for each failure, in words a practitioner (or a script
//! author) can act on. The core's own messages are terse; these add what to do next.

use holdspace::practice::PracticeError;
use holdspace::VaultError;

/// The message for a core error.
pub fn for_vault_error(err: &VaultError) -> String {
    match err {
        VaultError::WrongPassphrase => {
            "the passphrase is not correct (check Caps Lock and the keyboard layout); nothing was changed".into()
        }
        VaultError::WrongRecoveryCode => {
            "that recovery code does not belong to this vault; nothing was changed".into()
        }
        VaultError::MalformedRecoveryCode { reason } => {
            format!("that is not a valid recovery code: {reason}")
        }
        VaultError::EmptyPassphrase => "the passphrase must not be empty".into(),
        VaultError::HeaderDamaged => {
            "the vault header (vault.hdr) is damaged; restore it from a backup".into()
        }
        VaultError::HeaderTampered => {
            "the vault header (vault.hdr) has been altered by someone or something other than Holdspace; do not trust this copy — restore from a backup".into()
        }
        VaultError::AlreadyOpen => {
            "the vault is already open in Holdspace or another holdspace-cli; close it and try again".into()
        }
        VaultError::NotAVault { path } => format!(
            "{} does not hold a Holdspace vault (run `holdspace-cli --vault DIR init` to create one)",
            path.display()
        ),
        VaultError::AlreadyExists { path } => {
            format!("{} already holds a vault; nothing was changed", path.display())
        }
        VaultError::FolderNotEmpty { path } => format!(
            "{} already holds other files; choose an empty or new folder for the vault",
            path.display()
        ),
        VaultError::RecordsMissing { path } => format!(
            "the vault's records are missing ({} does not exist); restore the folder from a backup",
            path.display()
        ),
        VaultError::UnsupportedVersion { found } => format!(
            "the vault was written by a newer Holdspace (format {found}); update Holdspace to open it"
        ),
        VaultError::DiskFull => "the disk is full; free some space and try again — nothing was saved".into(),
        other => other.to_string(),
    }
}

/// The message for a practice error.
pub fn for_practice_error(err: &PracticeError) -> String {
    match err {
        PracticeError::Vault(e) => for_vault_error(e),
        PracticeError::Invalid(invalid) if invalid.field.is_empty() => {
            format!("{}; nothing was changed", invalid.reason)
        }
        PracticeError::Invalid(invalid) => {
            format!("{}: {}; nothing was changed", invalid.field, invalid.reason)
        }
        other => format!("{other}; nothing was changed"),
    }
}
