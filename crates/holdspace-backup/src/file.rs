//! Backup files on disk: reading one, and writing a new one so that it is either absent or
//! complete — never half written — and never in place of an existing file.
//!
//! Policy: a backup is written as [`fsutil::write_private`] writes every private file: a
//! hidden temporary file in the same folder, synced, then linked to its name (which fails if
//! the name exists, atomically), owner-only (0600), never through a planted symlink. Nothing
//! here knows what the bytes mean.

use std::fs;
use std::io;
use std::path::Path;

use super::BackupError;
use crate::fsutil::{self, Existing};

/// Refuses a path that already exists (before any work is done).
pub fn refuse_existing(path: &Path) -> Result<(), BackupError> {
    if path.symlink_metadata().is_ok() {
        return Err(BackupError::FileExists {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// Reads a whole backup file (a folder is refused as such).
pub fn read(path: &Path) -> Result<Vec<u8>, BackupError> {
    if path.is_dir() {
        return Err(BackupError::NotAFile {
            path: path.to_path_buf(),
        });
    }
    fs::read(path).map_err(|e| BackupError::io(format!("could not read {}", path.display()), e))
}

/// Writes `bytes` to the new owner-only file `path` atomically and durably
/// ([`fsutil::write_private`]); an existing file is refused.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<(), BackupError> {
    refuse_existing(path)?;
    fsutil::write_private(path, bytes, Existing::Refuse).map_err(|e| {
        if e.kind() == io::ErrorKind::AlreadyExists {
            return BackupError::FileExists {
                path: path.to_path_buf(),
            };
        }
        let folder = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        folder_error(folder, "write", e)
    })
}

/// Says what a failure to `doing` (a verb) in `folder` means for the practitioner: the
/// folder is full, read-only, gone, or something else (kept with its OS error).
pub fn folder_error(folder: &Path, doing: &str, e: io::Error) -> BackupError {
    let path = folder.to_path_buf();
    match e.kind() {
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded | io::ErrorKind::FileTooLarge => {
            BackupError::FolderFull { path }
        }
        io::ErrorKind::ReadOnlyFilesystem | io::ErrorKind::PermissionDenied => {
            BackupError::FolderReadOnly { path }
        }
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory => {
            BackupError::FolderUnavailable { path }
        }
        _ => BackupError::Io {
            context: format!("could not {doing} {}", folder.display()),
            source: e,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_a_new_file_and_never_overwrites() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("backup.age");
        write_new(&path, b"first").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"first");
        assert!(matches!(
            write_new(&path, b"second"),
            Err(BackupError::FileExists { .. })
        ));
        assert_eq!(fs::read(&path).unwrap(), b"first");
        let names: Vec<_> = fs::read_dir(tmp.path()).unwrap().flatten().collect();
        assert_eq!(names.len(), 1, "no temporary file is left behind");
        #[cfg(unix)]
        assert_eq!(fsutil::mode_of(&path).unwrap(), 0o600, "owner-only");
    }
}
