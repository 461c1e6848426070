//! The practice: a group-therapy practice's records (groups, members, agreements and their
//! signatures, sessions, notes, incidents, the audit trail) kept in the encrypted vault, with
//! their rules, queries, search, drafts and the open practice JSON.
//!
//! This crate stands on `holdspace-vault`, whose modules it re-exports under their own names
//! ([`vault`], [`record`], [`secret`] and the rest) so that every layer above names one crate.
//! [`clock`] is "now" for every layer here. It knows no backup, no shell, no UI wording and no
//! network: backups (`holdspace-backup`) sit above it and use only what [`practice`] makes
//! public.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod clock;
pub mod practice;

pub use holdspace_vault::{
    aead, error, folder_lock, fsutil, header, kdf, ledger, record, recovery, room, secret,
    strength, vault,
};
pub use holdspace_vault::{
    CreatedVault, FolderPrivacy, KdfParams, KdfPolicy, Passphrase, Record, RecordId, RecoveryCode,
    Result, RotationProgress, Vault, VaultError, VaultStats, WriteBatch,
};
