//! A small file system of a test's own, to run out of space on purpose.
//!
//! [`on_a_small_disk`] runs a test's body on a tmpfs of a chosen size, mounted in a private
//! mount namespace: the test binary runs itself again under `unshare`, with only that one
//! test selected, and the mount is gone when it exits. No loop device, no change to the host's
//! mounts, nothing to clean up. A user namespace is tried first (no privilege needed where
//! the kernel allows them); then a plain mount namespace, which needs root (as in CI).
//! [`Filler`] then takes the free space, leaving exactly as much as a test asks for.
#![allow(dead_code)]

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Set in the re-run test process: where the small file system is mounted.
const MOUNTED_AT: &str = "HOLDSPACE_TEST_SMALL_DISK";

/// Exit status of the wrapper when the mount itself failed (so the next way is tried).
const MOUNT_FAILED: i32 = 97;

/// Runs `body` with the mount point of a fresh `megabytes` MiB file system. `test_name` is
/// the test's own name as libtest knows it (the function name, for a test at the top of a
/// test file): the test runs itself again inside the namespace, and the outer run asserts
/// that exactly that one test ran there and passed.
pub fn on_a_small_disk(test_name: &str, megabytes: u32, body: impl FnOnce(&Path)) {
    if let Some(dir) = std::env::var_os(MOUNTED_AT) {
        body(Path::new(&dir));
        return;
    }
    let mount_point = tempfile::tempdir().expect("mount point");
    let exe = std::env::current_exe().expect("the test binary");
    let mut refusals = Vec::new();
    for namespace in [&["--user", "--map-root-user", "--mount"][..], &["--mount"]] {
        let out = Command::new("unshare")
            .args(namespace)
            .args(["sh", "-c", WRAPPER, "sh"])
            .arg(format!("{megabytes}m"))
            .arg(mount_point.path())
            .arg(LIMIT_SECONDS.to_string())
            .arg(&exe)
            .args(["--exact", test_name, "--nocapture", "--test-threads=1"])
            .env(MOUNTED_AT, mount_point.path())
            .output()
            .expect("run unshare (util-linux)");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let never_ran = !out.status.success() && !stdout.contains("running 1 test");
        if out.status.code() == Some(MOUNT_FAILED) || never_ran {
            refusals.push(format!(
                "unshare {}: {}",
                namespace.join(" "),
                stderr.trim()
            ));
            continue;
        }
        assert_ne!(
            out.status.code(),
            Some(TIMED_OUT),
            "{test_name} on a {megabytes} MiB file system hung for {LIMIT_SECONDS} s:\n{stdout}\n{stderr}"
        );
        assert!(
            out.status.success() && stdout.contains("test result: ok. 1 passed"),
            "{test_name} on a {megabytes} MiB file system failed:\n{stdout}\n{stderr}"
        );
        eprint!("{stderr}");
        return;
    }
    panic!(
        "{test_name} needs a small file system of its own, and neither a user namespace nor \
         root could mount one:\n{}",
        refusals.join("\n")
    );
}

/// Mounts the tmpfs (size `$1` at `$2`), then runs the rest of the arguments for at most `$3`
/// seconds (a write that hangs on a full disk is a failure, not a stuck test run).
const WRAPPER: &str = r#"mount -t tmpfs -o size="$1",mode=0700 holdspace-test "$2" || exit 97
limit="$3"
shift 3
exec timeout "$limit" "$@""#;

/// How long the test may run inside the namespace (in [`WRAPPER`]).
const LIMIT_SECONDS: u32 = 300;

/// Exit status of `timeout` when the time ran out.
const TIMED_OUT: i32 = 124;

/// A file that takes a file system's free space, so that what is written next fails for
/// want of it.
pub struct Filler {
    path: PathBuf,
    file: File,
}

impl Filler {
    /// Fills the file system holding `dir` until a write fails for want of space.
    pub fn take_all(dir: &Path) -> Filler {
        let path = dir.join("filler");
        let mut file = OpenOptions::new()
            .create_new(true)
            .write(true)
            .open(&path)
            .expect("create the filler");
        let block = vec![0xA5u8; 64 * 1024];
        for size in [64 * 1024, 4096, 1] {
            loop {
                match file.write(&block[..size]) {
                    Ok(0) => break,
                    Ok(_) => {}
                    Err(e) if is_out_of_space(&e) => break,
                    Err(e) => panic!("fill the disk: {e}"),
                }
            }
        }
        file.sync_all().ok();
        Filler { path, file }
    }

    /// Gives back `bytes` of what it holds (rounded by the file system to whole pages).
    pub fn leave_free(&self, bytes: u64) {
        let len = self.file.metadata().expect("filler size").len();
        self.file
            .set_len(len.saturating_sub(bytes))
            .expect("shrink the filler");
    }

    /// Gives back all the space.
    pub fn remove(self) {
        drop(self.file);
        fs::remove_file(&self.path).expect("remove the filler");
    }
}

/// Whether `e` says the file system is full.
pub fn is_out_of_space(e: &io::Error) -> bool {
    e.raw_os_error() == Some(28)
}
