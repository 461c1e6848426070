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
//!
//! The code, one concern a file: `folder` (the folder on disk and its stores), `keys` (the
//! passphrase and the recovery code), `records` (the record API), `history` (the store checked
//! against its history), `rotation` (a new store: rotation, erasure, upgrade) and `stats`.
//!
//! [`Record`]: crate::record::Record

use std::path::{Path, PathBuf};

use crate::error::{Result, VaultError};
use crate::folder_lock::FolderLock;
use crate::fsutil;
use crate::header::{Header, LEGACY_FORMAT_VERSION};
use crate::kdf::{derive_passphrase_key, KdfPolicy};
use crate::ledger::{Ledger, LedgerSeal, CHECKPOINT_KEY};
use crate::record::{RecordContext, LEGACY_RECORD_FORMAT};
use crate::recovery::{self, RecoveryCode};
use crate::room;
use crate::secret::{fill_random, Passphrase, SymmetricKey};
use crate::strength::{check_new_passphrase, own_words};

mod folder;
mod history;
mod keys;
mod records;
mod rotation;
mod stats;

use folder::{
    now_unix, open_store, prepare_new_folder, remove_stale_stores, room_to_open, store_path,
    take_lock_of_existing,
};
use keys::{read_header, seal_passphrase_slot, unwrap_with_passphrase_key};

pub use folder::{is_open_elsewhere, vault_exists};
pub use keys::{check_header, prove, Credential, PreviousHeader};
pub use records::WriteBatch;
pub use stats::{KindStats, VaultStats};

/// Name of the header file inside a vault folder.
pub const HEADER_FILE: &str = "vault.hdr";
pub use crate::folder_lock::LOCK_FILE;
/// The one sled tree that holds records. Its name says nothing about them.
const RECORDS_TREE: &[u8] = b"records";
/// Records per sled batch during rotation.
const ROTATION_BATCH: usize = 2048;

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

    /// The format version of this vault's header (see `docs/vault-format.md`).
    pub fn format_version(&self) -> u16 {
        self.header.format
    }
}
