//! `vault.lock`: the one-process-per-vault lock, and the promise that releasing it means the
//! vault's files are closed.
//!
//! Policy:
//! - The lock is an exclusive, non-blocking `flock` on `vault.lock`, created owner-only and
//!   never through a symlink planted under its name. Another holder is reported as
//!   [`VaultError::AlreadyOpen`] at once; nothing waits on another process.
//! - sled closes its files from background threads that can outlive the handle that was
//!   dropped: under heavy disk load, for seconds. Releasing `vault.lock` while they still run
//!   would let the next open in this process find sled's own lock taken. So the lock is
//!   released only after every record store in the folder can be locked again (sled's `db`
//!   file is free), or after [`RELEASE_WAIT`], whichever comes first. When a
//!   [`crate::Vault`] is dropped or locked, its store is therefore closed by the time the call
//!   returns.

use std::fs::{self, File, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::{Result, VaultError};
use crate::fsutil;

/// Name of the lock file inside a vault folder.
pub const LOCK_FILE: &str = "vault.lock";
/// Prefix of record directories; the key epoch follows as 8 decimal digits.
pub(crate) const STORE_PREFIX: &str = "store-";
/// The file inside a record directory that sled locks while it has the store open.
const SLED_LOCKED_FILE: &str = "db";
/// The longest a release waits for sled's threads to close the stores.
pub const RELEASE_WAIT: Duration = Duration::from_secs(30);
/// How often a release looks again.
const POLL: Duration = Duration::from_millis(10);

/// The held `vault.lock` of one vault folder. Dropping it waits for the folder's record
/// stores to be closed, then releases the lock.
pub(crate) struct FolderLock {
    file: File,
    dir: PathBuf,
}

impl FolderLock {
    /// Takes the exclusive lock of `dir`, or reports that another process holds it.
    pub(crate) fn take(dir: &Path) -> Result<Self> {
        let path = dir.join(LOCK_FILE);
        let file = open_lock_file(&path)?;
        match file.try_lock() {
            Ok(()) => Ok(Self {
                file,
                dir: dir.to_path_buf(),
            }),
            Err(TryLockError::WouldBlock) => Err(VaultError::AlreadyOpen),
            Err(TryLockError::Error(e)) => Err(VaultError::io(
                format!("could not lock {}", path.display()),
                e,
            )),
        }
    }
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        wait_for_stores_to_close(&self.dir, RELEASE_WAIT);
        // Closing the file releases the lock; unlocking first makes the order explicit.
        let _ = self.file.unlock();
    }
}

/// Opens (creating) the lock file owner-only, refusing a symlink in its place.
fn open_lock_file(path: &Path) -> Result<File> {
    let mut options = fs::OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options
            .mode(fsutil::PRIVATE_FILE_MODE)
            .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    options
        .open(path)
        .map_err(|e| VaultError::io(format!("could not open {}", path.display()), e))
}

/// Waits, up to `limit`, until no record store in `dir` is still held open by sled. Returns
/// whether they all closed in time.
pub(crate) fn wait_for_stores_to_close(dir: &Path, limit: Duration) -> bool {
    let started = Instant::now();
    for store in record_stores(dir) {
        while is_held_by_sled(&store) {
            if started.elapsed() >= limit {
                return false;
            }
            std::thread::sleep(POLL);
        }
    }
    true
}

/// The record directories in `dir`.
fn record_stores(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|entry| {
            entry
                .file_name()
                .to_string_lossy()
                .starts_with(STORE_PREFIX)
        })
        .map(|entry| entry.path())
        .collect()
}

/// True while sled holds its lock on the store: a lock of our own on its `db` file would
/// block. A store that is gone, or whose file cannot be read, is not held.
fn is_held_by_sled(store: &Path) -> bool {
    let Ok(file) = File::open(store.join(SLED_LOCKED_FILE)) else {
        return false;
    };
    match file.try_lock() {
        Ok(()) => {
            let _ = file.unlock();
            false
        }
        Err(TryLockError::WouldBlock) => true,
        Err(TryLockError::Error(_)) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_same_folder_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = FolderLock::take(dir.path()).expect("first");
        assert!(matches!(
            FolderLock::take(dir.path()),
            Err(VaultError::AlreadyOpen)
        ));
        drop(first);
        FolderLock::take(dir.path()).expect("free again");
    }

    #[test]
    fn a_store_sled_has_open_is_held_and_free_once_sled_has_closed_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = dir.path().join(format!("{STORE_PREFIX}00000001"));
        let db = sled::open(&store).expect("sled");
        assert!(is_held_by_sled(&store));
        assert!(!wait_for_stores_to_close(dir.path(), Duration::ZERO));
        drop(db);
        assert!(wait_for_stores_to_close(dir.path(), RELEASE_WAIT));
        assert!(!is_held_by_sled(&store));
    }

    #[test]
    fn a_folder_without_stores_is_released_at_once() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(wait_for_stores_to_close(dir.path(), Duration::ZERO));
        assert!(wait_for_stores_to_close(
            &dir.path().join("missing"),
            Duration::ZERO
        ));
    }

    #[test]
    fn a_symlink_planted_as_the_lock_file_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("elsewhere");
        fs::write(&target, b"").expect("target");
        std::os::unix::fs::symlink(&target, dir.path().join(LOCK_FILE)).expect("symlink");
        assert!(matches!(
            FolderLock::take(dir.path()),
            Err(VaultError::Io { .. })
        ));
    }
}
