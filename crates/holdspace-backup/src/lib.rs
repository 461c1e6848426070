//! Backups: the whole practice in one standard **age** file, so it opens with the plain `age`
//! tool even if Holdspace is gone (`docs/backups.md`).
//!
//! Layers: [`format`](mod@format) (the plaintext: manifest + practice JSON, and its checks), [`key`] (the
//! backup key derived from the recovery code), [`seal`] (age encryption), [`file`](mod@file) (writing a
//! backup file safely) and [`restore`](mod@restore) (into a new vault). This crate's root ties them together:
//! [`write_backup`] makes a backup of an unlocked practice, [`verify_backup`] fully decrypts and
//! checks one without touching any vault.
//!
//! Policy: a backup is verified completely — decrypted and authenticated, its checksum, its
//! practice parsed and validated as an import would — before anything uses it, and restoring
//! goes only into a new vault, so no existing vault is ever changed by a backup. Making a
//! backup is recorded in the audit trail as an export. Nothing here formats text for people.
//!
//! This crate sits above the practice (`holdspace-practice`) and uses only its public API; the
//! practice cannot name a backup. The layers below are named here as they are in the core, so
//! every path reads the same in each crate.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub(crate) use holdspace_practice::{
    clock, fsutil, kdf, practice, recovery, secret, strength, vault, Passphrase, RecoveryCode,
    VaultError,
};

pub mod file;
pub mod folder;
pub mod format;
pub mod key;
pub mod restore;
pub mod retention;
pub mod seal;

use std::path::{Path, PathBuf};

use time::Date;

use crate::kdf::KdfPolicy;
use crate::practice::{
    AuditAction, BackupFailureKind, Invalid, Practice, PracticeError, PracticeJson,
};

pub use format::{Authenticity, BackupContent, Counts, Manifest};
pub use key::{recipient_from_recovery_code, BackupIdentity, BackupRecipient, BackupSigningKey};
pub use restore::{
    replace_vault, restore, restore_as_found, restore_content, Replaced, RestoreStep, Restored,
    Trust,
};
pub use seal::{Opener, Protection};

/// Everything that can go wrong while making, verifying or restoring a backup.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The passphrase does not open this backup.
    #[error("the passphrase is not correct for this backup")]
    WrongPassphrase,
    /// The recovery code's backup key does not open this backup (another vault's, or made
    /// before the vault got a new recovery code: by a restore, or because the sheet was lost).
    #[error("this backup was not made with this recovery code's backup key")]
    WrongKey,
    /// The backup is protected by a passphrase, but a recovery code was given.
    #[error("this backup is protected by a passphrase, not by the backup key")]
    NeedsPassphrase,
    /// The backup is protected by the backup key, but a passphrase was given.
    #[error("this backup is protected by the backup key; open it with the recovery code")]
    NeedsRecoveryCode,
    /// The file is not an age file, or decrypts to something other than a Holdspace backup.
    #[error("the file is not a Holdspace backup")]
    NotABackup,
    /// The file ends early (an interrupted copy or download).
    #[error("the backup file is incomplete (it ends too early)")]
    Truncated,
    /// The file fails age's authentication: it was damaged or altered after it was made.
    #[error("the backup file is damaged or has been altered")]
    Damaged,
    /// The passphrase backup asks for far more key-derivation work than this computer allows
    /// (a hostile file, or one made with an extreme setting).
    #[error("the backup asks for an excessive key-derivation work factor (2^{required})")]
    ExcessiveWork {
        /// The work factor (log2 N) the file asks for.
        required: u8,
    },
    /// The backup is not vouched for by this practice's signature (see
    /// [`Authenticity::is_vouched_for`]), and the practitioner has not said to restore it
    /// anyway.
    #[error("this backup is {}", .0.describe())]
    NotVouchedFor(Authenticity),
    /// The backup was written by a newer (or unknown) backup format.
    #[error("the backup uses format version {found}, which this version of Holdspace cannot read")]
    UnsupportedVersion {
        /// The version found.
        found: u32,
    },
    /// The practice inside does not match the checksum in the manifest.
    #[error("the practice inside the backup does not match its checksum")]
    ChecksumMismatch,
    /// The record counts in the manifest do not match the practice inside.
    #[error("the backup's manifest does not match the practice inside it")]
    ManifestMismatch,
    /// The practice inside fails a check an import makes.
    #[error("the practice inside the backup is not valid: {0}")]
    InvalidPractice(Invalid),
    /// The vault has no backup key stored (it was made before backups existed).
    #[error("this vault has no backup key yet")]
    NoBackupKey,
    /// The backup file to write already exists; backups never overwrite a file.
    #[error("{path} already exists")]
    FileExists {
        /// The file.
        path: PathBuf,
    },
    /// No backup folder is chosen yet.
    #[error("no backup folder is chosen")]
    NoBackupFolder,
    /// The backup folder is missing or not a folder (an unplugged drive, a moved folder).
    #[error("the backup folder {path} is not available")]
    FolderUnavailable {
        /// The folder.
        path: PathBuf,
    },
    /// The backup folder's drive (or quota) is full, or the file is larger than it allows.
    #[error("the backup folder {path} is full")]
    FolderFull {
        /// The folder.
        path: PathBuf,
    },
    /// The backup folder cannot be written: a read-only drive, or no permission.
    #[error("the backup folder {path} cannot be written to")]
    FolderReadOnly {
        /// The folder.
        path: PathBuf,
    },
    /// A backup setting is not acceptable.
    #[error("backup setting {0}")]
    InvalidSettings(Invalid),
    /// The folder to restore into already holds files.
    #[error("{path} is not empty; restore into a new or empty folder")]
    TargetNotEmpty {
        /// The folder.
        path: PathBuf,
    },
    /// The backup opened and its checksum is right, but its records break a rule that spans
    /// records (made by an older Holdspace, or edited): not damage, and named.
    #[error("the practice inside the backup breaks a rule at {}: {}", .0.field, .0.reason)]
    Inconsistent(Invalid),
    /// A backup was not written because it could not be restored: the practice breaks a rule
    /// (named). Retention removed nothing.
    #[error("no backup was made: the practice breaks a rule at {}: {}", .0.field, .0.reason)]
    WouldNotRestore(Invalid),
    /// The path chosen as a backup file is a folder.
    #[error("{path} is a folder, not a backup file")]
    NotAFile {
        /// The folder.
        path: PathBuf,
    },
    /// The folder chosen for a restored vault is a file.
    #[error("{path} is a file, not a folder")]
    TargetIsAFile {
        /// The file.
        path: PathBuf,
    },
    /// The backup could not be encoded or encrypted (a bug, not the practitioner's doing).
    #[error("the backup could not be written: {0}")]
    Encode(String),
    /// The vault failed (opening, creating, writing the restored practice, …).
    #[error(transparent)]
    Vault(#[from] VaultError),
    /// The practice refused a change.
    #[error(transparent)]
    Practice(PracticeError),
    /// A file-system error, with what was being done.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

impl From<PracticeError> for BackupError {
    fn from(e: PracticeError) -> Self {
        match e {
            PracticeError::Vault(v) => Self::Vault(v),
            other => Self::Practice(other),
        }
    }
}

impl BackupError {
    /// True when the backup itself is bad (cut short, damaged, altered, inconsistent) rather
    /// than the key, the input or the computer.
    pub fn is_bad_backup(&self) -> bool {
        matches!(
            self,
            Self::Truncated
                | Self::Damaged
                | Self::ChecksumMismatch
                | Self::ManifestMismatch
                | Self::InvalidPractice(_)
                | Self::Inconsistent(_)
        )
    }

    /// What went wrong, as the vault remembers a failed automatic backup.
    pub fn failure_kind(&self) -> BackupFailureKind {
        match self {
            Self::NoBackupKey => BackupFailureKind::NoBackupKey,
            Self::NoBackupFolder => BackupFailureKind::NoBackupFolder,
            Self::FolderUnavailable { .. } => BackupFailureKind::FolderUnavailable,
            Self::FolderFull { .. } => BackupFailureKind::FolderFull,
            Self::FolderReadOnly { .. } => BackupFailureKind::FolderReadOnly,
            Self::WouldNotRestore(_) => BackupFailureKind::WouldNotRestore,
            _ => BackupFailureKind::Failed,
        }
    }

    fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        match VaultError::io(context, source) {
            VaultError::Io { context, source } => Self::Io { context, source },
            other => Self::Vault(other),
        }
    }
}

/// What [`write_backup`] wrote.
#[derive(Clone, Debug)]
pub struct BackupSummary {
    /// The backup file.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    /// The manifest inside it.
    pub manifest: Manifest,
}

/// The recipient the practice's vault stores for key-protected backups.
pub fn stored_recipient(practice: &Practice) -> Result<BackupRecipient, BackupError> {
    let settings = practice.backup_settings().ok_or(BackupError::NoBackupKey)?;
    BackupRecipient::parse(&settings.recipient)
}

/// Stores the backup recipient and signing key of `code` in the practice's vault. The caller
/// must know the code belongs to this vault (it created the vault, or opened it with the code).
pub fn store_backup_key(
    practice: &mut Practice,
    code: &crate::RecoveryCode,
) -> Result<BackupRecipient, BackupError> {
    let identity = BackupIdentity::from_recovery_code(code);
    let action = if practice.backup_settings().is_some() {
        AuditAction::Changed
    } else {
        AuditAction::Created
    };
    put_backup_key(practice, &identity, action, "backup key")?;
    Ok(identity.recipient())
}

/// The audit detail of a new recovery code.
pub const RECOVERY_CODE_REPLACED: &str = "a new recovery code was made: the old one no longer opens the vault, and new backups need the new one (backups made before still open with the old code)";

/// Makes a new recovery code after checking the passphrase ("I lost my recovery sheet"): the
/// old code stops opening the vault, and the backup key and signing key become the new
/// code's, recorded with the audit event in one batch. If that batch fails, the old code
/// still opens the vault and nothing changed. Returns the new code, to show once.
pub fn new_recovery_code(
    practice: &mut Practice,
    passphrase: &crate::Passphrase,
) -> crate::practice::PracticeResult<crate::RecoveryCode> {
    practice.replace_recovery_code(passphrase, |practice, code| {
        let identity = BackupIdentity::from_recovery_code(code);
        put_backup_key(
            practice,
            &identity,
            AuditAction::RecoveryCodeReplaced,
            RECOVERY_CODE_REPLACED,
        )
    })
}

/// Stores `identity`'s public recipient (what backups made without a passphrase are encrypted
/// to) and the key that signs every backup, keeping the other backup settings: one audited
/// change, recorded as `action` saying `detail`.
fn put_backup_key(
    practice: &mut Practice,
    identity: &BackupIdentity,
    action: AuditAction,
    detail: &str,
) -> crate::practice::PracticeResult<()> {
    let mut settings = practice.backup_settings().cloned().unwrap_or_default();
    settings.recipient = identity.recipient().to_string();
    settings.signing_key = crate::practice::SecretText::new(identity.signing_key().to_hex());
    practice.put_backup_settings(settings, action, detail)
}

/// The encrypted bytes of a backup of the whole practice (audited as an export). A backup's
/// own passphrase must meet the passphrase rule with the practice's own names.
pub fn backup_bytes(
    practice: &mut Practice,
    protection: Protection<'_>,
    policy: KdfPolicy,
) -> Result<(Vec<u8>, Manifest), BackupError> {
    if let Protection::Passphrase(passphrase) = protection {
        crate::strength::check_new_passphrase(passphrase, &practice.own_words())
            .map_err(crate::VaultError::from)?;
    }
    practice.record(
        AuditAction::BackupMade,
        &format!("backup ({})", protection.describe()),
    )?;
    let now = practice.now();
    let file = PracticeJson::from_state(practice.state(), now);
    let signer = practice
        .backup_settings()
        .and_then(|settings| key::BackupSigningKey::from_hex(settings.signing_key.expose()));
    let (plaintext, manifest) = format::encode(&file, now, signer.as_ref())?;
    let sealed = seal::seal(&plaintext, protection, policy)?;
    Ok((sealed, manifest))
}

/// Writes a backup of the whole practice to `path`, which must not exist yet: written to a
/// temporary file beside it, synced, then moved into place, so `path` is either absent or a
/// complete backup.
pub fn write_backup(
    practice: &mut Practice,
    path: &Path,
    protection: Protection<'_>,
    policy: KdfPolicy,
) -> Result<BackupSummary, BackupError> {
    file::refuse_existing(path)?;
    let (sealed, manifest) = backup_bytes(practice, protection, policy)?;
    file::write_new(path, &sealed)?;
    Ok(BackupSummary {
        path: path.to_path_buf(),
        bytes: sealed.len() as u64,
        manifest,
    })
}

/// Decrypts and checks a backup's bytes completely; `today` is the day dates are checked
/// against.
pub fn open_backup(
    bytes: &[u8],
    opener: Opener<'_>,
    today: Date,
) -> Result<BackupContent, BackupError> {
    let plaintext = seal::open(bytes, opener)?;
    let mut content = format::decode(&plaintext, today)?;
    content.authenticity = Authenticity::of(&content.manifest, opener);
    Ok(content)
}

/// Decrypts an intact backup and keeps it *as found*: whatever rules its records break are
/// listed in [`BackupContent::findings`] instead of refusing it (damage is still refused).
pub fn open_backup_as_found(
    bytes: &[u8],
    opener: Opener<'_>,
    today: Date,
) -> Result<BackupContent, BackupError> {
    let plaintext = seal::open(bytes, opener)?;
    let mut content = format::decode_as_found(&plaintext, today)?;
    content.authenticity = Authenticity::of(&content.manifest, opener);
    Ok(content)
}

/// Reads the backup file at `path`, decrypts and checks it completely. Touches no vault.
pub fn verify_backup(
    path: &Path,
    opener: Opener<'_>,
    today: Date,
) -> Result<BackupContent, BackupError> {
    let bytes = file::read(path)?;
    open_backup(&bytes, opener, today)
}
