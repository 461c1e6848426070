//! No core dumps of an unlocked practice: `holdspace-cli`, while it runs, has a core-file
//! limit of zero (soft and hard) and is not dumpable, read from the kernel's view of the
//! running process (`/proc/PID`). Linux only (the flag does not exist elsewhere). This test
//! process itself stays unhardened, so nothing the child shows is inherited from it
//! (`tests/hardening_in_process.rs` hardens its own process).
#![cfg(target_os = "linux")]

mod common;

use std::io::Write;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The running CLI as the kernel sees it: `(core limit line, its uid, owner of /proc/PID)`.
fn running_cli(as_other_user: bool) -> (String, u32, u32) {
    let tmp = tempfile::tempdir().unwrap();
    // A copy other users may run (the build folder may be private), in a folder they can read.
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let bin = tmp.path().join("holdspace-cli");
    std::fs::copy(common::cli::BIN, &bin).unwrap();
    // Explicitly: the other test here sets this process's file-creation mask to 077.
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    let vault = tmp.path().join("no-vault-yet");
    let mut command = if as_other_user {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&bin);
        c
    } else {
        Command::new(&bin)
    };
    // `init` waits on stdin for the new passphrase: the process is alive and hardened.
    let mut child = command
        .arg("--vault")
        .arg(&vault)
        .arg("init")
        .env("HOLDSPACE_INSECURE_TEST_KDF", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start holdspace-cli");
    let proc_dir = format!("/proc/{}", child.id());
    let limits = wait_for_limits(Path::new(&proc_dir));
    let status = std::fs::read_to_string(format!("{proc_dir}/status")).unwrap();
    let uid: u32 = status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    let owner = std::fs::metadata(format!("{proc_dir}/status"))
        .unwrap()
        .uid();
    let _ = child.stdin.take().map(|mut s| s.write_all(b""));
    let _ = child.kill();
    let _ = child.wait();
    (limits, uid, owner)
}

/// The "Max core file size" line, once the CLI has hardened itself (it does so first thing;
/// the limit is read until it shows, for at most ten seconds).
fn wait_for_limits(proc_dir: &Path) -> String {
    let started = Instant::now();
    loop {
        let limits = std::fs::read_to_string(proc_dir.join("limits")).unwrap_or_default();
        let line = limits
            .lines()
            .find(|l| l.starts_with("Max core file size"))
            .unwrap_or_default()
            .to_owned();
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.get(4..6) == Some(&["0", "0"]) || started.elapsed() > Duration::from_secs(10) {
            return line;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The owner of `/proc/PID/status` of an ordinary program run as uid 65534: the control that
/// shows the kernel reports a dumpable process as its own user's.
fn ordinary_owner() -> u32 {
    let mut child = Command::new("setpriv")
        .args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "sleep",
            "5",
        ])
        .spawn()
        .expect("setpriv");
    let started = Instant::now();
    let status = format!("/proc/{}/status", child.id());
    let owner = loop {
        let text = std::fs::read_to_string(&status).unwrap_or_default();
        let exec_done = text
            .lines()
            .any(|l| l.starts_with("Name:") && l.contains("sleep"));
        if exec_done || started.elapsed() > Duration::from_secs(5) {
            break std::fs::metadata(&status).map_or(u32::MAX, |m| m.uid());
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let _ = child.kill();
    let _ = child.wait();
    owner
}

#[test]
fn the_running_cli_cannot_dump_core_and_is_not_dumpable() {
    let root = rustix::process::getuid().is_root();
    // Run as another user when we are root: /proc/PID of a non-dumpable process belongs to
    // root instead of the process's own user, which is how the kernel shows the flag.
    if root {
        assert_eq!(
            ordinary_owner(),
            65534,
            "control: a dumpable process shows its own user"
        );
    }
    let (limits, uid, owner) = running_cli(root);
    let fields: Vec<&str> = limits.split_whitespace().collect();
    assert_eq!(fields.get(4..6), Some(&["0", "0"][..]), "{limits}");
    assert_ne!(uid, 0, "the CLI runs as an ordinary user for this check");
    assert_eq!(
        owner, 0,
        "non-dumpable: /proc/PID belongs to root, not to uid {uid}"
    );
}
