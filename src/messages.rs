//! The one-line messages the CLI prints for each failure, in words a practitioner (or a script
//! author) can act on. The core's own messages are terse; these add what to do next.

use holdspace::backup::BackupError;
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
        // The same sentence and advice as the app, one line.
        VaultError::TooWeak(weak) => format!("{} Nothing was changed.", weak.message()),
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
        VaultError::ErasureNeedsPassphrase => "the records were removed, but erasing them from the vault's files needs the passphrase (the vault was opened with the recovery code); they are erased at the next lock after an unlock with the passphrase".into(),
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

/// The message for a backup error.
pub fn for_backup_error(err: &BackupError) -> String {
    match err {
        BackupError::WrongPassphrase => {
            "the passphrase is not correct for this backup (check Caps Lock and the keyboard layout); nothing was changed".into()
        }
        BackupError::WrongKey => {
            "this recovery code does not open this backup (it belongs to another vault, or the backup was made before the vault got a new recovery code — try the older recovery sheet); nothing was changed".into()
        }
        BackupError::NeedsPassphrase => {
            "this backup is protected by its own passphrase: leave out --recovery-code-stdin and give that passphrase; nothing was changed".into()
        }
        BackupError::NeedsRecoveryCode => {
            "this backup is protected by the vault's backup key: add --recovery-code-stdin and give the recovery code; nothing was changed".into()
        }
        BackupError::NotABackup => "the file is not a Holdspace backup; nothing was changed".into(),
        BackupError::Truncated => {
            "the backup file is incomplete (cut short, e.g. by an interrupted copy); use another backup — nothing was changed".into()
        }
        BackupError::Damaged => {
            "the backup file is damaged or has been altered; do not trust it — use another backup; nothing was changed".into()
        }
        BackupError::ChecksumMismatch | BackupError::ManifestMismatch => {
            "the practice inside the backup does not match its manifest (damaged or altered); use another backup — nothing was changed".into()
        }
        BackupError::InvalidPractice(invalid) => format!(
            "the practice inside the backup is not valid ({invalid}); nothing was changed"
        ),
        BackupError::Inconsistent(invalid) => format!(
            "the backup file is intact, but its records break a rule ({invalid}); it was made by an older Holdspace or edited — nothing was changed; `restore --as-found` restores it as it is and lists every problem"
        ),
        BackupError::WouldNotRestore(invalid) => format!(
            "no backup was made: the practice has records that break a rule ({invalid}), so a backup of it could not be restored; fix that record, then back up again — no old backup was removed"
        ),
        BackupError::NotVouchedFor(authenticity) => format!(
            "this backup is {}; nothing was changed — if you know where it came from, restore it with --allow-unsigned",
            authenticity.describe()
        ),
        BackupError::ExcessiveWork { required } => format!(
            "the backup asks for far more key-derivation work (2^{required}) than this computer allows; nothing was changed"
        ),
        BackupError::UnsupportedVersion { found } => format!(
            "the backup was made by a newer Holdspace (backup format {found}); update Holdspace to open it"
        ),
        BackupError::NoBackupKey => {
            "this vault has no backup key yet (it was created before backups existed): run `holdspace-cli --vault DIR set-backup-key` with the recovery code, or use --passphrase-stdin".into()
        }
        BackupError::FileExists { path } => format!(
            "{} already exists; a backup never overwrites a file — choose a new name",
            path.display()
        ),
        BackupError::TargetNotEmpty { path } => format!(
            "{} is not empty; restore into a new or empty folder (an existing vault is never replaced)",
            path.display()
        ),
        BackupError::NoBackupFolder => {
            "no backup folder is chosen: run `holdspace-cli --vault DIR backup-settings --folder FOLDER`".into()
        }
        BackupError::FolderUnavailable { path } => format!(
            "the backup folder {} is not there (is the drive connected?); no backup was made and the vault is unchanged",
            path.display()
        ),
        BackupError::FolderFull { path } => format!(
            "the backup folder {} is full; free some space there or choose another folder — no backup was made and the vault is unchanged",
            path.display()
        ),
        BackupError::FolderReadOnly { path } => format!(
            "the backup folder {} cannot be written to (a read-only drive, or no permission); no backup was made and the vault is unchanged",
            path.display()
        ),
        BackupError::InvalidSettings(invalid) => format!("{invalid}; nothing was changed"),
        BackupError::Vault(e) => for_vault_error(e),
        BackupError::Practice(e) => for_practice_error(e),
        other => other.to_string(),
    }
}
