//! The vault: a folder holding `vault.hdr` and one sled directory of encrypted records.
//!
//! Policy:
//! - Every record is sealed under one random data key; the key exists on disk only wrapped in
//!   the header (under the passphrase and under the recovery code), never inside sled, whose
//!   log keeps old values readable.
//! - Every write is one sled batch, flushed before the call returns: what a caller was told is
//!   saved, is. The batch carries the commit's entry in the vault's history ([`crate::ledger`]),
//!   so deleting a record, putting back an older value of one, or putting back an older copy
//!   of the store is found when the vault next opens ([`Vault::integrity`]). Locking folds the
//!   history and writes its revision into the header as a high-water mark.
//! - A format-1 vault is upgraded to format 2 when it is opened: its records are re-sealed into
//!   a new store with a history, which the header then commits to in one step, exactly as a
//!   rotation commits ([`Vault::upgraded_from`]).
//! - One process per vault: `vault.lock` is held for as long as a [`Vault`] lives, and sled's
//!   own lock guards the record directory too. The lock is released only once sled has closed
//!   the store ([`crate::folder_lock`]), so a vault locked or dropped can be opened again at once.
//! - Rotation writes a complete new directory, flushes it, and only then commits by replacing
//!   the header; a directory the header does not name is an interrupted rotation (or its
//!   leftover) and is removed when the vault is next opened.
//! - No write reaches sled without room on the disk for it ([`crate::room`]): a write the disk
//!   has no room for is refused before it starts and changes nothing, and a vault on a full
//!   disk still opens, using the room its reserve file gives back.
//! - Dropping a [`Vault`] wipes the data key; decrypted [`Record`]s wipe their own bodies.
//! - Only the practitioner's own user may read the vault: the folder is 0700 and every file in
//!   it 0600 from creation. Opening a vault whose modes are looser tightens them and says so
//!   ([`Vault::folder_privacy`]), so the practice can audit it; so do locking and rotating,
//!   for the files sled created meanwhile.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::Serialize;
use subtle::ConstantTimeEq;
use x25519_dalek::PublicKey;
use zeroize::{Zeroize, Zeroizing};

use crate::aead;
use crate::error::{Result, VaultError};
use crate::folder_lock::{FolderLock, STORE_PREFIX};
use crate::fsutil;
use crate::header::{
    Header, FORMAT_VERSION, LEGACY_FORMAT_VERSION, PASSPHRASE_SLOT_AD, PASSPHRASE_SLOT_LEN,
};
use crate::kdf::{derive_passphrase_key, KdfPolicy};
use crate::ledger::{self, Change, Integrity, Ledger, LedgerSeal, CHECKPOINT_KEY};
use crate::record::{
    check_kind, revision_of, Record, RecordContext, RecordId, LEGACY_RECORD_FORMAT, MAX_BODY_LEN,
};
use crate::recovery::{self, RecoveryCode};
use crate::room::{self, Need};
use crate::secret::{fill_random, Passphrase, SymmetricKey, KEY_LEN};
use crate::strength::{check_new_passphrase, own_words};

/// Name of the header file inside a vault folder.
pub const HEADER_FILE: &str = "vault.hdr";
pub use crate::folder_lock::LOCK_FILE;
/// The one sled tree that holds records. Its name says nothing about them.
const RECORDS_TREE: &[u8] = b"records";
/// Records per sled batch during rotation.
const ROTATION_BATCH: usize = 2048;
/// How long to wait for sled to release a lock that our own `vault.lock` proves is stale: held
/// only by this process's own closing threads, which a loaded disk can keep busy for seconds.
const SLED_LOCK_GRACE: Duration = crate::folder_lock::RELEASE_WAIT;
/// What replacing the header writes: its temporary copy.
const HEADER_ROOM: u64 = 4096;
/// One segment of the store's log (sled's default).
const SEGMENT_BYTES: u64 = 512 * 1024;

/// An unlocked vault.
pub struct Vault {
    dir: PathBuf,
    header: Header,
    data_key: SymmetricKey,
    records: sled::Tree,
    db: sled::Db,
    policy: KdfPolicy,
    privacy: FolderPrivacy,
    /// The store's history, kept current by every commit.
    ledger: std::sync::Mutex<Ledger>,
    /// The header format this vault had before opening upgraded it.
    upgraded_from: Option<u16>,
    /// The key derived from the passphrase, held while the vault is open (as the data key
    /// is) so that it can re-key itself to erase what was deleted without asking again.
    /// `None` when it was opened with the recovery code and no passphrase was set since.
    passphrase_key: Option<SymmetricKey>,
    // Declared last so it is released after sled's handles are dropped; it then waits for
    // sled's threads to close the store's files.
    _lock: FolderLock,
}

/// What opening the vault found about who may read its files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FolderPrivacy {
    /// The folder and every file in it were already owner-only.
    Private,
    /// Some were readable or writable by other users; they are owner-only now.
    Tightened,
    /// Some are readable or writable by other users and could not be changed (a file system
    /// without Unix modes, or files owned by someone else).
    CouldNotTighten,
}

/// A vault that was just created, with the recovery code to show once.
pub struct CreatedVault {
    /// The new, unlocked vault.
    pub vault: Vault,
    /// The recovery code. Show it to the practitioner once; it is stored nowhere.
    pub recovery_code: RecoveryCode,
}

/// How far a rotation has got. `done == total` is reported once, after the new store is
/// complete and flushed and just before the header commits it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RotationProgress {
    /// Records re-encrypted so far.
    pub done: usize,
    /// Records in all.
    pub total: usize,
}

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
    /// Creates a vault in `dir` (which must be missing or empty) and unlocks it.
    pub fn create(dir: &Path, passphrase: &Passphrase, policy: KdfPolicy) -> Result<CreatedVault> {
        if vault_exists(dir) {
            return Err(VaultError::AlreadyExists {
                path: dir.to_path_buf(),
            });
        }
        check_new_passphrase(passphrase, &own_words("", ""))?;
        prepare_new_folder(dir)?;
        let lock = FolderLock::take(dir)?;
        room::take_reserve(dir)?;
        let kdf = policy.choose_params()?;
        let data_key = SymmetricKey::random()?;
        let recovery_code = RecoveryCode::generate()?;
        let mut vault_id = [0u8; 16];
        fill_random(&mut vault_id)?;
        let mut passphrase_salt = [0u8; 32];
        fill_random(&mut passphrase_salt)?;
        let kek = derive_passphrase_key(passphrase, &passphrase_salt, &kdf)?;
        let recovery_public = recovery_code.public_key();
        let header = Header::new(
            vault_id,
            1,
            now_unix(),
            kdf,
            passphrase_salt,
            seal_passphrase_slot(&kek, &data_key)?,
            *recovery_public.as_bytes(),
            recovery::wrap(&data_key, &recovery_public)?,
        );
        let db = open_store(&store_path(dir, header.epoch), true)?;
        let seal = LedgerSeal {
            key: &data_key,
            vault_id,
            epoch: header.epoch,
        };
        db.open_tree(RECORDS_TREE)?
            .insert(CHECKPOINT_KEY, Ledger::empty().checkpoint_value(seal)?)?;
        db.flush()?;
        fsutil::sync_dir(dir)?;
        fsutil::replace_atomically(dir, HEADER_FILE, &header.to_bytes(&data_key))?;
        fsutil::make_private(dir)
            .map_err(|e| VaultError::io(format!("could not protect {}", dir.display()), e))?;
        let mut vault = Self::assemble(dir, header, data_key, db, policy, lock, Ledger::empty())?;
        vault.passphrase_key = Some(kek);
        Ok(CreatedVault {
            vault,
            recovery_code,
        })
    }

    /// Opens the vault in `dir` with the passphrase.
    pub fn open(dir: &Path, passphrase: &Passphrase, policy: KdfPolicy) -> Result<Self> {
        let lock = take_lock_of_existing(dir)?;
        let header = read_header(dir, policy)?;
        let (data_key, kek) = unwrap_with_passphrase_key(&header, passphrase)?;
        let mut vault = Self::finish_open(dir, header, data_key, policy, lock)?;
        vault.passphrase_key = Some(kek);
        Ok(vault)
    }

    /// Opens the vault in `dir` with the recovery code.
    pub fn open_with_recovery_code(
        dir: &Path,
        code: &RecoveryCode,
        policy: KdfPolicy,
    ) -> Result<Self> {
        let lock = take_lock_of_existing(dir)?;
        let header = read_header(dir, policy)?;
        let data_key = recovery::unwrap(&header.recovery_slot, code)?;
        Self::finish_open(dir, header, data_key, policy, lock)
    }

    /// Opens the vault with the recovery code and sets a new passphrase; the old one stops
    /// working. The recovery code keeps working. (A caller that knows names the passphrase
    /// must not contain opens with the code and calls [`Vault::set_passphrase_after_recovery`].)
    pub fn recover(
        dir: &Path,
        code: &RecoveryCode,
        new_passphrase: &Passphrase,
        policy: KdfPolicy,
    ) -> Result<Self> {
        check_new_passphrase(new_passphrase, &own_words("", ""))?;
        let mut vault = Self::open_with_recovery_code(dir, code, policy)?;
        vault.set_passphrase_after_recovery(new_passphrase, &own_words("", ""))?;
        Ok(vault)
    }

    fn finish_open(
        dir: &Path,
        header: Header,
        data_key: SymmetricKey,
        policy: KdfPolicy,
        lock: FolderLock,
    ) -> Result<Self> {
        header.verify_mac(&data_key)?;
        let path = store_path(dir, header.epoch);
        if !path.join("conf").is_file() {
            return Err(VaultError::RecordsMissing { path });
        }
        // Judged as found, before sled (which writes files of its own while opening) runs.
        let privacy = match fsutil::make_private(dir) {
            Ok(false) => FolderPrivacy::Private,
            Ok(true) => FolderPrivacy::Tightened,
            Err(_) => FolderPrivacy::CouldNotTighten,
        };
        room::release_if_short(dir, room_to_open(&path))?;
        let db = open_store(&path, false)?;
        // Only once the committed store has opened is any other store a leftover to remove.
        remove_stale_stores(dir, header.epoch)?;
        let _ = fsutil::make_private(dir);
        let legacy = header.format == LEGACY_FORMAT_VERSION;
        let history = if legacy {
            Ledger::empty()
        } else {
            let seal = LedgerSeal {
                key: &data_key,
                vault_id: header.vault_id,
                epoch: header.epoch,
            };
            Ledger::load(&db.open_tree(RECORDS_TREE)?, seal, header.high_water)?
        };
        let mut vault = Self::assemble(dir, header, data_key, db, policy, lock, history)?;
        vault.privacy = privacy;
        if legacy {
            vault.upgrade()?;
        }
        Ok(vault)
    }

    /// Upgrades a format-1 vault: every record re-sealed at revision 1 into a new store with
    /// a history, committed by replacing the header (format 2, next epoch, same data key),
    /// exactly as a rotation commits. A crash before the header is replaced leaves the
    /// format-1 vault as it was, to be upgraded at the next open.
    fn upgrade(&mut self) -> Result<()> {
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
    fn build_next_store<T>(
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
    fn take_history_for_new_store(&self) -> Ledger {
        let mut history = std::mem::take(&mut *self.history());
        if !history.is_unsettled() {
            history.folded();
        }
        history.erased();
        history
    }

    /// Commits a complete, flushed new store by replacing the header, then swaps it in and
    /// removes the old one.
    fn commit_store(
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

    /// The history, whoever panicked while holding it (it is only ever changed after a
    /// commit succeeded, so it is never half-updated).
    fn history(&self) -> std::sync::MutexGuard<'_, Ledger> {
        self.ledger
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn ledger_seal(&self) -> LedgerSeal<'_> {
        LedgerSeal {
            key: &self.data_key,
            vault_id: self.header.vault_id,
            epoch: self.header.epoch,
        }
    }

    /// The header format this vault had before this open upgraded it (`Some(1)` once, on the
    /// open that upgraded a format-1 vault), so the practice can record it.
    pub fn upgraded_from(&self) -> Option<u16> {
        self.upgraded_from
    }

    #[allow(clippy::too_many_arguments)]
    fn assemble(
        dir: &Path,
        header: Header,
        data_key: SymmetricKey,
        db: sled::Db,
        policy: KdfPolicy,
        lock: FolderLock,
        history: Ledger,
    ) -> Result<Self> {
        let records = db.open_tree(RECORDS_TREE)?;
        Ok(Self {
            dir: dir.to_path_buf(),
            header,
            data_key,
            records,
            db,
            policy,
            privacy: FolderPrivacy::Private,
            ledger: std::sync::Mutex::new(history),
            upgraded_from: None,
            passphrase_key: None,
            _lock: lock,
        })
    }

    /// Locks the vault: first erases what was deleted since the store was last rewritten
    /// ([`Vault::erase_deleted`], when the vault holds its passphrase key), then folds the
    /// history into a checkpoint (unless something found at open is still unacknowledged),
    /// flushes, writes the history's revision into the header
    /// as its high-water mark, closes the store and wipes the data key. Files sled created
    /// while it was open are made owner-only (best effort: they were created so already
    /// under the binaries' private file-creation mask, and the folder is 0700).
    pub fn lock(mut self) -> Result<()> {
        if self.erasure_pending() && self.passphrase_key.is_some() {
            // Best effort: a failure (a full disk) leaves the old complete store, the erasure
            // still pending for the next lock.
            let _ = self.erase_deleted(|_| {});
        }
        self.fold_history()?;
        self.db.flush()?;
        self.raise_high_water()?;
        let _ = fsutil::make_private(&self.dir);
        // Best effort: a lock never fails for want of its reserve.
        let _ = room::retake_if_room(&self.dir);
        Ok(())
    }

    /// Replaces the journal with one checkpoint, in one flushed batch.
    fn fold_history(&self) -> Result<()> {
        let mut history = self.history();
        if history.is_unsettled() || !history.has_journal() {
            return Ok(());
        }
        let checkpoint = history.checkpoint_value(self.ledger_seal())?;
        room::ensure(&self.dir, twice(checkpoint.len()), Need::Essential)?;
        let mut batch = sled::Batch::default();
        batch.insert(CHECKPOINT_KEY, checkpoint);
        for revision in history.journal_revisions() {
            batch.remove(&ledger::journal_key(revision));
        }
        self.records.apply_batch(batch)?;
        self.records.flush()?;
        history.folded();
        Ok(())
    }

    /// Writes the history's revision into the header when it has moved past the mark.
    fn raise_high_water(&self) -> Result<()> {
        let revision = self.history().revision();
        if revision <= self.header.high_water {
            return Ok(());
        }
        let mut header = self.header.clone();
        header.high_water = revision;
        self.replace_header(&header, Need::Essential)
    }

    /// Replaces `vault.hdr` with `header` (MAC'd under the current data key), if the disk has
    /// room for its temporary copy.
    fn replace_header(&self, header: &Header, need: Need) -> Result<()> {
        room::ensure(&self.dir, HEADER_ROOM, need)?;
        fsutil::replace_atomically(&self.dir, HEADER_FILE, &header.to_bytes(&self.data_key))
    }

    /// What opening found about who may read the vault's files (always
    /// [`FolderPrivacy::Private`] for a vault created in this process).
    pub fn folder_privacy(&self) -> FolderPrivacy {
        self.privacy
    }

    /// The folder this vault lives in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The current key epoch (1 at creation, +1 per rotation).
    pub fn key_epoch(&self) -> u32 {
        self.header.epoch
    }

    /// The vault's Argon2id parameters.
    pub fn kdf_params(&self) -> crate::kdf::KdfParams {
        self.header.kdf
    }

    fn context(&self) -> RecordContext {
        let mut context = RecordContext::current(self.header.vault_id, self.header.epoch);
        if self.header.format == LEGACY_FORMAT_VERSION {
            context.format = LEGACY_RECORD_FORMAT;
        }
        context
    }

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
    fn record_entries(&self) -> impl Iterator<Item = Result<(sled::IVec, sled::IVec)>> + '_ {
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

    /// Checks the store against its history: every record there, none older or newer than
    /// the history says, the history itself unbroken. Decrypts nothing.
    pub fn integrity(&self) -> Result<Integrity> {
        let mut present = Vec::new();
        let mut foreign = 0;
        for entry in self.record_entries() {
            let (key, value) = entry?;
            match RecordId::from_key(&key) {
                Some(id) => present.push((id, revision_of(&value))),
                None => foreign += 1,
            }
        }
        Ok(self.history().compare(present, foreign))
    }

    /// The practitioner has seen what [`Vault::integrity`] found and accepts the store as it
    /// is: the history is rebuilt from the records present (each as its value shows; a record
    /// that does not open keeps what the history knew of it) and folded into a checkpoint at
    /// once. Returns the check made afterwards, which finds nothing.
    pub fn accept_history(&self) -> Result<Integrity> {
        let context = self.context();
        let mut history = self.history();
        let known: std::collections::HashMap<RecordId, String> =
            history.kinds_by_id().into_iter().collect();
        let mut present = Vec::new();
        for entry in self.record_entries() {
            let (key, value) = entry?;
            let Some(id) = RecordId::from_key(&key) else {
                continue;
            };
            let Some(revision) = revision_of(&value) else {
                continue;
            };
            let kind = match context.open(&self.data_key, id, &value) {
                Ok(record) => record.kind,
                Err(_) => known.get(&id).cloned().unwrap_or_else(|| "unknown".into()),
            };
            present.push((id, revision, kind));
        }
        history.rebaseline(&present);
        let checkpoint = history.checkpoint_value(self.ledger_seal())?;
        room::ensure(&self.dir, twice(checkpoint.len()), Need::Ordinary)?;
        let mut batch = sled::Batch::default();
        batch.insert(CHECKPOINT_KEY, checkpoint);
        for entry in self.records.scan_prefix(ledger::JOURNAL_PREFIX) {
            let (key, _) = entry?;
            if ledger::is_ledger_key(&key) && key != CHECKPOINT_KEY {
                batch.remove(key);
            }
        }
        self.records.apply_batch(batch)?;
        self.records.flush()?;
        history.folded();
        drop(history);
        self.integrity()
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

    /// The format version of this vault's header (see `docs/vault-format.md`).
    pub fn format_version(&self) -> u16 {
        self.header.format
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

    /// Replaces the passphrase after checking the current one. The data key is unchanged.
    /// The new passphrase must meet the passphrase rule ([`crate::strength`]).
    pub fn change_passphrase(&mut self, current: &Passphrase, new: &Passphrase) -> Result<()> {
        self.confirm_passphrase(current)?;
        check_new_passphrase(new, &own_words("", ""))?;
        self.set_passphrase(new)
    }

    /// Makes a new recovery code after checking the passphrase: the data key is wrapped to
    /// the new code's public key and the header replaced, so the old code no longer opens the
    /// vault. Returns the new code (show it once) and the header as it was, for
    /// [`Vault::restore_header`] should the caller's own step that belongs with it fail.
    pub fn replace_recovery_code(
        &mut self,
        passphrase: &Passphrase,
    ) -> Result<(RecoveryCode, PreviousHeader)> {
        self.confirm_passphrase(passphrase)?;
        let code = RecoveryCode::generate()?;
        let public = code.public_key();
        let previous = PreviousHeader(self.header.clone());
        let mut header = self.header.clone();
        header.recovery_public = *public.as_bytes();
        header.recovery_slot = recovery::wrap(&self.data_key, &public)?;
        self.replace_header(&header, Need::Ordinary)?;
        self.header = header;
        Ok((code, previous))
    }

    /// Puts back a header kept by [`Vault::replace_recovery_code`] (its recovery code opens
    /// the vault again).
    pub fn restore_header(&mut self, previous: PreviousHeader) -> Result<()> {
        let mut header = previous.0;
        header.high_water = self.header.high_water;
        self.replace_header(&header, Need::Ordinary)?;
        self.header = header;
        Ok(())
    }

    /// Checks that `passphrase` unlocks this vault (a full derivation).
    pub fn confirm_passphrase(&self, passphrase: &Passphrase) -> Result<()> {
        let key = unwrap_with_passphrase(&self.header, passphrase)?;
        if bool::from(key.as_bytes().ct_eq(self.data_key.as_bytes())) {
            Ok(())
        } else {
            Err(VaultError::WrongPassphrase)
        }
    }

    /// Sets a new passphrase on a vault opened with its recovery code, once it meets the
    /// passphrase rule with `own_words` ([`crate::strength::own_words`]) as the words it must not
    /// lean on. Refused with [`VaultError::WrongPassphrase`] when the vault holds its
    /// passphrase key (it was opened with the passphrase, or one was set since): that change
    /// goes through [`Vault::change_passphrase`], which asks for the current one.
    pub fn set_passphrase_after_recovery(
        &mut self,
        new: &Passphrase,
        own_words: &[String],
    ) -> Result<()> {
        if self.passphrase_key.is_some() {
            return Err(VaultError::WrongPassphrase);
        }
        check_new_passphrase(new, own_words)?;
        self.set_passphrase(new)
    }

    /// Wraps the data key under a new passphrase with fresh salt and parameters. The caller
    /// has checked the passphrase rule and has the right to (the current passphrase, or the
    /// recovery code that opened this vault).
    fn set_passphrase(&mut self, new: &Passphrase) -> Result<()> {
        let kdf = self.policy.choose_params()?;
        let mut salt = [0u8; 32];
        fill_random(&mut salt)?;
        let kek = derive_passphrase_key(new, &salt, &kdf)?;
        let mut header = self.header.clone();
        header.kdf = kdf;
        header.passphrase_salt = salt;
        header.passphrase_slot = seal_passphrase_slot(&kek, &self.data_key)?;
        self.replace_header(&header, Need::Ordinary)?;
        self.header = header;
        self.passphrase_key = Some(kek);
        Ok(())
    }

    /// Re-encrypts every record under a new data key in a fresh directory, commits by
    /// replacing the header, and removes the old directory. Needs the passphrase (to wrap the
    /// new key). Records keep their revisions and the history comes along re-sealed, so a
    /// rotation hides nothing the history would show. A damaged record stops the rotation
    /// before anything is committed.
    pub fn rotate(
        &mut self,
        passphrase: &Passphrase,
        mut progress: impl FnMut(RotationProgress),
    ) -> Result<()> {
        let kek =
            derive_passphrase_key(passphrase, &self.header.passphrase_salt, &self.header.kdf)?;
        self.confirm_passphrase_key(&kek)?;
        self.rekey(kek, &mut progress)
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
        self.rekey(kek, &mut progress)
    }

    /// Re-encrypts every record under a new data key wrapped with `kek` (and to the recovery
    /// key) in a fresh store; see [`Vault::rotate`].
    fn rekey(
        &mut self,
        kek: SymmetricKey,
        progress: &mut impl FnMut(RotationProgress),
    ) -> Result<()> {
        let new_key = SymmetricKey::random()?;
        let next = self.build_next_store(&new_key, None, 0, progress, |new| {
            self.write_history(new.tree, new.seal)
        })?;
        let total = next.records;
        progress(RotationProgress { done: total, total });
        let mut header = self.header.clone();
        header.epoch = next.epoch;
        header.passphrase_slot = seal_passphrase_slot(&kek, &new_key)?;
        header.recovery_slot =
            recovery::wrap(&new_key, &PublicKey::from(self.header.recovery_public))?;
        let history = self.take_history_for_new_store();
        self.commit_store(header, new_key, next.db, next.tree, history)?;
        self.passphrase_key = Some(kek);
        Ok(())
    }

    /// Gives a new store its history: one fresh checkpoint of the history as it stands (the
    /// new store holds only the records that exist, so nothing is waiting to be erased), or,
    /// while findings are unacknowledged, the checkpoint and journal as they are, re-sealed,
    /// so the findings stay.
    fn write_history(&self, tree: &sled::Tree, to: LedgerSeal<'_>) -> Result<()> {
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

/// Seals `ops` at `revision` into `tree`, in sled batches of [`ROTATION_BATCH`]; returns the
/// changes for the journal.
fn write_ops(
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

/// A record's id, revision and kind.
type RecordRevision = (RecordId, u64, String);

/// A store being built for the next key epoch, as [`Vault::build_next_store`] hands it on.
struct NewStore<'a> {
    tree: &'a sled::Tree,
    /// Seals ledger values for the new store.
    seal: LedgerSeal<'a>,
    /// Seals records for the new store.
    context: RecordContext,
    /// The records copied into it.
    present: &'a [RecordRevision],
}

/// A store built, flushed and not yet committed.
struct NextStore<T> {
    epoch: u32,
    db: sled::Db,
    tree: sled::Tree,
    /// Records copied into it.
    records: usize,
    /// What the caller's step added.
    built: T,
}
/// A batch of re-sealed records and each one's id, revision and kind.
type Resealed = (sled::Batch, Vec<RecordRevision>);
/// Each record id in a store with the revision its value shows.
type Present = Vec<(RecordId, Option<u64>)>;

/// One write waiting in a [`WriteBatch`]; sealed when the batch commits, at its revision.
enum PendingOp {
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
    ops: Vec<PendingOp>,
    need: Need,
}

impl WriteBatch<'static> {
    /// An empty batch not tied to a borrow of the vault, for
    /// [`Vault::commit_all_or_nothing`].
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
    fn estimated_bytes(&self) -> u64 {
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

/// A vault's header as it was before a change, kept so the change can be undone.
pub struct PreviousHeader(Header);

impl std::fmt::Debug for PreviousHeader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PreviousHeader")
    }
}

/// A secret that proves the right to act on a vault: its passphrase or its recovery code.
#[derive(Clone, Copy, Debug)]
pub enum Credential<'a> {
    /// The vault's passphrase.
    Passphrase(&'a Passphrase),
    /// The vault's recovery code.
    RecoveryCode(&'a RecoveryCode),
}

/// Proves that `credential` opens the vault in `dir`, from its header alone: the store is not
/// opened, nothing is written, and the vault may be open elsewhere (in this app, unlocked).
/// A header whose fields were changed but whose key slot the credential opens still proves
/// knowledge of the credential, so only a failed unwrap refuses. Errors: the wrong secret
/// ([`VaultError::WrongPassphrase`], [`VaultError::WrongRecoveryCode`]), or why the header
/// cannot be read ([`VaultError::HeaderDamaged`], [`VaultError::NotAVault`], …).
pub fn prove(dir: &Path, credential: Credential<'_>, policy: KdfPolicy) -> Result<()> {
    let header = read_header(dir, policy)?;
    let _data_key = match credential {
        Credential::Passphrase(passphrase) => unwrap_with_passphrase(&header, passphrase)?,
        Credential::RecoveryCode(code) => recovery::unwrap(&header.recovery_slot, code)?,
    };
    Ok(())
}

/// Reads and checks the header of the vault in `dir` without any secret: `Ok` when it is
/// whole (a credential could then be checked against it), else why not.
pub fn check_header(dir: &Path, policy: KdfPolicy) -> Result<()> {
    read_header(dir, policy).map(|_| ())
}

/// True when `dir` holds a vault header.
pub fn vault_exists(dir: &Path) -> bool {
    dir.join(HEADER_FILE).is_file()
}

/// True when another process (or another handle in this one) has the vault in `dir` open
/// right now, so opening it here would fail with [`VaultError::AlreadyOpen`]. Checks without
/// changing anything but the empty `vault.lock` file, and releases at once.
pub fn is_open_elsewhere(dir: &Path) -> bool {
    vault_exists(dir) && matches!(FolderLock::take(dir), Err(VaultError::AlreadyOpen))
}

fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn store_path(dir: &Path, epoch: u32) -> PathBuf {
    dir.join(format!("{STORE_PREFIX}{epoch:08}"))
}

fn seal_passphrase_slot(
    kek: &SymmetricKey,
    data_key: &SymmetricKey,
) -> Result<[u8; PASSPHRASE_SLOT_LEN]> {
    let sealed = aead::seal(kek, PASSPHRASE_SLOT_AD, data_key.as_bytes())?;
    let mut slot = [0u8; PASSPHRASE_SLOT_LEN];
    slot.copy_from_slice(&sealed);
    Ok(slot)
}

fn unwrap_with_passphrase(header: &Header, passphrase: &Passphrase) -> Result<SymmetricKey> {
    unwrap_with_passphrase_key(header, passphrase).map(|(key, _)| key)
}

/// The data key, and the key derived from the passphrase that unwrapped it.
fn unwrap_with_passphrase_key(
    header: &Header,
    passphrase: &Passphrase,
) -> Result<(SymmetricKey, SymmetricKey)> {
    let kek = derive_passphrase_key(passphrase, &header.passphrase_salt, &header.kdf)?;
    let opened = aead::open(&kek, PASSPHRASE_SLOT_AD, &header.passphrase_slot)
        .map_err(|_| VaultError::WrongPassphrase)?;
    let mut bytes = [0u8; KEY_LEN];
    bytes.copy_from_slice(&opened);
    let key = SymmetricKey::from_bytes(bytes);
    bytes.zeroize();
    Ok((key, kek))
}

fn read_header(dir: &Path, policy: KdfPolicy) -> Result<Header> {
    let path = dir.join(HEADER_FILE);
    let bytes = fs::read(&path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => VaultError::NotAVault {
            path: dir.to_path_buf(),
        },
        _ => VaultError::io(format!("could not read {}", path.display()), e),
    })?;
    Header::parse(&bytes, &policy.limits(), dir)
}

/// Takes `vault.lock` in a folder that must already hold a vault.
fn take_lock_of_existing(dir: &Path) -> Result<FolderLock> {
    if !vault_exists(dir) {
        return Err(VaultError::NotAVault {
            path: dir.to_path_buf(),
        });
    }
    FolderLock::take(dir)
}

/// Removes snapshot files sled left half-written (`snap.*.generating`) when its process died
/// while writing one. sled 0.34 does not skip them at start-up: it reads the newest `snap.*`
/// file, finds it empty or truncated, and refuses the whole store as corrupt (found by our
/// crash loops: a kill during sled's start-up snapshot left the vault unopenable). A complete
/// snapshot is always renamed away from `.generating`, and our lock proves no live process is
/// writing one, so these files are never needed.
fn remove_incomplete_snapshots(store: &Path) -> Result<()> {
    let Ok(entries) = fs::read_dir(store) else {
        return Ok(());
    };
    let mut removed = false;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("snap.") && name.ends_with(".generating") {
            fs::remove_file(entry.path()).map_err(|e| {
                VaultError::io(format!("could not remove {}", entry.path().display()), e)
            })?;
            removed = true;
        }
    }
    if removed {
        fsutil::sync_dir(store)?;
    }
    Ok(())
}

/// What the store needs free to open: it may start a log segment and write a snapshot of its
/// page table as large as the one it has.
fn room_to_open(store: &Path) -> u64 {
    let snapshots = fs::read_dir(store).into_iter().flatten().flatten();
    snapshots
        .filter(|entry| entry.file_name().to_string_lossy().starts_with("snap."))
        .filter_map(|entry| entry.metadata().ok())
        .map(|meta| twice(meta.len() as usize))
        .sum::<u64>()
        .saturating_add(SEGMENT_BYTES)
}

/// Twice `len` bytes: what a write into the store's log may take, with the page it rewrites.
fn twice(len: usize) -> u64 {
    (len as u64).saturating_mul(2)
}

/// Opens (or creates) a sled store. sled may hold its lock for a moment after a previous
/// handle in this process closed; our own lock proves nobody else has it, so wait briefly.
fn open_store(path: &Path, create: bool) -> Result<sled::Db> {
    remove_incomplete_snapshots(path)?;
    let config = sled::Config::new()
        .path(path)
        .cache_capacity(32 * 1024 * 1024)
        .mode(sled::Mode::HighThroughput)
        .create_new(create);
    let started = Instant::now();
    loop {
        match config.open().map_err(VaultError::from) {
            Err(VaultError::AlreadyOpen) if started.elapsed() < SLED_LOCK_GRACE => {
                std::thread::sleep(Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

/// Makes `dir` ready for a new vault: it may be missing, empty, or hold the leftovers of a
/// creation that never wrote its header. Anything else is refused.
fn prepare_new_folder(dir: &Path) -> Result<()> {
    if vault_exists(dir) {
        return Err(VaultError::AlreadyExists {
            path: dir.to_path_buf(),
        });
    }
    fsutil::create_private_dir_all(dir)
        .map_err(|e| VaultError::io(format!("could not create {}", dir.display()), e))?;
    let entries = fs::read_dir(dir)
        .map_err(|e| VaultError::io(format!("could not read {}", dir.display()), e))?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let leftover = name.starts_with(STORE_PREFIX)
            || name == LOCK_FILE
            || name == "vault.hdr.tmp"
            || name == room::RESERVE_FILE
            || is_reserve_being_written(&name);
        if !leftover {
            return Err(VaultError::FolderNotEmpty {
                path: dir.to_path_buf(),
            });
        }
    }
    Ok(())
}

/// Removes record directories other than the current epoch's, and a stray header temp file.
fn remove_stale_stores(dir: &Path, current_epoch: u32) -> Result<()> {
    let current = store_path(dir, current_epoch);
    let entries = fs::read_dir(dir)
        .map_err(|e| VaultError::io(format!("could not read {}", dir.display()), e))?;
    let mut removed = false;
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(STORE_PREFIX) && path != current {
            remove_dir_if_present(&path)?;
            removed = true;
        } else if name == "vault.hdr.tmp" || is_reserve_being_written(&name) {
            let _ = fs::remove_file(&path);
            removed = true;
        }
    }
    if removed {
        fsutil::sync_dir(dir)?;
    }
    Ok(())
}

/// The temporary file of a reserve being written (left behind by a crash).
fn is_reserve_being_written(name: &str) -> bool {
    name.starts_with(&format!(".{}.", room::RESERVE_FILE)) && name.ends_with(".tmp")
}

fn remove_dir_if_present(path: &Path) -> Result<()> {
    match fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(VaultError::io(
            format!("could not remove {}", path.display()),
            e,
        )),
    }
}
