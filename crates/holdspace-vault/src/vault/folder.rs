//! The vault folder on disk: whether a vault is there or open elsewhere, preparing a folder for
//! a new vault, the store directory of each key epoch (opening it, and removing stale ones and
//! what sled left half-written), and the room a write or an open needs.
//!
//! Policy: only the store the header names is the vault's; any other is an interrupted
//! rotation's, or its leftover, and is removed once the committed store has opened. A folder
//! that holds anything but a failed creation's leftovers is never made into a vault.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::{HEADER_FILE, LOCK_FILE};
use crate::error::{Result, VaultError};
use crate::folder_lock::{FolderLock, STORE_PREFIX};
use crate::fsutil;
use crate::room;

/// How long to wait for sled to release a lock that our own `vault.lock` proves is stale: held
/// only by this process's own closing threads, which a loaded disk can keep busy for seconds.
const SLED_LOCK_GRACE: Duration = crate::folder_lock::RELEASE_WAIT;
/// One segment of the store's log (sled's default).
const SEGMENT_BYTES: u64 = 512 * 1024;

/// True when `dir` holds a vault header.
pub fn vault_exists(dir: &Path) -> bool {
    dir.join(HEADER_FILE).is_file()
}

/// True when another process (or another handle in this one) has the vault in `dir` open
/// right now, so opening it here would fail with [`VaultError::AlreadyOpen`]. Checks without
/// changing anything but the empty `vault.lock` file, and releases at once.
pub fn is_open_elsewhere(dir: &Path) -> bool {
    vault_exists(dir) && matches!(FolderLock::take(dir), Err(VaultError::AlreadyOpen))
}

pub(super) fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

pub(super) fn store_path(dir: &Path, epoch: u32) -> PathBuf {
    dir.join(format!("{STORE_PREFIX}{epoch:08}"))
}

/// Takes `vault.lock` in a folder that must already hold a vault.
pub(super) fn take_lock_of_existing(dir: &Path) -> Result<FolderLock> {
    if !vault_exists(dir) {
        return Err(VaultError::NotAVault {
            path: dir.to_path_buf(),
        });
    }
    FolderLock::take(dir)
}

/// Removes snapshot files sled left half-written (`snap.*.generating`) when its process died
/// while writing one. sled 0.34 does not skip them at start-up: it reads the newest `snap.*`
/// file, finds it empty or truncated, and refuses the whole store as corrupt (found by our
/// crash loops: a kill during sled's start-up snapshot left the vault unopenable). A complete
/// snapshot is always renamed away from `.generating`, and our lock proves no live process is
/// writing one, so these files are never needed.
fn remove_incomplete_snapshots(store: &Path) -> Result<()> {
    let Ok(entries) = fs::read_dir(store) else {
        return Ok(());
    };
    let mut removed = false;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("snap.") && name.ends_with(".generating") {
            fs::remove_file(entry.path()).map_err(|e| {
                VaultError::io(format!("could not remove {}", entry.path().display()), e)
            })?;
            removed = true;
        }
    }
    if removed {
        fsutil::sync_dir(store)?;
    }
    Ok(())
}

/// What the store needs free to open: it may start a log segment and write a snapshot of its
/// page table as large as the one it has.
pub(super) fn room_to_open(store: &Path) -> u64 {
    let snapshots = fs::read_dir(store).into_iter().flatten().flatten();
    snapshots
        .filter(|entry| entry.file_name().to_string_lossy().starts_with("snap."))
        .filter_map(|entry| entry.metadata().ok())
        .map(|meta| twice(meta.len() as usize))
        .sum::<u64>()
        .saturating_add(SEGMENT_BYTES)
}

/// Twice `len` bytes: what a write into the store's log may take, with the page it rewrites.
pub(super) fn twice(len: usize) -> u64 {
    (len as u64).saturating_mul(2)
}

/// Opens (or creates) a sled store. sled may hold its lock for a moment after a previous
/// handle in this process closed; our own lock proves nobody else has it, so wait briefly.
pub(super) fn open_store(path: &Path, create: bool) -> Result<sled::Db> {
    remove_incomplete_snapshots(path)?;
    let config = sled::Config::new()
        .path(path)
        .cache_capacity(32 * 1024 * 1024)
        .mode(sled::Mode::HighThroughput)
        .create_new(create);
    let started = Instant::now();
    loop {
        match config.open().map_err(VaultError::from) {
            Err(VaultError::AlreadyOpen) if started.elapsed() < SLED_LOCK_GRACE => {
                std::thread::sleep(Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

/// Makes `dir` ready for a new vault: it may be missing, empty, or hold the leftovers of a
/// creation that never wrote its header. Anything else is refused.
pub(super) fn prepare_new_folder(dir: &Path) -> Result<()> {
    if vault_exists(dir) {
        return Err(VaultError::AlreadyExists {
            path: dir.to_path_buf(),
        });
    }
    fsutil::create_private_dir_all(dir)
        .map_err(|e| VaultError::io(format!("could not create {}", dir.display()), e))?;
    let entries = fs::read_dir(dir)
        .map_err(|e| VaultError::io(format!("could not read {}", dir.display()), e))?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let leftover = name.starts_with(STORE_PREFIX)
            || name == LOCK_FILE
            || name == "vault.hdr.tmp"
            || name == room::RESERVE_FILE
            || is_reserve_being_written(&name);
        if !leftover {
            return Err(VaultError::FolderNotEmpty {
                path: dir.to_path_buf(),
            });
        }
    }
    Ok(())
}

/// Removes record directories other than the current epoch's, and a stray header temp file.
pub(super) fn remove_stale_stores(dir: &Path, current_epoch: u32) -> Result<()> {
    let current = store_path(dir, current_epoch);
    let entries = fs::read_dir(dir)
        .map_err(|e| VaultError::io(format!("could not read {}", dir.display()), e))?;
    let mut removed = false;
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(STORE_PREFIX) && path != current {
            remove_dir_if_present(&path)?;
            removed = true;
        } else if name == "vault.hdr.tmp" || is_reserve_being_written(&name) {
            let _ = fs::remove_file(&path);
            removed = true;
        }
    }
    if removed {
        fsutil::sync_dir(dir)?;
    }
    Ok(())
}

/// The temporary file of a reserve being written (left behind by a crash).
fn is_reserve_being_written(name: &str) -> bool {
    name.starts_with(&format!(".{}.", room::RESERVE_FILE)) && name.ends_with(".tmp")
}

pub(super) fn remove_dir_if_present(path: &Path) -> Result<()> {
    match fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(VaultError::io(
            format!("could not remove {}", path.display()),
            e,
        )),
    }
}
