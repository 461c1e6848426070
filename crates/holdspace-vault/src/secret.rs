//! Secret newtypes: the passphrase, the keys derived from it, and the data key.
//!
//! Policy: every secret lives in a zeroizing container and is wiped when dropped; no `Debug`
//! implementation here prints a byte of it; nothing in this module logs. Key bytes leave these
//! types only by reference, to the crypto primitives that need them.

use std::fmt;

use unicode_normalization::UnicodeNormalization;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::error::{Result, VaultError};

/// Length in bytes of every symmetric key in the vault.
pub const KEY_LEN: usize = 32;

/// A practitioner's passphrase, normalised to Unicode NFC so that the same characters typed on
/// different systems give the same key.
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    /// Takes a passphrase as typed. Refuses an empty one (whitespace alone counts as empty).
    pub fn new(typed: impl Into<String>) -> Result<Self> {
        let typed = Zeroizing::new(typed.into());
        if typed.trim().is_empty() {
            return Err(VaultError::EmptyPassphrase);
        }
        // Sized up front (NFC expands a string at most threefold) so that no reallocation
        // leaves an unwiped copy behind.
        let mut normalised = Zeroizing::new(String::with_capacity(typed.len() * 3));
        normalised.extend(typed.nfc());
        Ok(Self(normalised))
    }

    /// The NFC-normalised text, for key derivations that take a string (age's scrypt, for
    /// backups). Never log, show or store what this returns.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    /// The NFC-normalised bytes, for the key-derivation function only.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(redacted)")
    }
}

/// A 256-bit symmetric key: the data key, a key-encryption key, or a MAC key.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SymmetricKey([u8; KEY_LEN]);

impl SymmetricKey {
    /// A fresh key from the operating system's random source.
    pub fn random() -> Result<Self> {
        let mut bytes = [0u8; KEY_LEN];
        fill_random(&mut bytes)?;
        let key = Self(bytes);
        bytes.zeroize();
        Ok(key)
    }

    /// Takes ownership of raw key bytes. The array is copied in, so the caller must wipe its
    /// own copy (e.g. with `zeroize`) once the key is made; the key itself is wiped on drop.
    /// Public so that known-answer tests can run fixed keys through [`crate::aead`].
    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> Self {
        Self(bytes)
    }

    /// The key bytes, for a primitive.
    pub(crate) fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }
}

impl fmt::Debug for SymmetricKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SymmetricKey(redacted)")
    }
}

/// Fills `out` from the operating system's random source.
pub(crate) fn fill_random(out: &mut [u8]) -> Result<()> {
    getrandom::getrandom(out).map_err(|e| {
        VaultError::io(
            "the system random number generator failed",
            std::io::Error::other(e),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_secrets() {
        let p = Passphrase::new("correct horse").unwrap();
        let k = SymmetricKey::from_bytes([0xAB; KEY_LEN]);
        assert_eq!(format!("{p:?}"), "Passphrase(redacted)");
        assert_eq!(format!("{k:?}"), "SymmetricKey(redacted)");
    }

    #[test]
    fn passphrases_are_nfc_normalised() {
        let composed = Passphrase::new("caf\u{e9}").unwrap();
        let decomposed = Passphrase::new("cafe\u{301}").unwrap();
        assert_eq!(composed.as_bytes(), decomposed.as_bytes());
    }

    #[test]
    fn empty_or_blank_passphrase_is_refused() {
        assert!(matches!(
            Passphrase::new(""),
            Err(VaultError::EmptyPassphrase)
        ));
        assert!(matches!(
            Passphrase::new("  \t"),
            Err(VaultError::EmptyPassphrase)
        ));
    }
}
