//! The record API: reading, writing and deleting records, scanning and decoding them all, and
//! the [`WriteBatch`] that collects the writes of one commit.
//!
//! Policy: every commit is one sled batch carrying its entry in the history, flushed before the
//! call returns, and refused before it starts when the disk has no room for it
//! ([`crate::room`]); a large import commits all or nothing through a new store
//! ([`Vault::commit_all_or_nothing`]). A record's value is sealed when its batch commits, at
//! the batch's revision.

use serde::Serialize;
use zeroize::Zeroizing;

use super::folder::twice;
use super::{Vault, ROTATION_BATCH};
use crate::error::{Result, VaultError};
use crate::ledger::{self, Change, Integrity};
use crate::record::{check_kind, revision_of, Record, RecordContext, RecordId, MAX_BODY_LEN};
use crate::room::{self, Need};
use crate::secret::SymmetricKey;

impl Vault {
    /// Reads and decrypts one record; `None` if there is no record with this id.
    pub fn get(&self, id: RecordId) -> Result<Option<Record>> {
        match self.records.get(id.as_bytes())? {
            None => Ok(None),
            Some(value) => self.context().open(&self.data_key, id, &value).map(Some),
        }
    }

    /// Writes one record durably.
    pub fn put<T: Serialize + ?Sized>(
        &self,
        id: RecordId,
        kind: &str,
        schema: u32,
        body: &T,
    ) -> Result<()> {
        let mut batch = self.batch();
        batch.put(id, kind, schema, body)?;
        self.commit(batch)
    }

    /// Deletes one record durably (a missing record is not an error).
    pub fn delete(&self, id: RecordId) -> Result<()> {
        let mut batch = self.batch();
        batch.delete(id);
        self.commit(batch)
    }

    /// Starts an atomic batch of writes; nothing happens until [`Vault::commit`].
    pub fn batch(&self) -> WriteBatch<'_> {
        WriteBatch::new()
    }

    /// Applies a batch atomically, as the next revision with its journal entry, and flushes
    /// it to disk before returning.
    pub fn commit(&self, batch: WriteBatch<'_>) -> Result<()> {
        if batch.ops.is_empty() {
            return Ok(());
        }
        room::ensure(&self.dir, batch.estimated_bytes(), batch.need)?;
        let mut history = self.history();
        let revision = history.next_revision();
        let context = self.context();
        let mut sled_batch = sled::Batch::default();
        let mut changes = Vec::with_capacity(batch.ops.len());
        let sealing = Sealing {
            context,
            key: &self.data_key,
            revision,
        };
        sealing.add(&batch.ops, &mut sled_batch, &mut changes)?;
        let entry = history.journal_value(self.ledger_seal(), revision, &changes)?;
        sled_batch.insert(&ledger::journal_key(revision), entry);
        self.records.apply_batch(sled_batch)?;
        // Applied: the history moves on even if the flush below fails, as the store has.
        history.apply(revision, &changes);
        drop(history);
        self.records.flush()?;
        Ok(())
    }

    /// Commits a large batch (an import) all or nothing, whatever fails part way — a full
    /// disk, a write error, a kill: the records there now and the batch are written into a
    /// fresh store for the next key epoch (same data key), flushed, and only then committed
    /// by replacing the header, exactly as a rotation commits. Until then the old store is
    /// untouched; a leftover new store is removed at the next open. The batch is one revision
    /// with one journal entry.
    pub fn commit_all_or_nothing(&mut self, batch: WriteBatch<'_>) -> Result<()> {
        if batch.ops.is_empty() {
            return Ok(());
        }
        let key = self.data_key.clone();
        let revision = self.history().next_revision();
        let added = batch.estimated_bytes();
        let next = self.build_next_store(&key, None, added, &mut |_| {}, |new| {
            self.write_history(new.tree, new.seal)?;
            let changes = write_ops(new.tree, &batch.ops, new.context, &key, revision)?;
            let entry = self.history().journal_value(new.seal, revision, &changes)?;
            new.tree.insert(ledger::journal_key(revision), entry)?;
            Ok(changes)
        })?;
        let mut header = self.header.clone();
        header.epoch = next.epoch;
        let mut history = self.take_history_for_new_store();
        history.apply(revision, &next.built);
        self.commit_store(header, key, next.db, next.tree, history)
    }

    /// The record entries of the store in key order, without the history's.
    pub(super) fn record_entries(
        &self,
    ) -> impl Iterator<Item = Result<(sled::IVec, sled::IVec)>> + '_ {
        self.records
            .iter()
            .map(|entry| entry.map_err(VaultError::from))
            .filter(|entry| {
                entry
                    .as_ref()
                    .map_or(true, |(key, _)| !ledger::is_ledger_key(key))
            })
    }

    /// Every record, decrypted in key order. A damaged record is an `Err(RecordDamaged)` item
    /// and the iteration goes on past it.
    pub fn scan(&self) -> impl Iterator<Item = Result<Record>> + '_ {
        let context = self.context();
        self.record_entries().map(move |entry| {
            let (key, value) = entry?;
            let id = RecordId::from_key(&key).ok_or_else(|| {
                VaultError::Store("the record store holds a key that is not a record id".into())
            })?;
            context.open(&self.data_key, id, &value)
        })
    }

    /// The records of `kind` in the order in which the history says they were written
    /// (used to name an audit event as "event k of n").
    pub fn history_order(&self, kind: &str) -> Vec<RecordId> {
        self.history().of_kind_in_order(kind)
    }

    /// Every record decrypted and passed through `decode`, on all cores, in key order. Each
    /// item is the decoded value or that record's error (a damaged record does not stop the
    /// others). This thread reads the store in chunks while workers decode the chunks before,
    /// so only a few chunks of ciphertext are held at a time.
    pub fn decode_all<T: Send>(
        &self,
        decode: impl Fn(Record) -> Result<T> + Sync,
    ) -> Result<Vec<Result<T>>> {
        self.decode_all_checked(decode).map(|(items, _)| items)
    }

    /// [`Vault::decode_all`], and the store checked against its history on the same pass
    /// ([`Vault::integrity`]), so opening a practice reads the store once.
    pub fn decode_all_checked<T: Send>(
        &self,
        decode: impl Fn(Record) -> Result<T> + Sync,
    ) -> Result<(Vec<Result<T>>, Integrity)> {
        type Chunk = (usize, Vec<(sled::IVec, sled::IVec)>);
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
        let context = self.context();
        let open_one = |(key, value): &(sled::IVec, sled::IVec)| {
            let id = RecordId::from_key(key).ok_or_else(|| {
                VaultError::Store("the record store holds a key that is not a record id".into())
            })?;
            context.open(&self.data_key, id, value).and_then(&decode)
        };
        let (chunk_sender, chunks) = std::sync::mpsc::sync_channel::<Chunk>(workers * 2);
        let chunks = std::sync::Mutex::new(chunks);
        let (result_sender, results) = std::sync::mpsc::channel();
        std::thread::scope(|scope| {
            for _ in 0..workers {
                let (chunks, results) = (&chunks, result_sender.clone());
                let open_one = &open_one;
                scope.spawn(move || loop {
                    let next = chunks.lock().map(|receiver| receiver.recv());
                    let Ok(Ok((index, chunk))) = next else { return };
                    let decoded: Vec<Result<T>> = chunk.iter().map(open_one).collect();
                    if results.send((index, decoded)).is_err() {
                        return;
                    }
                });
            }
            drop(result_sender);
            let read = self.read_in_chunks(&chunk_sender);
            drop(chunk_sender);
            let mut decoded: Vec<(usize, Vec<Result<T>>)> = results.iter().collect();
            let (present, foreign) = read?;
            decoded.sort_unstable_by_key(|(index, _)| *index);
            let items = decoded.into_iter().flat_map(|(_, items)| items).collect();
            Ok((items, self.history().compare(present, foreign)))
        })
    }

    /// Sends the stored record values, in key order, as numbered chunks; returns each
    /// record id with the revision its value shows, and how many keys were neither records
    /// nor the history's.
    fn read_in_chunks(
        &self,
        sender: &std::sync::mpsc::SyncSender<(usize, Vec<(sled::IVec, sled::IVec)>)>,
    ) -> Result<(Present, usize)> {
        const CHUNK: usize = 1024;
        let mut chunk = Vec::with_capacity(CHUNK);
        let mut index = 0;
        let mut present = Vec::new();
        let mut foreign = 0;
        for entry in self.record_entries() {
            let (key, value) = entry?;
            match RecordId::from_key(&key) {
                Some(id) => present.push((id, revision_of(&value))),
                None => {
                    foreign += 1;
                    continue;
                }
            }
            chunk.push((key, value));
            if chunk.len() == CHUNK {
                let full = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK));
                if sender.send((index, full)).is_err() {
                    return Ok((present, foreign));
                }
                index += 1;
            }
        }
        if !chunk.is_empty() {
            let _ = sender.send((index, chunk));
        }
        Ok((present, foreign))
    }

    /// The intact records of one kind, and the errors met on the way (damaged records of any
    /// kind included, since a damaged record's kind cannot be known).
    pub fn scan_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = Result<Record>> + 'a {
        self.scan()
            .filter(move |r| r.as_ref().map_or(true, |rec| rec.kind == kind))
    }

    /// Number of stored records (intact or not), without decrypting them. This walks the
    /// whole store (sled keeps no count): avoid it on hot paths.
    pub fn len(&self) -> usize {
        self.record_entries().count()
    }

    /// True when the vault holds no records.
    pub fn is_empty(&self) -> bool {
        self.record_entries().next().is_none()
    }
}

/// Seals `ops` at `revision` into `tree`, in sled batches of [`ROTATION_BATCH`]; returns the
/// changes for the journal.
pub(super) fn write_ops(
    tree: &sled::Tree,
    ops: &[PendingOp],
    context: RecordContext,
    key: &SymmetricKey,
    revision: u64,
) -> Result<Vec<Change>> {
    let sealing = Sealing {
        context,
        key,
        revision,
    };
    let mut changes = Vec::with_capacity(ops.len());
    for chunk in ops.chunks(ROTATION_BATCH) {
        let mut batch = sled::Batch::default();
        sealing.add(chunk, &mut batch, &mut changes)?;
        tree.apply_batch(batch)?;
    }
    Ok(changes)
}

/// How the writes of one commit are sealed: the store's context, the key and the revision.
struct Sealing<'a> {
    context: RecordContext,
    key: &'a SymmetricKey,
    revision: u64,
}

impl Sealing<'_> {
    /// Seals `ops` into `batch`, noting each as a change for the journal.
    fn add(
        &self,
        ops: &[PendingOp],
        batch: &mut sled::Batch,
        changes: &mut Vec<Change>,
    ) -> Result<()> {
        for op in ops {
            match op {
                PendingOp::Put {
                    id,
                    kind,
                    schema,
                    json,
                } => {
                    let value =
                        self.context
                            .seal(self.key, id, self.revision, kind, *schema, json)?;
                    batch.insert(id.as_bytes(), value);
                    changes.push(Change::Put {
                        id: *id,
                        kind: kind.clone(),
                    });
                }
                PendingOp::Delete { id } => {
                    batch.remove(id.as_bytes());
                    changes.push(Change::Delete { id: *id });
                }
            }
        }
        Ok(())
    }
}

/// Each record id in a store with the revision its value shows.
type Present = Vec<(RecordId, Option<u64>)>;

/// One write waiting in a [`WriteBatch`]; sealed when the batch commits, at its revision.
pub(super) enum PendingOp {
    Put {
        id: RecordId,
        kind: String,
        schema: u32,
        json: Zeroizing<Vec<u8>>,
    },
    Delete {
        id: RecordId,
    },
}

/// Writes collected by [`Vault::batch`], applied together by [`Vault::commit`].
pub struct WriteBatch<'a> {
    _vault: std::marker::PhantomData<&'a Vault>,
    pub(super) ops: Vec<PendingOp>,
    need: Need,
}

impl WriteBatch<'static> {
    /// An empty batch not tied to a borrow of the vault, for
    /// [`Vault::commit_all_or_nothing`] and [`Vault::rotate_with`].
    pub fn new() -> Self {
        Self {
            _vault: std::marker::PhantomData,
            ops: Vec::new(),
            need: Need::Ordinary,
        }
    }
}

impl Default for WriteBatch<'static> {
    fn default() -> Self {
        Self::new()
    }
}

impl WriteBatch<'_> {
    /// Adds a write of `body` (encoded as JSON) under `id`. The kind and the size are checked
    /// now; the value is sealed when the batch commits.
    pub fn put<T: Serialize + ?Sized>(
        &mut self,
        id: RecordId,
        kind: &str,
        schema: u32,
        body: &T,
    ) -> Result<()> {
        check_kind(kind)?;
        let json = Zeroizing::new(
            serde_json::to_vec(body).map_err(|e| VaultError::Encode(e.to_string()))?,
        );
        if json.len() > MAX_BODY_LEN {
            return Err(VaultError::RecordTooLarge {
                size: json.len(),
                limit: MAX_BODY_LEN,
            });
        }
        self.ops.push(PendingOp::Put {
            id,
            kind: kind.to_owned(),
            schema,
            json,
        });
        Ok(())
    }

    /// Adds a deletion of `id`.
    pub fn delete(&mut self, id: RecordId) {
        self.ops.push(PendingOp::Delete { id });
    }

    /// Marks the batch as one an unlock or a lock cannot do without (their audit events):
    /// it may use the room the vault's reserve gave back on a full disk ([`crate::room`]).
    pub fn essential(&mut self) {
        self.need = Need::Essential;
    }

    /// About how many bytes the batch adds to the store, sealed and journalled.
    pub(super) fn estimated_bytes(&self) -> u64 {
        let sealed: usize = self
            .ops
            .iter()
            .map(|op| match op {
                PendingOp::Put { json, kind, .. } => json.len() + kind.len() + 128,
                PendingOp::Delete { .. } => 64,
            })
            .sum();
        twice(sealed)
    }

    /// Number of operations in the batch.
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    /// True when the batch holds no operations.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }
}
