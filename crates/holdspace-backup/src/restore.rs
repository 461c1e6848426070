//! Restoring a backup into a new vault.
//!
//! Policy: the target folder must be missing or empty, and is checked first; then the backup is
//! decrypted and checked completely in memory; only then is the new vault created (with a new
//! passphrase and a new recovery code), its backup key stored and the practice imported. An
//! existing vault is never opened, changed or replaced. If writing the new vault fails part
//! way, what this restore created is removed again. [`replace_vault`] is the one way a vault
//! is replaced: only with a backup already fully checked, by building the restored vault
//! beside it and then swapping folders, keeping the old vault under another name.

use std::fs;
use std::path::{Path, PathBuf};

use super::folder::FolderPreferences;
use super::format::Authenticity;
use super::{file, open_backup, store_backup_key, BackupContent, BackupError, Manifest, Opener};
use crate::clock::system_clock;
use crate::kdf::KdfPolicy;
use crate::practice::{AuditAction, ImportReport, Invalid, Practice};
use crate::recovery::RecoveryCode;
use crate::secret::Passphrase;
use crate::strength::check_new_passphrase;
use crate::vault::Vault;

/// A restored practice.
pub struct Restored {
    /// The new vault's practice, unlocked.
    pub practice: Practice,
    /// The new vault's recovery code. Show it once: the old one does not open this vault.
    pub recovery_code: RecoveryCode,
    /// What the import wrote.
    pub report: ImportReport,
    /// The manifest of the backup restored.
    pub manifest: Manifest,
}

/// Where a restore has got, for a progress display.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RestoreStep {
    /// Creating the new vault (its key derivation takes about a second).
    Creating,
    /// Writing the practice's records into it.
    Writing,
    /// Putting the restored vault in place of the old one.
    Moving,
}

/// Restores the backup file at `backup` into a new vault in `into` (missing or empty).
/// A backup that this practice's signature does not vouch for is refused unless
/// `allow_unsigned`.
pub fn restore(
    backup: &Path,
    opener: Opener<'_>,
    into: &Path,
    new_passphrase: &Passphrase,
    policy: KdfPolicy,
    allow_unsigned: bool,
) -> Result<Restored, BackupError> {
    check_target(into)?;
    let bytes = file::read(backup)?;
    let content = open_backup(&bytes, opener, system_clock().date())?;
    drop(bytes);
    let trust = Trust::from_flag(allow_unsigned);
    restore_content(content, into, new_passphrase, policy, None, trust, |_| {})
}

/// Whether a restore may go ahead with a backup its signature does not vouch for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trust {
    /// Only a backup this practice signed, or one protected by its own passphrase.
    VouchedForOnly,
    /// The practitioner knows where the backup came from and said to restore it anyway.
    PractitionerVouches,
}

impl Trust {
    /// [`Trust::PractitionerVouches`] when `allow_unsigned`.
    pub fn from_flag(allow_unsigned: bool) -> Self {
        if allow_unsigned {
            Self::PractitionerVouches
        } else {
            Self::VouchedForOnly
        }
    }

    /// Refuses `content` when neither its signature nor the practitioner vouches for it.
    pub fn check(self, content: &BackupContent) -> Result<(), BackupError> {
        if self == Self::VouchedForOnly && !content.authenticity.is_vouched_for() {
            return Err(BackupError::NotVouchedFor(content.authenticity));
        }
        Ok(())
    }
}

/// Stores the replaced vault's automatic-backup choices, unchecked: its folder may be on a
/// drive that is not connected now, which must not stop a restore.
fn carry_over(practice: &mut Practice, keep: &FolderPreferences) -> Result<(), BackupError> {
    let mut settings = practice.backup_settings().cloned().unwrap_or_default();
    settings.folder = keep
        .folder
        .as_ref()
        .map(|f| f.display().to_string())
        .unwrap_or_default();
    settings.on_lock = keep.on_lock;
    settings.keep_recent = keep.keep_recent;
    settings.keep_monthly = keep.keep_monthly;
    practice.put_backup_settings(
        settings,
        crate::practice::AuditAction::Changed,
        "backup settings kept from the vault replaced",
    )?;
    Ok(())
}

/// Restores the intact backup at `backup` into a new vault in `into` *as it is*, whatever
/// rules its records break; returns the restored practice and every problem found, so no
/// practice is ever unrecoverable.
pub fn restore_as_found(
    backup: &Path,
    opener: Opener<'_>,
    into: &Path,
    new_passphrase: &Passphrase,
    policy: KdfPolicy,
    allow_unsigned: bool,
) -> Result<(Restored, Vec<Invalid>), BackupError> {
    check_target(into)?;
    let bytes = file::read(backup)?;
    let content = super::open_backup_as_found(&bytes, opener, system_clock().date())?;
    drop(bytes);
    let findings = content.findings.clone();
    let trust = Trust::from_flag(allow_unsigned);
    let restored = restore_content(content, into, new_passphrase, policy, None, trust, |_| {})?;
    Ok((restored, findings))
}

/// Restores an already opened backup into a new vault in `into` (missing or empty), telling
/// `step` where it has got. `keep` carries automatic-backup choices over from a vault being
/// replaced (backups are not part of the practice, so a backup has none). The new passphrase
/// must meet the passphrase rule with the restored practice's own names. Content opened as
/// found ([`super::format::decode_as_found`]) is restored as it is, its findings kept
/// ([`crate::practice::Practice::import_as_found`]). A backup neither its signature nor
/// `trust` vouches for is refused before anything is made.
pub fn restore_content(
    content: BackupContent,
    into: &Path,
    new_passphrase: &Passphrase,
    policy: KdfPolicy,
    keep: Option<&FolderPreferences>,
    trust: Trust,
    mut step: impl FnMut(RestoreStep),
) -> Result<Restored, BackupError> {
    trust.check(&content)?;
    check_new_passphrase(new_passphrase, &content.practice.own_words())
        .map_err(crate::VaultError::from)?;
    let existed = check_target(into)?;
    step(RestoreStep::Creating);
    let created = match Vault::create(into, new_passphrase, policy) {
        Ok(created) => created,
        Err(e) => {
            remove_created(into, existed);
            return Err(e.into());
        }
    };
    let recovery_code = created.recovery_code;
    step(RestoreStep::Writing);
    let detail = restored_detail(&content);
    let filled = (|| {
        let mut practice = Practice::load(created.vault)?;
        store_backup_key(&mut practice, &recovery_code)?;
        if let Some(keep) = keep {
            carry_over(&mut practice, keep)?;
        }
        let report = if content.findings.is_empty() {
            practice.import(content.practice)?
        } else {
            practice.import_as_found(content.practice, &content.findings)?
        };
        practice.record(AuditAction::BackupRestored, &detail)?;
        Ok::<_, BackupError>((practice, report))
    })();
    match filled {
        Ok((practice, report)) => Ok(Restored {
            practice,
            recovery_code,
            report,
            manifest: content.manifest,
        }),
        Err(e) => {
            // The practice (and with it the vault's lock) is dropped by now.
            remove_created(into, existed);
            Err(e)
        }
    }
}

/// What the audit trail says about a restore: when the backup was made, whether it was
/// vouched for, and whether it was taken as found.
fn restored_detail(content: &BackupContent) -> String {
    let made = content
        .manifest
        .created_at
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let vouched = match content.authenticity {
        Authenticity::MadeByThisPractice => "signed by this practice",
        Authenticity::PassphraseProtected => "protected by its own passphrase",
        Authenticity::Unsigned => "not signed",
        Authenticity::SignedByAnotherKey => "signed by another practice's key",
    };
    let found = if content.findings.is_empty() {
        String::new()
    } else {
        format!(
            "; restored as found, with {} problem(s)",
            content.findings.len()
        )
    };
    format!("from a backup made {made}, {vouched}{found}")
}

/// A restore that replaced a vault.
pub struct Replaced {
    /// The new vault's recovery code (the old one does not open it).
    pub recovery_code: RecoveryCode,
    /// What the import wrote.
    pub report: ImportReport,
    /// Where the vault that was replaced now is: kept, never deleted.
    pub previous_kept_at: PathBuf,
}

/// Replaces the vault in `vault_dir` with an already opened and checked backup. The restored
/// vault is built completely in a new folder beside it first; only then is the old vault
/// renamed aside (to `<name>-before-restore-<time>`, kept) and the new one renamed into its
/// place. If that second rename fails, the old vault is renamed back. The caller must have
/// locked the old vault; a vault another program has open is refused.
pub fn replace_vault(
    content: BackupContent,
    vault_dir: &Path,
    new_passphrase: &Passphrase,
    policy: KdfPolicy,
    keep: Option<&FolderPreferences>,
    trust: Trust,
    mut step: impl FnMut(RestoreStep),
) -> Result<Replaced, BackupError> {
    trust.check(&content)?;
    if crate::vault::is_open_elsewhere(vault_dir) {
        return Err(BackupError::Vault(crate::VaultError::AlreadyOpen));
    }
    let (parent, name) = parent_and_name(vault_dir)?;
    let staging = parent.join(format!(".{name}.restoring-{}", stamp()));
    let restored = restore_content(
        content,
        &staging,
        new_passphrase,
        policy,
        keep,
        trust,
        &mut step,
    )?;
    let Restored {
        practice,
        recovery_code,
        report,
        ..
    } = restored;
    // Closing the restored vault releases its lock before the folders move.
    drop(practice);
    step(RestoreStep::Moving);
    let kept = parent.join(format!("{name}-before-restore-{}", stamp()));
    let moved = (|| {
        fs::rename(vault_dir, &kept).map_err(|e| {
            BackupError::io(format!("could not move {} aside", vault_dir.display()), e)
        })?;
        if let Err(e) = fs::rename(&staging, vault_dir) {
            let _ = fs::rename(&kept, vault_dir);
            return Err(BackupError::io(
                format!(
                    "could not put the restored vault at {}",
                    vault_dir.display()
                ),
                e,
            ));
        }
        crate::fsutil::sync_dir(&parent).map_err(BackupError::from)
    })();
    if let Err(e) = moved {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    Ok(Replaced {
        recovery_code,
        report,
        previous_kept_at: kept,
    })
}

/// The folder holding `dir` and `dir`'s own name.
fn parent_and_name(dir: &Path) -> Result<(PathBuf, String), BackupError> {
    let absolute = std::path::absolute(dir)
        .map_err(|e| BackupError::io(format!("could not resolve {}", dir.display()), e))?;
    match (absolute.parent(), absolute.file_name()) {
        (Some(parent), Some(name)) => {
            Ok((parent.to_path_buf(), name.to_string_lossy().into_owned()))
        }
        _ => Err(BackupError::io(
            format!("{} has no parent folder", dir.display()),
            std::io::Error::from(std::io::ErrorKind::InvalidInput),
        )),
    }
}

/// The current UTC time as `2026-11-26-133205`, for folder names.
fn stamp() -> String {
    let name = super::retention::file_name(system_clock(), 1);
    name.trim_start_matches(super::retention::FILE_PREFIX)
        .trim_end_matches(super::retention::FILE_EXTENSION)
        .to_owned()
}

/// Refuses a target that holds anything; returns whether the folder already existed.
pub fn check_target(into: &Path) -> Result<bool, BackupError> {
    if into.symlink_metadata().is_ok_and(|m| !m.is_dir()) {
        return Err(BackupError::TargetIsAFile {
            path: into.to_path_buf(),
        });
    }
    match fs::read_dir(into) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                Err(BackupError::TargetNotEmpty {
                    path: into.to_path_buf(),
                })
            } else {
                Ok(true)
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(BackupError::io(
            format!("could not look into {}", into.display()),
            e,
        )),
    }
}

/// Best effort: removes the vault this restore created (the folder itself only if it made it).
fn remove_created(into: &Path, existed: bool) {
    if !existed {
        let _ = fs::remove_dir_all(into);
        return;
    }
    if let Ok(entries) = fs::read_dir(into) {
        for entry in entries.flatten() {
            let path = entry.path();
            let _ = if path.is_dir() {
                fs::remove_dir_all(&path)
            } else {
                fs::remove_file(&path)
            };
        }
    }
}
