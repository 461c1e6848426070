//! Holdspace core: a group-therapy practice kept in the encrypted vault on the practitioner's
//! own computer, and its backups.
//!
//! This crate knows nothing of Tauri, of any UI wording, or of the network. It stands on
//! `holdspace-vault`, whose modules it re-exports under their own names ([`vault`], [`record`],
//! [`secret`] and the rest) so that a shell needs one dependency. Above the vault: [`practice`]
//! (the domain), and above the practice [`backup`] (age-format backup files). [`clock`] is
//! "now" for every layer here. [`hardening`] is what every binary applies to its own process at
//! start, and [`paths`] where a vault lives by default. See `SECURITY.md` for the threat model
//! and `docs/` for the formats.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod backup;
pub mod clock;
pub mod hardening;
pub mod paths;
pub mod practice;

pub use holdspace_vault::{
    aead, error, folder_lock, fsutil, header, kdf, ledger, record, recovery, room, secret,
    strength, vault,
};
pub use holdspace_vault::{
    CreatedVault, FolderPrivacy, KdfParams, KdfPolicy, Passphrase, Record, RecordId, RecoveryCode,
    Result, RotationProgress, Vault, VaultError, VaultStats, WriteBatch,
};
