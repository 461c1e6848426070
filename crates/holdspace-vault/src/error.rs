//! The vault's typed errors.
//!
//! Policy: situations that mean different things to a practitioner stay different variants —
//! a wrong passphrase is never reported as damage, damage is never reported as tampering, and
//! one damaged record is named by its id so the rest of the vault can still be used. Messages
//! here are for logs and the CLI; the desktop shell maps [`VaultError::code`] to its own fixed
//! sentences. No variant ever carries secret material.

use std::io;
use std::path::PathBuf;

use crate::record::RecordId;

/// Everything that can go wrong while creating, opening or using a vault.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// The passphrase did not unlock the vault.
    #[error("the passphrase is not correct for this vault")]
    WrongPassphrase,
    /// The recovery code is well formed but does not unlock this vault.
    #[error("the recovery code is not correct for this vault")]
    WrongRecoveryCode,
    /// The recovery code has the wrong length, a character that never appears in one, or a typo
    /// caught by its check characters.
    #[error("that is not a valid recovery code: {reason}")]
    MalformedRecoveryCode {
        /// What is wrong with it, in plain words.
        reason: &'static str,
    },
    /// An empty passphrase was given.
    #[error("the passphrase must not be empty")]
    EmptyPassphrase,
    /// A new passphrase is too easy to guess ([`crate::strength`]); nothing was changed.
    #[error(transparent)]
    TooWeak(#[from] crate::strength::TooWeak),
    /// `vault.hdr` fails its checksum or is truncated: accidental damage.
    #[error("the vault header is damaged")]
    HeaderDamaged,
    /// `vault.hdr` has a valid checksum but its authentication code does not match: somebody
    /// changed it on purpose.
    #[error("the vault header has been altered")]
    HeaderTampered,
    /// One record failed to decrypt or decode; the others are unaffected.
    #[error("record {id} is damaged")]
    RecordDamaged {
        /// The damaged record.
        id: RecordId,
    },
    /// Another process (or another handle in this one) has the vault open.
    #[error("the vault is already open in another window or program")]
    AlreadyOpen,
    /// The folder holds no vault (or the file is not a Holdspace header).
    #[error("{path} is not a Holdspace vault")]
    NotAVault {
        /// The folder that was expected to hold a vault.
        path: PathBuf,
    },
    /// `create` was asked to make a vault where one already exists.
    #[error("a vault already exists in {path}")]
    AlreadyExists {
        /// The folder that already holds a vault.
        path: PathBuf,
    },
    /// `create` was pointed at a folder that already holds other files.
    #[error("{path} is not empty; choose an empty folder for a new vault")]
    FolderNotEmpty {
        /// The folder.
        path: PathBuf,
    },
    /// The header names a record directory that is not there.
    #[error("the vault's records are missing: {path} does not exist")]
    RecordsMissing {
        /// The missing directory.
        path: PathBuf,
    },
    /// The vault was written by a newer (or unknown) format version.
    #[error("the vault uses format version {found}, which this version of Holdspace cannot read")]
    UnsupportedVersion {
        /// The version found on disk.
        found: u16,
    },
    /// The header's key-derivation parameters are below the security floor or above the cap.
    #[error("the vault's key-derivation settings are outside the allowed range ({reason})")]
    KdfOutOfBounds {
        /// Which bound was broken.
        reason: String,
    },
    /// A record kind is empty, too long or uses characters other than `a-z`, `0-9`, `-`, `_`.
    #[error("invalid record kind {kind:?}")]
    InvalidKind {
        /// The rejected kind.
        kind: String,
    },
    /// A record's plaintext is larger than the store accepts.
    #[error("record too large: {size} bytes (the limit is {limit})")]
    RecordTooLarge {
        /// Size of the encoded record.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// A value could not be encoded or decoded as the caller's type.
    #[error("record {id} does not have the expected shape: {detail}")]
    Decode {
        /// The record.
        id: RecordId,
        /// What serde reported.
        detail: String,
    },
    /// A value could not be serialised (a bug in the caller's type).
    #[error("a value could not be encoded: {0}")]
    Encode(String),
    /// Erasing needs the key derived from the passphrase, which a vault opened with the
    /// recovery code does not have until a passphrase is set.
    #[error("erasing what was deleted needs the vault to be unlocked with its passphrase")]
    ErasureNeedsPassphrase,
    /// The disk (or quota) is full; nothing was written.
    #[error("the disk is full")]
    DiskFull,
    /// A file-system error, with what was being done.
    #[error("{context}: {source}")]
    Io {
        /// What the vault was doing.
        context: String,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// The record store reported an error other than I/O (its own corruption detection, or a bug).
    #[error("the record store failed: {0}")]
    Store(String),
}

impl VaultError {
    /// A stable, machine-readable name for the situation, used by the CLI and the desktop shell.
    pub fn code(&self) -> &'static str {
        match self {
            Self::WrongPassphrase => "wrong_passphrase",
            Self::WrongRecoveryCode => "wrong_recovery_code",
            Self::MalformedRecoveryCode { .. } => "malformed_recovery_code",
            Self::EmptyPassphrase => "empty_passphrase",
            Self::TooWeak(_) => "too_weak",
            Self::HeaderDamaged => "header_damaged",
            Self::HeaderTampered => "header_tampered",
            Self::RecordDamaged { .. } => "record_damaged",
            Self::AlreadyOpen => "already_open",
            Self::NotAVault { .. } => "not_a_vault",
            Self::AlreadyExists { .. } => "already_exists",
            Self::FolderNotEmpty { .. } => "folder_not_empty",
            Self::RecordsMissing { .. } => "records_missing",
            Self::UnsupportedVersion { .. } => "unsupported_version",
            Self::KdfOutOfBounds { .. } => "kdf_out_of_bounds",
            Self::InvalidKind { .. } => "invalid_kind",
            Self::RecordTooLarge { .. } => "record_too_large",
            Self::Decode { .. } => "decode",
            Self::Encode(_) => "encode",
            Self::ErasureNeedsPassphrase => "erasure_needs_passphrase",
            Self::DiskFull => "disk_full",
            Self::Io { .. } => "io",
            Self::Store(_) => "store",
        }
    }

    /// Wraps an I/O error with what the vault was doing, recognising a full disk.
    pub fn io(context: impl Into<String>, source: io::Error) -> Self {
        if is_disk_full(&source) {
            return Self::DiskFull;
        }
        Self::Io {
            context: context.into(),
            source,
        }
    }
}

/// True when the error means "no space left" (or the quota is exhausted).
fn is_disk_full(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded
    ) || matches!(err.raw_os_error(), Some(28) | Some(122)) // ENOSPC, EDQUOT on Linux
}

/// Maps sled's error type, recognising its "could not acquire lock" as [`VaultError::AlreadyOpen`].
impl From<sled::Error> for VaultError {
    fn from(err: sled::Error) -> Self {
        match err {
            sled::Error::Io(io_err) => {
                if io_err.to_string().starts_with("could not acquire lock") {
                    Self::AlreadyOpen
                } else {
                    Self::io("the record store could not read or write its files", io_err)
                }
            }
            other => Self::Store(other.to_string()),
        }
    }
}

/// Shorthand for results in the vault.
pub type Result<T, E = VaultError> = std::result::Result<T, E>;
