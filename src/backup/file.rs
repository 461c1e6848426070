//! Backup files on disk: reading one, and writing a new one so that it is either absent or
//! complete — never half written — and never in place of an existing file.
//!
//! Policy: a backup is written to a hidden temporary file in the same folder, synced, and then
//! linked to its name (which fails if the name exists, atomically). File systems without hard
//! links (FAT and exFAT, common on USB drives) fall back to a checked rename, which leaves a
//! narrow race only against another program creating the same name at the same moment. The
//! folder is synced afterwards. Nothing here knows what the bytes mean.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

use super::BackupError;
use crate::fsutil;
use crate::secret::fill_random;

/// Refuses a path that already exists (before any work is done).
pub fn refuse_existing(path: &Path) -> Result<(), BackupError> {
    if path.symlink_metadata().is_ok() {
        return Err(BackupError::FileExists {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// Reads a whole backup file.
pub fn read(path: &Path) -> Result<Vec<u8>, BackupError> {
    fs::read(path).map_err(|e| BackupError::io(format!("could not read {}", path.display()), e))
}

/// Writes `bytes` to the new file `path` atomically and durably; an existing file is refused.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<(), BackupError> {
    refuse_existing(path)?;
    let name = path
        .file_name()
        .ok_or_else(|| {
            BackupError::io(
                format!("{} is not a file name", path.display()),
                io::Error::from(io::ErrorKind::InvalidInput),
            )
        })?
        .to_string_lossy()
        .into_owned();
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => std::env::current_dir()
            .map_err(|e| BackupError::io("could not find the current folder", e))?,
    };
    let mut random = [0u8; 6];
    fill_random(&mut random)?;
    let suffix: String = random.iter().map(|b| format!("{b:02x}")).collect();
    let temp = dir.join(format!(".{name}.{suffix}.tmp"));
    let written = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&temp);
        return Err(folder_error(&dir, "write", e));
    }
    let placed = match fs::hard_link(&temp, path) {
        Ok(()) => fs::remove_file(&temp),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            let _ = fs::remove_file(&temp);
            return Err(BackupError::FileExists {
                path: path.to_path_buf(),
            });
        }
        // No hard links on this file system: rename, having checked just before.
        Err(_) => match refuse_existing(path) {
            Ok(()) => fs::rename(&temp, path),
            Err(exists) => {
                let _ = fs::remove_file(&temp);
                return Err(exists);
            }
        },
    };
    if let Err(e) = placed {
        let _ = fs::remove_file(&temp);
        return Err(folder_error(&dir, "move the backup into place in", e));
    }
    fsutil::sync_dir(&dir)?;
    Ok(())
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
    }
}
