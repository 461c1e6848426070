//! What `check` and `stats` report about a vault: counts and sizes by record kind, the records
//! that do not decrypt, and the room the vault takes.

use serde::Serialize;

use super::Vault;
use crate::error::Result;
use crate::fsutil;
use crate::record::RecordId;

/// Counts and sizes for one record kind.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct KindStats {
    /// Number of records.
    pub count: usize,
    /// Bytes of JSON body.
    pub body_bytes: u64,
}

/// What `check` and `stats` report about a vault.
#[derive(Clone, Debug, Serialize)]
pub struct VaultStats {
    /// Header format version.
    pub format_version: u16,
    /// Record format version written by this build.
    pub record_format: u8,
    /// Current key epoch.
    pub key_epoch: u32,
    /// Argon2id parameters.
    pub kdf: crate::kdf::KdfParams,
    /// Records that decrypted.
    pub records: usize,
    /// Records that did not, by id.
    pub damaged: Vec<RecordId>,
    /// Intact records by kind.
    pub kinds: std::collections::BTreeMap<String, KindStats>,
    /// Bytes of encrypted values in the store.
    pub stored_bytes: u64,
    /// Bytes the vault folder takes on disk.
    pub disk_bytes: u64,
    /// The revision of the store's history.
    pub revision: u64,
}

impl Vault {
    /// Decrypts every record and reports counts, sizes and damage.
    pub fn stats(&self) -> Result<VaultStats> {
        let mut stats = VaultStats {
            format_version: self.header.format,
            record_format: crate::record::RECORD_FORMAT,
            key_epoch: self.header.epoch,
            kdf: self.header.kdf,
            records: 0,
            damaged: Vec::new(),
            kinds: Default::default(),
            stored_bytes: 0,
            disk_bytes: fsutil::tree_size(&self.dir),
            revision: self.history().revision(),
        };
        for entry in self.record_entries() {
            let (key, value) = entry?;
            stats.stored_bytes += value.len() as u64;
            let Some(id) = RecordId::from_key(&key) else {
                continue;
            };
            match self.context().open(&self.data_key, id, &value) {
                Ok(record) => {
                    stats.records += 1;
                    let kind = stats.kinds.entry(record.kind.clone()).or_default();
                    kind.count += 1;
                    kind.body_bytes += record.body_json().len() as u64;
                }
                Err(_) => stats.damaged.push(id),
            }
        }
        Ok(stats)
    }
}
