//! File-system steps Holdspace relies on for durability and privacy: atomic replacement of a
//! small file, writing a new private file that is never half written, folder syncs, making
//! folders and files readable by their owner only, and sizes.
//!
//! Policy:
//! - A file is replaced by writing a temporary file beside it, syncing it, renaming it over the
//!   old one and syncing the folder, so a crash leaves either the old or the new file, never a
//!   mixture.
//! - Every file Holdspace writes is created owner-only (0600) with `O_CREAT|O_EXCL`, which
//!   never follows a symlink planted at that name; folders it creates are 0700. Replacing an
//!   existing file renames over the *name*, so a symlink there is replaced, never followed.
//! - [`make_private`] tightens an existing tree without following symlinks and without opening
//!   anything but regular files and folders (a planted FIFO or device is left alone).
//! - On systems without Unix modes these steps write the same files and leave access to the
//!   system's defaults (SECURITY.md says so).
//!
//! Nothing here knows what the bytes mean.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::error::{Result, VaultError};
use crate::secret::fill_random;

/// The mode of every file Holdspace writes: read and write for the owner only.
pub const PRIVATE_FILE_MODE: u32 = 0o600;
/// The mode of every folder Holdspace creates: the owner only.
pub const PRIVATE_DIR_MODE: u32 = 0o700;

/// Replaces `dir/name` with `bytes` atomically and durably; the file is owner-only.
pub fn replace_atomically(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let target = dir.join(name);
    let temp = dir.join(format!("{name}.tmp"));
    // A leftover temporary file (or anything planted under its name) goes first, so the new
    // one is created fresh and never written through a symlink.
    match fs::remove_file(&temp) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => {
            return Err(VaultError::io(
                format!("could not remove {}", temp.display()),
                e,
            ))
        }
    }
    if let Err(e) = write_fresh(&temp, bytes) {
        let _ = fs::remove_file(&temp);
        return Err(VaultError::io(
            format!("could not write {}", temp.display()),
            e,
        ));
    }
    fs::rename(&temp, &target)
        .map_err(|e| VaultError::io(format!("could not replace {}", target.display()), e))?;
    sync_dir(dir)
}

/// What [`write_private`] does when the name is taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Existing {
    /// Refuse with [`io::ErrorKind::AlreadyExists`]; the existing file is left as it was.
    Refuse,
    /// Replace it (the caller was told to, e.g. `--force`): the name is renamed over, so a
    /// symlink there is replaced, and the file it pointed to is untouched.
    Replace,
}

/// Writes `bytes` as the new owner-only file `path`, atomically and durably: a hidden
/// temporary file in the same folder is written and synced, then linked (or, with
/// [`Existing::Replace`], renamed) to its name, and the folder is synced. The file is either
/// absent or complete, never half written. File systems without hard links (FAT and exFAT,
/// common on USB drives) fall back to a checked rename, which leaves a narrow race only
/// against another program creating the same name at the same moment.
pub fn write_private(path: &Path, bytes: &[u8], existing: Existing) -> io::Result<()> {
    if existing == Existing::Refuse && path.symlink_metadata().is_ok() {
        return Err(io::ErrorKind::AlreadyExists.into());
    }
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::from(io::ErrorKind::InvalidInput))?
        .to_string_lossy()
        .into_owned();
    let dir = folder_of(path)?;
    let temp = dir.join(format!(".{name}.{}.tmp", random_suffix()?));
    if let Err(e) = write_fresh(&temp, bytes) {
        let _ = fs::remove_file(&temp);
        return Err(e);
    }
    let placed = match existing {
        Existing::Replace => fs::rename(&temp, path),
        Existing::Refuse => link_new(&temp, path),
    };
    let _ = fs::remove_file(&temp);
    placed?;
    sync_dir_io(&dir)
}

/// Links `temp` to the new name `path` (failing if it exists), else renames after a check.
fn link_new(temp: &Path, path: &Path) -> io::Result<()> {
    match fs::hard_link(temp, path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
        // No hard links on this file system: rename, having checked just before.
        Err(_) if path.symlink_metadata().is_ok() => Err(io::ErrorKind::AlreadyExists.into()),
        Err(_) => fs::rename(temp, path),
    }
}

/// The folder a path is in (the current folder for a bare name).
fn folder_of(path: &Path) -> io::Result<PathBuf> {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => Ok(parent.to_path_buf()),
        _ => std::env::current_dir(),
    }
}

fn random_suffix() -> io::Result<String> {
    let mut random = [0u8; 6];
    fill_random(&mut random).map_err(|_| io::Error::other("no randomness available"))?;
    Ok(random.iter().map(|b| format!("{b:02x}")).collect())
}

/// Creates `path` (which must not exist, not even as a symlink) owner-only, writes `bytes`
/// and syncs it.
fn write_fresh(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, PRIVATE_FILE_MODE);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Creates the folder `path` and any missing parents, each owner-only (existing folders are
/// left as they are).
pub fn create_private_dir_all(path: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, PRIVATE_DIR_MODE);
    builder.create(path)
}

/// Makes the tree at `root` owner-only: folders 0700, regular files 0600. Symlinks are not
/// followed and stay as they are; FIFOs, sockets and devices are not opened. Returns true
/// when any mode had to change (the tree was readable or writable by others).
pub fn make_private(root: &Path) -> io::Result<bool> {
    #[cfg(unix)]
    {
        tighten_entry(root)
    }
    #[cfg(not(unix))]
    {
        let _ = root;
        Ok(false)
    }
}

#[cfg(unix)]
fn tighten_entry(path: &Path) -> io::Result<bool> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let kind = path.symlink_metadata()?.file_type();
    if !(kind.is_dir() || kind.is_file()) {
        return Ok(false);
    }
    // Opened without following a symlink swapped in since, and without blocking on a FIFO.
    let flags = rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::NONBLOCK;
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(flags.bits() as i32)
        .open(path)?;
    let meta = file.metadata()?;
    let wanted = if meta.is_dir() {
        PRIVATE_DIR_MODE
    } else if meta.is_file() {
        PRIVATE_FILE_MODE
    } else {
        return Ok(false);
    };
    let mode = meta.permissions().mode() & 0o7777;
    let mut changed = false;
    if mode & !wanted != 0 {
        file.set_permissions(fs::Permissions::from_mode(mode & wanted))?;
        changed = true;
    }
    if meta.is_dir() {
        for entry in fs::read_dir(path)? {
            changed |= tighten_entry(&entry?.path())?;
        }
    }
    Ok(changed)
}

/// The permission bits of `path` (without following a symlink), for tests and checks.
#[cfg(unix)]
pub fn mode_of(path: &Path) -> io::Result<u32> {
    use std::os::unix::fs::PermissionsExt;
    Ok(path.symlink_metadata()?.permissions().mode() & 0o7777)
}

/// Syncs a folder so that renames and removals inside it are durable.
pub fn sync_dir(dir: &Path) -> Result<()> {
    sync_dir_io(dir).map_err(|e| VaultError::io(format!("could not sync {}", dir.display()), e))
}

fn sync_dir_io(dir: &Path) -> io::Result<()> {
    // Opening a folder read-only and syncing it is how POSIX makes entries durable; Windows
    // cannot open folders this way and makes renames durable itself.
    if cfg!(unix) {
        File::open(dir)?.sync_all()?;
    }
    Ok(())
}

/// Total size in bytes of the regular files under `path`.
pub fn tree_size(path: &Path) -> u64 {
    let Ok(entries) = fs::read_dir(path) else {
        return 0;
    };
    entries
        .flatten()
        .map(|entry| match entry.file_type() {
            Ok(t) if t.is_dir() => tree_size(&entry.path()),
            Ok(_) => entry.metadata().map(|m| m.len()).unwrap_or(0),
            Err(_) => 0,
        })
        .sum()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_new_file_is_private_complete_and_never_overwrites() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("export.json");
        write_private(&path, b"first", Existing::Refuse).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"first");
        assert_eq!(mode_of(&path).unwrap(), 0o600);
        let refused = write_private(&path, b"second", Existing::Refuse).unwrap_err();
        assert_eq!(refused.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(&path).unwrap(), b"first");
        write_private(&path, b"third", Existing::Replace).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"third");
        assert_eq!(
            fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "no temp file left"
        );
    }

    #[test]
    fn a_planted_symlink_is_never_written_through() {
        let tmp = tempfile::tempdir().unwrap();
        let victim = tmp.path().join("victim");
        fs::write(&victim, b"untouched").unwrap();
        let planted = tmp.path().join("export.json");
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        let refused = write_private(&planted, b"secret", Existing::Refuse).unwrap_err();
        assert_eq!(refused.kind(), io::ErrorKind::AlreadyExists);
        write_private(&planted, b"secret", Existing::Replace).unwrap();
        assert_eq!(fs::read(&victim).unwrap(), b"untouched");
        assert!(!planted.symlink_metadata().unwrap().is_symlink());
        assert_eq!(mode_of(&planted).unwrap(), 0o600);
        // The header's temporary name, planted as a symlink, is removed, not followed.
        let temp = tmp.path().join("vault.hdr.tmp");
        std::os::unix::fs::symlink(&victim, &temp).unwrap();
        replace_atomically(tmp.path(), "vault.hdr", b"header").unwrap();
        assert_eq!(fs::read(&victim).unwrap(), b"untouched");
        assert_eq!(mode_of(&tmp.path().join("vault.hdr")).unwrap(), 0o600);
    }

    #[test]
    fn making_a_tree_private_tightens_without_following_links() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("vault");
        fs::create_dir_all(root.join("store/blobs")).unwrap();
        fs::write(root.join("store/db"), b"x").unwrap();
        let outside = tmp.path().join("outside");
        fs::write(&outside, b"x").unwrap();
        for (path, mode) in [
            (root.clone(), 0o755),
            (root.join("store"), 0o775),
            (root.join("store/db"), 0o644),
            (outside.clone(), 0o644),
        ] {
            fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
        }
        std::os::unix::fs::symlink(&outside, root.join("link")).unwrap();
        rustix::fs::mknodat(
            rustix::fs::CWD,
            root.join("fifo"),
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o666),
            0,
        )
        .unwrap();
        assert!(make_private(&root).unwrap());
        assert_eq!(mode_of(&root).unwrap(), 0o700);
        assert_eq!(mode_of(&root.join("store")).unwrap(), 0o700);
        assert_eq!(mode_of(&root.join("store/blobs")).unwrap(), 0o700);
        assert_eq!(mode_of(&root.join("store/db")).unwrap(), 0o600);
        assert_eq!(
            mode_of(&outside).unwrap(),
            0o644,
            "a symlink is not followed"
        );
        assert!(
            !make_private(&root).unwrap(),
            "already private: nothing changes"
        );
    }
}
