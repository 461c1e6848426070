//! The IPC commands: each takes the session, makes one call into `crate::service` (or the
//! session), and maps the error to [`IpcError`]. No logic lives here.
//!
//! Policy: every command is `async`, so none runs on the window's main thread (a key
//! derivation or a rotation never freezes the window); arguments keep the UI's snake_case
//! names; secrets arrive as [`SecretArg`], wiped when dropped. Every command must be listed in
//! `command_names.rs` and granted in `capabilities/main.json`, or the window cannot call it.

pub mod backups;
pub mod client;
pub mod drafts;
pub mod practice;
pub mod print;
pub mod vault;

use serde::{Deserialize, Deserializer};
use zeroize::Zeroizing;

use crate::error::{AppError, IpcError};

/// What every command returns.
pub type CommandResult<T> = Result<T, IpcError>;

/// A secret typed by the practitioner (passphrase, recovery code), wiped when dropped and
/// never printed.
pub struct SecretArg(Zeroizing<String>);

impl SecretArg {
    /// The text, for the one core call that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The secret as a passphrase (refused when empty).
    pub fn passphrase(&self) -> Result<holdspace::Passphrase, AppError> {
        Ok(holdspace::Passphrase::new(self.expose())?)
    }
}

impl<'de> Deserialize<'de> for SecretArg {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(|s| Self(Zeroizing::new(s)))
    }
}

impl std::fmt::Debug for SecretArg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretArg(…)")
    }
}

/// Maps a shell result for the IPC boundary.
pub fn reply<T>(result: Result<T, AppError>) -> CommandResult<T> {
    result.map_err(IpcError::from)
}
