//! Restoring a backup into a new vault.
//!
//! Policy: the target folder must be missing or empty, and is checked first; then the backup is
//! decrypted and checked completely in memory; only then is the new vault created (with a new
//! passphrase and a new recovery code), its backup key stored and the practice imported. An
//! existing vault is never opened, changed or replaced. If writing the new vault fails part
//! way, what this restore created is removed again.

use std::fs;
use std::path::Path;

use super::{file, open_backup, store_backup_key, BackupError, Manifest, Opener};
use crate::kdf::KdfPolicy;
use crate::practice::unlocked::system_clock;
use crate::practice::{ImportReport, Practice};
use crate::recovery::RecoveryCode;
use crate::secret::Passphrase;
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

/// Restores the backup file at `backup` into a new vault in `into` (missing or empty).
pub fn restore(
    backup: &Path,
    opener: Opener<'_>,
    into: &Path,
    new_passphrase: &Passphrase,
    policy: KdfPolicy,
) -> Result<Restored, BackupError> {
    let existed = check_target(into)?;
    let bytes = file::read(backup)?;
    let content = open_backup(&bytes, opener, system_clock().date())?;
    drop(bytes);
    let created = Vault::create(into, new_passphrase, policy)?;
    let recovery_code = created.recovery_code;
    let filled = (|| {
        let mut practice = Practice::load(created.vault)?;
        store_backup_key(&mut practice, &recovery_code)?;
        let report = practice.import(content.practice)?;
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

/// Refuses a target that holds anything; returns whether the folder already existed.
fn check_target(into: &Path) -> Result<bool, BackupError> {
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
