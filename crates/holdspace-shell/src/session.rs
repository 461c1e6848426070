//! The app's one piece of state: which vault it serves, the unlocked practice (if any), when
//! the practitioner last did something, and the progress of a key rotation.
//!
//! Policy: the practice lives only here, behind one mutex, and is dropped (keys and records
//! wiped by the core) on lock; idle time is measured here, in Rust, so auto-lock does not
//! depend on the page. Nothing in this module knows about Tauri, windows or wording.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use holdspace::backup::folder;
use holdspace::practice::{AuditAction, BackupFailureKind, HistoryVerdict, Practice};
use holdspace::{KdfPolicy, Passphrase, RecoveryCode, RotationProgress, Vault};
use serde::Serialize;
use zeroize::Zeroizing;

use crate::error::{AppError, IpcError};
use crate::locks::lock_or_recover;
use crate::progress::{Progress, ProgressMeter};
use crate::restoring::Restoring;
use crate::throttle::{WrongTries, WrongTriesSummary};
use crate::visit::{self, ClientVisit, VisitEnded};

/// Where the session reads the time for client mode's waits.
pub type Clock = Arc<dyn Fn() -> Instant + Send + Sync>;

/// What runs after every unlock, once the practice is decoded: the desktop app gives the
/// decoding threads' freed memory back to the system there.
pub type AfterUnlock = Arc<dyn Fn() + Send + Sync>;

/// Auto-lock after this many idle minutes unless the practice profile says otherwise.
pub const DEFAULT_AUTO_LOCK_MINUTES: u32 = 10;

/// A second close within this time of asking the page closes (keeping changes as drafts).
pub const CLOSE_AGAIN_WITHIN: Duration = Duration::from_secs(20);

/// What the first screen needs to know.
#[derive(Clone, Debug, Serialize)]
pub struct AppStatus {
    /// The vault folder this window serves.
    pub vault_dir: String,
    /// True when a vault exists there.
    pub vault_exists: bool,
    /// True when it is unlocked in this window.
    pub unlocked: bool,
    /// True when another process has it open (so unlocking here would fail).
    pub open_elsewhere: bool,
    /// Idle time before auto-lock.
    pub auto_lock_seconds: u64,
    /// The last automatic backup failed and none has succeeded since (in this run).
    pub backup_alert: Option<BackupAlert>,
    /// What the last client-mode visit came to: signed or not, rules to talk about, wrong
    /// passphrases typed to end it (until dismissed).
    pub client_visit_ended: Option<VisitEnded>,
    /// Wrong secrets were typed at the locked app before this unlock (until dismissed).
    pub unlock_attempts: Option<WrongTriesSummary>,
    /// The practice's name for the sidebar, when unlocked and set.
    pub practice_name: Option<String>,
    /// What the check of the vault's history found at unlock, until the practitioner
    /// acknowledges it (`None` when it verified).
    pub history_alert: Option<HistoryVerdict>,
    /// Drafts kept at earlier locks and not yet saved or discarded, oldest first.
    pub drafts: Vec<DraftSummary>,
    /// A vault was just restored over this one, and its recovery sheet waits to be shown
    /// (see [`RestoredSheet`]).
    pub restored_sheet_waiting: bool,
}

/// The recovery sheet of a vault just restored over the app's own. The restore locked the
/// app, so the page that asked for it (and showed the old vault's records) is ended and a
/// fresh one shows this sheet (`web_process.rs`); it is kept in memory only, until the
/// restored vault is first unlocked.
#[derive(Clone, Serialize)]
pub struct RestoredSheet {
    /// The new recovery code and backup key (`recovery_code`, `backup_identity`).
    #[serde(flatten)]
    pub sheet: RecoverySheet,
    /// Where the restored vault is.
    pub vault_dir: String,
    /// Where the replaced vault was kept, if one was replaced.
    pub previous_vault_kept_at: Option<String>,
}

/// Where a kept draft belongs, for the banner after unlock; never what was typed.
#[derive(Clone, Debug, Serialize)]
pub struct DraftSummary {
    /// The page's address in the app.
    pub place: String,
    /// The page's name.
    pub title: String,
    /// When it was last typed (RFC 3339).
    pub kept_at: String,
}

/// A failed automatic backup, shown until a backup succeeds: never silent.
#[derive(Clone, Debug, Serialize)]
pub struct BackupAlert {
    /// When it failed (RFC 3339).
    pub at: String,
    /// The error's code.
    pub code: &'static str,
    /// What happened and what to do.
    pub message: String,
}

impl BackupAlert {
    /// The alert for a backup that failed at `at` with a failure of `kind`: the same sentence
    /// whether the failure was just now or is one the vault remembers.
    pub fn new(at: time::OffsetDateTime, kind: BackupFailureKind) -> Self {
        let ipc = IpcError::backup_failure(kind);
        Self {
            at: at
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            code: ipc.code,
            message: ipc.message,
        }
    }
}

/// The failed automatic backup the vault remembers (from an earlier run, perhaps one the
/// system ended), as the alert shows it.
pub fn recorded_backup_alert(practice: &Practice) -> Option<BackupAlert> {
    let failure = practice.backup_settings()?.last_failure.as_ref()?;
    Some(BackupAlert::new(failure.at, failure.kind))
}

/// The secrets a new vault's recovery sheet prints, shown once and stored nowhere. Sent to
/// the page as they are (zeroize's `serde` support), so the shell keeps no unwiped copy.
#[derive(Clone, Serialize)]
pub struct RecoverySheet {
    /// The recovery code, grouped for reading.
    pub recovery_code: Zeroizing<String>,
    /// The backup key as age writes it (`AGE-SECRET-KEY-1…`), derived from the recovery code:
    /// with it, the plain `age` tool opens every backup-key backup without Holdspace.
    pub backup_identity: Zeroizing<String>,
}

impl RecoverySheet {
    /// The sheet for `code`.
    pub fn of(code: &RecoveryCode) -> Self {
        Self {
            recovery_code: code.display_grouped(),
            backup_identity: holdspace::backup::BackupIdentity::from_recovery_code(code)
                .to_age_secret_key(),
        }
    }
}

/// A lock half done (see [`AppSession::take_for_lock`]): the practice, out of the session, on
/// its way to being backed up and wiped.
pub struct Locking<'a> {
    practice: Practice,
    _finishing: MutexGuard<'a, ()>,
}

/// What the status needs of the practice, as last seen.
#[derive(Clone, Debug, Default)]
struct Glance {
    unlocked: bool,
    recorded: Option<BackupAlert>,
    practice_name: Option<String>,
    history_alert: Option<HistoryVerdict>,
    drafts: Vec<DraftSummary>,
}

/// The app state shared by every command.
pub struct AppSession {
    vault_dir: PathBuf,
    kdf: KdfPolicy,
    practice: Mutex<Option<Practice>>,
    /// The client-mode visit, while one is active (only ever with an unlocked practice).
    client: Mutex<Option<ClientVisit>>,
    /// The wrong tries to leave the current visit.
    exit_attempts: Mutex<WrongTries>,
    /// What the last visit came to, for the practitioner's banner, until dismissed.
    visit_notice: Mutex<Option<VisitEnded>>,
    /// Wrong secrets typed at the locked app since it was last unlocked.
    unlock_tries: Mutex<WrongTries>,
    /// Those of them that came before this unlock, for the practitioner's banner.
    unlock_notice: Mutex<Option<WrongTriesSummary>>,
    restored_sheet: Mutex<Option<RestoredSheet>>,
    /// When closing the window last asked the page about unsaved changes.
    close_asked: Mutex<Option<Instant>>,
    /// Where time comes from for the waits (tests inject their own).
    clock: Clock,
    /// Run after every unlock (see [`AppSession::after_unlock`]).
    after_unlock: AfterUnlock,
    /// The practice as the status last saw it (for when a long operation holds it).
    glance: Mutex<Glance>,
    last_activity: Mutex<Instant>,
    /// A fixed idle limit (from `--auto-lock-seconds`), overriding the profile.
    auto_lock_override: Option<Duration>,
    /// How far a rewrite of the whole vault (a rotation, a purge's erasure) has got.
    rewrite: ProgressMeter,
    backup_alert: Mutex<Option<BackupAlert>>,
    /// Held while a lock finishes (see [`AppSession::take_for_lock`]).
    finishing: Mutex<()>,
    /// The backup being restored, and its progress.
    pub restoring: Restoring,
}

impl AppSession {
    /// A locked session for the vault in `vault_dir`.
    pub fn new(vault_dir: PathBuf, kdf: KdfPolicy, auto_lock_override: Option<Duration>) -> Self {
        Self {
            vault_dir,
            kdf,
            practice: Mutex::new(None),
            client: Mutex::new(None),
            exit_attempts: Mutex::new(WrongTries::default()),
            visit_notice: Mutex::new(None),
            unlock_tries: Mutex::new(WrongTries::default()),
            unlock_notice: Mutex::new(None),
            restored_sheet: Mutex::new(None),
            close_asked: Mutex::new(None),
            clock: Arc::new(Instant::now),
            after_unlock: Arc::new(|| {}),
            glance: Mutex::new(Glance::default()),
            last_activity: Mutex::new(Instant::now()),
            auto_lock_override,
            rewrite: ProgressMeter::default(),
            backup_alert: Mutex::new(None),
            finishing: Mutex::new(()),
            restoring: Restoring::default(),
        }
    }

    /// The same session with another clock for the client-mode waits (tests).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The same session running `hook` after every unlock, once the practice is decoded.
    pub fn after_unlock(mut self, hook: AfterUnlock) -> Self {
        self.after_unlock = hook;
        self
    }

    /// The key-derivation policy new vaults get.
    pub fn kdf(&self) -> KdfPolicy {
        self.kdf
    }

    /// The vault folder.
    pub fn vault_dir(&self) -> &Path {
        &self.vault_dir
    }

    /// What the first screen needs to know. Never waits for a long operation (a key
    /// rotation, an unlock's key derivation, a backup): while one holds the practice, the
    /// status shows the practice as it was last seen.
    pub fn status(&self) -> AppStatus {
        let glance = match self.practice.try_lock() {
            Ok(slot) => self.remember_glance(&slot),
            Err(std::sync::TryLockError::Poisoned(poisoned)) => {
                self.remember_glance(&poisoned.into_inner())
            }
            Err(std::sync::TryLockError::WouldBlock) => lock_or_recover(&self.glance).clone(),
        };
        let Glance {
            unlocked,
            recorded,
            practice_name,
            history_alert,
            drafts,
        } = glance;
        AppStatus {
            vault_dir: self.vault_dir.display().to_string(),
            vault_exists: holdspace::vault::vault_exists(&self.vault_dir),
            unlocked,
            // While a lock finishes, the vault is still open here, by its own backup.
            open_elsewhere: !unlocked
                && self.finishing.try_lock().is_ok()
                && holdspace::vault::is_open_elsewhere(&self.vault_dir),
            auto_lock_seconds: self.auto_lock_after().as_secs(),
            backup_alert: self.backup_alert().or(recorded),
            client_visit_ended: if unlocked {
                lock_or_recover(&self.visit_notice).clone()
            } else {
                None
            },
            unlock_attempts: if unlocked {
                lock_or_recover(&self.unlock_notice).clone()
            } else {
                None
            },
            practice_name,
            history_alert,
            drafts,
            restored_sheet_waiting: !unlocked && lock_or_recover(&self.restored_sheet).is_some(),
        }
    }

    /// Keeps the restored vault's recovery sheet for the fresh page (see [`RestoredSheet`]).
    pub fn keep_restored_sheet(&self, sheet: RestoredSheet) {
        *lock_or_recover(&self.restored_sheet) = Some(sheet);
    }

    /// The restored vault's recovery sheet, while it waits: only while the app is locked.
    pub fn restored_sheet(&self) -> Option<RestoredSheet> {
        if self.guard().is_some() {
            return None;
        }
        lock_or_recover(&self.restored_sheet).clone()
    }

    /// What the status shows of `slot`, kept for when the practice is busy.
    fn remember_glance(&self, slot: &Option<Practice>) -> Glance {
        let glance = Glance {
            unlocked: slot.is_some(),
            recorded: slot.as_ref().and_then(recorded_backup_alert),
            practice_name: slot
                .as_ref()
                .map(|p| p.profile().practice_name)
                .filter(|name| !name.is_empty()),
            history_alert: slot
                .as_ref()
                .map(Practice::history)
                .filter(|verdict| !verdict.verified),
            drafts: slot.as_ref().map(draft_summaries).unwrap_or_default(),
        };
        *lock_or_recover(&self.glance) = glance.clone();
        glance
    }

    /// Creates the vault (the folder must be missing or empty) and unlocks it; returns what
    /// the recovery sheet shows, once.
    pub fn create(&self, passphrase: &Passphrase) -> Result<RecoverySheet, AppError> {
        let _finished = self.finishing_guard();
        let mut slot = self.guard();
        if slot.is_some() {
            return Err(AppError::AlreadyUnlocked);
        }
        let created = Vault::create(&self.vault_dir, passphrase, self.kdf)?;
        let mut practice = Practice::unlock(created.vault)?;
        // The backup key comes from the recovery code, which exists only now: store its
        // public half so automatic backups never need a passphrase.
        holdspace::backup::store_backup_key(&mut practice, &created.recovery_code)
            .map_err(|_| AppError::BackupKeyNotStored)?;
        *slot = Some(practice);
        self.touch();
        Ok(RecoverySheet::of(&created.recovery_code))
    }

    /// Unlocks with the passphrase (throttled: see [`AppSession::guess`]).
    pub fn unlock(&self, passphrase: &Passphrase) -> Result<(), AppError> {
        self.open_with(|dir, kdf| Ok(Practice::unlock(Vault::open(dir, passphrase, kdf)?)?))
    }

    /// Unlocks with the recovery code and sets a new passphrase, which the core weighs
    /// against the passphrase rule with the practice's own names (throttled as unlocking).
    pub fn recover(&self, code: &RecoveryCode, new: &Passphrase) -> Result<(), AppError> {
        self.open_with(|dir, kdf| Ok(holdspace::practice::recover(dir, code, new, kdf)?))
    }

    /// Runs `attempt`, a check of a secret of the locked vault (unlock, recovery, or the
    /// current vault's secret before a restore replaces it), under the locked app's guessing
    /// throttle: during a wait earned by wrong secrets it is refused before anything is
    /// checked; a wrong secret is counted. Attempts run one at a time.
    pub fn guess<T>(&self, attempt: impl FnOnce() -> Result<T, AppError>) -> Result<T, AppError> {
        let mut tries = lock_or_recover(&self.unlock_tries);
        let now = (self.clock)();
        if let Some(wait) = tries.waiting(now) {
            tries.refused();
            return Err(AppError::TooManyTries {
                seconds: wait.as_secs_f64().ceil() as u64,
            });
        }
        let outcome = attempt();
        if outcome.as_ref().is_err_and(AppError::is_wrong_secret) {
            tries.wrong(now, time::OffsetDateTime::now_utc());
        }
        outcome
    }

    /// Starts the locked app's count of wrong tries again (its vault is being replaced).
    pub fn forget_wrong_tries(&self) {
        *lock_or_recover(&self.unlock_tries) = WrongTries::default();
    }

    /// Forgets the notice about wrong secrets typed before this unlock (the practitioner read
    /// it).
    pub fn dismiss_unlock_notice(&self) {
        *lock_or_recover(&self.unlock_notice) = None;
    }

    /// The unlocked practice's own words for the passphrase rule, when it is unlocked and
    /// not busy.
    pub fn practice_own_words(&self) -> Option<Vec<String>> {
        let slot = self.practice.try_lock().ok()?;
        slot.as_ref().map(Practice::own_words)
    }

    fn open_with(
        &self,
        open: impl FnOnce(&Path, KdfPolicy) -> Result<Practice, AppError>,
    ) -> Result<(), AppError> {
        let _finished = self.finishing_guard();
        let mut slot = self.guard();
        if slot.is_some() {
            return Err(AppError::AlreadyUnlocked);
        }
        if !holdspace::vault::vault_exists(&self.vault_dir) {
            return Err(AppError::NoVault);
        }
        let mut practice = self.guess(|| open(&self.vault_dir, self.kdf))?;
        let earlier = std::mem::take(&mut *lock_or_recover(&self.unlock_tries)).summary();
        if let Some(earlier) = &earlier {
            // Recorded now that the vault can record it; a failure changes nothing else.
            let what = "passphrase(s) or recovery code(s)";
            let detail = format!("{} before this unlock", earlier.counts(what));
            let _ = practice.record(AuditAction::UnlockRefused, &detail);
        }
        *lock_or_recover(&self.unlock_notice) = earlier;
        // The restored vault is open: its sheet has been shown.
        *lock_or_recover(&self.restored_sheet) = None;
        *slot = Some(practice);
        drop(slot);
        self.touch();
        // Decoding ran on several threads; the host may give back what they freed.
        (self.after_unlock)();
        Ok(())
    }

    /// Locks: makes the automatic backup if one is due, records the lock, then drops the
    /// practice (the core wipes keys and records). Locking a locked session does nothing.
    /// Locking ends client mode and forgets a backup opened for restoring. A failed backup
    /// never stops the lock: it is kept for [`AppSession::backup_alert`]. Returns true when
    /// an automatic backup failed.
    pub fn lock(&self) -> Result<bool, AppError> {
        match self.take_for_lock() {
            Some(locking) => self.finish_lock(locking),
            None => Ok(false),
        }
    }

    /// The first half of a lock: from now on the session is locked (every command says so,
    /// and the page can show the unlock screen), but the practice is handed back to finish
    /// the lock — the backup and the wipe — with [`AppSession::finish_lock`], which an unlock
    /// waits for. `None` when already locked.
    pub fn take_for_lock(&self) -> Option<Locking<'_>> {
        let finishing = self.finishing_guard();
        let mut slot = self.guard();
        self.end_for_lock(&mut slot);
        slot.take().map(|practice| Locking {
            practice,
            _finishing: finishing,
        })
    }

    /// The second half of a lock: the automatic backup if due, then the lock itself. True
    /// when the backup failed.
    pub fn finish_lock(&self, locking: Locking<'_>) -> Result<bool, AppError> {
        let Locking { mut practice, .. } = locking;
        let failed = self.back_up_if_due(&mut practice);
        practice.lock()?;
        Ok(failed)
    }

    /// Held while a lock finishes; unlocking and creating wait for it, so they never find
    /// the vault still open by the lock's own backup.
    fn finishing_guard(&self) -> MutexGuard<'_, ()> {
        lock_or_recover(&self.finishing)
    }

    /// Makes the automatic backup if one is due; true when it failed.
    fn back_up_if_due(&self, practice: &mut Practice) -> bool {
        if !folder::is_due(practice) {
            return false;
        }
        let outcome = folder::back_up_to_folder(practice);
        if let Err(error) = &outcome {
            // Best effort: if the vault cannot be written either, the session still says so.
            let _ = folder::record_failure(practice, error);
        }
        self.note_backup(outcome.as_ref().err(), practice.now());
        outcome.is_err()
    }

    /// Remembers how a backup went: a failure becomes the alert, a success clears it.
    pub fn note_backup(
        &self,
        failure: Option<&holdspace::backup::BackupError>,
        at: time::OffsetDateTime,
    ) {
        let alert = failure.map(|error| BackupAlert::new(at, error.failure_kind()));
        *lock_or_recover(&self.backup_alert) = alert;
    }

    /// The last automatic backup's failure, if none has succeeded since.
    pub fn backup_alert(&self) -> Option<BackupAlert> {
        lock_or_recover(&self.backup_alert).clone()
    }

    /// True when closing the window should first ask the page what to do with its unsaved
    /// changes: a page holds some, no client has the computer, and the window was not
    /// already asked in the last [`CLOSE_AGAIN_WITHIN`] — closing again closes, and the lock
    /// keeps the changes as drafts, so a page that cannot answer never keeps the window open.
    pub fn should_ask_before_close(&self) -> bool {
        let unsaved = match self.practice.try_lock() {
            Ok(slot) => slot
                .as_ref()
                .is_some_and(|p| !p.unsaved_places().is_empty()),
            Err(_) => false,
        };
        if !unsaved || self.client_slot().is_some() {
            return false;
        }
        let mut asked = lock_or_recover(&self.close_asked);
        let again = asked.is_some_and(|at| at.elapsed() < CLOSE_AGAIN_WITHIN);
        *asked = Some(Instant::now());
        !again
    }

    /// True when the vault is unlocked (or a command holds it), so closing the window must
    /// lock it first — and make the automatic backup if one is due.
    pub fn needs_lock_before_close(&self) -> bool {
        match self.practice.try_lock() {
            Ok(slot) => slot.is_some(),
            Err(_) => true,
        }
    }

    /// Runs `f` on the unlocked practice, counting the call as activity. Refused in client
    /// mode: the practitioner's commands never run while a client has the computer.
    pub fn with_practice<T>(
        &self,
        f: impl FnOnce(&mut Practice) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let mut slot = self.practitioners_practice()?;
        let practice = slot.as_mut().ok_or(AppError::Locked)?;
        f(practice)
    }

    /// The practice for one of the practitioner's commands, held, the call counted as
    /// activity: refused while the vault is being rewritten or a client has the computer.
    fn practitioners_practice(&self) -> Result<MutexGuard<'_, Option<Practice>>, AppError> {
        if self.rewrite.is_running() {
            return Err(AppError::Busy);
        }
        if self.in_client_mode() {
            return Err(AppError::ClientMode);
        }
        let slot = self.guard();
        if slot.is_none() {
            return Err(AppError::Locked);
        }
        self.touch();
        Ok(slot)
    }

    /// True while a client has the computer.
    pub fn in_client_mode(&self) -> bool {
        self.client_slot().is_some()
    }

    /// Starts client mode with the visit `start` makes from the practice. The practice stays
    /// held until client mode is on, so a lock at the same moment either comes first (and
    /// this finds the vault locked) or after (and ends client mode): never a locked vault
    /// with client mode still on.
    pub fn start_client_mode(
        &self,
        start: impl FnOnce(&mut Practice) -> Result<ClientVisit, AppError>,
    ) -> Result<(), AppError> {
        let mut slot = self.practitioners_practice()?;
        let practice = slot.as_mut().ok_or(AppError::Locked)?;
        let visit = start(practice)?;
        *lock_or_recover(&self.exit_attempts) = WrongTries::default();
        *self.client_slot() = Some(visit);
        Ok(())
    }

    /// Runs `f` on the practice and the client's visit; refused outside client mode.
    pub fn with_client<T>(
        &self,
        f: impl FnOnce(&mut Practice, &mut ClientVisit) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let mut slot = self.guard();
        let practice = slot.as_mut().ok_or(AppError::Locked)?;
        let mut client = self.client_slot();
        let visit = client.as_mut().ok_or(AppError::NotInClientMode)?;
        self.touch();
        f(practice, visit)
    }

    /// Ends client mode when `passphrase` is the vault's; stays in it otherwise. Wrong
    /// passphrases earn growing waits, during which nothing is checked (see
    /// `crate::client_exit`); the visit's wrong tries become the practitioner's notice.
    pub fn leave_client_mode(&self, passphrase: &Passphrase) -> Result<(), AppError> {
        let mut slot = self.guard();
        let practice = slot.as_mut().ok_or(AppError::Locked)?;
        let mut client = self.client_slot();
        if client.is_none() {
            return Err(AppError::NotInClientMode);
        }
        let mut attempts = lock_or_recover(&self.exit_attempts);
        visit::leave(practice, passphrase, &mut attempts, (self.clock)())?;
        *lock_or_recover(&self.visit_notice) = client
            .as_ref()
            .map(|v| visit::ended(practice, v, attempts.summary()));
        *attempts = WrongTries::default();
        *client = None;
        self.touch();
        Ok(())
    }

    /// Forgets the notice about the last client-mode visit: what it came to and the wrong
    /// tries to end it (the practitioner read it).
    pub fn dismiss_client_exit_notice(&self) {
        *lock_or_recover(&self.visit_notice) = None;
    }

    fn client_slot(&self) -> MutexGuard<'_, Option<ClientVisit>> {
        lock_or_recover(&self.client)
    }

    /// Re-encrypts every record under a new data key, publishing progress for
    /// [`AppSession::rewrite_progress`] as it goes.
    pub fn rotate(&self, passphrase: &Passphrase) -> Result<(), AppError> {
        self.rewriting(|practice, progress| Ok(practice.rotate_key(passphrase, progress)?))
    }

    /// Runs `work`, which rewrites the whole vault (a rotation, or a purge and its erasure),
    /// publishing its progress for [`AppSession::rewrite_progress`]; other commands answer
    /// "busy" meanwhile.
    pub fn rewriting<T>(
        &self,
        work: impl FnOnce(&mut Practice, &mut dyn FnMut(RotationProgress)) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let mut slot = self.practitioners_practice()?;
        let practice = slot.as_mut().ok_or(AppError::Locked)?;
        self.rewrite.begin();
        let mut publish = |progress: RotationProgress| {
            self.rewrite
                .count(progress.done as u64, progress.total as u64);
        };
        let outcome = work(practice, &mut publish);
        self.rewrite.finish();
        self.touch();
        outcome
    }

    /// How far the running rewrite of the vault (a rotation, a purge's erasure) has got;
    /// never waits for the practice.
    pub fn rewrite_progress(&self) -> Progress {
        self.rewrite.progress()
    }

    /// Notes that the practitioner did something.
    pub fn touch(&self) {
        *lock_or_recover(&self.last_activity) = Instant::now();
    }

    /// Idle time before auto-lock: the override, else the profile's minutes, else the default.
    pub fn auto_lock_after(&self) -> Duration {
        if let Some(fixed) = self.auto_lock_override {
            return fixed;
        }
        let minutes = self
            .practice
            .try_lock()
            .ok()
            .and_then(|slot| slot.as_ref().map(|p| p.profile().auto_lock_minutes))
            .filter(|m| *m > 0)
            .unwrap_or(DEFAULT_AUTO_LOCK_MINUTES);
        Duration::from_secs(u64::from(minutes) * 60)
    }

    /// Locks if unlocked and idle for longer than the limit; true when it locked. Never waits
    /// behind a running command: a busy practice is not idle.
    pub fn lock_if_idle(&self) -> bool {
        match self.take_if_idle() {
            Some(locking) => {
                // Locking wipes the keys even when recording the lock fails.
                let _ = self.finish_lock(locking);
                true
            }
            None => false,
        }
    }

    /// The first half of [`AppSession::lock_if_idle`]: takes the practice if it is unlocked
    /// and idle for longer than the limit, so the page can show the unlock screen before the
    /// backup runs. Never waits behind a running command or another lock.
    pub fn take_if_idle(&self) -> Option<Locking<'_>> {
        self.restoring.forget_if_stale();
        let idle = lock_or_recover(&self.last_activity).elapsed();
        let busy = self.rewrite.is_running() || self.restoring.progress().running;
        if idle < self.auto_lock_after() || busy {
            return None;
        }
        let finishing = self.finishing.try_lock().ok()?;
        let mut slot = self.practice.try_lock().ok()?;
        self.end_for_lock(&mut slot);
        slot.take().map(|practice| Locking {
            practice,
            _finishing: finishing,
        })
    }

    /// What a lock ends besides the practice: client mode (a visit's unsigned progress held
    /// so the lock keeps it as a draft), the notices, and a backup opened for restoring.
    fn end_for_lock(&self, slot: &mut Option<Practice>) {
        if let (Some(visit), Some(practice)) = (self.client_slot().take(), slot.as_mut()) {
            visit::hold_progress(practice, &visit);
        }
        *lock_or_recover(&self.visit_notice) = None;
        *lock_or_recover(&self.unlock_notice) = None;
        self.restoring.forget();
    }

    fn guard(&self) -> MutexGuard<'_, Option<Practice>> {
        // A panic inside a command must not leave the vault unreachable: the practice's own
        // invariants hold between calls, so the poisoned value is still sound.
        lock_or_recover(&self.practice)
    }
}

/// The kept drafts of `practice`, for the status.
fn draft_summaries(practice: &Practice) -> Vec<DraftSummary> {
    practice
        .drafts()
        .iter()
        .map(|d| DraftSummary {
            place: d.place.clone(),
            title: d.title.clone(),
            kept_at: d
                .kept_at
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
        })
        .collect()
}
