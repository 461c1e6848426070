//! What crosses the page's boundary: secrets as they arrive, and results as they leave.
//!
//! Policy: a secret the page sends (a passphrase, a recovery code) is a [`SecretArg`], wiped
//! when dropped and never printed; every answer leaves as a [`CommandResult`], whose error is
//! the one [`IpcError`] with a fixed sentence.

use serde::{Deserialize, Deserializer};
use zeroize::Zeroizing;

use crate::error::{AppError, IpcError};

/// What every command returns.
pub type CommandResult<T> = Result<T, IpcError>;

/// A secret typed by the practitioner (passphrase, recovery code), wiped when dropped and
/// never printed.
pub struct SecretArg(Zeroizing<String>);

impl SecretArg {
    /// A secret from text (the page's JSON, or a test).
    pub fn new(text: impl Into<String>) -> Self {
        Self(Zeroizing::new(text.into()))
    }

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

/// Maps a shell result for the page.
pub fn reply<T>(result: Result<T, AppError>) -> CommandResult<T> {
    result.map_err(IpcError::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_is_never_printed() {
        let secret: SecretArg = serde_json::from_str("\"correct horse\"").unwrap();
        assert_eq!(secret.expose(), "correct horse");
        assert_eq!(format!("{secret:?}"), "SecretArg(…)");
    }

    #[test]
    fn an_empty_secret_is_not_a_passphrase() {
        assert!(SecretArg::new("").passphrase().is_err());
    }
}
