//! Room on the disk: whether a write has the space it needs before it starts, and the reserve
//! that lets a vault on a full disk still open, record its unlock and lock.
//!
//! Policy:
//! - No write reaches the record store unless the file system has room for it and a margin
//!   ([`MARGIN_BYTES`]). A write that would run out of space part way is refused before it
//!   starts with [`VaultError::DiskFull`], and changes nothing. It must never get that far: once
//!   the store (sled 0.34) fails a write for want of space it refuses every later write until
//!   it is reopened, and a flush waiting at that moment can wait for ever.
//! - The vault folder holds a reserve file, [`RESERVE_FILE`], of [`RESERVE_BYTES`] random bytes
//!   (random, so a compressing file system cannot shrink it to nothing). Opening a vault on a
//!   disk too full for the store to open gives it back. The store then opens, and the
//!   *essential* writes — the unlock, the lock and their audit events — have room. *Ordinary*
//!   writes (saves, imports, rotation) are refused while the reserve is not there, so they
//!   never eat the room the next open needs; the first ordinary write that finds room for it
//!   takes the reserve again, as does every lock.
//! - Room is the space an unprivileged user may use (`f_bavail`), as the system reports it. A
//!   system that cannot say (not Unix) is taken to have room; the write then fails on its own
//!   if it has not, as it did before.
//!
//! Nothing here knows what the store holds.

use std::fs;
use std::io;
use std::path::Path;

use crate::error::{Result, VaultError};
use crate::fsutil;
use crate::secret::fill_random;

/// The reserve file in the vault folder.
pub const RESERVE_FILE: &str = "reserve";

/// How much the reserve holds back: room for the store to open (it writes up to one 512 KiB
/// log segment and a snapshot of its page table), an unlock and a lock.
pub const RESERVE_BYTES: u64 = 4 * 1024 * 1024;

/// The room every write leaves on top of its own estimate: the store can start a new 512 KiB
/// log segment, or rewrite a page, at any write.
pub const MARGIN_BYTES: u64 = 1024 * 1024;

/// What a write is for, which decides whether it may use the reserve's room.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// Opening, and the unlock's and the lock's own writes: may use the room the reserve gave
    /// back.
    Essential,
    /// Everything the practitioner asks to save or change: only with the reserve in place.
    Ordinary,
}

/// Refuses, with [`VaultError::DiskFull`], a write of about `bytes` to the vault in `dir`
/// that the file system has no room for. An [`Need::Essential`] write short of room gives the
/// reserve back first; an [`Need::Ordinary`] write takes it again first when it is missing
/// (and is refused when there is no room for it as well).
pub fn ensure(dir: &Path, bytes: u64, need: Need) -> Result<()> {
    let Some(free) = available(dir)? else {
        return Ok(());
    };
    let wanted = bytes.saturating_add(MARGIN_BYTES);
    match need {
        Need::Essential if free >= wanted => Ok(()),
        Need::Essential if release_if_short(dir, bytes)? => ensure(dir, bytes, need),
        Need::Ordinary if has_reserve(dir) && free >= wanted => Ok(()),
        Need::Ordinary if free >= wanted.saturating_add(RESERVE_BYTES) => match take_reserve(dir) {
            // Not for want of space (something else holds its name): the write goes ahead.
            Err(e) if !matches!(e, VaultError::DiskFull) => Ok(()),
            taken => taken,
        },
        _ => Err(VaultError::DiskFull),
    }
}

/// Gives the reserve back when the file system has less than `bytes` (plus the margin) free,
/// so that the store can open. Says whether it did.
pub fn release_if_short(dir: &Path, bytes: u64) -> Result<bool> {
    let short = available(dir)?.is_some_and(|free| free < bytes.saturating_add(MARGIN_BYTES));
    if !short || !has_reserve(dir) {
        return Ok(false);
    }
    fs::remove_file(dir.join(RESERVE_FILE))
        .map_err(|e| VaultError::io("could not give back the vault's reserved space", e))?;
    fsutil::sync_dir(dir)?;
    Ok(true)
}

/// Takes the reserve again when it is missing and there is room for it and the margin; a
/// disk without that room leaves it missing. Never fails for want of space.
pub fn retake_if_room(dir: &Path) -> Result<()> {
    if has_reserve(dir) {
        return Ok(());
    }
    match available(dir)? {
        Some(free) if free < RESERVE_BYTES + MARGIN_BYTES => Ok(()),
        _ => match take_reserve(dir) {
            Err(VaultError::DiskFull) => Ok(()),
            other => other,
        },
    }
}

/// Writes the reserve file (owner-only, synced, complete or absent). Something other than a
/// file under its name (a folder, a link) is left alone, and no reserve is taken.
pub fn take_reserve(dir: &Path) -> Result<()> {
    if fs::symlink_metadata(dir.join(RESERVE_FILE)).is_ok_and(|meta| !meta.is_file()) {
        return Ok(());
    }
    let mut bytes = vec![0u8; RESERVE_BYTES as usize];
    fill_random(&mut bytes)?;
    match fsutil::write_private(&dir.join(RESERVE_FILE), &bytes, fsutil::Existing::Replace) {
        Ok(()) => Ok(()),
        Err(e) => Err(VaultError::io("could not reserve space for the vault", e)),
    }
}

/// Whether the reserve file is in place, whole.
pub fn has_reserve(dir: &Path) -> bool {
    fs::symlink_metadata(dir.join(RESERVE_FILE))
        .is_ok_and(|meta| meta.is_file() && meta.len() == RESERVE_BYTES)
}

/// The bytes an unprivileged user may still write on the file system holding `dir`, or `None`
/// where the system cannot say.
pub fn available(dir: &Path) -> Result<Option<u64>> {
    free_space(dir).map_err(|e| VaultError::io("could not tell how much room the disk has", e))
}

#[cfg(unix)]
fn free_space(dir: &Path) -> io::Result<Option<u64>> {
    let stats = rustix::fs::statvfs(dir)?;
    Ok(Some(stats.f_bavail.saturating_mul(stats.f_frsize)))
}

#[cfg(not(unix))]
fn free_space(_dir: &Path) -> io::Result<Option<u64>> {
    Ok(None)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn an_ordinary_write_takes_the_missing_reserve_and_an_essential_one_gives_it_back() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        assert!(!has_reserve(dir));
        ensure(dir, 1024, Need::Essential).unwrap();
        assert!(
            !has_reserve(dir),
            "an essential write never takes the reserve"
        );
        ensure(dir, 1024, Need::Ordinary).unwrap();
        assert!(has_reserve(dir));
        assert_eq!(
            crate::fsutil::mode_of(&dir.join(RESERVE_FILE)).unwrap(),
            0o600
        );
        let more_than_any_disk = u64::MAX / 4;
        assert!(matches!(
            ensure(dir, more_than_any_disk, Need::Ordinary),
            Err(VaultError::DiskFull)
        ));
        assert!(
            has_reserve(dir),
            "a refused ordinary write keeps the reserve"
        );
        assert!(matches!(
            ensure(dir, more_than_any_disk, Need::Essential),
            Err(VaultError::DiskFull)
        ));
        assert!(
            !has_reserve(dir),
            "an essential write short of room gave it back"
        );
        retake_if_room(dir).unwrap();
        assert!(has_reserve(dir));
    }

    #[test]
    fn a_reserve_of_the_wrong_size_or_kind_is_not_one() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join(RESERVE_FILE), b"short").unwrap();
        assert!(!has_reserve(tmp.path()));
        fs::remove_file(tmp.path().join(RESERVE_FILE)).unwrap();
        fs::create_dir(tmp.path().join(RESERVE_FILE)).unwrap();
        assert!(!has_reserve(tmp.path()));
        ensure(tmp.path(), 1024, Need::Ordinary).expect("a folder in its place blocks no write");
        assert!(tmp.path().join(RESERVE_FILE).is_dir(), "and is left alone");
    }
}
