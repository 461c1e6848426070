//! Holdspace core: the encrypted vault that keeps a group-therapy practice's records on the
//! practitioner's own computer.
//!
//! This crate knows nothing of Tauri, of any UI wording, or of the network. Layers, bottom up:
//! [`secret`] (zeroizing secret types), [`kdf`] (Argon2id and its bounds), [`aead`]
//! (XChaCha20-Poly1305), [`recovery`] (the recovery code), [`header`] (`vault.hdr`), [`record`]
//! (one encrypted record), [`ledger`] (the store's sealed history), [`room`] (room on the disk
//! before a write, and the vault's reserve), [`folder_lock`] (`vault.lock`), [`vault`] (the folder,
//! its lifecycle and the record store API), and above them [`practice`] (the domain) and [`backup`]
//! (age-format backup files). [`clock`] is "now" for every layer. [`hardening`] is what every
//! binary applies to its own process at start. See `SECURITY.md` for the threat model and `docs/`
//! for the formats.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod aead;
pub mod backup;
pub mod clock;
pub mod error;
pub mod folder_lock;
pub mod fsutil;
pub mod hardening;
pub mod header;
pub mod kdf;
pub mod ledger;
pub mod paths;
pub mod practice;
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
