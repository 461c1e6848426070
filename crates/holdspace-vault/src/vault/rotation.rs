//! A new store for the next key epoch: rotating the data key, erasing what was deleted (a
//! rotation under the passphrase key the vault holds), and upgrading a format-1 vault.
//!
//! Policy: the new store is written complete in its own directory and flushed, and only then
//! committed by replacing the header; a failure before that removes the half-built store and
//! leaves the old one whole, and a directory the header does not name is removed at the next
//! open. A rotation keeps each record's revision and carries the history re-sealed, so it
//! hides nothing the history would show; an upgrade starts both at revision 1.

use std::fs;
use std::path::Path;

use subtle::ConstantTimeEq;
use x25519_dalek::PublicKey;

use super::folder::{open_store, remove_dir_if_present, remove_stale_stores, store_path};
use super::keys::seal_passphrase_slot;
use super::records::write_ops;
use super::WriteBatch;
use super::{RotationProgress, Vault, HEADER_FILE, RECORDS_TREE, ROTATION_BATCH};
use crate::aead;
use crate::error::{Result, VaultError};
use crate::fsutil;
use crate::header::{Header, FORMAT_VERSION, LEGACY_FORMAT_VERSION, PASSPHRASE_SLOT_AD};
use crate::kdf::derive_passphrase_key;
use crate::ledger::{self, Ledger, LedgerSeal, CHECKPOINT_KEY};
use crate::record::{RecordContext, RecordId};
use crate::recovery;
use crate::room::{self, Need};
use crate::secret::{Passphrase, SymmetricKey};

impl Vault {
    /// Upgrades a format-1 vault: every record re-sealed at revision 1 into a new store with
    /// a history, committed by replacing the header (format 2, next epoch, same data key),
    /// exactly as a rotation commits. A crash before the header is replaced leaves the
    /// format-1 vault as it was, to be upgraded at the next open.
    pub(super) fn upgrade(&mut self) -> Result<()> {
        let key = self.data_key.clone();
        let next = self.build_next_store(&key, Some(1), 0, &mut |_| {}, |new| {
            let history = Ledger::from_records(1, new.present);
            new.tree
                .insert(CHECKPOINT_KEY, history.checkpoint_value(new.seal)?)?;
            Ok(history)
        })?;
        let mut header = self.header.clone();
        header.format = FORMAT_VERSION;
        header.epoch = next.epoch;
        header.high_water = 1;
        self.commit_store(header, key, next.db, next.tree, next.built)?;
        self.upgraded_from = Some(LEGACY_FORMAT_VERSION);
        Ok(())
    }

    /// Builds the next key epoch's store under `key`: every record copied (at its own
    /// revision, or at `revision` when given), then `finish` adds what belongs with them (the
    /// history, new records); flushed and synced. A failure removes the half-built store, so
    /// the old one stays whole. Nothing is committed: see [`Vault::commit_store`]. Refused
    /// first unless the disk has room for a store as large as the current one plus
    /// `added_bytes` (what `finish` adds, as [`WriteBatch::estimated_bytes`] counts it).
    ///
    /// [`WriteBatch::estimated_bytes`]: super::WriteBatch::estimated_bytes
    pub(super) fn build_next_store<T>(
        &self,
        key: &SymmetricKey,
        revision: Option<u64>,
        added_bytes: u64,
        progress: &mut impl FnMut(RotationProgress),
        finish: impl FnOnce(NewStore<'_>) -> Result<T>,
    ) -> Result<NextStore<T>> {
        let epoch = self.next_epoch()?;
        let current = fsutil::tree_size(&store_path(&self.dir, self.header.epoch));
        room::ensure(
            &self.dir,
            current.saturating_add(added_bytes),
            Need::Ordinary,
        )?;
        let context = RecordContext::current(self.header.vault_id, epoch);
        let path = store_path(&self.dir, epoch);
        remove_dir_if_present(&path)?;
        let built = self
            .copy_records(&path, key, context, revision, progress)
            .and_then(|(db, tree, present)| {
                let seal = LedgerSeal {
                    key,
                    vault_id: self.header.vault_id,
                    epoch,
                };
                let built = finish(NewStore {
                    tree: &tree,
                    seal,
                    context,
                    present: &present,
                })?;
                db.flush()?;
                fsutil::sync_dir(&self.dir)?;
                Ok(NextStore {
                    epoch,
                    db,
                    tree,
                    records: present.len(),
                    built,
                })
            });
        if built.is_err() {
            let _ = fs::remove_dir_all(&path);
        }
        built
    }

    /// The history a freshly written store starts from: folded into its one checkpoint when
    /// settled, and with nothing waiting to be erased.
    pub(super) fn take_history_for_new_store(&self) -> Ledger {
        let mut history = std::mem::take(&mut *self.history());
        if !history.is_unsettled() {
            history.folded();
        }
        history.erased();
        history
    }

    /// Commits a complete, flushed new store by replacing the header, then swaps it in and
    /// removes the old one.
    pub(super) fn commit_store(
        &mut self,
        header: Header,
        key: SymmetricKey,
        db: sled::Db,
        tree: sled::Tree,
        history: Ledger,
    ) -> Result<()> {
        fsutil::replace_atomically(&self.dir, HEADER_FILE, &header.to_bytes(&key))?;
        let old_path = store_path(&self.dir, self.header.epoch);
        self.records = tree;
        self.db = db;
        self.data_key = key;
        let new_epoch = header.epoch;
        self.header = header;
        *self.history() = history;
        remove_stale_stores(&self.dir, new_epoch).or_else(|_| remove_dir_if_present(&old_path))?;
        let _ = fsutil::make_private(&self.dir);
        Ok(())
    }

    fn next_epoch(&self) -> Result<u32> {
        self.header.epoch.checked_add(1).ok_or_else(|| {
            VaultError::Store("the key has been rotated more times than the format allows".into())
        })
    }

    /// Re-encrypts every record under a new data key in a fresh directory, commits by
    /// replacing the header, and removes the old directory. Needs the passphrase (to wrap the
    /// new key). Records keep their revisions and the history comes along re-sealed, so a
    /// rotation hides nothing the history would show. A damaged record stops the rotation
    /// before anything is committed.
    pub fn rotate(
        &mut self,
        passphrase: &Passphrase,
        progress: impl FnMut(RotationProgress),
    ) -> Result<()> {
        self.rotate_with(passphrase, WriteBatch::new(), progress)
    }

    /// [`Vault::rotate`], writing `batch` into the new store as one revision of its own
    /// before the header names it: the rotation and what records it (an audit event) are
    /// committed together, so neither can be on disk without the other.
    pub fn rotate_with(
        &mut self,
        passphrase: &Passphrase,
        batch: WriteBatch<'_>,
        mut progress: impl FnMut(RotationProgress),
    ) -> Result<()> {
        let kek =
            derive_passphrase_key(passphrase, &self.header.passphrase_salt, &self.header.kdf)?;
        self.confirm_passphrase_key(&kek)?;
        self.rekey(kek, batch, &mut progress)
    }

    /// True when something was deleted since the store was last rewritten: its sealed values
    /// may still be in the store's files until [`Vault::erase_deleted`] (or a lock) rewrites it.
    pub fn erasure_pending(&self) -> bool {
        self.history().erasure_pending()
    }

    /// Erases what was deleted: the vault re-keys itself (a rotation, with the passphrase key
    /// it holds) into a fresh store holding only the records that exist, and removes the old
    /// store, so no sealed copy of a deleted or overwritten value is left in the vault's files
    /// under a key in use. A crash leaves the old vault or the new one, as a rotation does.
    /// Refused with [`VaultError::ErasureNeedsPassphrase`] when the vault was opened with the
    /// recovery code and no passphrase was set since.
    pub fn erase_deleted(&mut self, mut progress: impl FnMut(RotationProgress)) -> Result<()> {
        let kek = self
            .passphrase_key
            .clone()
            .ok_or(VaultError::ErasureNeedsPassphrase)?;
        self.rekey(kek, WriteBatch::new(), &mut progress)
    }

    /// Re-encrypts every record under a new data key wrapped with `kek` (and to the recovery
    /// key) in a fresh store, with `batch` written there as the next revision; see
    /// [`Vault::rotate_with`].
    fn rekey(
        &mut self,
        kek: SymmetricKey,
        batch: WriteBatch<'_>,
        progress: &mut impl FnMut(RotationProgress),
    ) -> Result<()> {
        let new_key = SymmetricKey::random()?;
        let revision = self.history().next_revision();
        let added = batch.estimated_bytes();
        let next = self.build_next_store(&new_key, None, added, progress, |new| {
            self.write_history(new.tree, new.seal)?;
            if batch.ops.is_empty() {
                return Ok(Vec::new());
            }
            let changes = write_ops(new.tree, &batch.ops, new.context, &new_key, revision)?;
            let entry = self.history().journal_value(new.seal, revision, &changes)?;
            new.tree.insert(ledger::journal_key(revision), entry)?;
            Ok(changes)
        })?;
        let total = next.records;
        progress(RotationProgress { done: total, total });
        let mut header = self.header.clone();
        header.epoch = next.epoch;
        header.passphrase_slot = seal_passphrase_slot(&kek, &new_key)?;
        header.recovery_slot =
            recovery::wrap(&new_key, &PublicKey::from(self.header.recovery_public))?;
        let mut history = self.take_history_for_new_store();
        if !next.built.is_empty() {
            history.apply(revision, &next.built);
        }
        self.commit_store(header, new_key, next.db, next.tree, history)?;
        self.passphrase_key = Some(kek);
        Ok(())
    }

    /// Gives a new store its history: one fresh checkpoint of the history as it stands (the
    /// new store holds only the records that exist, so nothing is waiting to be erased), or,
    /// while findings are unacknowledged, the checkpoint and journal as they are, re-sealed,
    /// so the findings stay.
    pub(super) fn write_history(&self, tree: &sled::Tree, to: LedgerSeal<'_>) -> Result<()> {
        let history = self.history();
        if history.is_unsettled() {
            drop(history);
            return self.copy_history(tree, to);
        }
        tree.insert(CHECKPOINT_KEY, history.checkpoint_value_erased(to)?)?;
        Ok(())
    }

    fn confirm_passphrase_key(&self, kek: &SymmetricKey) -> Result<()> {
        let opened = aead::open(kek, PASSPHRASE_SLOT_AD, &self.header.passphrase_slot)
            .map_err(|_| VaultError::WrongPassphrase)?;
        if bool::from(opened.as_slice().ct_eq(self.data_key.as_bytes())) {
            Ok(())
        } else {
            Err(VaultError::WrongPassphrase)
        }
    }

    /// Copies the history's checkpoint and journal into `tree`, re-sealed for `to`. An entry
    /// that does not open is left behind: it is already a finding, and stays one as a gap.
    fn copy_history(&self, tree: &sled::Tree, to: LedgerSeal<'_>) -> Result<()> {
        let mut batch = sled::Batch::default();
        for entry in self.records.scan_prefix(ledger::JOURNAL_PREFIX) {
            let (key, value) = entry?;
            if let Some(resealed) = ledger::reseal(&key, &value, self.ledger_seal(), to)? {
                batch.insert(key, resealed);
            }
        }
        tree.apply_batch(batch)?;
        Ok(())
    }

    /// Copies every record, re-sealed under `key`/`context`, into a new store at `path`, at
    /// its own revision or at `revision` when given (an upgrade). Returns the store, its
    /// records tree and each record's id, revision and kind; the caller adds the history and
    /// flushes.
    ///
    /// The stored values are read in one pass first (that pass gives the total for progress;
    /// sled has no cheap count), then a worker thread re-seals batches while this thread writes
    /// the previous one, so the cryptography overlaps sled's writing. The ciphertext is held in
    /// memory for the duration (about 1.1 KB per record).
    fn copy_records(
        &self,
        path: &Path,
        key: &SymmetricKey,
        context: RecordContext,
        revision: Option<u64>,
        progress: &mut impl FnMut(RotationProgress),
    ) -> Result<(sled::Db, sled::Tree, Vec<RecordRevision>)> {
        let db = open_store(path, true)?;
        let tree = db.open_tree(RECORDS_TREE)?;
        let stored: Vec<(sled::IVec, sled::IVec)> = self.record_entries().collect::<Result<_>>()?;
        let total = stored.len();
        progress(RotationProgress { done: 0, total });
        let mut present = Vec::with_capacity(total);
        std::thread::scope(|scope| -> Result<()> {
            let (sender, batches) = std::sync::mpsc::sync_channel::<Result<Resealed>>(2);
            scope.spawn(move || {
                for chunk in stored.chunks(ROTATION_BATCH) {
                    let resealed = self.reseal(chunk, key, context, revision);
                    let failed = resealed.is_err();
                    if sender.send(resealed).is_err() || failed {
                        return;
                    }
                }
            });
            for batch in batches {
                let (batch, records) = batch?;
                tree.apply_batch(batch)?;
                present.extend(records);
                if present.len() < total {
                    progress(RotationProgress {
                        done: present.len(),
                        total,
                    });
                }
            }
            Ok(())
        })?;
        Ok((db, tree, present))
    }

    /// Opens each stored value under the current key and seals it under the new one.
    fn reseal(
        &self,
        chunk: &[(sled::IVec, sled::IVec)],
        key: &SymmetricKey,
        context: RecordContext,
        revision: Option<u64>,
    ) -> Result<Resealed> {
        let mut batch = sled::Batch::default();
        let mut records = Vec::with_capacity(chunk.len());
        for (stored_key, value) in chunk {
            let id = RecordId::from_key(stored_key).ok_or_else(|| {
                VaultError::Store("the record store holds a key that is not a record id".into())
            })?;
            let record = self.context().open(&self.data_key, id, value)?;
            let at = revision.unwrap_or(record.revision);
            let sealed = context.seal(
                key,
                &id,
                at,
                &record.kind,
                record.schema,
                record.body_json(),
            )?;
            batch.insert(stored_key.clone(), sealed);
            records.push((id, at, record.kind.clone()));
        }
        Ok((batch, records))
    }
}

/// A record's id, revision and kind.
type RecordRevision = (RecordId, u64, String);

/// A store being built for the next key epoch, as [`Vault::build_next_store`] hands it on.
pub(super) struct NewStore<'a> {
    pub(super) tree: &'a sled::Tree,
    /// Seals ledger values for the new store.
    pub(super) seal: LedgerSeal<'a>,
    /// Seals records for the new store.
    pub(super) context: RecordContext,
    /// The records copied into it.
    present: &'a [RecordRevision],
}

/// A store built, flushed and not yet committed.
pub(super) struct NextStore<T> {
    pub(super) epoch: u32,
    pub(super) db: sled::Db,
    pub(super) tree: sled::Tree,
    /// Records copied into it.
    records: usize,
    /// What the caller's step added.
    pub(super) built: T,
}
/// A batch of re-sealed records and each one's id, revision and kind.
type Resealed = (sled::Batch, Vec<RecordRevision>);
