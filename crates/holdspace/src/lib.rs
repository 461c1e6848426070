//! Holdspace core: a group-therapy practice kept in the encrypted vault on the practitioner's
//! own computer, and its backups, as one crate for the shells to name.
//!
//! The layers are crates of their own, so that a wrong arrow between them does not compile:
//! `holdspace-vault` (the encrypted vault), `holdspace-practice` (the domain, over the vault)
//! and `holdspace-backup` (age-format backup files, over the practice). This crate re-exports
//! them under the names a shell uses ([`vault`], [`practice`], [`backup`], [`clock`] and the
//! rest), and adds what every binary needs besides: [`hardening`], applied by each binary to its
//! own process at start, and [`paths`], where a vault lives by default. It knows nothing of
//! Tauri, of any UI wording, or of the network. See `SECURITY.md` for the threat model and
//! `docs/` for the formats.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod hardening;
pub mod paths;

pub use holdspace_backup as backup;
pub use holdspace_practice::{
    aead, clock, error, folder_lock, fsutil, header, kdf, ledger, practice, record, recovery, room,
    secret, strength, vault,
};
pub use holdspace_practice::{
    CreatedVault, FolderPrivacy, KdfParams, KdfPolicy, Passphrase, Record, RecordId, RecoveryCode,
    Result, RotationProgress, Vault, VaultError, VaultStats, WriteBatch,
};
