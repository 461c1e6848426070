//! The recovery code: how it is generated, written down, read back, and turned into the X25519
//! key pair whose public half lets any unlocked session re-wrap the data key for it.
//!
//! Policy: a code carries 150 random bits in 30 symbols from an alphabet without look-alike
//! characters (no 0, 1, I or O), plus 2 check symbols that catch typos before any key work. It
//! is shown once at creation and never stored: the header keeps only the public key and the
//! data key wrapped to it. Because the wrap is public-key, rotating the data key or changing the
//! passphrase never needs the code, and the custodian's sheet stays valid for the vault's life.

use std::fmt;

use hkdf::Hkdf;
use sha2::{Digest, Sha256};
use x25519_dalek::{PublicKey, SharedSecret, StaticSecret};
use zeroize::{Zeroize, Zeroizing};

use crate::aead;
use crate::error::{Result, VaultError};
use crate::secret::{fill_random, SymmetricKey, KEY_LEN};

/// The 32 symbols a code is written in: digits 2–9 and letters without I and O.
pub const ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
/// Random symbols in a code (5 bits each: 150 bits).
const RANDOM_SYMBOLS: usize = 30;
/// Check symbols appended to catch typos.
const CHECK_SYMBOLS: usize = 2;
/// Symbols in a whole code.
pub const CODE_SYMBOLS: usize = RANDOM_SYMBOLS + CHECK_SYMBOLS;
/// Symbols per written group.
const GROUP: usize = 4;
/// Length of a recovery slot in the header: ephemeral public key ‖ nonce ‖ wrapped key ‖ tag.
pub const SLOT_LEN: usize = 32 + aead::NONCE_LEN + KEY_LEN + aead::TAG_LEN;

/// A recovery code in canonical form (32 upper-case symbols, no separators).
pub struct RecoveryCode(Zeroizing<String>);

impl RecoveryCode {
    /// A fresh random code.
    pub fn generate() -> Result<Self> {
        let mut random = Zeroizing::new([0u8; RANDOM_SYMBOLS]);
        fill_random(random.as_mut())?;
        let mut symbols = Zeroizing::new(String::with_capacity(CODE_SYMBOLS));
        for byte in random.iter() {
            symbols.push(char::from(ALPHABET[usize::from(byte & 31)]));
        }
        let check = check_symbols(&symbols);
        symbols.push_str(&check);
        Ok(Self(symbols))
    }

    /// Reads a code as a person typed it: case, spaces and dashes do not matter; a character
    /// outside the alphabet, a wrong length or a failed check is [`VaultError::MalformedRecoveryCode`].
    pub fn parse(typed: &str) -> Result<Self> {
        let mut symbols = Zeroizing::new(String::with_capacity(CODE_SYMBOLS));
        for c in typed.chars().filter(|c| !c.is_whitespace() && *c != '-') {
            let upper = c.to_ascii_uppercase();
            if !upper.is_ascii() || !ALPHABET.contains(&(upper as u8)) {
                return Err(malformed(
                    "it contains a character that never appears in a recovery code",
                ));
            }
            symbols.push(upper);
        }
        if symbols.len() != CODE_SYMBOLS {
            return Err(malformed(
                "a recovery code has 32 characters in 8 groups of 4",
            ));
        }
        let expected = check_symbols(&symbols[..RANDOM_SYMBOLS]);
        if symbols[RANDOM_SYMBOLS..] != *expected {
            return Err(malformed("one of the characters looks mistyped"));
        }
        Ok(Self(symbols))
    }

    /// The code grouped for writing down, e.g. `K7QM-3XWD-…`. Show it once; never log it.
    pub fn display_grouped(&self) -> Zeroizing<String> {
        let mut out = Zeroizing::new(String::with_capacity(CODE_SYMBOLS + CODE_SYMBOLS / GROUP));
        for (i, c) in self.0.chars().enumerate() {
            if i > 0 && i % GROUP == 0 {
                out.push('-');
            }
            out.push(c);
        }
        out
    }

    /// The X25519 secret this code stands for.
    pub(crate) fn secret_key(&self) -> StaticSecret {
        let hk = Hkdf::<Sha256>::new(Some(b"holdspace-recovery-v1"), self.0.as_bytes());
        let mut bytes = Zeroizing::new([0u8; 32]);
        // 32 bytes is far below HKDF-SHA256's output limit.
        let _ = hk.expand(b"x25519 recovery key", bytes.as_mut());
        StaticSecret::from(*bytes)
    }

    /// A 32-byte key for another purpose, derived from the code with HKDF-SHA256 under its own
    /// `salt` and `info`, so it reveals nothing about the recovery key or any other such key.
    pub fn derive_secret(&self, salt: &[u8], info: &[u8]) -> Zeroizing<[u8; 32]> {
        let hk = Hkdf::<Sha256>::new(Some(salt), self.0.as_bytes());
        let mut bytes = Zeroizing::new([0u8; 32]);
        // 32 bytes is far below HKDF-SHA256's output limit.
        let _ = hk.expand(info, bytes.as_mut());
        bytes
    }

    /// The public key stored in the header.
    pub fn public_key(&self) -> PublicKey {
        PublicKey::from(&self.secret_key())
    }
}

impl fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryCode(redacted)")
    }
}

fn malformed(reason: &'static str) -> VaultError {
    VaultError::MalformedRecoveryCode { reason }
}

/// Two symbols (10 bits) of SHA-256 over the random symbols.
fn check_symbols(random_symbols: &str) -> String {
    let digest = Sha256::new_with_prefix(b"holdspace recovery check")
        .chain_update(random_symbols)
        .finalize();
    let bits = (u16::from(digest[0]) << 2) | (u16::from(digest[1]) >> 6);
    [bits >> 5, bits & 31]
        .iter()
        .map(|i| char::from(ALPHABET[usize::from(*i)]))
        .collect()
}

/// Wraps `data_key` so that only the holder of the code behind `recipient` can unwrap it.
pub(crate) fn wrap(data_key: &SymmetricKey, recipient: &PublicKey) -> Result<[u8; SLOT_LEN]> {
    let mut ephemeral_bytes = [0u8; 32];
    fill_random(&mut ephemeral_bytes)?;
    let ephemeral = StaticSecret::from(ephemeral_bytes);
    ephemeral_bytes.zeroize();
    let ephemeral_public = PublicKey::from(&ephemeral);
    let wrap_key = wrapping_key(
        &ephemeral.diffie_hellman(recipient),
        &ephemeral_public,
        recipient,
    )
    .ok_or_else(|| VaultError::Store("the recovery public key is not usable".into()))?;
    let sealed = aead::seal(&wrap_key, SLOT_AD, data_key.as_bytes())?;
    let mut slot = [0u8; SLOT_LEN];
    slot[..32].copy_from_slice(ephemeral_public.as_bytes());
    slot[32..].copy_from_slice(&sealed);
    Ok(slot)
}

/// Unwraps the data key from a recovery slot with the code's secret.
pub(crate) fn unwrap(slot: &[u8; SLOT_LEN], code: &RecoveryCode) -> Result<SymmetricKey> {
    let mut ephemeral_public = [0u8; 32];
    ephemeral_public.copy_from_slice(&slot[..32]);
    let ephemeral_public = PublicKey::from(ephemeral_public);
    let shared = code.secret_key().diffie_hellman(&ephemeral_public);
    let wrap_key = wrapping_key(&shared, &ephemeral_public, &code.public_key())
        .ok_or(VaultError::WrongRecoveryCode)?;
    let opened =
        aead::open(&wrap_key, SLOT_AD, &slot[32..]).map_err(|_| VaultError::WrongRecoveryCode)?;
    let mut key = [0u8; KEY_LEN];
    key.copy_from_slice(&opened);
    let data_key = SymmetricKey::from_bytes(key);
    key.zeroize();
    Ok(data_key)
}

const SLOT_AD: &[u8] = b"holdspace recovery slot v1";

/// HKDF over the X25519 shared secret, bound to both public keys; `None` for a low-order point
/// (a shared secret of all zeros), which no honest header contains.
fn wrapping_key(
    shared: &SharedSecret,
    ephemeral: &PublicKey,
    recipient: &PublicKey,
) -> Option<SymmetricKey> {
    if !shared.was_contributory() {
        return None;
    }
    let mut salt = [0u8; 64];
    salt[..32].copy_from_slice(ephemeral.as_bytes());
    salt[32..].copy_from_slice(recipient.as_bytes());
    let hk = Hkdf::<Sha256>::new(Some(&salt), shared.as_bytes());
    let mut bytes = [0u8; KEY_LEN];
    let _ = hk.expand(b"holdspace recovery wrap v1", &mut bytes);
    let key = SymmetricKey::from_bytes(bytes);
    bytes.zeroize();
    Some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_codes_parse_back_in_any_typing() {
        let code = RecoveryCode::generate().unwrap();
        let shown = code.display_grouped();
        assert_eq!(shown.len(), 39);
        assert_eq!(shown.matches('-').count(), 7);
        let sloppy = shown.to_lowercase().replace('-', " ");
        let parsed = RecoveryCode::parse(&sloppy).unwrap();
        assert_eq!(parsed.public_key().as_bytes(), code.public_key().as_bytes());
    }

    #[test]
    fn look_alikes_lengths_and_typos_are_malformed() {
        let code = RecoveryCode::generate().unwrap();
        let text = code.0.to_string();
        let bad_char = format!("O{}", &text[1..]);
        let short = &text[..31];
        let mut typo: Vec<u8> = text.clone().into_bytes();
        typo[3] = if typo[3] == b'A' { b'B' } else { b'A' };
        let typo = String::from_utf8(typo).unwrap();
        for bad in [bad_char.as_str(), short, ""] {
            assert!(matches!(
                RecoveryCode::parse(bad),
                Err(VaultError::MalformedRecoveryCode { .. })
            ));
        }
        // A single changed symbol is caught by the check symbols most of the time (10 bits);
        // when it is not, it is still a different code.
        if let Ok(other) = RecoveryCode::parse(&typo) {
            assert_ne!(other.public_key().as_bytes(), code.public_key().as_bytes());
        }
    }

    #[test]
    fn wrap_unwraps_only_with_the_right_code() {
        let code = RecoveryCode::generate().unwrap();
        let other = RecoveryCode::generate().unwrap();
        let key = SymmetricKey::random().unwrap();
        let slot = wrap(&key, &code.public_key()).unwrap();
        assert_eq!(unwrap(&slot, &code).unwrap().as_bytes(), key.as_bytes());
        assert!(matches!(
            unwrap(&slot, &other),
            Err(VaultError::WrongRecoveryCode)
        ));
    }
}
