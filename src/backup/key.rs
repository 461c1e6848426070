//! The backup key: an age X25519 identity derived from the recovery code, so that the recovery
//! sheet alone opens the vault *and* every backup made to the key, and its public recipient,
//! which the vault stores so that backups need no passphrase prompt.
//!
//! Policy: the identity's 32 secret bytes come from HKDF-SHA256 over the recovery code under
//! their own salt and info, so the backup key and the vault's recovery key are independent
//! (knowing one says nothing about the other). The identity exists only while a recovery code
//! is at hand (verifying, restoring, or writing an identity file for the plain `age` tool); the
//! vault keeps only the public recipient. No `Debug` here prints a secret.

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
/// Bech32 human-readable part of an age secret key (written upper-case, as age does).
const SECRET_KEY_HRP: &str = "age-secret-key-";

/// The backup key's secret half: decrypts backups made to the vault's backup recipient.
pub struct BackupIdentity(age::x25519::Identity);

impl BackupIdentity {
    /// The backup identity the recovery code stands for.
    pub fn from_recovery_code(code: &RecoveryCode) -> Self {
        let secret = code.derive_secret(SALT, INFO);
        let mut encoded = secret_key_string(&secret);
        let parsed = age::x25519::Identity::from_str(&encoded);
        encoded.zeroize();
        match parsed {
            Ok(identity) => Self(identity),
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

    fn age_public_bytes(r: &BackupRecipient) -> Vec<u8> {
        use bech32::FromBase32;
        let (_, data, _) = bech32::decode(&r.to_string()).unwrap();
        Vec::<u8>::from_base32(&data).unwrap()
    }
}
