//! Holdspace's vault: a folder of records encrypted under one data key, which only the
//! practitioner's passphrase or recovery code unwraps.
//!
//! This crate knows nothing of a practice, of groups or members, of backups, of any UI wording,
//! or of the network: a record is an id, a kind, a revision and a body it cannot read. The
//! workspace makes that a compile error, since this crate depends on no other crate of it.
//! Layers, bottom up: [`secret`] (zeroizing secret types), [`kdf`] (Argon2id and its bounds),
//! [`aead`] (XChaCha20-Poly1305), [`recovery`] (the recovery code), [`header`] (`vault.hdr`),
//! [`record`] (one encrypted record), [`ledger`] (the store's sealed history), [`fsutil`] (owner-
//! only files written atomically), [`room`] (room on the disk before a write, and the vault's
//! reserve), [`folder_lock`] (`vault.lock`), [`strength`] (what a new passphrase must resist),
//! and [`vault`] (the folder, its lifecycle and the record store API). `docs/vault-format.md`
//! describes the files; `docs/ARCHITECTURE.md` the invariants the rest of the workspace relies on.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod aead;
pub mod error;
pub mod folder_lock;
pub mod fsutil;
pub mod header;
pub mod kdf;
pub mod ledger;
pub mod record;
pub mod recovery;
pub mod room;
pub mod secret;
pub mod strength;
pub mod vault;

pub use error::{Result, VaultError};
pub use kdf::{KdfParams, KdfPolicy};
pub use record::{Record, RecordId};
pub use recovery::RecoveryCode;
pub use secret::Passphrase;
pub use vault::{CreatedVault, FolderPrivacy, RotationProgress, Vault, VaultStats, WriteBatch};
