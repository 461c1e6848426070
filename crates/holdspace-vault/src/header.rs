//! `vault.hdr`: the small binary header that holds the vault's identity, key-derivation
//! parameters and the wrapped data key, outside sled.
//!
//! Format version 2, fixed length, integers little-endian (format 1, read only to upgrade it,
//! is the same without the high-water mark: MAC at 299, checksum at 331, 363 bytes):
//!
//! | offset | bytes | field |
//! | ---: | ---: | --- |
//! | 0 | 16 | magic `HOLDSPACE-VAULT\n` |
//! | 16 | 2 | format version (2) |
//! | 18 | 16 | vault id (random) |
//! | 34 | 4 | key epoch (starts at 1, +1 on every rotation) |
//! | 38 | 8 | created, Unix seconds |
//! | 46 | 1 | KDF algorithm (1 = Argon2id v1.3) |
//! | 47 | 12 | KDF memory KiB, iterations, parallelism (3 × u32) |
//! | 59 | 32 | passphrase salt |
//! | 91 | 72 | passphrase slot: nonce ‖ data key sealed under the passphrase key ‖ tag |
//! | 163 | 32 | recovery public key (X25519) |
//! | 195 | 104 | recovery slot: ephemeral public key ‖ nonce ‖ sealed data key ‖ tag |
//! | 299 | 8 | high-water mark: the store's revision when the vault was last locked |
//! | 307 | 32 | MAC: HMAC-SHA256 over bytes 0..307, keyed from the data key |
//! | 339 | 32 | checksum: SHA-256 over bytes 0..339 |
//!
//! Policy: parsing tells four situations apart, in this order — not a vault (no magic, and the
//! checksum does not explain it as damage), damaged (checksum or length wrong), unsupported
//! version, KDF parameters out of bounds — all before any key derivation. After the data key is
//! unwrapped, the MAC tells a deliberately altered header apart from a wrong passphrase. A
//! header is only ever replaced whole, atomically (see [`crate::fsutil::replace_atomically`]).
//! The high-water mark is authenticated with the rest, so a record store put back to a copy
//! older than the last lock shows a revision below it (see [`crate::ledger`]).

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::aead;
use crate::error::{Result, VaultError};
use crate::kdf::{KdfLimits, KdfParams};
use crate::recovery::SLOT_LEN as RECOVERY_SLOT_LEN;
use crate::secret::{SymmetricKey, KEY_LEN};

/// The first 16 bytes of every header.
pub const MAGIC: &[u8; 16] = b"HOLDSPACE-VAULT\n";
/// The header format this version writes.
pub const FORMAT_VERSION: u16 = 2;
/// The older header format this version reads, to upgrade it.
pub const LEGACY_FORMAT_VERSION: u16 = 1;
/// Total length of a version-2 header.
pub const HEADER_LEN: usize = 371;
/// Total length of a version-1 header.
pub const LEGACY_HEADER_LEN: usize = 363;
/// Length of the passphrase slot.
pub const PASSPHRASE_SLOT_LEN: usize = aead::NONCE_LEN + KEY_LEN + aead::TAG_LEN;
/// The only KDF algorithm id: Argon2id, version 0x13.
const KDF_ARGON2ID: u8 = 1;

/// Where the high-water mark (format 2) or the MAC (format 1) starts.
const HIGH_WATER_AT: usize = 299;

/// Associated data of the passphrase slot.
pub(crate) const PASSPHRASE_SLOT_AD: &[u8] = b"holdspace passphrase slot v1";

/// A parsed (or about to be written) header.
#[derive(Clone, PartialEq, Eq)]
pub struct Header {
    /// Random identity of the vault, bound into every record.
    pub vault_id: [u8; 16],
    /// Which data key is current; bound into every record.
    pub epoch: u32,
    /// Creation time, Unix seconds.
    pub created_unix: u64,
    /// Argon2id parameters for the passphrase.
    pub kdf: KdfParams,
    /// Salt for the passphrase derivation.
    pub passphrase_salt: [u8; 32],
    /// The data key sealed under the passphrase-derived key.
    pub passphrase_slot: [u8; PASSPHRASE_SLOT_LEN],
    /// Public key of the recovery code.
    pub recovery_public: [u8; 32],
    /// The data key wrapped to the recovery public key.
    pub recovery_slot: [u8; RECOVERY_SLOT_LEN],
    /// The header's format: [`FORMAT_VERSION`], or [`LEGACY_FORMAT_VERSION`] as read from a
    /// vault not yet upgraded. [`Header::to_bytes`] writes this format.
    pub format: u16,
    /// The store's revision when the vault was last locked (0 in format 1).
    pub high_water: u64,
    /// The MAC as read from disk (ignored when writing).
    mac: [u8; 32],
}

impl std::fmt::Debug for Header {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Header")
            .field("format", &self.format)
            .field("epoch", &self.epoch)
            .field("high_water", &self.high_water)
            .field("kdf", &self.kdf)
            .finish_non_exhaustive()
    }
}

impl Header {
    /// A header for new key material; the MAC is computed by [`Header::to_bytes`].
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        vault_id: [u8; 16],
        epoch: u32,
        created_unix: u64,
        kdf: KdfParams,
        passphrase_salt: [u8; 32],
        passphrase_slot: [u8; PASSPHRASE_SLOT_LEN],
        recovery_public: [u8; 32],
        recovery_slot: [u8; RECOVERY_SLOT_LEN],
    ) -> Self {
        Self {
            vault_id,
            epoch,
            created_unix,
            kdf,
            passphrase_salt,
            passphrase_slot,
            recovery_public,
            recovery_slot,
            format: FORMAT_VERSION,
            high_water: 0,
            mac: [0; 32],
        }
    }

    /// Parses and checks a header up to (not including) anything that needs a key.
    pub fn parse(bytes: &[u8], limits: &KdfLimits, path: &std::path::Path) -> Result<Self> {
        let format = check_frame(bytes, path)?;
        let mut r = Reader {
            bytes,
            at: MAGIC.len() + 2,
        };
        let vault_id = r.array();
        let epoch = u32::from_le_bytes(r.array());
        let created_unix = u64::from_le_bytes(r.array());
        let [algorithm] = r.array();
        let kdf = KdfParams {
            memory_kib: u32::from_le_bytes(r.array()),
            iterations: u32::from_le_bytes(r.array()),
            parallelism: u32::from_le_bytes(r.array()),
        };
        if algorithm != KDF_ARGON2ID {
            return Err(VaultError::KdfOutOfBounds {
                reason: format!("unknown key-derivation algorithm {algorithm}"),
            });
        }
        limits.check(&kdf)?;
        let passphrase_salt = r.array();
        let passphrase_slot = r.array();
        let recovery_public = r.array();
        let recovery_slot = r.array();
        let high_water = match format {
            LEGACY_FORMAT_VERSION => 0,
            _ => u64::from_le_bytes(r.array()),
        };
        Ok(Self {
            vault_id,
            epoch,
            created_unix,
            kdf,
            passphrase_salt,
            passphrase_slot,
            recovery_public,
            recovery_slot,
            format,
            high_water,
            mac: r.array(),
        })
    }

    /// Serialises the header in its [`Header::format`], authenticating it with a key derived
    /// from `data_key`.
    pub fn to_bytes(&self, data_key: &SymmetricKey) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_LEN);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.format.to_le_bytes());
        out.extend_from_slice(&self.vault_id);
        out.extend_from_slice(&self.epoch.to_le_bytes());
        out.extend_from_slice(&self.created_unix.to_le_bytes());
        out.push(KDF_ARGON2ID);
        out.extend_from_slice(&self.kdf.memory_kib.to_le_bytes());
        out.extend_from_slice(&self.kdf.iterations.to_le_bytes());
        out.extend_from_slice(&self.kdf.parallelism.to_le_bytes());
        out.extend_from_slice(&self.passphrase_salt);
        out.extend_from_slice(&self.passphrase_slot);
        out.extend_from_slice(&self.recovery_public);
        out.extend_from_slice(&self.recovery_slot);
        debug_assert_eq!(out.len(), HIGH_WATER_AT);
        if self.format != LEGACY_FORMAT_VERSION {
            out.extend_from_slice(&self.high_water.to_le_bytes());
        }
        let mac = header_mac(data_key, &out);
        out.extend_from_slice(&mac);
        let checksum = Sha256::digest(&out);
        out.extend_from_slice(&checksum);
        out
    }

    /// Checks the MAC read from disk against the unwrapped data key.
    pub fn verify_mac(&self, data_key: &SymmetricKey) -> Result<()> {
        let bytes = self.to_bytes(data_key);
        let mac_at = bytes.len() - 64;
        let mut mac = mac_instance(data_key);
        mac.update(&bytes[..mac_at]);
        mac.verify_slice(&self.mac)
            .map_err(|_| VaultError::HeaderTampered)
    }
}

/// The length of a header of `format`, if this version reads it.
fn length_of(format: u16) -> Option<usize> {
    match format {
        FORMAT_VERSION => Some(HEADER_LEN),
        LEGACY_FORMAT_VERSION => Some(LEGACY_HEADER_LEN),
        _ => None,
    }
}

/// Magic, length, checksum and version checks; the format version when they pass.
fn check_frame(bytes: &[u8], path: &std::path::Path) -> Result<u16> {
    let magic_ok = bytes.starts_with(MAGIC);
    // A header cut short inside its magic is a damaged header, not a foreign file.
    let truncated_magic =
        !bytes.is_empty() && bytes.len() < MAGIC.len() && MAGIC.starts_with(bytes);
    if truncated_magic {
        return Err(VaultError::HeaderDamaged);
    }
    let damaged_magic = [HEADER_LEN, LEGACY_HEADER_LEN].contains(&bytes.len())
        && checksum_ok_with_canonical_magic(bytes);
    if !magic_ok && !damaged_magic {
        return Err(VaultError::NotAVault {
            path: path.to_path_buf(),
        });
    }
    let version = bytes.get(16..18).map(|v| u16::from_le_bytes([v[0], v[1]]));
    let known_length = [HEADER_LEN, LEGACY_HEADER_LEN].contains(&bytes.len());
    if !known_length {
        return match version {
            Some(found) if found > FORMAT_VERSION && magic_ok => {
                Err(VaultError::UnsupportedVersion { found })
            }
            _ => Err(VaultError::HeaderDamaged),
        };
    }
    let checksum_at = bytes.len() - 32;
    if !magic_ok || Sha256::digest(&bytes[..checksum_at])[..] != bytes[checksum_at..] {
        return Err(VaultError::HeaderDamaged);
    }
    match version {
        Some(found) if length_of(found) == Some(bytes.len()) => Ok(found),
        Some(found) if found > FORMAT_VERSION => Err(VaultError::UnsupportedVersion { found }),
        _ => Err(VaultError::HeaderDamaged),
    }
}

/// True when only the magic differs from a header whose checksum is otherwise right: damage,
/// not a foreign file.
fn checksum_ok_with_canonical_magic(bytes: &[u8]) -> bool {
    let checksum_at = bytes.len() - 32;
    let mut hasher = Sha256::new();
    hasher.update(MAGIC);
    hasher.update(&bytes[MAGIC.len()..checksum_at]);
    hasher.finalize()[..] == bytes[checksum_at..]
}

type HmacSha256 = Hmac<Sha256>;

fn mac_instance(data_key: &SymmetricKey) -> HmacSha256 {
    let hk = hkdf::Hkdf::<Sha256>::new(None, data_key.as_bytes());
    let mut mac_key = zeroize::Zeroizing::new([0u8; KEY_LEN]);
    let _ = hk.expand(b"holdspace header mac v1", mac_key.as_mut());
    // HMAC accepts keys of any length.
    <HmacSha256 as Mac>::new_from_slice(mac_key.as_ref()).unwrap_or_else(|_| unreachable!())
}

fn header_mac(data_key: &SymmetricKey, body: &[u8]) -> [u8; 32] {
    let mut mac = mac_instance(data_key);
    mac.update(body);
    mac.finalize().into_bytes().into()
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    /// The next `N` bytes; the frame check guarantees the length.
    fn array<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        out.copy_from_slice(&self.bytes[self.at..self.at + N]);
        self.at += N;
        out
    }
}
