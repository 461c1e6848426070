//! [`Practice`]: the unlocked practice — the vault plus every record decoded in memory — and
//! the one path by which anything changes.
//!
//! Policy: every change goes through `Practice::commit`: validate, check cross-record rules,
//! write the records *and exactly one audit event* in one atomic, flushed vault batch, and only
//! then update memory. A failed change leaves both the disk and memory as they were. No method
//! here formats text for people; the shells do.

use std::sync::Arc;

use time::{Date, OffsetDateTime};

use super::ids::*;
use super::index_slot::IndexSlot;
use super::kind::{RecordKind, Removal};
use super::model::*;
use super::search::{SearchIndex, SearchResults};
use super::state::{State, Stored};
use super::validate::Invalid;
use crate::clock::{system_clock, Clock};
use crate::record::RecordId;
use crate::room::Need;
use crate::{Vault, VaultError};

/// What can go wrong with a change to the practice.
#[derive(Debug, thiserror::Error)]
pub enum PracticeError {
    /// The vault failed (disk, damage, …).
    #[error(transparent)]
    Vault(#[from] VaultError),
    /// A field is invalid; nothing was saved.
    #[error("{0}")]
    Invalid(#[from] Invalid),
    /// The record does not exist (or no longer exists).
    #[error("there is no {kind} with id {id}")]
    NotFound {
        /// What was looked for.
        kind: &'static str,
        /// The id given.
        id: String,
    },
    /// An import was attempted into a vault that already holds a practice.
    #[error("this vault already holds a practice; import into a new, empty vault")]
    NotEmpty,
    /// A version somebody signed can never change.
    #[error("version {number} of this agreement has been signed and can't be changed; publish a new version instead")]
    SignedVersionImmutable {
        /// The version's number.
        number: u32,
    },
}

/// Result of practice operations.
pub type PracticeResult<T> = Result<T, PracticeError>;

/// The audit detail when unlocking found the vault's files readable by other users and made
/// them owner-only.
pub const FOLDER_TIGHTENED: &str =
    "the vault's files were readable by other users of this computer; they are owner-only now";
/// The audit detail when what was deleted was erased from the vault's files.
pub const ERASED: &str = "deleted records erased from the vault's files: the vault was re-encrypted under a new key into a fresh store, and the old store removed";
/// The audit detail when they could not be made owner-only.
pub const FOLDER_NOT_PRIVATE: &str =
    "the vault's files are readable by other users of this computer and could not be made owner-only";

/// An unlocked practice.
pub struct Practice {
    pub(super) vault: Vault,
    /// Shared with the index builder while it runs; changes copy it only in that window.
    pub(super) state: Arc<State>,
    /// Full-text index of `state`, kept current with it (built in the background at unlock).
    pub(super) index: IndexSlot,
    damaged: Vec<RecordId>,
    /// What the check of the store against its history found at load (or after the
    /// practitioner accepted it).
    pub(super) integrity: crate::ledger::Integrity,
    /// The verdict on `integrity`, as the trail stood when it was made.
    pub(super) verdict: super::history::HistoryVerdict,
    clock: Clock,
    /// Whether the writes now being made are the unlock's or the lock's own (their audit
    /// events), which may use the room the vault's reserve gave back on a full disk.
    writes: Need,
    /// Audit events of the unlock that a full disk had no room for: written with the next
    /// commit that has room, at the time they happened.
    unwritten: Vec<AuditEvent>,
    /// What pages hold unsaved, by place: in memory only, sealed as drafts at the lock
    /// (see [`super::drafts`]).
    pub(super) unsaved: std::collections::BTreeMap<String, super::drafts::Draft>,
}

impl Practice {
    /// Decodes every record of an open vault. Damaged records are listed in
    /// [`Practice::damaged`] and left out; everything else opens. The search index starts
    /// building in the background.
    pub fn load(vault: Vault) -> PracticeResult<Self> {
        Self::load_then(vault, |_| Ok(()))
    }

    /// [`Practice::load`], then records the unlock in the audit trail — and, when opening
    /// found the vault's files readable by other users, that too ([`FOLDER_TIGHTENED`] or
    /// [`FOLDER_NOT_PRIVATE`]): once, since the next open finds them private.
    pub fn unlock(vault: Vault) -> PracticeResult<Self> {
        Self::load_then(vault, |practice| {
            practice.record(AuditAction::Unlock, "")?;
            match practice.vault.folder_privacy() {
                crate::FolderPrivacy::Private => Ok(()),
                crate::FolderPrivacy::Tightened => {
                    practice.record(AuditAction::Changed, FOLDER_TIGHTENED)
                }
                crate::FolderPrivacy::CouldNotTighten => {
                    practice.record(AuditAction::Changed, FOLDER_NOT_PRIVATE)
                }
            }
        })
    }

    /// Decodes the vault, runs `first` (before the index builder shares the state, so a
    /// change made there copies nothing), then starts the index build.
    fn load_then(
        vault: Vault,
        first: impl FnOnce(&mut Self) -> PracticeResult<()>,
    ) -> PracticeResult<Self> {
        let mut damaged = Vec::new();
        let mut records = Vec::new();
        let (items, integrity) = vault.decode_all_checked(|record| Stored::decode(&record))?;
        for item in items {
            match item {
                Ok(stored) => records.push(stored),
                Err(VaultError::RecordDamaged { id } | VaultError::Decode { id, .. }) => {
                    damaged.push(id)
                }
                Err(other) => return Err(other.into()),
            }
        }
        let mut practice = Self {
            vault,
            state: Arc::new(State::from_records(records)),
            index: IndexSlot::ready(SearchIndex::default()),
            damaged,
            integrity,
            verdict: Default::default(),
            clock: system_clock,
            writes: Need::Essential,
            unwritten: Vec::new(),
            unsaved: Default::default(),
        };
        practice.judge_history();
        if practice.vault.upgraded_from().is_some() {
            practice.record(AuditAction::Changed, super::history::UPGRADED_DETAIL)?;
        }
        practice.record_history_problems()?;
        first(&mut practice)?;
        practice.writes = Need::Ordinary;
        practice.index = IndexSlot::build_in_background(Arc::clone(&practice.state));
        Ok(practice)
    }

    /// Waits until search is ready (it is built in the background after unlock; the first
    /// search waits by itself, so calling this is never required).
    pub fn wait_for_search(&self) {
        self.index.wait(&self.state);
    }

    /// Seals what pages hold unsaved as drafts (see [`super::drafts`]), erases what was
    /// deleted since the store was last rewritten (see [`Practice::erase_deleted`]), records
    /// the lock in the audit trail, then locks the vault (keys and records wiped).
    /// An index build still running is waited for, so no thread keeps the records.
    pub fn lock(mut self) -> PracticeResult<()> {
        let held = self.unsaved.len();
        // Locking goes on whatever fails here; the lock's own event says what was not kept.
        let lost = self.keep_unsaved().is_err();
        if self.vault.erasure_pending() {
            // A failure leaves the erasure pending for the next lock.
            let _ = self.erase_deleted(|_| {});
        }
        self.writes = Need::Essential;
        let detail = if lost {
            format!("the unsaved changes of {held} page(s) could not be kept as drafts")
        } else {
            String::new()
        };
        self.record(AuditAction::Lock, &detail)?;
        let Self {
            vault,
            state,
            index,
            ..
        } = self;
        drop(index);
        drop(state);
        Ok(vault.lock()?)
    }

    /// Erases what was deleted from the vault's files: the vault re-keys itself into a fresh
    /// store of the records that exist ([`Vault::erase_deleted`]), telling `progress` how far
    /// it has got, and the audit trail says so. Refused, without change, when the vault was
    /// opened with the recovery code and no passphrase was set since.
    pub fn erase_deleted(
        &mut self,
        progress: impl FnMut(crate::RotationProgress),
    ) -> PracticeResult<()> {
        self.vault.erase_deleted(progress)?;
        self.record(AuditAction::Changed, ERASED)
    }

    /// Uses another clock (tests, demos).
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    /// Now, by the practice's clock.
    pub fn now(&self) -> OffsetDateTime {
        (self.clock)()
    }

    /// Today's date, by the practice's clock.
    pub fn today(&self) -> Date {
        self.now().date()
    }

    /// The open vault underneath, for tests that check what the practice wrote (the
    /// `inspect` feature, which no shell turns on: everything else goes through the
    /// practice).
    #[cfg(feature = "inspect")]
    pub fn vault(&self) -> &Vault {
        &self.vault
    }

    /// The vault's folder.
    pub fn vault_dir(&self) -> &std::path::Path {
        self.vault.dir()
    }

    /// Where the vault is, how its key is derived, its key epoch and header format: what the
    /// settings screen and `holdspace-cli` say about it.
    pub fn vault_facts(&self) -> VaultFacts {
        VaultFacts {
            dir: self.vault.dir().to_path_buf(),
            kdf: self.vault.kdf_params(),
            key_epoch: self.vault.key_epoch(),
            format_version: self.vault.format_version(),
        }
    }

    /// How many records the vault stores (all kinds, damaged ones included). This walks the
    /// whole store: for `holdspace-cli`'s checks, not for screens.
    pub fn stored_records(&self) -> usize {
        self.vault.len()
    }

    /// Checks `passphrase` against the vault with the full key derivation, changing nothing
    /// (ending client mode).
    pub fn confirm_passphrase(&self, passphrase: &crate::Passphrase) -> Result<(), VaultError> {
        self.vault.confirm_passphrase(passphrase)
    }

    /// Re-encrypts every record under a new data key after checking `passphrase`, telling
    /// `progress` how far it has got. The audit event (with any the disk held back) is
    /// written into the new store and committed with it: a rotation is never on disk
    /// unrecorded, and its record never without it.
    pub fn rotate_key(
        &mut self,
        passphrase: &crate::Passphrase,
        progress: impl FnMut(crate::RotationProgress),
    ) -> Result<(), VaultError> {
        let detail = format!("key epoch {}", self.vault.key_epoch().saturating_add(1));
        let event = self.event(AuditAction::KeyRotated, None, &detail);
        let mut events = self.unwritten.clone();
        events.push(event);
        let mut batch = crate::WriteBatch::new();
        for event in &events {
            Stored::Audit(event.clone()).put_into(&mut batch)?;
        }
        self.vault.rotate_with(passphrase, batch, progress)?;
        self.unwritten.clear();
        let state = Arc::make_mut(&mut self.state);
        for event in events {
            state.apply(Stored::Audit(event));
        }
        Ok(())
    }

    /// Every record, decoded.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// Searches members, groups, sessions, notes and incidents (see [`SearchIndex`]); waits
    /// for the index if it is still being built after unlock. Every
    /// word of `query` must match, folding case and accents, the last one as a prefix while
    /// it is being typed. At most `limit_per_kind` hits of each kind, best first.
    pub fn search(&self, query: &str, limit_per_kind: usize) -> SearchResults {
        self.index.search(&self.state, query, limit_per_kind)
    }

    /// Records that could not be opened at load, by id.
    pub fn damaged(&self) -> &[RecordId] {
        &self.damaged
    }

    /// Adds an event that changes no record (unlock, export, client mode, …).
    pub fn record(&mut self, action: AuditAction, detail: &str) -> PracticeResult<()> {
        self.record_about(action, None, detail)
    }

    /// Adds an event about a record without changing it (e.g. a member's record exported).
    pub(super) fn record_about(
        &mut self,
        action: AuditAction,
        subject: Option<&Stored>,
        detail: &str,
    ) -> PracticeResult<()> {
        let event = self.event(action, subject, detail);
        self.commit(Vec::new(), Vec::new(), event)
    }

    /// An audit event about `subject`, stamped now.
    pub(super) fn event(
        &self,
        action: AuditAction,
        subject: Option<&Stored>,
        detail: &str,
    ) -> AuditEvent {
        AuditEvent {
            id: AuditId::random(),
            at: self.now(),
            action,
            subject_kind: subject.map(|s| s.kind().name().to_owned()),
            subject: subject.map(Stored::record_id),
            detail: detail.to_owned(),
        }
    }

    /// Writes `puts`, `deletes` and `event` in one flushed batch, then updates memory. Audit
    /// events a full disk held back at unlock go in the same batch. During the unlock and
    /// the lock, an event the disk has no room for even with the vault's reserve given back
    /// is held back instead: reading must not depend on room to write.
    pub(super) fn commit(
        &mut self,
        puts: Vec<Stored>,
        deletes: Vec<Removal>,
        event: AuditEvent,
    ) -> PracticeResult<()> {
        self.commit_events(puts, deletes, vec![event])
    }

    /// [`Practice::commit`] for a change that is several audited acts at once (several
    /// members put on a roster together): one event each, all in the same batch.
    pub(super) fn commit_events(
        &mut self,
        puts: Vec<Stored>,
        deletes: Vec<Removal>,
        events: Vec<AuditEvent>,
    ) -> PracticeResult<()> {
        self.refuse_ids_of_another_kind(&puts, &deletes)?;
        self.refuse_changes_to_signed_versions(&puts, &deletes)?;
        super::consistency::check_change(&self.state, &puts, &deletes, self.now())?;
        let mut batch = self.vault.batch();
        for record in &puts {
            record.put_into(&mut batch)?;
        }
        for removal in &deletes {
            batch.delete(removal.record_id());
        }
        if self.writes == Need::Essential {
            batch.essential();
        }
        for held in &self.unwritten {
            Stored::Audit(held.clone()).put_into(&mut batch)?;
        }
        let only_events = puts.is_empty() && deletes.is_empty();
        for event in &events {
            Stored::Audit(event.clone()).put_into(&mut batch)?;
        }
        match self.vault.commit(batch) {
            Err(VaultError::DiskFull) if self.writes == Need::Essential && only_events => {
                self.unwritten.extend(events);
                return Ok(());
            }
            done => done?,
        }
        let state = Arc::make_mut(&mut self.state);
        for held in std::mem::take(&mut self.unwritten) {
            state.apply(Stored::Audit(held));
        }
        for removal in deletes {
            state.remove(removal);
            self.index.remove(removal);
        }
        for record in puts {
            self.index.apply(&record);
            state.apply(record);
        }
        for event in events {
            state.apply(Stored::Audit(event));
        }
        Ok(())
    }

    /// Ids are unique across every kind: a save or a delete naming an id that another kind of
    /// record holds is refused, so no request — from the page or a file — can overwrite or
    /// remove a record of another kind (a group saved over by a member, the backup key by
    /// anything).
    fn refuse_ids_of_another_kind(
        &self,
        puts: &[Stored],
        deletes: &[Removal],
    ) -> PracticeResult<()> {
        let named = puts
            .iter()
            .map(|p| (p.kind(), p.record_id()))
            .chain(deletes.iter().map(|r| (r.kind(), r.record_id())));
        for (kind, id) in named {
            if self.state.kind_of(id).is_some_and(|held| held != kind) {
                return Err(Invalid::new(
                    "id",
                    "belongs to another record, so nothing was saved; reload the page and try again",
                )
                .into());
            }
        }
        Ok(())
    }

    /// The rule no path may break: a version anyone has signed never changes or disappears.
    fn refuse_changes_to_signed_versions(
        &self,
        puts: &[Stored],
        deletes: &[Removal],
    ) -> PracticeResult<()> {
        let changed = puts.iter().filter_map(|p| match p {
            Stored::Agreement(new) => self
                .state
                .agreements
                .get(&new.id)
                .filter(|old| *old != new)
                .map(|old| old.id),
            _ => None,
        });
        let deleted = deletes.iter().filter_map(|removal| match removal {
            Removal::Agreement(id) => Some(*id),
            _ => None,
        });
        for id in changed.chain(deleted) {
            if self.is_signed(id) {
                let number = self.state.agreements.get(&id).map_or(0, |a| a.number);
                return Err(PracticeError::SignedVersionImmutable { number });
            }
        }
        Ok(())
    }

    /// True when any signature (withdrawn or not) refers to this version.
    pub fn is_signed(&self, version: AgreementId) -> bool {
        self.state
            .signatures
            .values()
            .any(|s| s.agreement == version)
    }

    /// The practice profile (defaults until the practitioner fills it in).
    pub fn profile(&self) -> PracticeProfile {
        self.state
            .profile
            .as_ref()
            .map(|(_, p)| p.clone())
            .unwrap_or_else(|| PracticeProfile {
                auto_lock_minutes: 10,
                ..PracticeProfile::default()
            })
    }

    /// The words a new passphrase must not lean on: the practitioner's and the practice's
    /// names, and "holdspace" (see [`crate::strength::own_words`]).
    pub fn own_words(&self) -> Vec<String> {
        let profile = self.profile();
        crate::strength::own_words(&profile.practitioner_name, &profile.practice_name)
    }

    /// Saves the practice profile.
    pub fn save_profile(&mut self, profile: PracticeProfile) -> PracticeResult<()> {
        use super::rules::Validate;
        profile.validate(self.today())?;
        let id = self
            .state
            .profile
            .as_ref()
            .map_or_else(RecordId::random, |(id, _)| *id);
        let action = if self.state.profile.is_some() {
            AuditAction::Changed
        } else {
            AuditAction::Created
        };
        let record = Stored::Profile(id, profile);
        let event = self.event(action, Some(&record), "practice profile");
        self.commit(vec![record], Vec::new(), event)
    }

    /// The backup settings, if this vault has any (vaults made before backups have none).
    pub fn backup_settings(&self) -> Option<&BackupSettings> {
        self.state.backup_settings.as_ref().map(|(_, s)| s)
    }

    /// Replaces the backup settings, recording `action` with `detail` in the same batch (the
    /// backup module validates them and decides what the change means).
    pub fn put_backup_settings(
        &mut self,
        settings: BackupSettings,
        action: AuditAction,
        detail: &str,
    ) -> PracticeResult<()> {
        let id = self
            .state
            .backup_settings
            .as_ref()
            .map_or_else(RecordId::random, |(id, _)| *id);
        let record = Stored::BackupSettings(id, settings);
        let event = self.event(action, Some(&record), detail);
        self.commit(vec![record], Vec::new(), event)
    }

    /// How many changes the practice's records have had, counted from the audit trail: every
    /// creation, change, deletion, purge, import and captured signature, except changes to the
    /// backup settings themselves. It only grows, so comparing two counts says whether
    /// anything changed in between (automatic backups skip when nothing did).
    pub fn content_changes(&self) -> u64 {
        let changes = self.state.audit.iter().filter(|event| {
            matches!(
                event.action,
                AuditAction::Created
                    | AuditAction::Changed
                    | AuditAction::Deleted
                    | AuditAction::Purged
                    | AuditAction::Import
                    | AuditAction::SignatureCaptured
            ) && event.subject_kind.as_deref() != Some(RecordKind::BackupSettings.name())
        });
        changes.count() as u64
    }

    /// Looks up a record or reports which one is missing.
    pub(super) fn found<'a, K: Ord + std::fmt::Display, V>(
        map: &'a std::collections::BTreeMap<K, V>,
        id: &K,
        kind: RecordKind,
    ) -> PracticeResult<&'a V> {
        map.get(id).ok_or_else(|| PracticeError::NotFound {
            kind: kind.name(),
            id: id.to_string(),
        })
    }
}

/// What can be said about the vault under a practice, without handing it out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VaultFacts {
    /// The vault's folder.
    pub dir: std::path::PathBuf,
    /// How its passphrase key is derived.
    pub kdf: crate::KdfParams,
    /// How many times its data key has been replaced.
    pub key_epoch: u32,
    /// Its header's format.
    pub format_version: u16,
}
