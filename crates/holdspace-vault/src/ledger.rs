//! The ledger: what the record store must hold — every record's id, revision and kind — kept
//! sealed inside the store itself, so that a record deleted, a record put back to an older
//! sealed value of itself, and a store put back to an older copy of itself are found and named
//! when the vault opens.
//!
//! Policy:
//! - Every commit has a revision, one more than the last. The records it writes are sealed at
//!   that revision (bound into their associated data, see [`crate::record`]), and the same sled
//!   batch writes a sealed **journal entry** for it: which ids it wrote, with their kinds, and
//!   which it deleted. A commit and its journal entry are on disk together or not at all.
//! - Locking folds the journal into a sealed **checkpoint** (every id with its revision and
//!   kind, as of one revision) in one batch, and then the vault writes that revision into its
//!   authenticated header as a high-water mark ([`crate::header`]).
//! - Opening reads the checkpoint and replays the journal after it. The result is what the
//!   store must hold; [`Ledger::compare`] sets it against what the store does hold. Every
//!   difference is a [`Finding`], never an error: the vault still opens, so the practitioner
//!   can reach their records, and nothing is repaired without them ([`Ledger::rebaseline`]).
//!   While findings stand, locking does not fold the journal, so they are found again at the
//!   next open.
//! - Ledger values live in the records tree under keys that are never 16 bytes long, so they
//!   are never mistaken for a record id: `ledger:checkpoint`, and `ledger:` followed by the
//!   revision (u64, big-endian, so the journal sorts in order). Each is sealed under the data
//!   key, bound to the vault id, the key epoch, its role and (for a journal entry) its revision.
//!
//! What this cannot see: a whole vault folder, header included, put back to an older copy is a
//! consistent older vault; and after a crash (no lock), changes since the last lock can be cut
//! from the end of the journal together with the records they wrote. SECURITY.md says so.

use std::collections::HashMap;

use serde::Serialize;
use zeroize::Zeroizing;

use crate::aead;
use crate::error::Result;
use crate::record::RecordId;
use crate::secret::SymmetricKey;

/// The sled key of the checkpoint.
pub const CHECKPOINT_KEY: &[u8] = b"ledger:checkpoint";
/// The prefix of journal keys; the revision follows as 8 big-endian bytes.
pub const JOURNAL_PREFIX: &[u8] = b"ledger:";
/// Length of a journal key.
const JOURNAL_KEY_LEN: usize = 15;

const ROLE_CHECKPOINT: u8 = 1;
const ROLE_JOURNAL: u8 = 2;

/// The sled key of the journal entry for `revision`.
pub fn journal_key(revision: u64) -> [u8; JOURNAL_KEY_LEN] {
    let mut key = [0u8; JOURNAL_KEY_LEN];
    key[..JOURNAL_PREFIX.len()].copy_from_slice(JOURNAL_PREFIX);
    key[JOURNAL_PREFIX.len()..].copy_from_slice(&revision.to_be_bytes());
    key
}

/// The revision of a journal key; `None` for any other key.
fn journal_revision(key: &[u8]) -> Option<u64> {
    if key.len() == JOURNAL_KEY_LEN && key.starts_with(JOURNAL_PREFIX) {
        Some(u64::from_be_bytes(
            key[JOURNAL_PREFIX.len()..].try_into().ok()?,
        ))
    } else {
        None
    }
}

/// True for the keys this module owns.
pub fn is_ledger_key(key: &[u8]) -> bool {
    key == CHECKPOINT_KEY || journal_revision(key).is_some()
}

/// Re-seals the ledger value stored under `key` from one key and epoch to another (a
/// rotation). `Ok(None)` when the value does not open under `from` (it stays a finding) or the
/// key is not the ledger's.
pub fn reseal(
    key: &[u8],
    value: &[u8],
    from: LedgerSeal<'_>,
    to: LedgerSeal<'_>,
) -> Result<Option<Vec<u8>>> {
    let (role, revision) = if key == CHECKPOINT_KEY {
        (ROLE_CHECKPOINT, 0)
    } else if let Some(revision) = journal_revision(key) {
        (ROLE_JOURNAL, revision)
    } else {
        return Ok(None);
    };
    match from.open(role, revision, value) {
        Some(plain) => to.seal(role, revision, &plain).map(Some),
        None => Ok(None),
    }
}

/// One change a commit makes, as the journal records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// The record `id`, of `kind`, was written at the commit's revision.
    Put {
        /// The record.
        id: RecordId,
        /// Its kind.
        kind: String,
    },
    /// The record `id` was deleted.
    Delete {
        /// The record.
        id: RecordId,
    },
}

/// Something the store holds that differs from what its history says it must hold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "finding", rename_all = "snake_case")]
pub enum Finding {
    /// A record the history says is there is not in the store.
    Missing {
        /// The record.
        id: RecordId,
        /// Its kind, as the history recorded it.
        kind: String,
        /// The revision it should have.
        revision: u64,
    },
    /// A record holds an older sealed value of itself than the history says.
    RolledBack {
        /// The record.
        id: RecordId,
        /// Its kind, as the history recorded it.
        kind: String,
        /// The revision it should have.
        expected: u64,
        /// The revision it has.
        found: u64,
    },
    /// A record the history does not have: deleted, then put back; or never written here.
    Unexpected {
        /// The record.
        id: RecordId,
        /// The revision its value shows.
        found: u64,
    },
    /// A record newer than its own history: the journal entries that wrote it are gone.
    AheadOfHistory {
        /// The record.
        id: RecordId,
        /// The revision the history has for it (0: none).
        expected: u64,
        /// The revision it has.
        found: u64,
    },
    /// Journal entries for these revisions are missing from the history.
    HistoryGap {
        /// The first missing revision.
        from: u64,
        /// The last missing revision.
        to: u64,
    },
    /// The journal entry for this revision does not open.
    HistoryDamaged {
        /// The revision.
        revision: u64,
    },
    /// The checkpoint is missing or does not open, so nothing before the journal can be
    /// checked.
    CheckpointUnreadable,
    /// The store ends at an older revision than the one written into the header when the
    /// vault was last locked: the store was put back to an older copy of itself.
    StoreOlderThanHeader {
        /// The last revision the store holds.
        store: u64,
        /// The revision the header says the store had reached.
        header: u64,
    },
    /// The store holds an entry that is neither a record nor part of the history.
    ForeignEntry,
}

/// What one check of the store against its history found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Integrity {
    /// The revision the history reaches.
    pub revision: u64,
    /// Records the history says the store holds.
    pub expected_records: usize,
    /// Every difference, most serious first: history problems, then records by id.
    pub findings: Vec<Finding>,
}

impl Integrity {
    /// True when the store holds exactly what its history says.
    pub fn is_verified(&self) -> bool {
        self.findings.is_empty()
    }
}

/// What the history says about one record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Entry {
    revision: u64,
    kind: u16,
}

/// The history of a store, as loaded and as kept current by each commit.
#[derive(Default)]
pub struct Ledger {
    /// The last revision committed (or, after a rollback was found, the header's mark).
    revision: u64,
    /// The revision the stored checkpoint covers.
    checkpoint: u64,
    entries: HashMap<RecordId, Entry>,
    kinds: Vec<String>,
    kind_index: HashMap<String, u16>,
    /// What loading found wrong with the history itself.
    history_findings: Vec<Finding>,
    /// True once a comparison found anything: locking then keeps the journal as it is.
    unsettled: bool,
    /// True when a record was deleted since the store was last rewritten, so its sealed
    /// values may remain in the store's files (see `Vault::erase_deleted`).
    erasure_pending: bool,
}

/// Seals and opens ledger values for one vault and key epoch.
#[derive(Clone, Copy)]
pub struct LedgerSeal<'a> {
    /// The data key.
    pub key: &'a SymmetricKey,
    /// The vault's id.
    pub vault_id: [u8; 16],
    /// The key epoch.
    pub epoch: u32,
}

impl LedgerSeal<'_> {
    fn associated_data(&self, role: u8, revision: u64) -> Vec<u8> {
        let mut ad = Vec::with_capacity(45);
        ad.extend_from_slice(b"holdspace ledger");
        ad.extend_from_slice(&self.vault_id);
        ad.extend_from_slice(&self.epoch.to_le_bytes());
        ad.push(role);
        ad.extend_from_slice(&revision.to_le_bytes());
        ad
    }

    fn seal(&self, role: u8, revision: u64, plaintext: &[u8]) -> Result<Vec<u8>> {
        aead::seal(self.key, &self.associated_data(role, revision), plaintext)
    }

    fn open(&self, role: u8, revision: u64, value: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        aead::open(self.key, &self.associated_data(role, revision), value).ok()
    }
}

impl Ledger {
    /// The history of a new, empty store: revision 0, nothing in it.
    pub fn empty() -> Self {
        Self::default()
    }

    /// The last revision committed.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The revision the next commit gets.
    pub fn next_revision(&self) -> u64 {
        self.revision + 1
    }

    /// True when the journal holds changes a checkpoint does not yet cover.
    pub fn has_journal(&self) -> bool {
        self.revision > self.checkpoint
    }

    /// True when a record was deleted since the store was last rewritten.
    pub fn erasure_pending(&self) -> bool {
        self.erasure_pending
    }

    /// Notes that the store was rewritten: nothing deleted is left in it.
    pub fn erased(&mut self) {
        self.erasure_pending = false;
    }

    /// True while something found is unacknowledged (then the journal is kept as it is).
    pub fn is_unsettled(&self) -> bool {
        self.unsettled || !self.history_findings.is_empty()
    }

    /// Loads the history from the checkpoint and journal in `tree`. Problems with the
    /// history are kept as findings for [`Ledger::compare`]; only the store failing is an
    /// error. `high_water` is the revision the header says the store had reached.
    pub fn load(tree: &sled::Tree, seal: LedgerSeal<'_>, high_water: u64) -> Result<Self> {
        let mut ledger = Self::empty();
        match tree.get(CHECKPOINT_KEY)? {
            Some(value) => match seal
                .open(ROLE_CHECKPOINT, 0, &value)
                .and_then(|plain| ledger.read_checkpoint(&plain))
            {
                Some(()) => {}
                None => ledger.history_findings.push(Finding::CheckpointUnreadable),
            },
            None => ledger.history_findings.push(Finding::CheckpointUnreadable),
        }
        let mut next = ledger.checkpoint + 1;
        for entry in tree.scan_prefix(JOURNAL_PREFIX) {
            let (key, value) = entry?;
            let Some(revision) = journal_revision(&key) else {
                continue;
            };
            if revision < next {
                // An entry a checkpoint already covers cannot come from this store's own
                // commits: part of an older copy.
                ledger.history_findings.push(Finding::HistoryGap {
                    from: revision,
                    to: revision,
                });
                continue;
            }
            if revision > next {
                ledger.history_findings.push(Finding::HistoryGap {
                    from: next,
                    to: revision - 1,
                });
            }
            next = revision + 1;
            match seal
                .open(ROLE_JOURNAL, revision, &value)
                .and_then(|plain| decode_journal(&plain, revision))
            {
                Some(changes) => ledger.apply(revision, &changes),
                None => ledger
                    .history_findings
                    .push(Finding::HistoryDamaged { revision }),
            }
        }
        ledger.revision = next - 1;
        if ledger.revision < high_water {
            ledger.history_findings.push(Finding::StoreOlderThanHeader {
                store: ledger.revision,
                header: high_water,
            });
            // Later commits continue above the mark, so the gap stays visible in the journal.
            ledger.revision = high_water;
        }
        Ok(ledger)
    }

    /// The history of a store whose records are `present` (id, revision, kind), all written
    /// at or before `revision`: used when a store is first given a history (upgrading a
    /// format-1 vault) and when the practitioner accepts what the store holds.
    pub fn from_records(revision: u64, present: &[(RecordId, u64, String)]) -> Self {
        let mut ledger = Self::empty();
        for (id, record_revision, kind) in present {
            let kind = ledger.kind_code(kind);
            ledger.entries.insert(
                *id,
                Entry {
                    revision: *record_revision,
                    kind,
                },
            );
        }
        ledger.revision = revision;
        ledger
    }

    /// Replaces this history with `present` at the current revision, clearing every
    /// finding: the practitioner has seen them and accepts what the store holds.
    pub fn rebaseline(&mut self, present: &[(RecordId, u64, String)]) {
        let revision = self.revision;
        *self = Self::from_records(revision, present);
        // The stored checkpoint no longer matches; the next fold rewrites it.
        self.checkpoint = 0;
    }

    /// The sealed journal entry for a commit at `revision` making `changes`.
    pub fn journal_value(
        &self,
        seal: LedgerSeal<'_>,
        revision: u64,
        changes: &[Change],
    ) -> Result<Vec<u8>> {
        seal.seal(ROLE_JOURNAL, revision, &encode_journal(revision, changes))
    }

    /// Takes a committed change into the history.
    pub fn apply(&mut self, revision: u64, changes: &[Change]) {
        for change in changes {
            match change {
                Change::Put { id, kind } => {
                    let kind = self.kind_code(kind);
                    self.entries.insert(*id, Entry { revision, kind });
                }
                Change::Delete { id } => {
                    self.entries.remove(id);
                    self.erasure_pending = true;
                }
            }
        }
        self.revision = self.revision.max(revision);
    }

    /// The sealed checkpoint of the whole history at its current revision.
    pub fn checkpoint_value(&self, seal: LedgerSeal<'_>) -> Result<Vec<u8>> {
        seal.seal(
            ROLE_CHECKPOINT,
            0,
            &self.encode_checkpoint(self.erasure_pending),
        )
    }

    /// The sealed checkpoint for a store just rewritten, in which nothing waits to be erased.
    pub fn checkpoint_value_erased(&self, seal: LedgerSeal<'_>) -> Result<Vec<u8>> {
        seal.seal(ROLE_CHECKPOINT, 0, &self.encode_checkpoint(false))
    }

    /// Notes that the checkpoint now stored covers the current revision.
    pub fn folded(&mut self) {
        self.checkpoint = self.revision;
    }

    /// The journal revisions a fold removes: those after the last checkpoint.
    pub fn journal_revisions(&self) -> std::ops::RangeInclusive<u64> {
        self.checkpoint + 1..=self.revision
    }

    /// Sets the history against what the store holds: `present` gives each record id with
    /// the revision its value shows (`None` when the value is not even a record value; the
    /// decryption reports those as damaged), and `foreign` counts keys that are neither
    /// records nor the ledger's.
    pub fn compare(
        &mut self,
        present: impl IntoIterator<Item = (RecordId, Option<u64>)>,
        foreign: usize,
    ) -> Integrity {
        let mut findings = self.history_findings.clone();
        if foreign > 0 {
            findings.push(Finding::ForeignEntry);
        }
        let checkpoint_known = !findings.contains(&Finding::CheckpointUnreadable);
        let mut seen = std::collections::HashSet::with_capacity(self.entries.len());
        let mut record_findings = Vec::new();
        for (id, found) in present {
            seen.insert(id);
            let Some(found) = found else { continue };
            match self.entries.get(&id) {
                Some(entry) if found < entry.revision => {
                    record_findings.push(Finding::RolledBack {
                        id,
                        kind: self.kind_name(entry.kind),
                        expected: entry.revision,
                        found,
                    })
                }
                Some(entry) if found > entry.revision => {
                    record_findings.push(Finding::AheadOfHistory {
                        id,
                        expected: entry.revision,
                        found,
                    })
                }
                Some(_) => {}
                None if found > self.revision || self.in_gap(found) => {
                    record_findings.push(Finding::AheadOfHistory {
                        id,
                        expected: 0,
                        found,
                    })
                }
                // Without a checkpoint, records written before the journal began are unknown
                // rather than unexpected.
                None if checkpoint_known => record_findings.push(Finding::Unexpected { id, found }),
                None => {}
            }
        }
        for (id, entry) in &self.entries {
            if !seen.contains(id) {
                record_findings.push(Finding::Missing {
                    id: *id,
                    kind: self.kind_name(entry.kind),
                    revision: entry.revision,
                });
            }
        }
        record_findings.sort_by_key(finding_order);
        findings.extend(record_findings);
        self.unsettled = !findings.is_empty();
        Integrity {
            revision: self.revision,
            expected_records: self.entries.len(),
            findings,
        }
    }

    /// Every record the history holds, with its kind.
    pub fn kinds_by_id(&self) -> Vec<(RecordId, String)> {
        self.entries
            .iter()
            .map(|(id, entry)| (*id, self.kind_name(entry.kind)))
            .collect()
    }

    /// The records of `kind` the history holds, oldest first (by revision, then id): the
    /// order in which they were written.
    pub fn of_kind_in_order(&self, kind: &str) -> Vec<RecordId> {
        let Some(&code) = self.kind_index.get(kind) else {
            return Vec::new();
        };
        let mut ids: Vec<(u64, RecordId)> = self
            .entries
            .iter()
            .filter(|(_, entry)| entry.kind == code)
            .map(|(id, entry)| (entry.revision, *id))
            .collect();
        ids.sort_unstable();
        ids.into_iter().map(|(_, id)| id).collect()
    }

    /// True when `revision` is one whose journal entry is missing or damaged.
    fn in_gap(&self, revision: u64) -> bool {
        self.history_findings.iter().any(|finding| match finding {
            Finding::HistoryGap { from, to } => (*from..=*to).contains(&revision),
            Finding::HistoryDamaged { revision: damaged } => *damaged == revision,
            _ => false,
        })
    }

    fn kind_code(&mut self, kind: &str) -> u16 {
        if let Some(&code) = self.kind_index.get(kind) {
            return code;
        }
        // Kinds are a handful of short names; u16 is far beyond what a practice uses.
        let code = u16::try_from(self.kinds.len()).unwrap_or(u16::MAX);
        self.kinds.push(kind.to_owned());
        self.kind_index.insert(kind.to_owned(), code);
        code
    }

    fn kind_name(&self, code: u16) -> String {
        self.kinds
            .get(usize::from(code))
            .cloned()
            .unwrap_or_else(|| "unknown".to_owned())
    }

    /// Checkpoint plaintext: `revision (u64) ‖ kinds (u16) ‖ (len u8 ‖ kind)* ‖ records
    /// (u64) ‖ (id 16 ‖ revision u64 ‖ kind u16)* ‖ erasure pending (u8: 0 or 1)`,
    /// little-endian.
    fn encode_checkpoint(&self, erasure_pending: bool) -> Zeroizing<Vec<u8>> {
        let mut out = Zeroizing::new(Vec::with_capacity(18 + self.entries.len() * 26));
        out.extend_from_slice(&self.revision.to_le_bytes());
        out.extend_from_slice(&(self.kinds.len() as u16).to_le_bytes());
        for kind in &self.kinds {
            // Kinds are checked to be at most 32 bytes (crate::record::check_kind).
            out.push(kind.len() as u8);
            out.extend_from_slice(kind.as_bytes());
        }
        out.extend_from_slice(&(self.entries.len() as u64).to_le_bytes());
        for (id, entry) in &self.entries {
            out.extend_from_slice(id.as_bytes());
            out.extend_from_slice(&entry.revision.to_le_bytes());
            out.extend_from_slice(&entry.kind.to_le_bytes());
        }
        out.push(u8::from(erasure_pending));
        out
    }

    fn read_checkpoint(&mut self, plain: &[u8]) -> Option<()> {
        let mut r = Reader {
            bytes: plain,
            at: 0,
        };
        let revision = r.u64()?;
        let kinds = r.u16()?;
        for _ in 0..kinds {
            let len = usize::from(r.u8()?);
            let kind = std::str::from_utf8(r.take(len)?).ok()?;
            self.kind_code(kind);
        }
        let count = r.u64()?;
        for _ in 0..count {
            let id = RecordId::from_key(r.take(16)?)?;
            let entry = Entry {
                revision: r.u64()?,
                kind: r.u16()?,
            };
            if usize::from(entry.kind) >= self.kinds.len() || entry.revision > revision {
                return None;
            }
            self.entries.insert(id, entry);
        }
        self.erasure_pending = match r.u8()? {
            0 => false,
            1 => true,
            _ => return None,
        };
        (r.at == plain.len()).then_some(())?;
        self.revision = revision;
        self.checkpoint = revision;
        Some(())
    }
}

/// History problems first, then records by kind of finding and id.
fn finding_order(finding: &Finding) -> (u8, Option<RecordId>) {
    match finding {
        Finding::Missing { id, .. } => (1, Some(*id)),
        Finding::RolledBack { id, .. } => (2, Some(*id)),
        Finding::Unexpected { id, .. } => (3, Some(*id)),
        Finding::AheadOfHistory { id, .. } => (4, Some(*id)),
        _ => (0, None),
    }
}

/// Journal plaintext: `revision (u64) ‖ changes (u32) ‖ (id 16 ‖ 0 | 1 ‖ [len u8 ‖ kind])*`.
fn encode_journal(revision: u64, changes: &[Change]) -> Vec<u8> {
    let mut out = Vec::with_capacity(12 + changes.len() * 30);
    out.extend_from_slice(&revision.to_le_bytes());
    out.extend_from_slice(&(changes.len() as u32).to_le_bytes());
    for change in changes {
        match change {
            Change::Put { id, kind } => {
                out.extend_from_slice(id.as_bytes());
                out.push(1);
                out.push(kind.len() as u8);
                out.extend_from_slice(kind.as_bytes());
            }
            Change::Delete { id } => {
                out.extend_from_slice(id.as_bytes());
                out.push(0);
            }
        }
    }
    out
}

fn decode_journal(plain: &[u8], revision: u64) -> Option<Vec<Change>> {
    let mut r = Reader {
        bytes: plain,
        at: 0,
    };
    if r.u64()? != revision {
        return None;
    }
    let count = r.u32()?;
    let mut changes = Vec::with_capacity(count.min(1 << 16) as usize);
    for _ in 0..count {
        let id = RecordId::from_key(r.take(16)?)?;
        changes.push(match r.u8()? {
            0 => Change::Delete { id },
            1 => {
                let len = usize::from(r.u8()?);
                let kind = std::str::from_utf8(r.take(len)?).ok()?.to_owned();
                Change::Put { id, kind }
            }
            _ => return None,
        });
    }
    (r.at == plain.len()).then_some(changes)
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, len: usize) -> Option<&[u8]> {
        let end = self.at.checked_add(len)?;
        let out = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(out)
    }

    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes(self.take(2)?.try_into().ok()?))
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u8) -> RecordId {
        RecordId::from_key(&[n; 16]).unwrap()
    }

    fn put(n: u8, kind: &str) -> Change {
        Change::Put {
            id: id(n),
            kind: kind.into(),
        }
    }

    #[test]
    fn journal_entries_round_trip() {
        let changes = vec![
            put(1, "member"),
            Change::Delete { id: id(2) },
            put(3, "audit"),
        ];
        let plain = encode_journal(7, &changes);
        assert_eq!(decode_journal(&plain, 7), Some(changes));
        assert_eq!(decode_journal(&plain, 8), None, "bound to its revision");
        assert_eq!(decode_journal(&plain[..plain.len() - 1], 7), None);
    }

    #[test]
    fn a_checkpoint_round_trips() {
        let mut ledger = Ledger::empty();
        ledger.apply(1, &[put(1, "member"), put(2, "audit")]);
        ledger.apply(2, &[put(1, "member"), put(3, "note")]);
        let plain = ledger.encode_checkpoint(true);
        let mut read = Ledger::empty();
        read.read_checkpoint(&plain).unwrap();
        assert_eq!(read.revision, 2);
        assert_eq!(read.entries.len(), 3);
        assert_eq!(read.entries[&id(1)].revision, 2);
        assert_eq!(read.kind_name(read.entries[&id(3)].kind), "note");
        assert!(read.erasure_pending());
    }

    #[test]
    fn compare_names_each_difference() {
        let mut ledger = Ledger::empty();
        ledger.apply(1, &[put(1, "member"), put(2, "audit"), put(3, "note")]);
        ledger.apply(2, &[put(1, "member"), Change::Delete { id: id(3) }]);
        let integrity = ledger.compare([(id(1), Some(1)), (id(3), Some(1)), (id(4), Some(9))], 0);
        assert_eq!(
            integrity.findings,
            vec![
                Finding::Missing {
                    id: id(2),
                    kind: "audit".into(),
                    revision: 1
                },
                Finding::RolledBack {
                    id: id(1),
                    kind: "member".into(),
                    expected: 2,
                    found: 1
                },
                Finding::Unexpected {
                    id: id(3),
                    found: 1
                },
                Finding::AheadOfHistory {
                    id: id(4),
                    expected: 0,
                    found: 9
                },
            ]
        );
        assert!(ledger.is_unsettled());
        let clean = ledger.compare([(id(1), Some(2)), (id(2), Some(1))], 0);
        assert!(clean.is_verified());
    }

    #[test]
    fn records_of_a_kind_come_in_the_order_they_were_written() {
        let mut ledger = Ledger::empty();
        ledger.apply(1, &[put(9, "audit")]);
        ledger.apply(2, &[put(1, "audit"), put(5, "member")]);
        ledger.apply(3, &[put(4, "audit")]);
        assert_eq!(ledger.of_kind_in_order("audit"), vec![id(9), id(1), id(4)]);
    }
}
