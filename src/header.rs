//! `vault.hdr`: the small binary header that holds the vault's identity, key-derivation
//! parameters and the wrapped data key, outside sled.
//!
//! Format version 1, fixed length, integers little-endian:
//!
//! | offset | bytes | field |
//! | ---: | ---: | --- |
//! | 0 | 16 | magic `HOLDSPACE-VAULT\n` |
//! | 16 | 2 | format version (1) |
//! | 18 | 16 | vault id (random) |
//! | 34 | 4 | key epoch (starts at 1, +1 on every rotation) |
//! | 38 | 8 | created, Unix seconds |
//! | 46 | 1 | KDF algorithm (1 = Argon2id v1.3) |
//! | 47 | 12 | KDF memory KiB, iterations, parallelism (3 × u32) |
//! | 59 | 32 | passphrase salt |
//! | 91 | 72 | passphrase slot: nonce ‖ data key sealed under the passphrase key ‖ tag |
//! | 163 | 32 | recovery public key (X25519) |
//! | 195 | 104 | recovery slot: ephemeral public key ‖ nonce ‖ sealed data key ‖ tag |
//! | 299 | 32 | MAC: HMAC-SHA256 over bytes 0..299, keyed from the data key |
//! | 331 | 32 | checksum: SHA-256 over bytes 0..331 |
//!
//! Policy: parsing tells four situations apart, in this order — not a vault (no magic, and the
//! checksum does not explain it as damage), damaged (checksum or length wrong), unsupported
//! version, KDF parameters out of bounds — all before any key derivation. After the data key is
//! unwrapped, the MAC tells a deliberately altered header apart from a wrong passphrase. A
//! header is only ever replaced whole, atomically (see [`crate::fsutil::replace_atomically`]).

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::aead;
use crate::error::{Result, VaultError};
use crate::kdf::{KdfLimits, KdfParams};
use crate::recovery::SLOT_LEN as RECOVERY_SLOT_LEN;
use crate::secret::{SymmetricKey, KEY_LEN};

/// The first 16 bytes of every header.
pub const MAGIC: &[u8; 16] = b"HOLDSPACE-VAULT\n";
/// The header format this version writes and reads.
pub const FORMAT_VERSION: u16 = 1;
/// Total length of a version-1 header.
pub const HEADER_LEN: usize = 363;
/// Length of the passphrase slot.
pub const PASSPHRASE_SLOT_LEN: usize = aead::NONCE_LEN + KEY_LEN + aead::TAG_LEN;
/// The only KDF algorithm id: Argon2id, version 0x13.
const KDF_ARGON2ID: u8 = 1;

const MAC_AT: usize = 299;
const CHECKSUM_AT: usize = 331;

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
    /// The MAC as read from disk (ignored when writing).
    mac: [u8; 32],
}

impl std::fmt::Debug for Header {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Header")
            .field("epoch", &self.epoch)
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
            mac: [0; 32],
        }
    }

    /// Parses and checks a header up to (not including) anything that needs a key.
    pub fn parse(bytes: &[u8], limits: &KdfLimits, path: &std::path::Path) -> Result<Self> {
        check_frame(bytes, path)?;
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
        Ok(Self {
            vault_id,
            epoch,
            created_unix,
            kdf,
            passphrase_salt: r.array(),
            passphrase_slot: r.array(),
            recovery_public: r.array(),
            recovery_slot: r.array(),
            mac: r.array(),
        })
    }

    /// Serialises the header, authenticating it with a key derived from `data_key`.
    pub fn to_bytes(&self, data_key: &SymmetricKey) -> [u8; HEADER_LEN] {
        let mut out = [0u8; HEADER_LEN];
        let mut w = Writer {
            out: &mut out,
            at: 0,
        };
        w.put(MAGIC);
        w.put(&FORMAT_VERSION.to_le_bytes());
        w.put(&self.vault_id);
        w.put(&self.epoch.to_le_bytes());
        w.put(&self.created_unix.to_le_bytes());
        w.put(&[KDF_ARGON2ID]);
        w.put(&self.kdf.memory_kib.to_le_bytes());
        w.put(&self.kdf.iterations.to_le_bytes());
        w.put(&self.kdf.parallelism.to_le_bytes());
        w.put(&self.passphrase_salt);
        w.put(&self.passphrase_slot);
        w.put(&self.recovery_public);
        w.put(&self.recovery_slot);
        debug_assert_eq!(w.at, MAC_AT);
        let mac = header_mac(data_key, &out[..MAC_AT]);
        out[MAC_AT..CHECKSUM_AT].copy_from_slice(&mac);
        let checksum = Sha256::digest(&out[..CHECKSUM_AT]);
        out[CHECKSUM_AT..].copy_from_slice(&checksum);
        out
    }

    /// Checks the MAC read from disk against the unwrapped data key.
    pub fn verify_mac(&self, data_key: &SymmetricKey) -> Result<()> {
        let bytes = self.to_bytes(data_key);
        let mut mac = mac_instance(data_key);
        mac.update(&bytes[..MAC_AT]);
        mac.verify_slice(&self.mac)
            .map_err(|_| VaultError::HeaderTampered)
    }
}

/// Magic, length, checksum and version checks.
fn check_frame(bytes: &[u8], path: &std::path::Path) -> Result<()> {
    let magic_ok = bytes.starts_with(MAGIC);
    // A header cut short inside its magic is a damaged header, not a foreign file.
    let truncated_magic =
        !bytes.is_empty() && bytes.len() < MAGIC.len() && MAGIC.starts_with(bytes);
    if truncated_magic {
        return Err(VaultError::HeaderDamaged);
    }
    let damaged_magic = bytes.len() == HEADER_LEN && checksum_ok_with_canonical_magic(bytes);
    if !magic_ok && !damaged_magic {
        return Err(VaultError::NotAVault {
            path: path.to_path_buf(),
        });
    }
    let version = bytes.get(16..18).map(|v| u16::from_le_bytes([v[0], v[1]]));
    if bytes.len() != HEADER_LEN {
        return match version {
            Some(found) if found > FORMAT_VERSION && magic_ok => {
                Err(VaultError::UnsupportedVersion { found })
            }
            _ => Err(VaultError::HeaderDamaged),
        };
    }
    if !magic_ok || Sha256::digest(&bytes[..CHECKSUM_AT])[..] != bytes[CHECKSUM_AT..] {
        return Err(VaultError::HeaderDamaged);
    }
    match version {
        Some(FORMAT_VERSION) => Ok(()),
        Some(found) => Err(VaultError::UnsupportedVersion { found }),
        None => Err(VaultError::HeaderDamaged),
    }
}

/// True when only the magic differs from a header whose checksum is otherwise right: damage,
/// not a foreign file.
fn checksum_ok_with_canonical_magic(bytes: &[u8]) -> bool {
    let mut hasher = Sha256::new();
    hasher.update(MAGIC);
    hasher.update(&bytes[MAGIC.len()..CHECKSUM_AT]);
    hasher.finalize()[..] == bytes[CHECKSUM_AT..]
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

struct Writer<'a> {
    out: &'a mut [u8; HEADER_LEN],
    at: usize,
}

impl Writer<'_> {
    fn put(&mut self, bytes: &[u8]) {
        self.out[self.at..self.at + bytes.len()].copy_from_slice(bytes);
        self.at += bytes.len();
    }
}
