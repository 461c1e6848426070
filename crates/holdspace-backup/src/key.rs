//! The backup key: an age X25519 identity derived from the recovery code, so that the recovery
//! sheet alone opens the vault *and* every backup made to the key, and its public recipient,
//! which the vault stores so that backups need no passphrase prompt.
//!
//! Policy: the identity's 32 secret bytes come from HKDF-SHA256 over the recovery code under
//! their own salt and info, so the backup key and the vault's recovery key are independent
//! (knowing one says nothing about the other). The identity exists only while a recovery code
//! is at hand (verifying, restoring, or writing an identity file for the plain `age` tool); the
//! vault keeps only the public recipient. No `Debug` here prints a secret.
//!
//! Anyone who knows the public recipient can encrypt a file to it, so a backup's encryption
//! says nothing about who made it. The **signing key** does: 32 bytes from the same recovery
//! code under a third salt and info, kept (sealed) in the vault's backup settings, and used for
//! an HMAC-SHA256 over every backup's manifest (which carries the practice's SHA-256). A
//! restore with the recovery code derives it again and checks the signature, so "made by this
//! practice's vault" needs nothing but the recovery sheet.

use std::fmt;
use std::str::FromStr;

use age::secrecy::ExposeSecret;
use bech32::{ToBase32, Variant};
use zeroize::{Zeroize, Zeroizing};

use super::BackupError;
use crate::recovery::RecoveryCode;

/// HKDF salt of the backup key.
const SALT: &[u8] = b"holdspace-backup-v1";
/// HKDF info of the backup key.
const INFO: &[u8] = b"holdspace backup key v1";
/// HKDF salt of the backup signing key.
const SIGNING_SALT: &[u8] = b"holdspace-backup-signing-v1";
/// HKDF info of the backup signing key.
const SIGNING_INFO: &[u8] = b"holdspace backup signing key v1";
/// What the signature covers starts with this label.
const SIGNING_LABEL: &[u8] = b"holdspace backup manifest v1\0";
/// Bech32 human-readable part of an age secret key (written upper-case, as age does).
const SECRET_KEY_HRP: &str = "age-secret-key-";

/// The backup key's secret half: decrypts backups made to the vault's backup recipient, and
/// checks their signatures.
pub struct BackupIdentity(age::x25519::Identity, BackupSigningKey);

impl BackupIdentity {
    /// The backup identity the recovery code stands for.
    pub fn from_recovery_code(code: &RecoveryCode) -> Self {
        let secret = code.derive_secret(SALT, INFO);
        let mut encoded = secret_key_string(&secret);
        let parsed = age::x25519::Identity::from_str(&encoded);
        encoded.zeroize();
        let signing = BackupSigningKey::from_recovery_code(code);
        match parsed {
            Ok(identity) => Self(identity, signing),
            // Any 32 bytes make a valid age X25519 identity, and the string above is built to
            // age's own encoding; a failure would be a bug in this function.
            Err(e) => unreachable!("a 32-byte secret must encode as an age identity: {e}"),
        }
    }

    /// The public recipient backups are encrypted to.
    pub fn recipient(&self) -> BackupRecipient {
        BackupRecipient(self.0.to_public())
    }

    /// The identity as age writes it (`AGE-SECRET-KEY-1…`), for an identity file the plain
    /// `age -d -i FILE` can use. This is a secret: show it only where the practitioner asked.
    pub fn to_age_secret_key(&self) -> Zeroizing<String> {
        Zeroizing::new(self.0.to_string().expose_secret().to_owned())
    }

    /// The identity for the age crate.
    pub(crate) fn as_age(&self) -> &age::x25519::Identity {
        &self.0
    }

    /// The signing key from the same recovery code.
    pub fn signing_key(&self) -> &BackupSigningKey {
        &self.1
    }
}

/// The key that signs a vault's backups (an HMAC-SHA256 key), from the recovery code. Wiped
/// when dropped; its `Debug` prints nothing of it.
#[derive(Clone, PartialEq, Eq)]
pub struct BackupSigningKey(Zeroizing<[u8; 32]>);

impl BackupSigningKey {
    /// The signing key the recovery code stands for.
    pub fn from_recovery_code(code: &RecoveryCode) -> Self {
        Self(code.derive_secret(SIGNING_SALT, SIGNING_INFO))
    }

    /// The key as 64 lower-case hex digits, to keep in the vault's (encrypted) settings.
    pub fn to_hex(&self) -> Zeroizing<String> {
        let mut out = Zeroizing::new(String::with_capacity(64));
        for byte in self.0.iter() {
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
        out
    }

    /// Reads a key kept by [`BackupSigningKey::to_hex`]; `None` for anything else.
    pub fn from_hex(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        if bytes.len() != 64 {
            return None;
        }
        let mut key = Zeroizing::new([0u8; 32]);
        for (i, pair) in bytes.chunks(2).enumerate() {
            let high = hex_value(pair[0])?;
            let low = hex_value(pair[1])?;
            key[i] = (high << 4) | low;
        }
        Some(Self(key))
    }

    /// The signature of a manifest's signed bytes (lower-case hex).
    pub fn sign(&self, signed_bytes: &[u8]) -> String {
        use hmac::Mac;
        let tag = self.mac(signed_bytes).finalize().into_bytes();
        tag.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// True when `signature` is this key's signature of `signed_bytes` (checked in constant
    /// time).
    pub fn verify(&self, signed_bytes: &[u8], signature: &str) -> bool {
        use hmac::Mac;
        let Some(tag) = decode_hex_32(signature) else {
            return false;
        };
        self.mac(signed_bytes).verify_slice(&tag).is_ok()
    }

    fn mac(&self, signed_bytes: &[u8]) -> hmac::Hmac<sha2::Sha256> {
        use hmac::Mac;
        // HMAC accepts keys of any length.
        let mut mac = <hmac::Hmac<sha2::Sha256> as Mac>::new_from_slice(self.0.as_ref())
            .unwrap_or_else(|_| unreachable!());
        mac.update(SIGNING_LABEL);
        mac.update(signed_bytes);
        mac
    }
}

impl fmt::Debug for BackupSigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BackupSigningKey(redacted)")
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        _ => None,
    }
}

fn decode_hex_32(text: &str) -> Option<[u8; 32]> {
    let bytes = text.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in bytes.chunks(2).enumerate() {
        out[i] = (hex_value(pair[0])? << 4) | hex_value(pair[1])?;
    }
    Some(out)
}

impl fmt::Debug for BackupIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BackupIdentity(redacted)")
    }
}

/// The backup key's public half (`age1…`): anyone may encrypt to it; only the recovery code
/// decrypts.
#[derive(Clone, PartialEq, Eq)]
pub struct BackupRecipient(age::x25519::Recipient);

impl BackupRecipient {
    /// Reads a recipient as age writes it (`age1…`).
    pub fn parse(text: &str) -> Result<Self, BackupError> {
        age::x25519::Recipient::from_str(text.trim())
            .map(Self)
            .map_err(|_| BackupError::NoBackupKey)
    }

    /// The recipient for the age crate.
    pub(crate) fn as_age(&self) -> &age::x25519::Recipient {
        &self.0
    }
}

impl fmt::Display for BackupRecipient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Debug for BackupRecipient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BackupRecipient({})", self.0)
    }
}

/// The recipient the vault stores, from its recovery code.
pub fn recipient_from_recovery_code(code: &RecoveryCode) -> BackupRecipient {
    BackupIdentity::from_recovery_code(code).recipient()
}

/// `AGE-SECRET-KEY-1…` for 32 secret bytes (Bech32, upper-case), as age's own encoder does.
fn secret_key_string(secret: &[u8; 32]) -> Zeroizing<String> {
    // The 5-bit groups are a plain Vec that cannot be wiped (age has the same limitation);
    // the encoded strings are.
    let groups = secret.to_base32();
    let mut lower = match bech32::encode(SECRET_KEY_HRP, groups, Variant::Bech32) {
        Ok(text) => text,
        Err(e) => unreachable!("the age HRP is valid Bech32: {e}"),
    };
    let upper = Zeroizing::new(lower.to_uppercase());
    lower.zeroize();
    upper
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_code_gives_the_same_key_and_other_codes_other_keys() {
        let code = RecoveryCode::generate().unwrap();
        let again = RecoveryCode::parse(&code.display_grouped().to_lowercase()).unwrap();
        let other = RecoveryCode::generate().unwrap();
        let a = recipient_from_recovery_code(&code);
        assert_eq!(a, recipient_from_recovery_code(&again));
        assert_ne!(a, recipient_from_recovery_code(&other));
        assert!(a.to_string().starts_with("age1"));
        assert_eq!(BackupRecipient::parse(&a.to_string()).unwrap(), a);
    }

    #[test]
    fn the_identity_round_trips_through_age_encoding() {
        let code = RecoveryCode::generate().unwrap();
        let identity = BackupIdentity::from_recovery_code(&code);
        let text = identity.to_age_secret_key();
        assert!(text.starts_with("AGE-SECRET-KEY-1"), "upper-case Bech32");
        let parsed = age::x25519::Identity::from_str(&text).unwrap();
        assert_eq!(
            parsed.to_public().to_string(),
            identity.recipient().to_string()
        );
        assert_eq!(format!("{identity:?}"), "BackupIdentity(redacted)");
    }

    #[test]
    fn the_backup_key_is_not_the_recovery_key() {
        let code = RecoveryCode::generate().unwrap();
        let backup = recipient_from_recovery_code(&code);
        let recovery_public = code.public_key();
        let backup_bytes = age_public_bytes(&backup);
        assert_ne!(&backup_bytes, recovery_public.as_bytes());
    }

    #[test]
    fn the_signing_key_is_its_own_and_signs_only_what_it_signed() {
        let code = RecoveryCode::generate().unwrap();
        let key = BackupSigningKey::from_recovery_code(&code);
        let other = BackupSigningKey::from_recovery_code(&RecoveryCode::generate().unwrap());
        let signature = key.sign(b"manifest");
        assert!(key.verify(b"manifest", &signature));
        assert!(!key.verify(b"manifesT", &signature));
        assert!(!other.verify(b"manifest", &signature));
        assert!(!key.verify(b"manifest", "not hex"));
        assert_eq!(BackupSigningKey::from_hex(&key.to_hex()), Some(key.clone()));
        assert_eq!(BackupSigningKey::from_hex("zz"), None);
        assert_eq!(format!("{key:?}"), "BackupSigningKey(redacted)");
        let identity = BackupIdentity::from_recovery_code(&code);
        assert_eq!(identity.signing_key(), &key);
        assert_ne!(
            &key.0[..],
            &code.derive_secret(SALT, INFO)[..],
            "not the age key"
        );
    }

    fn age_public_bytes(r: &BackupRecipient) -> Vec<u8> {
        use bech32::FromBase32;
        let (_, data, _) = bech32::decode(&r.to_string()).unwrap();
        Vec::<u8>::from_base32(&data).unwrap()
    }
}
