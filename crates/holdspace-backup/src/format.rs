//! What a backup holds once decrypted: one JSON object, a manifest and the practice in the open
//! format (`docs/practice-json.md`), byte for byte as an export writes it:
//!
//! ```json
//! { "manifest": { "format": "holdspace-backup", "format_version": 1, "created_at": "…",
//!                 "counts": { "groups": 30, … }, "practice_sha256": "…" },
//!   "practice": { "format": "holdspace-practice", … } }
//! ```
//!
//! Policy: reading checks everything before anyone may use the practice — the manifest's
//! format and version, the SHA-256 of the practice bytes, the practice's shape and every rule
//! an import checks, and the counts — and names the first problem. Nothing here encrypts,
//! touches the disk or a vault.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};
use time::{Date, OffsetDateTime};
use zeroize::Zeroizing;

use super::BackupError;
use crate::practice::{Invalid, PracticeJson};

/// The manifest's `format` value.
pub const FORMAT_NAME: &str = "holdspace-backup";
/// The backup format version this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// What a backup says about itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always `holdspace-backup`.
    pub format: String,
    /// Backup format version (1).
    pub format_version: u32,
    /// When the backup was made.
    #[serde(with = "crate::practice::moment")]
    pub created_at: OffsetDateTime,
    /// How many records of each kind the practice holds.
    pub counts: Counts,
    /// SHA-256 (lower-case hex) of the `practice` value's bytes exactly as written.
    pub practice_sha256: String,
    /// HMAC-SHA256 (lower-case hex) of the rest of the manifest under the vault's backup
    /// signing key (see [`crate::key`]); absent in backups made before backups were
    /// signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
}

impl Manifest {
    /// The bytes a signature covers: the manifest without its signature, as compact JSON.
    pub fn signed_bytes(&self) -> Vec<u8> {
        let unsigned = Self {
            signature: None,
            ..self.clone()
        };
        // Strings, numbers and a date: serialising cannot fail.
        serde_json::to_vec(&unsigned).unwrap_or_default()
    }
}

/// Who could have made a backup, as far as opening it can tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Authenticity {
    /// Its signature is this recovery code's: made by this practice's vault.
    MadeByThisPractice,
    /// Encrypted under a passphrase: whoever made it knew the passphrase.
    PassphraseProtected,
    /// Not signed: made before backups were signed, or by someone who knew only the public
    /// backup key.
    Unsigned,
    /// Signed, but not by this recovery code's key: made by another practice, or forged.
    SignedByAnotherKey,
}

impl Authenticity {
    /// What opening with `opener` tells about `manifest`.
    pub fn of(manifest: &Manifest, opener: super::Opener<'_>) -> Self {
        match opener {
            super::Opener::Passphrase(_) => Self::PassphraseProtected,
            super::Opener::BackupKey(identity) => match &manifest.signature {
                None => Self::Unsigned,
                Some(signature) => {
                    if identity
                        .signing_key()
                        .verify(&manifest.signed_bytes(), signature)
                    {
                        Self::MadeByThisPractice
                    } else {
                        Self::SignedByAnotherKey
                    }
                }
            },
        }
    }

    /// True when only the practice (or whoever knew the backup's passphrase) could have made
    /// it; otherwise a restore needs the practitioner's explicit word.
    pub fn is_vouched_for(self) -> bool {
        matches!(self, Self::MadeByThisPractice | Self::PassphraseProtected)
    }

    /// One sentence for the practitioner.
    pub fn describe(self) -> &'static str {
        match self {
            Self::MadeByThisPractice => "made by this practice's vault (its signature checks out with the recovery code)",
            Self::PassphraseProtected => "protected by its own passphrase, so whoever made it knew that passphrase",
            Self::Unsigned => "not signed by this practice: someone else could have made it, since anyone who knows the public backup key can",
            Self::SignedByAnotherKey => "signed, but not by this practice: another practice's vault, or someone else, made it",
        }
    }
}

pub use crate::practice::Counts;

/// The plaintext as written (borrowing the practice bytes).
#[derive(Serialize)]
struct EnvelopeOut<'a> {
    manifest: &'a Manifest,
    practice: &'a RawValue,
}

/// The plaintext as read (borrowing the practice bytes).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EnvelopeIn<'a> {
    manifest: Manifest,
    #[serde(borrow)]
    practice: &'a RawValue,
}

/// The decrypted, checked content of a backup.
#[derive(Clone, Debug)]
pub struct BackupContent {
    /// What the backup says about itself (checked against the practice).
    pub manifest: Manifest,
    /// The practice, parsed and validated as an import would.
    pub practice: PracticeJson,
    /// What an as-found open kept: the rules its records break (empty for a checked backup,
    /// which breaks none). A restore of such content keeps them, and says so.
    pub findings: Vec<Invalid>,
    /// Who could have made it (set by [`crate::open_backup`] from how it was opened).
    pub authenticity: Authenticity,
}

/// The plaintext of a backup of `practice`, made at `created_at`, and its manifest.
pub fn encode(
    practice: &PracticeJson,
    created_at: OffsetDateTime,
    signer: Option<&super::BackupSigningKey>,
) -> Result<(Zeroizing<Vec<u8>>, Manifest), BackupError> {
    // Checked as a restore will check it (on this computer's date, or later): a backup that
    // could not be restored is not made.
    let today = crate::clock::system_clock().date().max(created_at.date());
    practice
        .validate(today)
        .map_err(BackupError::WouldNotRestore)?;
    let practice_bytes = Zeroizing::new(practice.to_json());
    let manifest = Manifest {
        format: FORMAT_NAME.to_owned(),
        format_version: FORMAT_VERSION,
        created_at,
        counts: Counts::of(practice),
        practice_sha256: sha256_hex(&practice_bytes),
        signature: None,
    };
    let manifest = Manifest {
        signature: signer.map(|key| key.sign(&manifest.signed_bytes())),
        ..manifest
    };
    let text =
        std::str::from_utf8(&practice_bytes).map_err(|e| BackupError::Encode(e.to_string()))?;
    let raw: &RawValue =
        serde_json::from_str(text).map_err(|e| BackupError::Encode(e.to_string()))?;
    let mut out = Zeroizing::new(Vec::with_capacity(practice_bytes.len() + 1024));
    serde_json::to_writer_pretty(
        &mut *out,
        &EnvelopeOut {
            manifest: &manifest,
            practice: raw,
        },
    )
    .map_err(|e| BackupError::Encode(e.to_string()))?;
    Ok((out, manifest))
}

/// Reads and checks a backup's plaintext; `today` is the day practice dates are checked
/// against (nothing may lie in the future).
pub fn decode(plaintext: &[u8], today: Date) -> Result<BackupContent, BackupError> {
    let content = decode_unchecked(plaintext)?;
    content
        .practice
        .validate(today)
        .map_err(BackupError::Inconsistent)?;
    Ok(content)
}

/// Decodes an intact backup whatever rules its records break, with every problem found
/// (for a lenient restore). Damage, a wrong manifest, an unknown format and duplicate ids
/// are still refused.
pub fn decode_as_found(plaintext: &[u8], today: Date) -> Result<BackupContent, BackupError> {
    let mut content = decode_unchecked(plaintext)?;
    content.findings = content
        .practice
        .findings(today)
        .map_err(BackupError::Inconsistent)?;
    Ok(content)
}

/// Checks the envelope, the checksum and the counts, and parses the practice.
fn decode_unchecked(plaintext: &[u8]) -> Result<BackupContent, BackupError> {
    let envelope: EnvelopeIn<'_> =
        serde_json::from_slice(plaintext).map_err(|_| BackupError::NotABackup)?;
    let manifest = envelope.manifest;
    if manifest.format != FORMAT_NAME {
        return Err(BackupError::NotABackup);
    }
    if manifest.format_version != FORMAT_VERSION {
        return Err(BackupError::UnsupportedVersion {
            found: manifest.format_version,
        });
    }
    let practice_bytes = envelope.practice.get().as_bytes();
    if sha256_hex(practice_bytes) != manifest.practice_sha256.to_ascii_lowercase() {
        return Err(BackupError::ChecksumMismatch);
    }
    let practice = PracticeJson::parse(practice_bytes).map_err(BackupError::InvalidPractice)?;
    if Counts::of(&practice) != manifest.counts {
        return Err(BackupError::ManifestMismatch);
    }
    Ok(BackupContent {
        manifest,
        practice,
        findings: Vec::new(),
        authenticity: Authenticity::Unsigned,
    })
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex_of(&Sha256::digest(bytes))
}

/// Lower-case hex SHA-256 of the file at `path`, read in pieces (a backup may be large).
pub(crate) fn sha256_hex_of_file(path: &std::path::Path) -> std::io::Result<String> {
    let mut hasher = Sha256::new();
    std::io::copy(&mut std::fs::File::open(path)?, &mut hasher)?;
    Ok(hex_of(&hasher.finalize()))
}

fn hex_of(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    fn small() -> PracticeJson {
        crate::practice::demo::demo_practice(0.01, 3, date!(2026 - 11 - 26))
    }

    #[test]
    fn encode_then_decode_gives_the_practice_back() {
        let practice = small();
        let (bytes, _) = encode(&practice, datetime!(2026-11-26 10:00 UTC), None).unwrap();
        let content = decode(&bytes, date!(2026 - 11 - 26)).unwrap();
        assert_eq!(content.practice, practice);
        assert_eq!(content.manifest.counts, Counts::of(&practice));
        assert_eq!(content.manifest.format_version, 1);
        // The practice inside is exactly what an export writes.
        let value: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        let inner = serde_json::to_vec_pretty(&value["practice"]).unwrap();
        assert_eq!(PracticeJson::parse(&inner).unwrap(), practice);
    }

    #[test]
    fn a_changed_practice_or_manifest_is_refused() {
        let practice = small();
        let (bytes, _) = encode(&practice, datetime!(2026-11-26 10:00 UTC), None).unwrap();
        let text = String::from_utf8(bytes.to_vec()).unwrap();
        let today = date!(2026 - 11 - 26);
        let edited = text.replacen("\"holdspace-practice\"", "\"holdspace-practice\" ", 1);
        assert!(matches!(
            decode(edited.as_bytes(), today),
            Err(BackupError::ChecksumMismatch)
        ));
        let newer = text.replacen("\"format_version\": 1", "\"format_version\": 2", 1);
        assert!(matches!(
            decode(newer.as_bytes(), today),
            Err(BackupError::UnsupportedVersion { found: 2 })
        ));
        let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
        value["manifest"]["counts"]["notes"] = 999_999.into();
        let miscounted = serde_json::to_vec(&value).unwrap();
        // Re-serialising changes the practice bytes too, so fix the checksum up.
        let raw = serde_json::to_vec(&value["practice"]).unwrap();
        value["manifest"]["practice_sha256"] = sha256_hex(&raw).into();
        let miscounted_fixed = serde_json::to_vec(&value).unwrap();
        assert!(decode(&miscounted, today).is_err());
        assert!(matches!(
            decode(&miscounted_fixed, today),
            Err(BackupError::ManifestMismatch)
        ));
        assert!(matches!(
            decode(b"{\"format\": \"holdspace-practice\"}", today),
            Err(BackupError::NotABackup)
        ));
        // Intact (the checksum is right) but breaking a rule: named, and not called damage.
        let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert!(
            value["practice"]["signatures"][0].is_object(),
            "the demo signs"
        );
        value["practice"]["signatures"][0]["discuss"] = serde_json::json!([999]);
        let raw = serde_json::to_vec(&value["practice"]).unwrap();
        value["manifest"]["practice_sha256"] = sha256_hex(&raw).into();
        let inconsistent = serde_json::to_vec(&value).unwrap();
        let refused = decode(&inconsistent, today).unwrap_err();
        assert!(
            matches!(&refused, BackupError::Inconsistent(i) if i.field == "signatures[0].discuss"),
            "{refused:?}"
        );
    }
}
