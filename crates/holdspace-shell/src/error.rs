//! The one error the UI ever sees: `{code, message, field?}` with a fixed sentence a
//! practitioner can act on, made from the core's typed errors.
//!
//! Policy: `message` is never raw internal text (no paths, no OS errors, no debug output) —
//! with one exception: a validation failure carries the core's plain-words reason and the
//! field it belongs to, so the form can show it beside that field. Codes are stable; the UI
//! and the tests match on them.

use holdspace::backup::BackupError;
use holdspace::practice::{BackupFailureKind, PracticeError};
use holdspace::VaultError;
use serde::Serialize;

/// What went wrong in the shell, before it becomes an [`IpcError`].
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A practice command arrived while the vault is locked.
    #[error("the vault is locked")]
    Locked,
    /// The vault is already unlocked (create or unlock twice).
    #[error("the vault is already unlocked")]
    AlreadyUnlocked,
    /// There is no vault yet where the app looks.
    #[error("no vault here yet")]
    NoVault,
    /// A new passphrase and its confirmation differ.
    #[error("the passphrases differ")]
    ConfirmationMismatch,
    /// A key rotation is running.
    #[error("a rotation is running")]
    Busy,
    /// An export file is already there.
    #[error("the export file exists")]
    FileExists,
    /// Writing an export failed.
    #[error("could not write the export")]
    ExportFailed,
    /// A command other than client mode's own arrived while client mode is active.
    #[error("not available in client mode")]
    ClientMode,
    /// A try to leave client mode during the wait that wrong passphrases earned; nothing was
    /// checked.
    #[error("leaving client mode must wait")]
    ClientExitWaiting {
        /// Seconds until a passphrase is checked again.
        seconds: u64,
    },
    /// A try at the locked app's secret during the wait that wrong ones earned; nothing was
    /// checked.
    #[error("too many wrong tries; wait")]
    TooManyTries {
        /// Seconds until a secret is checked again.
        seconds: u64,
    },
    /// A client-mode command arrived when client mode is not active.
    #[error("client mode is not active")]
    NotInClientMode,
    /// The client has already signed in this visit.
    #[error("already signed")]
    AlreadySigned,
    /// A new vault was made but its backup key could not be stored.
    #[error("the backup key was not stored")]
    BackupKeyNotStored,
    /// A restore was asked for before a backup was opened and checked.
    #[error("no backup has been opened for restoring")]
    NoBackupInspected,
    /// Replacing the current vault was not confirmed.
    #[error("replacing the vault was not confirmed")]
    ReplaceNotConfirmed,
    /// Replacing the app's vault needs its current passphrase or recovery code.
    #[error("the current vault's passphrase or recovery code is needed")]
    CurrentSecretNeeded,
    /// The passphrase or recovery code typed does not open the app's current vault.
    #[error("that does not open the current vault")]
    CurrentSecretWrong,
    /// A folder path from the UI is not usable (empty, or not a full path).
    #[error("the folder is not a full path")]
    FolderNeeded,
    /// The window could not open the system's file or folder chooser.
    #[error("the file chooser could not be opened")]
    PickerFailed,
    /// A backup, restore or backup setting failed.
    #[error(transparent)]
    Backup(#[from] BackupError),
    /// The practice refused or failed.
    #[error(transparent)]
    Practice(#[from] PracticeError),
    /// The vault refused or failed.
    #[error(transparent)]
    Vault(#[from] VaultError),
}

impl AppError {
    /// True when a typed secret was checked and is wrong (what the guessing throttles count).
    pub fn is_wrong_secret(&self) -> bool {
        matches!(
            self,
            Self::CurrentSecretWrong
                | Self::Vault(VaultError::WrongPassphrase | VaultError::WrongRecoveryCode)
                | Self::Practice(PracticeError::Vault(
                    VaultError::WrongPassphrase | VaultError::WrongRecoveryCode
                ))
        )
    }
}

/// A "no such record" error.
pub fn not_found(kind: &'static str, id: impl std::fmt::Display) -> AppError {
    PracticeError::NotFound {
        kind,
        id: id.to_string(),
    }
    .into()
}

impl From<holdspace::practice::Invalid> for AppError {
    fn from(invalid: holdspace::practice::Invalid) -> Self {
        Self::Practice(PracticeError::Invalid(invalid))
    }
}

/// The serialisable error every command returns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IpcError {
    /// Stable machine-readable code, e.g. `wrong_passphrase`, `invalid`, `locked`.
    pub code: &'static str,
    /// A sentence for the practitioner, saying what happened and what to do.
    pub message: String,
    /// For `invalid`: the field at fault, e.g. `legal_name` or `clauses[2].text`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// For a refusal that passes with time (`client_exit_waiting`): seconds until a new try
    /// is checked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after_seconds: Option<u64>,
}

/// The one answer to every command that client mode does not allow.
pub const CLIENT_MODE_MESSAGE: &str =
    "This is not available in client mode. Ask your therapist to end client mode with their passphrase.";

/// What a try to leave client mode during a wait gets: a calm sentence for whoever holds the
/// computer (the practitioner sees the wait beside it).
pub const CLIENT_EXIT_WAITING_MESSAGE: &str = "Please hand the computer back to your therapist.";

impl IpcError {
    /// The system could not open its print dialog.
    pub fn print_failed() -> Self {
        Self::fixed("print_failed", "The print dialog could not be opened. Try again; if it keeps failing, check that a printer or \"Print to File\" is available on this computer.")
    }

    /// The system could not open its file or folder picker.
    pub fn picker_failed() -> Self {
        Self::fixed("picker_failed", "The file chooser could not be opened. Close Holdspace and open it again, then try once more.")
    }

    /// The sentence for a failed automatic backup, for the alert of a failure just now or one
    /// the vault remembers: the same sentence a backup that fails in front of the
    /// practitioner gets.
    pub fn backup_failure(kind: BackupFailureKind) -> Self {
        let (code, message) = backup_failure_text(kind);
        Self::fixed(code, message)
    }

    /// The error every command outside client mode's own gets while client mode is active.
    pub fn client_mode() -> Self {
        Self::fixed("client_mode", CLIENT_MODE_MESSAGE)
    }

    fn fixed(code: &'static str, message: &str) -> Self {
        Self {
            code,
            message: message.to_owned(),
            field: None,
            retry_after_seconds: None,
        }
    }
}

impl From<AppError> for IpcError {
    fn from(error: AppError) -> Self {
        match error {
            AppError::Locked => Self::fixed("locked", "The vault is locked. Unlock it to go on."),
            AppError::AlreadyUnlocked => Self::fixed("already_unlocked", "The vault is already unlocked."),
            AppError::NoVault => Self::fixed("no_vault", "There is no vault here yet. Create one to begin."),
            AppError::ConfirmationMismatch => Self {
                field: Some("confirmation".into()),
                ..Self::fixed("confirmation_mismatch", "The two passphrases don't match. Type the same passphrase in both fields.")
            },
            AppError::Busy => Self::fixed("busy", "Holdspace is re-encrypting the vault. Wait until it has finished, then try again."),
            AppError::FileExists => Self::fixed("file_exists", "A file with that name is already in the folder, and it was left as it was. Try again in a minute, or move that file."),
            AppError::ExportFailed => Self::fixed("export_failed", "The export could not be written to that folder. Check that the folder exists and has space, then try again. Nothing in the vault changed."),
            AppError::ClientMode => Self::fixed("client_mode", CLIENT_MODE_MESSAGE),
            AppError::ClientExitWaiting { seconds } => Self {
                retry_after_seconds: Some(seconds),
                ..Self::fixed("client_exit_waiting", CLIENT_EXIT_WAITING_MESSAGE)
            },
            AppError::TooManyTries { seconds } => Self {
                retry_after_seconds: Some(seconds),
                ..Self::fixed("too_many_tries", "Several wrong tries in a row, so Holdspace waits a little before it checks the next one.")
            },
            AppError::NotInClientMode => Self::fixed("not_in_client_mode", "Client mode has ended. The practitioner can start it again from the group's roster."),
            AppError::AlreadySigned => Self::fixed("already_signed", "You have already signed. Thank you — please hand the computer back to your therapist."),
            AppError::BackupKeyNotStored => Self::fixed("backup_key_not_stored", "Your vault was created, but its backup key could not be saved. Lock and unlock, then run holdspace-cli set-backup-key with your recovery code."),
            AppError::NoBackupInspected => Self::fixed("no_backup_inspected", "Open and check the backup first, then choose where to restore it."),
            AppError::ReplaceNotConfirmed => Self {
                field: Some("replace_confirmed".into()),
                ..Self::fixed("replace_not_confirmed", "Tick the box to confirm that the vault Holdspace uses now will be set aside and replaced by the backup.")
            },
            AppError::CurrentSecretNeeded => Self {
                field: Some("current".into()),
                ..Self::fixed("current_secret_needed", "To replace the vault Holdspace uses now, type its current passphrase or its recovery code. Nothing was changed.")
            },
            AppError::CurrentSecretWrong => Self {
                field: Some("current".into()),
                ..Self::fixed("current_secret_wrong", "That passphrase or recovery code doesn't open the vault Holdspace uses now, so it was not replaced. Nothing was changed.")
            },
            AppError::FolderNeeded => Self {
                field: Some("folder".into()),
                ..Self::fixed("folder_needed", "Choose a folder with \"Choose folder…\".")
            },
            AppError::PickerFailed => Self::picker_failed(),
            AppError::Backup(error) => backup_error(error),
            AppError::Practice(error) => practice_error(error),
            AppError::Vault(error) => vault_error(&error),
        }
    }
}

/// The code and sentence for each way an automatic backup can fail, whether it failed just
/// now or the vault remembers it.
fn backup_failure_text(kind: BackupFailureKind) -> (&'static str, &'static str) {
    match kind {
        BackupFailureKind::NoBackupKey => ("no_backup_key", "This vault has no backup key yet, so backups without a passphrase can't be made. Run holdspace-cli set-backup-key with your recovery code once."),
        BackupFailureKind::NoBackupFolder => ("no_backup_folder", "Choose a backup folder first, ideally on another drive."),
        BackupFailureKind::FolderUnavailable => ("backup_folder_unavailable", "The backup folder isn't there. If it is on an external drive, connect it; or choose another folder. No backup was made; your records are safe in the vault."),
        BackupFailureKind::FolderFull => ("backup_folder_full", "The backup folder's drive is full. Free some space there or choose another folder. No backup was made; your records are safe in the vault."),
        BackupFailureKind::FolderReadOnly => ("backup_folder_read_only", "Holdspace can't write to the backup folder (a read-only drive, or no permission). Choose another folder. No backup was made; your records are safe in the vault."),
        BackupFailureKind::WouldNotRestore => ("backup_would_not_restore", "No backup was made: some records in the practice break a rule, so a backup of them could not be restored. No old backup was removed. Your records are safe in the vault; run holdspace-cli backup-now to see which record."),
        BackupFailureKind::Failed => ("backup_failed", "The backup could not be read or written. Check the drive and try again. Nothing in the vault changed."),
    }
}

/// The fixed sentence for each backup situation (never the folder's path: the UI shows it).
fn backup_error(error: BackupError) -> IpcError {
    let (code, message) = match error {
        BackupError::Vault(error) => return vault_error(&error),
        BackupError::Practice(error) => return practice_error(error),
        BackupError::InvalidSettings(invalid) => return practice_error(PracticeError::Invalid(invalid)),
        BackupError::TargetNotEmpty { .. } => {
            return IpcError {
                field: Some("folder".into()),
                ..IpcError::fixed("folder_not_empty", "That folder already holds files. Restore into a new, empty folder; nothing was changed.")
            }
        }
        BackupError::WrongPassphrase => ("backup_wrong_passphrase", "That passphrase doesn't open this backup. Check Caps Lock and the keyboard layout, then try again."),
        BackupError::WrongKey => ("backup_wrong_key", "This recovery code doesn't open this backup. It may belong to another vault, or the backup was made before the vault got a new recovery code: try the code on your older recovery sheet."),
        BackupError::NeedsPassphrase => ("backup_needs_passphrase", "This backup is protected by a passphrase of its own, not by the recovery code. Choose \"The passphrase I gave this backup\"."),
        BackupError::NeedsRecoveryCode => ("backup_needs_recovery_code", "This backup is protected by the backup key. Choose \"My recovery code\" and type the code from your recovery sheet."),
        BackupError::NotABackup => ("not_a_backup", "This file is not a Holdspace backup (a Holdspace backup is an age-encrypted file). Nothing was changed. Choose another file."),
        BackupError::NotAFile { .. } => return IpcError {
            field: Some("path".into()),
            ..IpcError::fixed("not_a_file", "This is a folder, not a backup file. Choose the backup file itself, whose name ends in .age.")
        },
        BackupError::TargetIsAFile { .. } => return IpcError {
            field: Some("folder".into()),
            ..IpcError::fixed("target_is_a_file", "That path is a file, not a folder. Choose a new or empty folder for the restored vault; nothing was changed.")
        },
        BackupError::Truncated => ("backup_damaged", "This backup file is incomplete, as if a copy was interrupted. Nothing was changed. Choose another backup."),
        BackupError::Inconsistent(_) => ("backup_inconsistent", "This backup file is intact, but some of its records break a rule Holdspace now checks (it was made by an older version, or edited), so it can't be restored as it is. Nothing was changed. Choose another backup, or open it as it is: every record is kept and each problem is listed."),
        BackupError::NotVouchedFor(_) => ("backup_not_signed", "This backup is not signed by this practice, so someone else could have made it: anyone who knows the public backup key can. Nothing was changed. Restore it only if you know where it came from, and say so below."),
        BackupError::Damaged | BackupError::ChecksumMismatch | BackupError::ManifestMismatch | BackupError::InvalidPractice(_) => ("backup_damaged", "This backup is damaged or has been altered, so it can't be trusted. Nothing was changed. Choose another backup."),
        BackupError::ExcessiveWork { .. } => ("backup_damaged", "This backup asks for far more key-derivation work than Holdspace allows, so it was not opened. Choose another backup."),
        BackupError::UnsupportedVersion { .. } => ("backup_unsupported", "This backup was made by a newer version of Holdspace. Update Holdspace to restore it."),
        BackupError::FileExists { .. } => ("file_exists", "A file with that name is already in the folder, and it was left as it was. Try again in a moment."),
        BackupError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => ("backup_file_missing", "That file isn't there any more. If it is on an external drive, connect it, then choose the file again."),
        BackupError::NoBackupKey
        | BackupError::NoBackupFolder
        | BackupError::FolderUnavailable { .. }
        | BackupError::FolderFull { .. }
        | BackupError::FolderReadOnly { .. }
        | BackupError::WouldNotRestore(_)
        | BackupError::Encode(_)
        | BackupError::Io { .. } => backup_failure_text(error.failure_kind()),
    };
    IpcError::fixed(code, message)
}

fn practice_error(error: PracticeError) -> IpcError {
    match error {
        PracticeError::Vault(error) => vault_error(&error),
        PracticeError::Invalid(invalid) => IpcError {
            field: Some(invalid.field),
            ..IpcError::fixed("invalid", &sentence(&invalid.reason))
        },
        PracticeError::NotFound { .. } => IpcError::fixed(
            "not_found",
            "That record is no longer in the vault; it may have been deleted. Go back and open it again.",
        ),
        PracticeError::NotEmpty => IpcError::fixed(
            "not_empty",
            "This vault already holds a practice, so nothing was imported. Import into a new, empty vault.",
        ),
        PracticeError::SignedVersionImmutable { .. } => IpcError::fixed(
            "signed_version",
            "This version has been signed, so it can't change. Publish your edits as a new version instead.",
        ),
    }
}

/// The fixed sentence for each vault situation. A passphrase the rule refuses gets the rule's
/// own sentence and advice (fixed texts of the core and zxcvbn, the same the CLI prints).
fn vault_error(error: &VaultError) -> IpcError {
    if let VaultError::TooWeak(weak) = error {
        return IpcError {
            field: Some("passphrase".into()),
            ..IpcError::fixed(error.code(), &weak.message())
        };
    }
    let message = match error {
        VaultError::WrongPassphrase => "That passphrase doesn't open this vault. Check Caps Lock and the keyboard layout, then try again — or unlock with your recovery code.",
        VaultError::WrongRecoveryCode => "That recovery code doesn't open this vault. Compare it with your recovery sheet, letter by letter.",
        VaultError::MalformedRecoveryCode { .. } => "That isn't a complete recovery code. It has 32 letters and digits in groups of four, as printed on your recovery sheet.",
        VaultError::EmptyPassphrase => "Type your passphrase.",
        VaultError::TooWeak(_) => holdspace::strength::REFUSAL,
        VaultError::HeaderDamaged => "This vault's key file (vault.hdr) is damaged, so the vault can't be opened. Nothing was changed. Restore your most recent backup.",
        VaultError::HeaderTampered => "This vault's key file (vault.hdr) was changed outside Holdspace, so it can't be trusted and was not opened. Restore a backup you trust.",
        VaultError::RecordDamaged { .. } | VaultError::Decode { .. } => "One record in the vault is damaged and can't be read; everything else is safe. Restore it from a backup.",
        VaultError::AlreadyOpen => "This vault is already open in another Holdspace window or program. Switch to that window, or close it and try again.",
        VaultError::NotAVault { .. } => "There is no Holdspace vault in this folder.",
        VaultError::AlreadyExists { .. } | VaultError::FolderNotEmpty { .. } => "The vault folder already holds files, so a new vault can't be made there. Choose an empty folder.",
        VaultError::RecordsMissing { .. } => "The vault's records folder is missing, so the vault can't be opened. Restore your most recent backup.",
        VaultError::UnsupportedVersion { .. } => "This vault was made by a newer version of Holdspace. Update Holdspace to open it.",
        VaultError::KdfOutOfBounds { .. } => "This vault's key settings are outside what Holdspace accepts, so it was not opened. Restore a backup you trust.",
        VaultError::RecordTooLarge { .. } => "This is too large to save. Shorten the text and try again; nothing was saved.",
        VaultError::DiskFull => "The disk is full, so nothing was saved. Free some space, then save again.",
        VaultError::ErasureNeedsPassphrase => "The member's records are removed, but erasing them from the vault's files needs your passphrase: Holdspace was unlocked with the recovery code. Lock, unlock with your passphrase, and they are erased at the next lock.",
        VaultError::InvalidKind { .. } | VaultError::Encode(_) | VaultError::Io { .. } | VaultError::Store(_) => "Holdspace couldn't read or write the vault folder, so nothing was saved. Check the disk, then try again.",
    };
    IpcError::fixed(error.code(), message)
}

/// "can't be empty" → "Can't be empty." — the core's reasons are lower-case clauses.
fn sentence(reason: &str) -> String {
    let mut chars = reason.chars();
    let mut out: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::from("This value isn't valid"),
    };
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_become_sentences() {
        assert_eq!(sentence("can't be empty"), "Can't be empty.");
        assert_eq!(sentence("Too long."), "Too long.");
    }

    #[test]
    fn no_message_leaks_a_path() {
        let error = VaultError::NotAVault {
            path: "/home/someone/secret-folder".into(),
        };
        let ipc = IpcError::from(AppError::Vault(error));
        assert!(!ipc.message.contains("secret-folder"));
        assert_eq!(ipc.code, "not_a_vault");
    }

    #[test]
    fn a_remembered_backup_failure_says_what_the_failure_itself_said() {
        let path = std::path::PathBuf::from("/media/usb/backups");
        let failures = [
            BackupError::NoBackupKey,
            BackupError::NoBackupFolder,
            BackupError::FolderUnavailable { path: path.clone() },
            BackupError::FolderFull { path: path.clone() },
            BackupError::FolderReadOnly { path },
            BackupError::WouldNotRestore(holdspace::practice::Invalid::new("name", "is empty")),
            BackupError::Encode("a record".into()),
        ];
        for failure in failures {
            let remembered = IpcError::backup_failure(failure.failure_kind());
            let now = IpcError::from(AppError::Backup(failure));
            assert_eq!(
                (remembered.code, remembered.message),
                (now.code, now.message)
            );
        }
    }
}
