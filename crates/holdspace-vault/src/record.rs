//! One record on disk: its opaque id, its kind, the plaintext framing with padding, and its
//! sealing under the data key.
//!
//! Policy: the sled key is the record id alone (16 random bytes) and says nothing about what
//! the record is; the kind, schema version and body live inside the ciphertext. The associated
//! data binds vault id ‖ key epoch ‖ record id ‖ format version ‖ revision, so a blob copied to
//! another id, vault or epoch fails to open, and a record's revision (the number of the commit
//! that wrote it, see [`crate::ledger`]) cannot be changed without the value failing to open:
//! an older sealed value of a record always shows its older revision. Plaintexts are padded to
//! size buckets so that lengths on disk say little about content.
//!
//! Stored value (format 2): `format (1 byte) ‖ revision (u64 LE) ‖ nonce (24) ‖ ciphertext ‖
//! tag (16)`. Format 1 (vault format 1, read only to upgrade it) had no revision:
//! `format ‖ nonce ‖ ciphertext ‖ tag`, bound to vault id ‖ epoch ‖ id ‖ format.
//! Plaintext: `kind length (1) ‖ kind ‖ schema (u32 LE) ‖ body length (u32 LE) ‖ body ‖ zeros`,
//! where the body is JSON — self-describing, so records written before a field was added still
//! decode.

use std::fmt;
use std::str::FromStr;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::aead;
use crate::error::{Result, VaultError};
use crate::secret::SymmetricKey;

/// The record format this version writes.
pub const RECORD_FORMAT: u8 = 2;
/// The record format of vault format 1, read only to upgrade such a vault.
pub const LEGACY_RECORD_FORMAT: u8 = 1;
/// Bytes before the nonce in a format-2 value: the format and the revision.
pub const VALUE_PREFIX_LEN: usize = 1 + 8;
/// Largest body accepted, in bytes (16 MiB).
pub const MAX_BODY_LEN: usize = 16 * 1024 * 1024;
/// Longest record kind.
pub const MAX_KIND_LEN: usize = 32;

/// The opaque, random identity of a record (a UUID v4).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RecordId(uuid::Uuid);

impl RecordId {
    /// A fresh random id.
    pub fn random() -> Self {
        Self(uuid::Uuid::new_v4())
    }

    /// The 16 bytes used as the sled key.
    pub fn as_bytes(&self) -> &[u8; 16] {
        self.0.as_bytes()
    }

    /// The id stored under a 16-byte sled key; `None` for any other length.
    pub fn from_key(key: &[u8]) -> Option<Self> {
        uuid::Uuid::from_slice(key).ok().map(Self)
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

impl fmt::Debug for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RecordId({self})")
    }
}

impl FromStr for RecordId {
    type Err = uuid::Error;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        uuid::Uuid::parse_str(s).map(Self)
    }
}

/// A decrypted record. Its body is wiped from memory when it is dropped.
pub struct Record {
    /// The record's id.
    pub id: RecordId,
    /// What the record is (e.g. `member`), as the domain layer named it.
    pub kind: String,
    /// The domain layer's schema version for this kind.
    pub schema: u32,
    /// The number of the commit that wrote this value (0 for a format-1 value).
    pub revision: u64,
    /// The body as JSON bytes.
    body: Zeroizing<Vec<u8>>,
}

impl Record {
    /// Decodes the body as `T`.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T> {
        serde_json::from_slice(&self.body).map_err(|e| VaultError::Decode {
            id: self.id,
            detail: e.to_string(),
        })
    }

    /// The body's JSON bytes.
    pub fn body_json(&self) -> &[u8] {
        &self.body
    }
}

impl fmt::Debug for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Record")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("schema", &self.schema)
            .field("revision", &self.revision)
            .finish_non_exhaustive()
    }
}

/// Refuses kinds that are empty, too long, or not `a-z 0-9 - _`.
pub fn check_kind(kind: &str) -> Result<()> {
    let ok = !kind.is_empty()
        && kind.len() <= MAX_KIND_LEN
        && kind
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(VaultError::InvalidKind {
            kind: kind.chars().take(64).collect(),
        })
    }
}

/// What binds a record to its place: the vault, the key epoch, and the record format the
/// store holds.
#[derive(Clone, Copy)]
pub struct RecordContext {
    /// The vault's id.
    pub vault_id: [u8; 16],
    /// The current key epoch.
    pub epoch: u32,
    /// The record format of this store: [`RECORD_FORMAT`], or [`LEGACY_RECORD_FORMAT`] for a
    /// format-1 vault being upgraded. A value of any other format does not open.
    pub format: u8,
}

impl RecordContext {
    /// A context for a store of the current record format.
    pub fn current(vault_id: [u8; 16], epoch: u32) -> Self {
        Self {
            vault_id,
            epoch,
            format: RECORD_FORMAT,
        }
    }

    fn associated_data(&self, id: &RecordId, format: u8, revision: u64) -> Vec<u8> {
        let mut ad = Vec::with_capacity(61);
        ad.extend_from_slice(b"holdspace record");
        ad.extend_from_slice(&self.vault_id);
        ad.extend_from_slice(&self.epoch.to_le_bytes());
        ad.extend_from_slice(id.as_bytes());
        ad.push(format);
        if format != LEGACY_RECORD_FORMAT {
            ad.extend_from_slice(&revision.to_le_bytes());
        }
        ad
    }

    /// Encrypts a record body (already JSON) into the stored value, at `revision`. Always
    /// writes [`RECORD_FORMAT`].
    pub fn seal(
        &self,
        key: &SymmetricKey,
        id: &RecordId,
        revision: u64,
        kind: &str,
        schema: u32,
        body_json: &[u8],
    ) -> Result<Vec<u8>> {
        check_kind(kind)?;
        if body_json.len() > MAX_BODY_LEN {
            return Err(VaultError::RecordTooLarge {
                size: body_json.len(),
                limit: MAX_BODY_LEN,
            });
        }
        let plaintext = frame(kind, schema, body_json);
        let ad = self.associated_data(id, RECORD_FORMAT, revision);
        let sealed = aead::seal(key, &ad, &plaintext)?;
        let mut value = Vec::with_capacity(VALUE_PREFIX_LEN + sealed.len());
        value.push(RECORD_FORMAT);
        value.extend_from_slice(&revision.to_le_bytes());
        value.extend_from_slice(&sealed);
        Ok(value)
    }

    /// Decrypts a stored value; any failure is [`VaultError::RecordDamaged`] naming `id`.
    pub fn open(&self, key: &SymmetricKey, id: RecordId, value: &[u8]) -> Result<Record> {
        let damaged = || VaultError::RecordDamaged { id };
        let (&format, rest) = value.split_first().ok_or_else(damaged)?;
        if format != self.format {
            return Err(damaged());
        }
        let (revision, sealed) = if format == LEGACY_RECORD_FORMAT {
            (0, rest)
        } else {
            (revision_of(value).ok_or_else(damaged)?, &rest[8..])
        };
        let ad = self.associated_data(&id, format, revision);
        let plaintext = aead::open(key, &ad, sealed).map_err(|_| damaged())?;
        unframe(id, revision, plaintext).ok_or_else(damaged)
    }
}

/// The revision a format-2 value says it has, read without opening it (so without proof:
/// only [`RecordContext::open`] proves it). `None` for any other format or a value too short.
pub fn revision_of(value: &[u8]) -> Option<u64> {
    match value {
        [RECORD_FORMAT, revision @ ..] if revision.len() >= 8 => {
            Some(u64::from_le_bytes(revision[..8].try_into().ok()?))
        }
        _ => None,
    }
}

/// Frames and pads a record's plaintext (the layout in this module's doc). Public so that
/// benchmarks can build floors from exactly the bytes the vault seals.
pub fn frame(kind: &str, schema: u32, body: &[u8]) -> Zeroizing<Vec<u8>> {
    let unpadded = 1 + kind.len() + 4 + 4 + body.len();
    let mut out = Zeroizing::new(Vec::with_capacity(padded_len(unpadded)));
    // check_kind guarantees the kind fits in one byte and the body limit fits in a u32.
    out.push(kind.len() as u8);
    out.extend_from_slice(kind.as_bytes());
    out.extend_from_slice(&schema.to_le_bytes());
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(body);
    out.resize(padded_len(unpadded), 0);
    out
}

/// The padded size for a plaintext of `len` bytes: multiples of 256 up to 4 KiB, then steps of
/// one eighth of the next power of two (at most 12.5 % overhead).
pub fn padded_len(len: usize) -> usize {
    let step = if len <= 4096 {
        256
    } else {
        len.next_power_of_two() / 16
    };
    len.div_ceil(step).max(1) * step
}

/// Undoes [`frame`]; `None` if the framing is inconsistent.
fn unframe(id: RecordId, revision: u64, mut plaintext: Zeroizing<Vec<u8>>) -> Option<Record> {
    let kind_len = usize::from(*plaintext.first()?);
    let kind = std::str::from_utf8(plaintext.get(1..1 + kind_len)?)
        .ok()?
        .to_owned();
    check_kind(&kind).ok()?;
    let at = 1 + kind_len;
    let schema = u32::from_le_bytes(plaintext.get(at..at + 4)?.try_into().ok()?);
    let body_len = u32::from_le_bytes(plaintext.get(at + 4..at + 8)?.try_into().ok()?) as usize;
    let body_at = at + 8;
    let body_end = body_at.checked_add(body_len)?;
    if body_end > plaintext.len() {
        return None;
    }
    plaintext.truncate(body_end);
    plaintext.drain(..body_at);
    Some(Record {
        id,
        kind,
        schema,
        revision,
        body: plaintext,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> RecordContext {
        RecordContext::current([7; 16], 1)
    }

    #[test]
    fn padding_buckets() {
        for (len, padded) in [
            (0, 256),
            (1, 256),
            (256, 256),
            (257, 512),
            (4096, 4096),
            (4097, 4608),
            (70_000, 73_728),
        ] {
            assert_eq!(padded_len(len), padded, "len {len}");
        }
    }

    #[test]
    fn seal_open_round_trip() {
        let key = SymmetricKey::random().unwrap();
        let id = RecordId::random();
        let value = ctx()
            .seal(&key, &id, 9, "member", 3, br#"{"name":"Ana"}"#)
            .unwrap();
        assert_eq!(value.len(), 1 + 8 + 24 + 256 + 16);
        assert_eq!(revision_of(&value), Some(9));
        let record = ctx().open(&key, id, &value).unwrap();
        assert_eq!((record.kind.as_str(), record.schema), ("member", 3));
        assert_eq!(record.revision, 9);
        assert_eq!(record.body_json(), br#"{"name":"Ana"}"#);
    }

    #[test]
    fn a_blob_moved_to_another_id_epoch_or_vault_is_damaged() {
        let key = SymmetricKey::random().unwrap();
        let id = RecordId::random();
        let value = ctx().seal(&key, &id, 1, "member", 1, b"{}").unwrap();
        let other_id = RecordId::random();
        let other_epoch = RecordContext::current([7; 16], 2);
        let other_vault = RecordContext {
            vault_id: [8; 16],
            ..ctx()
        };
        assert!(
            matches!(ctx().open(&key, other_id, &value), Err(VaultError::RecordDamaged { id }) if id == other_id)
        );
        assert!(other_epoch.open(&key, id, &value).is_err());
        assert!(other_vault.open(&key, id, &value).is_err());
    }

    #[test]
    fn a_revision_changed_in_the_clear_does_not_open() {
        let key = SymmetricKey::random().unwrap();
        let id = RecordId::random();
        let mut value = ctx().seal(&key, &id, 5, "note", 1, b"{}").unwrap();
        value[1] = 6;
        assert!(matches!(
            ctx().open(&key, id, &value),
            Err(VaultError::RecordDamaged { .. })
        ));
        value[1] = 5;
        assert_eq!(ctx().open(&key, id, &value).unwrap().revision, 5);
    }

    #[test]
    fn kinds_are_checked() {
        for good in ["member", "audit-event", "a_1"] {
            assert!(check_kind(good).is_ok());
        }
        for bad in ["", "Member", "a b", "ü", &"k".repeat(33)] {
            assert!(check_kind(bad).is_err(), "{bad}");
        }
    }
}
