//! File-system steps the vault relies on for durability: atomic replacement of a small file,
//! folder syncs, and sizes.
//!
//! Policy: a file is replaced by writing a temporary file beside it, syncing it, renaming it
//! over the old one and syncing the folder, so a crash leaves either the old or the new file,
//! never a mixture. Nothing here knows what the bytes mean.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::Path;

use crate::error::{Result, VaultError};

/// Replaces `dir/name` with `bytes` atomically and durably.
pub fn replace_atomically(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let target = dir.join(name);
    let temp = dir.join(format!("{name}.tmp"));
    let written = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()
    })();
    if let Err(e) = written {
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

/// Syncs a folder so that renames and removals inside it are durable.
pub fn sync_dir(dir: &Path) -> Result<()> {
    // Opening a folder read-only and syncing it is how POSIX makes entries durable; Windows
    // cannot open folders this way and makes renames durable itself.
    if cfg!(unix) {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| VaultError::io(format!("could not sync {}", dir.display()), e))?;
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
