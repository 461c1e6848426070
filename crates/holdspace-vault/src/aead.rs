//! XChaCha20-Poly1305: the one authenticated cipher the vault uses, for key wrapping and for
//! records.
//!
//! Policy: every seal draws a fresh random 192-bit nonce; [`seal_with_nonce`] exists only so the
//! known-answer vectors can run through the same code path. A failed open says nothing about
//! why — callers turn it into the error that fits (wrong passphrase, damaged record, …).

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

use crate::error::Result;
use crate::secret::{fill_random, SymmetricKey};

/// Nonce length in bytes (192 bits).
pub const NONCE_LEN: usize = 24;
/// Authentication tag length in bytes.
pub const TAG_LEN: usize = 16;

/// Authentication failed: the ciphertext, nonce, associated data or key do not match.
#[derive(Debug, PartialEq, Eq)]
pub struct OpenFailed;

/// Encrypts `plaintext` under a fresh random nonce; returns `nonce ‖ ciphertext ‖ tag`.
pub fn seal(key: &SymmetricKey, associated_data: &[u8], plaintext: &[u8]) -> Result<Vec<u8>> {
    let mut nonce = [0u8; NONCE_LEN];
    fill_random(&mut nonce)?;
    Ok(seal_with_nonce(key, &nonce, associated_data, plaintext))
}

/// Encrypts with the given nonce; returns `nonce ‖ ciphertext ‖ tag`. Never reuse a nonce.
pub fn seal_with_nonce(
    key: &SymmetricKey,
    nonce: &[u8; NONCE_LEN],
    associated_data: &[u8],
    plaintext: &[u8],
) -> Vec<u8> {
    let cipher = XChaCha20Poly1305::new(key.as_bytes().into());
    let mut out = Vec::with_capacity(NONCE_LEN + plaintext.len() + TAG_LEN);
    out.extend_from_slice(nonce);
    // Encryption with a valid key and in-memory buffers cannot fail.
    let sealed = cipher
        .encrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: plaintext,
                aad: associated_data,
            },
        )
        .unwrap_or_default();
    out.extend_from_slice(&sealed);
    out
}

/// Decrypts `nonce ‖ ciphertext ‖ tag`, verifying it against `associated_data`.
pub fn open(
    key: &SymmetricKey,
    associated_data: &[u8],
    sealed: &[u8],
) -> Result<Zeroizing<Vec<u8>>, OpenFailed> {
    if sealed.len() < NONCE_LEN + TAG_LEN {
        return Err(OpenFailed);
    }
    let (nonce, body) = sealed.split_at(NONCE_LEN);
    let cipher = XChaCha20Poly1305::new(key.as_bytes().into());
    cipher
        .decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: body,
                aad: associated_data,
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| OpenFailed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(b: u8) -> SymmetricKey {
        SymmetricKey::from_bytes([b; 32])
    }

    #[test]
    fn round_trip_and_fresh_nonces() {
        let a = seal(&key(1), b"ad", b"hello").unwrap();
        let b = seal(&key(1), b"ad", b"hello").unwrap();
        assert_ne!(a[..NONCE_LEN], b[..NONCE_LEN]);
        assert_eq!(open(&key(1), b"ad", &a).unwrap().as_slice(), b"hello");
    }

    #[test]
    fn wrong_key_ad_or_short_input_fails() {
        let sealed = seal(&key(1), b"ad", b"hello").unwrap();
        assert_eq!(open(&key(2), b"ad", &sealed), Err(OpenFailed));
        assert_eq!(open(&key(1), b"other", &sealed), Err(OpenFailed));
        assert_eq!(
            open(&key(1), b"ad", &sealed[..NONCE_LEN + TAG_LEN - 1]),
            Err(OpenFailed)
        );
    }
}
