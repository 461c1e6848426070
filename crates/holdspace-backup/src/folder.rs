//! Automatic backups into the practitioner's backup folder: its settings and their checks,
//! whether a backup is due, making one (also "Back up now"), listing the folder, and
//! applying the retention rule.
//!
//! Policy: folder backups are always encrypted to the vault's backup key, so they need no
//! passphrase and the recovery code opens them. A backup is due only when the practice
//! changed since the last one ([`Practice::content_changes`]). The order is: write the new
//! file completely; record it (and the files retention will remove) in the vault in one
//! audited batch — if that fails, the new file is removed again, so no backup exists that
//! the vault does not know of; only then remove old backups. Failing to remove an old
//! backup never fails the backup.
//!
//! The folder is not trusted. Retention weighs and removes only backups this vault recorded
//! writing — by name, size and SHA-256 — and checks the file's SHA-256 again just before
//! removing it. A file it did not make is never removed and never counts, whatever its name
//! or date, so files planted in the folder cannot push real backups out; the list shows them
//! as not made by this vault.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use super::retention::{self, NamedBackup, RetentionRule};
use super::{file, format, seal, stored_recipient, BackupError, Counts, Protection};
use crate::kdf::KdfPolicy;
use crate::practice::{
    AuditAction, BackupSettings, FolderBackupRecord, Invalid, Practice, PracticeJson,
};

/// The most backups the vault remembers (retention normally keeps far fewer).
const HISTORY_LIMIT: usize = 500;
/// The most a recent count may be.
pub const MAX_KEEP_RECENT: u32 = 100;
/// The most months a monthly count may cover.
pub const MAX_KEEP_MONTHLY: u32 = 120;
/// How many same-second names to try before giving up.
const NAME_ATTEMPTS: u32 = 50;

/// What the practitioner chooses for automatic backups.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FolderPreferences {
    /// The backup folder, if one is chosen.
    pub folder: Option<PathBuf>,
    /// Back up when the app locks or closes.
    pub on_lock: bool,
    /// How many of the newest backups to keep.
    pub keep_recent: u32,
    /// For how many months to keep the newest backup of each month.
    pub keep_monthly: u32,
}

impl FolderPreferences {
    /// The preferences stored in `settings`.
    pub fn of(settings: &BackupSettings) -> Self {
        Self {
            folder: (!settings.folder.is_empty()).then(|| PathBuf::from(&settings.folder)),
            on_lock: settings.on_lock,
            keep_recent: settings.keep_recent,
            keep_monthly: settings.keep_monthly,
        }
    }

    /// The retention rule these preferences give.
    pub fn rule(&self) -> RetentionRule {
        RetentionRule {
            keep_recent: self.keep_recent,
            keep_monthly: self.keep_monthly,
        }
    }

    /// Checks the preferences for the vault in `vault_dir`: the counts in range, and the
    /// folder an existing folder given as a full path, outside the vault's own folder (a
    /// backup beside the vault is lost with it).
    pub fn check(&self, vault_dir: &Path) -> Result<(), Invalid> {
        if !(1..=MAX_KEEP_RECENT).contains(&self.keep_recent) {
            return Err(Invalid::new(
                "keep_recent",
                format!("keep between 1 and {MAX_KEEP_RECENT} of the newest backups"),
            ));
        }
        if self.keep_monthly > MAX_KEEP_MONTHLY {
            return Err(Invalid::new(
                "keep_monthly",
                format!("keep one a month for 0 to {MAX_KEEP_MONTHLY} months"),
            ));
        }
        let Some(folder) = &self.folder else {
            return Ok(());
        };
        if !folder.is_absolute() {
            return Err(Invalid::new("folder", "choose the folder by its full path"));
        }
        if !folder.is_dir() {
            return Err(Invalid::new(
                "folder",
                "this folder does not exist (if it is on an external drive, connect it)",
            ));
        }
        if is_inside(folder, vault_dir) {
            return Err(Invalid::new(
                "folder",
                "this folder is inside the vault's own folder, so a backup there would be lost with the vault; choose one elsewhere, ideally on another drive",
            ));
        }
        Ok(())
    }
}

/// True when `folder` is `vault_dir` or inside it (comparing real paths where they exist).
fn is_inside(folder: &Path, vault_dir: &Path) -> bool {
    let real = |p: &Path| fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    real(folder).starts_with(real(vault_dir))
}

/// Saves the practitioner's choices (one audited change). Choosing another folder means the
/// next lock backs up into it even if nothing changed.
pub fn save_preferences(
    practice: &mut Practice,
    preferences: &FolderPreferences,
) -> Result<(), BackupError> {
    preferences
        .check(practice.vault_dir())
        .map_err(BackupError::InvalidSettings)?;
    let mut settings = practice.backup_settings().cloned().unwrap_or_default();
    let folder = preferences
        .folder
        .as_ref()
        .map(|f| f.display().to_string())
        .unwrap_or_default();
    if folder != settings.folder {
        settings.backed_up_changes = None;
    }
    settings.folder = folder;
    settings.on_lock = preferences.on_lock;
    settings.keep_recent = preferences.keep_recent;
    settings.keep_monthly = preferences.keep_monthly;
    practice.put_backup_settings(settings, AuditAction::Changed, "backup settings")?;
    Ok(())
}

/// True when an automatic backup should run now: a backup key and a folder are set, backing
/// up on lock is on, and the practice changed since the last backup into the folder.
pub fn is_due(practice: &Practice) -> bool {
    let Some(settings) = practice.backup_settings() else {
        return false;
    };
    !settings.recipient.is_empty()
        && !settings.folder.is_empty()
        && settings.on_lock
        && settings.backed_up_changes != Some(practice.content_changes())
}

/// True when the practice changed since the last backup into the folder (or none was made).
pub fn changed_since_last(practice: &Practice) -> bool {
    practice.backup_settings().and_then(|s| s.backed_up_changes) != Some(practice.content_changes())
}

/// What [`back_up_to_folder`] did.
#[derive(Debug)]
pub struct FolderBackup {
    /// The new backup.
    pub made: FolderBackupRecord,
    /// Its full path.
    pub path: PathBuf,
    /// Old backups the retention rule removed.
    pub removed: Vec<String>,
    /// Set when an old backup could not be removed (the new backup is still complete).
    pub removal_failed: Option<BackupError>,
}

/// Makes a backup of the whole practice into the backup folder, encrypted to the backup key,
/// then applies the retention rule. See the module policy for the order of steps.
pub fn back_up_to_folder(practice: &mut Practice) -> Result<FolderBackup, BackupError> {
    let settings = practice
        .backup_settings()
        .cloned()
        .ok_or(BackupError::NoBackupKey)?;
    let preferences = FolderPreferences::of(&settings);
    let folder = preferences
        .folder
        .clone()
        .ok_or(BackupError::NoBackupFolder)?;
    let recipient = stored_recipient(practice)?;
    check_folder(&folder)?;
    let now = practice.now();
    let changes = practice.content_changes();
    let file = PracticeJson::from_state(practice.state(), now);
    let signer = super::key::BackupSigningKey::from_hex(settings.signing_key.expose());
    let (plaintext, manifest) = format::encode(&file, now, signer.as_ref())?;
    drop(file);
    // An X25519 recipient has no work factor; the policy is not used.
    let sealed = seal::seal(
        &plaintext,
        Protection::BackupKey(&recipient),
        KdfPolicy::Calibrated,
    )?;
    drop(plaintext);
    let path = write_unique(&folder, now, retention::file_name, &sealed)?;
    let made = FolderBackupRecord {
        file_name: file_name_of(&path),
        created_at: now,
        bytes: sealed.len() as u64,
        counts: manifest.counts,
        sha256: format::sha256_hex(&sealed),
    };
    drop(sealed);
    let mut history = settings.history.clone();
    history.push(made.clone());
    let ours = recorded_in_folder(&folder, &history);
    let candidates: Vec<NamedBackup> = ours.iter().map(|r| named_record(r)).collect();
    let doomed: Vec<&FolderBackupRecord> =
        retention::to_remove(&candidates, now, preferences.rule())
            .iter()
            .filter_map(|name| ours.iter().find(|r| &r.file_name == name).copied())
            .filter(|r| r.file_name != made.file_name)
            .collect();
    // Removed only if it is still, byte for byte, the file this vault wrote; a file changed
    // since is forgotten (it is no longer ours) but left where it is.
    let (removable, changed): (Vec<&FolderBackupRecord>, Vec<&FolderBackupRecord>) =
        doomed.into_iter().partition(|r| is_unchanged(&folder, r));
    let forget: Vec<String> = removable
        .iter()
        .chain(&changed)
        .map(|r| r.file_name.clone())
        .collect();
    let present: Vec<String> = ours.iter().map(|r| r.file_name.clone()).collect();
    let recorded = record(practice, settings, &made, &present, &forget, changes);
    if let Err(e) = recorded {
        let _ = fs::remove_file(&path);
        return Err(e);
    }
    let removable: Vec<String> = removable.iter().map(|r| r.file_name.clone()).collect();
    let (removed, removal_failed) = remove(&folder, &removable);
    Ok(FolderBackup {
        made,
        path,
        removed,
        removal_failed,
    })
}

/// Saves a copy of the whole practice into `folder`, protected by its own `passphrase` (age's
/// scrypt) rather than the backup key — for a copy that must open without the recovery sheet.
/// Named by [`retention::copy_file_name`], so retention never removes it; audited as an export.
pub fn save_copy(
    practice: &mut Practice,
    folder: &Path,
    passphrase: &crate::Passphrase,
    policy: KdfPolicy,
) -> Result<super::BackupSummary, BackupError> {
    check_folder(folder)?;
    let now = practice.now();
    let (sealed, manifest) =
        super::backup_bytes(practice, Protection::Passphrase(passphrase), policy)?;
    let path = write_unique(folder, now, retention::copy_file_name, &sealed)?;
    Ok(super::BackupSummary {
        path,
        bytes: sealed.len() as u64,
        manifest,
    })
}

/// The recorded backups that are in `folder` now, as recorded: same name, a regular file,
/// same size. (Their content is checked only before removal, where it matters.)
fn recorded_in_folder<'a>(
    folder: &Path,
    history: &'a [FolderBackupRecord],
) -> Vec<&'a FolderBackupRecord> {
    history
        .iter()
        .filter(|r| {
            fs::symlink_metadata(folder.join(&r.file_name))
                .is_ok_and(|m| m.is_file() && m.len() == r.bytes)
        })
        .collect()
}

/// A recorded backup as retention weighs it: by the time the vault recorded, not by a name a
/// file could be given.
fn named_record(record: &FolderBackupRecord) -> NamedBackup {
    let same_second = retention::parse_file_name(&record.file_name).map_or(1, |(_, n)| n);
    NamedBackup {
        file_name: record.file_name.clone(),
        created_at: record.created_at,
        same_second,
    }
}

/// True when the file is still exactly the one this vault recorded writing (its SHA-256
/// matches). A record without a hash (made before hashes were kept) never matches.
fn is_unchanged(folder: &Path, record: &FolderBackupRecord) -> bool {
    if record.sha256.is_empty() {
        return false;
    }
    format::sha256_hex_of_file(&folder.join(&record.file_name))
        .is_ok_and(|sha256| sha256 == record.sha256)
}

/// Records the new backup in the settings, keeping only the recorded backups still in the
/// folder and forgetting those about to be removed (or found changed), in one batch with its
/// audit event.
fn record(
    practice: &mut Practice,
    mut settings: BackupSettings,
    made: &FolderBackupRecord,
    present: &[String],
    forget: &[String],
    changes: u64,
) -> Result<(), BackupError> {
    settings.history.push(made.clone());
    settings
        .history
        .retain(|h| present.contains(&h.file_name) && !forget.contains(&h.file_name));
    let overflow = settings.history.len().saturating_sub(HISTORY_LIMIT);
    settings.history.drain(..overflow);
    settings.backed_up_changes = Some(changes);
    settings.last_failure = None;
    let detail = format!(
        "backup into the backup folder: {} (backup key)",
        made.file_name
    );
    practice.put_backup_settings(settings, AuditAction::BackupMade, &detail)?;
    Ok(())
}

/// Remembers in the vault that an automatic backup failed with `error` (one audited change),
/// so the failure is shown after a restart too; the next successful backup forgets it.
pub fn record_failure(practice: &mut Practice, error: &BackupError) -> Result<(), BackupError> {
    let mut settings = practice.backup_settings().cloned().unwrap_or_default();
    settings.last_failure = Some(crate::practice::RecordedBackupFailure {
        at: practice.now(),
        kind: error.failure_kind(),
    });
    let detail = format!("automatic backup failed: {}", error.failure_kind().name());
    practice.put_backup_settings(settings, AuditAction::BackupFailed, &detail)?;
    Ok(())
}

/// Removes the doomed backups; returns those removed and the first failure.
fn remove(folder: &Path, doomed: &[String]) -> (Vec<String>, Option<BackupError>) {
    let mut removed = Vec::new();
    let mut failed = None;
    for name in doomed {
        match fs::remove_file(folder.join(name)) {
            Ok(()) => removed.push(name.clone()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => {
                failed.get_or_insert_with(|| file::folder_error(folder, "remove an old backup", e));
            }
        }
    }
    (removed, failed)
}

/// Writes `bytes` into `folder` under the first free name `name(now, n)` gives.
fn write_unique(
    folder: &Path,
    now: OffsetDateTime,
    name: fn(OffsetDateTime, u32) -> String,
    bytes: &[u8],
) -> Result<PathBuf, BackupError> {
    for same_second in 1..=NAME_ATTEMPTS {
        let path = folder.join(name(now, same_second));
        match file::write_new(&path, bytes) {
            Ok(()) => return Ok(path),
            Err(BackupError::FileExists { .. }) => continue,
            Err(other) => return Err(other),
        }
    }
    Err(BackupError::FileExists {
        path: folder.join(name(now, NAME_ATTEMPTS)),
    })
}

fn file_name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Fails with [`BackupError::FolderUnavailable`] unless `folder` is an existing folder.
pub fn check_folder(folder: &Path) -> Result<(), BackupError> {
    match fs::metadata(folder) {
        Ok(meta) if meta.is_dir() => Ok(()),
        _ => Err(BackupError::FolderUnavailable {
            path: folder.to_path_buf(),
        }),
    }
}

/// The automatic backups in `folder` (by name), in no particular order.
fn named_backups(folder: &Path) -> Result<Vec<NamedBackup>, BackupError> {
    let entries = fs::read_dir(folder).map_err(|e| file::folder_error(folder, "list", e))?;
    Ok(entries
        .flatten()
        .filter_map(|entry| {
            let named = NamedBackup::parse(entry.file_name().to_str()?)?;
            entry.file_type().ok()?.is_file().then_some(named)
        })
        .collect())
}

/// A backup in the folder, for the list of backups.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListedBackup {
    /// The file name.
    pub file_name: String,
    /// When it was made (from its name).
    pub created_at: OffsetDateTime,
    /// Its size in bytes.
    pub bytes: u64,
    /// What it holds, when this vault made it (reading it needs the recovery code).
    pub counts: Option<Counts>,
}

/// The backups in the practice's backup folder, newest first.
pub fn list_folder(practice: &Practice) -> Result<Vec<ListedBackup>, BackupError> {
    let settings = practice
        .backup_settings()
        .ok_or(BackupError::NoBackupFolder)?;
    let folder = FolderPreferences::of(settings)
        .folder
        .ok_or(BackupError::NoBackupFolder)?;
    check_folder(&folder)?;
    let mut named = named_backups(&folder)?;
    named.sort_by(NamedBackup::newest_first);
    let listed = named
        .into_iter()
        .map(|named| {
            let bytes = fs::metadata(folder.join(&named.file_name)).map_or(0, |m| m.len());
            let counts = settings
                .history
                .iter()
                .find(|h| h.file_name == named.file_name && h.bytes == bytes)
                .map(|h| h.counts.clone());
            ListedBackup {
                file_name: named.file_name,
                created_at: named.created_at,
                bytes,
                counts,
            }
        })
        .collect();
    Ok(listed)
}
