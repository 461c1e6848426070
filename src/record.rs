//! One record on disk: its opaque id, its kind, the plaintext framing with padding, and its
//! sealing under the data key.
//!
//! Policy: the sled key is the record id alone (16 random bytes) and says nothing about what
//! the record is; the kind, schema version and body live inside the ciphertext. The associated
//! data binds vault id ‖ key epoch ‖ record id ‖ format version, so a blob copied to another
//! id, vault or epoch fails to open. Plaintexts are padded to size buckets so that lengths on
//! disk say little about content.
//!
//! Stored value (format 1): `format (1 byte) ‖ nonce (24) ‖ ciphertext ‖ tag (16)`.
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
pub const RECORD_FORMAT: u8 = 1;
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

/// What binds a record to its place: the vault, the key epoch and the record's id.
#[derive(Clone, Copy)]
pub struct RecordContext {
    /// The vault's id.
    pub vault_id: [u8; 16],
    /// The current key epoch.
    pub epoch: u32,
}

impl RecordContext {
    fn associated_data(&self, id: &RecordId, format: u8) -> [u8; 53] {
        let mut ad = [0u8; 53];
        ad[..16].copy_from_slice(b"holdspace record");
        ad[16..32].copy_from_slice(&self.vault_id);
        ad[32..36].copy_from_slice(&self.epoch.to_le_bytes());
        ad[36..52].copy_from_slice(id.as_bytes());
        ad[52] = format;
        ad
    }

    /// Encrypts a record body (already JSON) into the stored value.
    pub fn seal(
        &self,
        key: &SymmetricKey,
        id: &RecordId,
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
        let sealed = aead::seal(key, &self.associated_data(id, RECORD_FORMAT), &plaintext)?;
        let mut value = Vec::with_capacity(1 + sealed.len());
        value.push(RECORD_FORMAT);
        value.extend_from_slice(&sealed);
        Ok(value)
    }

    /// Decrypts a stored value; any failure is [`VaultError::RecordDamaged`] naming `id`.
    pub fn open(&self, key: &SymmetricKey, id: RecordId, value: &[u8]) -> Result<Record> {
        let damaged = || VaultError::RecordDamaged { id };
        let (&format, sealed) = value.split_first().ok_or_else(damaged)?;
        if format != RECORD_FORMAT {
            return Err(damaged());
        }
        let plaintext =
            aead::open(key, &self.associated_data(&id, format), sealed).map_err(|_| damaged())?;
        unframe(id, plaintext).ok_or_else(damaged)
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
fn unframe(id: RecordId, mut plaintext: Zeroizing<Vec<u8>>) -> Option<Record> {
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
        body: plaintext,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> RecordContext {
        RecordContext {
            vault_id: [7; 16],
            epoch: 1,
        }
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
            .seal(&key, &id, "member", 3, br#"{"name":"Ana"}"#)
            .unwrap();
        assert_eq!(value.len(), 1 + 24 + 256 + 16);
        let record = ctx().open(&key, id, &value).unwrap();
        assert_eq!((record.kind.as_str(), record.schema), ("member", 3));
        assert_eq!(record.body_json(), br#"{"name":"Ana"}"#);
    }

    #[test]
    fn a_blob_moved_to_another_id_epoch_or_vault_is_damaged() {
        let key = SymmetricKey::random().unwrap();
        let id = RecordId::random();
        let value = ctx().seal(&key, &id, "member", 1, b"{}").unwrap();
        let other_id = RecordId::random();
        let other_epoch = RecordContext { epoch: 2, ..ctx() };
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
    fn kinds_are_checked() {
        for good in ["member", "audit-event", "a_1"] {
            assert!(check_kind(good).is_ok());
        }
        for bad in ["", "Member", "a b", "ü", &"k".repeat(33)] {
            assert!(check_kind(bad).is_err(), "{bad}");
        }
    }
}
