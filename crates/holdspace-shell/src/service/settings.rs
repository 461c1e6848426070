//! Settings: the practice profile, the vault's facts, exporting the practice, and what About
//! says of the app and this vault.

use std::path::{Path, PathBuf};

use holdspace::fsutil::{write_private, Existing};
use holdspace::practice::{Practice, PracticeProfile};
use serde::Serialize;

use crate::error::AppError;

/// What the settings screen shows.
#[derive(Clone, Debug, Serialize)]
pub struct Settings {
    /// The practice profile.
    pub profile: PracticeProfile,
    /// Where the vault lives.
    pub vault_dir: String,
    /// Argon2id memory in MiB.
    pub kdf_memory_mib: u32,
    /// Argon2id passes.
    pub kdf_iterations: u32,
    /// Times the data key has been rotated.
    pub key_epoch: u32,
    /// Records the practice holds, audit events and the profile included (counted from the
    /// decoded state: walking the store for its length takes seconds in a large vault).
    pub records: usize,
    /// The folder exports go to unless another is typed.
    pub export_dir: String,
    /// The app's version (About).
    pub app_version: &'static str,
    /// The format of this vault's header (About).
    pub vault_format: u16,
}

/// The settings screen for `practice`, in the app whose version is `app_version`.
pub fn settings(practice: &Practice, app_version: &'static str) -> Settings {
    let vault = practice.vault_facts();
    let kdf = vault.kdf;
    Settings {
        profile: practice.profile(),
        vault_dir: vault.dir.display().to_string(),
        kdf_memory_mib: kdf.memory_kib / 1024,
        kdf_iterations: kdf.iterations,
        key_epoch: vault.key_epoch,
        records: record_count(practice),
        export_dir: default_export_dir().display().to_string(),
        app_version,
        vault_format: vault.format_version,
    }
}

/// How many records the practice holds (damaged records, which were left out, not counted).
fn record_count(practice: &Practice) -> usize {
    let s = practice.state();
    usize::from(s.profile.is_some())
        + s.groups.len()
        + s.members.len()
        + s.memberships.len()
        + s.agreements.len()
        + s.signatures.len()
        + s.sessions.len()
        + s.notes.len()
        + s.incidents.len()
        + s.audit.len()
}

/// Saves the practice profile.
pub fn save_profile(practice: &mut Practice, profile: PracticeProfile) -> Result<(), AppError> {
    Ok(practice.save_profile(profile)?)
}

/// Where an export goes: the Documents folder, else the home folder.
pub fn default_export_dir() -> PathBuf {
    holdspace::paths::documents_dir()
}

/// What an export wrote.
#[derive(Clone, Debug, Serialize)]
pub struct Exported {
    /// The file.
    pub path: String,
    /// Its size.
    pub bytes: u64,
}

/// Writes the whole practice in the open JSON format to a new owner-only file in `folder`,
/// named for the moment. Never overwrites a file, never writes through a symlink; the export
/// is audited by the core.
pub fn export_practice(practice: &mut Practice, folder: &Path) -> Result<Exported, AppError> {
    let now = practice.now();
    save_new_file(folder, "holdspace-export", now, || {
        Ok(practice.export()?.to_json())
    })
}

/// Writes what `contents` makes to a new owner-only file `<stem>-<moment>.json` in `folder`.
/// Refused before `contents` runs (so nothing is audited) when the name is taken; never
/// overwrites, never follows a symlink.
pub fn save_new_file(
    folder: &Path,
    stem: &str,
    now: time::OffsetDateTime,
    contents: impl FnOnce() -> Result<Vec<u8>, AppError>,
) -> Result<Exported, AppError> {
    let name = format!(
        "{stem}-{:04}-{:02}-{:02}-{:02}{:02}{:02}.json",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    );
    let path = folder.join(&name);
    if path.symlink_metadata().is_ok() {
        return Err(AppError::FileExists);
    }
    let json = contents()?;
    write_private(&path, &json, Existing::Refuse).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => AppError::FileExists,
        _ => AppError::ExportFailed,
    })?;
    Ok(Exported {
        path: path.display().to_string(),
        bytes: json.len() as u64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: time::OffsetDateTime = datetime!(2026-12-05 21:30:07 UTC);
    const NAME: &str = "holdspace-member-record-2026-12-05-213007.json";

    #[test]
    fn a_new_file_is_owner_only_and_named_for_the_moment() {
        let folder = tempfile::tempdir().unwrap();
        let saved = save_new_file(folder.path(), "holdspace-member-record", NOW, || {
            Ok(b"{}".to_vec())
        })
        .unwrap();
        assert_eq!(saved.path, folder.path().join(NAME).display().to_string());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(folder.path().join(NAME))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_file_or_a_symlink_under_that_name_is_never_written_and_nothing_is_made() {
        let folder = tempfile::tempdir().unwrap();
        let elsewhere = folder.path().join("elsewhere");
        std::fs::write(&elsewhere, "someone else's").unwrap();
        for planted in ["file", "symlink"] {
            let path = folder.path().join(NAME);
            let _ = std::fs::remove_file(&path);
            if planted == "file" {
                std::fs::write(&path, "someone else's").unwrap();
            } else {
                #[cfg(unix)]
                std::os::unix::fs::symlink(&elsewhere, &path).unwrap();
            }
            let mut made = false;
            let refused = save_new_file(folder.path(), "holdspace-member-record", NOW, || {
                made = true;
                Ok(b"{}".to_vec())
            });
            assert!(matches!(refused, Err(AppError::FileExists)), "{planted}");
            assert!(
                !made,
                "{planted}: nothing was produced, so nothing was audited"
            );
            assert_eq!(
                std::fs::read_to_string(&elsewhere).unwrap(),
                "someone else's"
            );
        }
    }
}
