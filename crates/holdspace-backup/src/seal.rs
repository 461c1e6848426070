//! Encrypting and decrypting a backup with the `age` crate, so the file is a standard age file
//! that the plain `age` tool opens: a passphrase becomes age's scrypt recipient, the backup key
//! its X25519 recipient.
//!
//! Policy: real backups use age's own scrypt work factor (tuned to about one second on this
//! machine); only [`KdfPolicy::InsecureTest`] lowers it, for tests. Decryption maps every age
//! failure to the situation a practitioner can act on — wrong passphrase, wrong key, a file
//! protected the other way, not a backup, cut short, damaged — and hands back the plaintext
//! only once age has authenticated all of it. Nothing here parses the plaintext or touches a
//! vault or the disk.

use std::io::{self, Read, Write};

use age::secrecy::SecretString;
use age::DecryptError;
use zeroize::Zeroizing;

use super::key::{BackupIdentity, BackupRecipient};
use super::BackupError;
use crate::kdf::KdfPolicy;
use crate::secret::Passphrase;

/// Every age file starts with this line.
const AGE_MAGIC: &[u8] = b"age-encryption.org/";

/// How a new backup is protected.
#[derive(Clone, Copy, Debug)]
pub enum Protection<'a> {
    /// A passphrase the practitioner chose for backups (age's scrypt recipient).
    Passphrase(&'a Passphrase),
    /// The vault's backup key (age's X25519 recipient): no passphrase needed to make it; the
    /// recovery code opens it.
    BackupKey(&'a BackupRecipient),
}

impl Protection<'_> {
    /// `passphrase` or `backup key`, for the audit trail.
    pub fn describe(&self) -> &'static str {
        match self {
            Self::Passphrase(_) => "passphrase",
            Self::BackupKey(_) => "backup key",
        }
    }
}

/// What opens a backup.
#[derive(Clone, Copy, Debug)]
pub enum Opener<'a> {
    /// The backup's passphrase.
    Passphrase(&'a Passphrase),
    /// The backup identity, from the recovery code.
    BackupKey(&'a BackupIdentity),
}

/// Encrypts `plaintext` as an age file.
pub fn seal(
    plaintext: &[u8],
    protection: Protection<'_>,
    policy: KdfPolicy,
) -> Result<Vec<u8>, BackupError> {
    let encryptor = match protection {
        Protection::Passphrase(passphrase) => {
            let mut recipient = age::scrypt::Recipient::new(secret_string(passphrase));
            if let Some(log_n) = policy.age_work_factor() {
                recipient.set_work_factor(log_n);
            }
            age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
        }
        Protection::BackupKey(recipient) => age::Encryptor::with_recipients(std::iter::once(
            recipient.as_age() as &dyn age::Recipient,
        )),
    }
    .map_err(|e| BackupError::Encode(e.to_string()))?;
    // Ciphertext: header (< 1 KiB) + 16 bytes of tag per 64 KiB chunk.
    let mut out = Vec::with_capacity(plaintext.len() + plaintext.len() / 4096 + 1024);
    let written = (|| {
        let mut writer = encryptor.wrap_output(&mut out)?;
        writer.write_all(plaintext)?;
        writer.finish().map(drop)
    })();
    written.map_err(|e| BackupError::Encode(e.to_string()))?;
    Ok(out)
}

/// Decrypts and authenticates a whole age file.
pub fn open(ciphertext: &[u8], opener: Opener<'_>) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    if !ciphertext.starts_with(AGE_MAGIC) {
        return Err(
            if ciphertext.len() < AGE_MAGIC.len() && AGE_MAGIC.starts_with(ciphertext) {
                BackupError::Truncated
            } else {
                BackupError::NotABackup
            },
        );
    }
    let decryptor = age::Decryptor::new_buffered(ciphertext).map_err(header_error)?;
    let is_passphrase_file = decryptor.is_scrypt();
    let reader = match (opener, is_passphrase_file) {
        (Opener::Passphrase(passphrase), true) => {
            let identity = age::scrypt::Identity::new(secret_string(passphrase));
            decryptor.decrypt(std::iter::once(&identity as &dyn age::Identity))
        }
        (Opener::BackupKey(identity), false) => {
            decryptor.decrypt(std::iter::once(identity.as_age() as &dyn age::Identity))
        }
        (Opener::Passphrase(_), false) => return Err(BackupError::NeedsRecoveryCode),
        (Opener::BackupKey(_), true) => return Err(BackupError::NeedsPassphrase),
    };
    let mut reader = reader.map_err(|e| key_error(e, is_passphrase_file))?;
    // Sized up front (the plaintext is shorter than the ciphertext) so no reallocation leaves
    // an unwiped copy behind.
    let mut plaintext = Zeroizing::new(Vec::with_capacity(ciphertext.len()));
    reader.read_to_end(&mut plaintext).map_err(payload_error)?;
    Ok(plaintext)
}

/// The passphrase for age. Built at its exact length so turning it into age's boxed string
/// does not reallocate and leave a copy behind.
fn secret_string(passphrase: &Passphrase) -> SecretString {
    let text = passphrase.expose_secret();
    let mut owned = String::with_capacity(text.len());
    owned.push_str(text);
    SecretString::from(owned)
}

/// A failure while reading the age header (before any key is tried).
fn header_error(e: DecryptError) -> BackupError {
    match e {
        DecryptError::Io(io) if io.kind() == io::ErrorKind::UnexpectedEof => BackupError::Truncated,
        DecryptError::UnknownFormat => BackupError::NotABackup,
        _ => BackupError::Damaged,
    }
}

/// A failure while unwrapping the file key with the given passphrase or key.
fn key_error(e: DecryptError, is_passphrase_file: bool) -> BackupError {
    match e {
        // scrypt: the passphrase did not decrypt the file key.
        DecryptError::DecryptionFailed | DecryptError::KeyDecryptionFailed
            if is_passphrase_file =>
        {
            BackupError::WrongPassphrase
        }
        DecryptError::NoMatchingKeys if is_passphrase_file => BackupError::WrongPassphrase,
        DecryptError::NoMatchingKeys => BackupError::WrongKey,
        DecryptError::ExcessiveWork { required, .. } => BackupError::ExcessiveWork { required },
        // The file key opened but the header's MAC does not match: the header was changed.
        DecryptError::InvalidMac => BackupError::Damaged,
        DecryptError::Io(io) if io.kind() == io::ErrorKind::UnexpectedEof => BackupError::Truncated,
        _ => BackupError::Damaged,
    }
}

/// A failure while decrypting the payload.
fn payload_error(e: io::Error) -> BackupError {
    if e.kind() == io::ErrorKind::UnexpectedEof {
        BackupError::Truncated
    } else {
        BackupError::Damaged
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recovery::RecoveryCode;

    const POLICY: KdfPolicy = KdfPolicy::InsecureTest;

    fn pass(text: &str) -> Passphrase {
        Passphrase::new(text).unwrap()
    }

    #[test]
    fn a_passphrase_backup_opens_only_with_its_passphrase() {
        let p = pass("river stone lantern");
        let sealed = seal(b"hello", Protection::Passphrase(&p), POLICY).unwrap();
        assert!(sealed.starts_with(AGE_MAGIC));
        assert_eq!(
            &open(&sealed, Opener::Passphrase(&p)).unwrap()[..],
            b"hello"
        );
        assert!(matches!(
            open(&sealed, Opener::Passphrase(&pass("river stone lanterns"))),
            Err(BackupError::WrongPassphrase)
        ));
        let identity = BackupIdentity::from_recovery_code(&RecoveryCode::generate().unwrap());
        assert!(matches!(
            open(&sealed, Opener::BackupKey(&identity)),
            Err(BackupError::NeedsPassphrase)
        ));
    }

    #[test]
    fn a_key_backup_opens_only_with_its_recovery_code() {
        let code = RecoveryCode::generate().unwrap();
        let identity = BackupIdentity::from_recovery_code(&code);
        let recipient = identity.recipient();
        let sealed = seal(b"hello", Protection::BackupKey(&recipient), POLICY).unwrap();
        assert_eq!(
            &open(&sealed, Opener::BackupKey(&identity)).unwrap()[..],
            b"hello"
        );
        let other = BackupIdentity::from_recovery_code(&RecoveryCode::generate().unwrap());
        assert!(matches!(
            open(&sealed, Opener::BackupKey(&other)),
            Err(BackupError::WrongKey)
        ));
        assert!(matches!(
            open(&sealed, Opener::Passphrase(&pass("anything at all"))),
            Err(BackupError::NeedsRecoveryCode)
        ));
    }

    #[test]
    fn cut_changed_and_foreign_files_are_named() {
        let p = pass("river stone lantern");
        let plaintext = vec![7u8; 200_000];
        let sealed = seal(&plaintext, Protection::Passphrase(&p), POLICY).unwrap();
        let open_with = |bytes: &[u8]| open(bytes, Opener::Passphrase(&p));
        assert!(matches!(
            open_with(&sealed[..65_536 * 2 + 16 * 2 + 200]),
            Err(BackupError::Truncated | BackupError::Damaged)
        ));
        assert!(matches!(
            open_with(&sealed[..40]),
            Err(BackupError::Truncated)
        ));
        assert!(matches!(
            open_with(&sealed[..5]),
            Err(BackupError::Truncated)
        ));
        let mut changed = sealed.clone();
        let last = changed.len() - 10;
        changed[last] ^= 1;
        assert!(matches!(open_with(&changed), Err(BackupError::Damaged)));
        assert!(matches!(
            open_with(b"{\"format\":1}"),
            Err(BackupError::NotABackup)
        ));
        assert!(matches!(open_with(b""), Err(BackupError::Truncated)));
    }
}
