//! Files only the practitioner can read: the vault folder is 0700 and every file in it 0600
//! from creation on (records written, keys rotated, locked); a vault whose modes were loosened
//! is tightened when it is next unlocked, and the audit trail says so once; plaintext exports
//! and backups from the CLI are 0600, never overwrite a file unless `--force` is given, and
//! never write through a planted symlink. Unix only: elsewhere the system's defaults apply.
#![cfg(unix)]

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use common::cli::{run, stderr};
use common::{fill, new_vault, passphrase, reopen, PASSPHRASE, POLICY};
use holdspace::fsutil::mode_of;
use holdspace::practice::unlocked::FOLDER_TIGHTENED;
use holdspace::practice::{AuditAction, Practice};
use holdspace::Vault;

/// Every path under `root` (itself included) with its mode, symlinks not followed.
fn modes_under(root: &Path) -> Vec<(PathBuf, u32)> {
    let mut found = vec![(root.to_path_buf(), mode_of(root).unwrap())];
    if root.symlink_metadata().unwrap().is_dir() {
        for entry in fs::read_dir(root).unwrap() {
            found.extend(modes_under(&entry.unwrap().path()));
        }
    }
    found
}

/// Asserts that `root` is 0700 and everything in it 0700 (folders) or 0600 (files).
fn assert_owner_only(root: &Path, when: &str) {
    for (path, mode) in modes_under(root) {
        let wanted = if path.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(
            mode,
            wanted,
            "{when}: {} is {mode:o}, not {wanted:o}",
            path.display()
        );
    }
}

#[test]
fn a_vault_is_owner_only_from_creation_through_writes_rotation_and_lock() {
    let (tmp, mut vault, _code) = new_vault();
    let dir = vault.dir().to_path_buf();
    assert_owner_only(&dir, "created");
    fill(&vault, 200);
    assert_owner_only(&dir, "after 200 writes");
    vault.rotate(&passphrase(PASSPHRASE), |_| {}).unwrap();
    assert_owner_only(&dir, "after rotation");
    vault.lock().unwrap();
    assert_owner_only(&dir, "locked");
    // The parents Holdspace creates for a new vault are private too.
    let nested = tmp.path().join("new/parents/vault");
    Vault::create(&nested, &passphrase(PASSPHRASE), POLICY).unwrap();
    assert_eq!(mode_of(&tmp.path().join("new")).unwrap(), 0o700);
    assert_owner_only(&nested, "created under new parents");
}

#[test]
fn a_loosened_vault_is_tightened_on_unlock_and_audited_once() {
    let (_tmp, vault, _code) = new_vault();
    let dir = vault.dir().to_path_buf();
    fill(&vault, 10);
    vault.lock().unwrap();
    for (path, _) in modes_under(&dir) {
        let loose = if path.is_dir() { 0o755 } else { 0o644 };
        fs::set_permissions(&path, fs::Permissions::from_mode(loose)).unwrap();
    }

    let practice = Practice::unlock(reopen(&dir)).unwrap();
    assert_owner_only(&dir, "unlocked");
    let tightened = |p: &Practice| {
        p.state()
            .audit
            .iter()
            .filter(|e| e.action == AuditAction::Changed && e.detail == FOLDER_TIGHTENED)
            .count()
    };
    assert_eq!(tightened(&practice), 1);
    practice.lock().unwrap();

    let again = Practice::unlock(reopen(&dir)).unwrap();
    assert_eq!(tightened(&again), 1, "said once, not at every unlock");
    again.lock().unwrap();
}

/// A CLI vault with one member; returns the folder guard, the vault folder and the member's id.
fn cli_vault() -> (tempfile::TempDir, PathBuf, String) {
    let tmp = tempfile::tempdir().unwrap();
    let vault = tmp.path().join("vault");
    let v = vault.to_str().unwrap();
    let stdin = format!("{PASSPHRASE}\n");
    assert!(run(&["--vault", v, "init"], &stdin).status.success());
    assert!(run(&["--vault", v, "demo", "--scale", "0.01"], &stdin)
        .status
        .success());
    let exported = run(&["--vault", v, "export"], &stdin);
    let json: serde_json::Value = serde_json::from_slice(&exported.stdout).unwrap();
    let member = json["members"][0]["id"].as_str().unwrap().to_owned();
    (tmp, vault, member)
}

#[test]
fn cli_exports_and_backups_are_owner_only_and_never_overwrite_or_follow_links() {
    let (tmp, vault, member) = cli_vault();
    let v = vault.to_str().unwrap();
    let pass = format!("{PASSPHRASE}\n");
    let out = |name: &str| tmp.path().join(name);
    let path = |name: &str| out(name).to_str().unwrap().to_owned();

    let writes: [(&str, Vec<String>); 4] = [
        ("export.json", vec!["export".into(), "-o".into()]),
        (
            "member.json",
            vec!["member-export".into(), member.clone(), "-o".into()],
        ),
        (
            "member.html",
            vec![
                "member-export".into(),
                member.clone(),
                "--html".into(),
                "-o".into(),
            ],
        ),
        ("backup.age", vec!["backup".into(), "--backup-key".into()]),
    ];
    for (name, command) in &writes {
        let mut args = vec!["--vault", v];
        args.extend(command.iter().map(String::as_str));
        let target = path(name);
        args.push(&target);
        let made = run(&args, &pass);
        assert!(made.status.success(), "{name}: {}", stderr(&made));
        assert_eq!(mode_of(&out(name)).unwrap(), 0o600, "{name}");
    }

    // An existing file is refused before any secret is asked for, and left as it was.
    fs::write(out("mine.json"), b"the practitioner's own file").unwrap();
    let refused = run(&["--vault", v, "export", "-o", &path("mine.json")], &pass);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("--force"), "{}", stderr(&refused));
    assert_eq!(
        fs::read(out("mine.json")).unwrap(),
        b"the practitioner's own file"
    );

    // A planted symlink is never written through: refused, and with --force replaced itself.
    fs::write(out("elsewhere"), b"untouched").unwrap();
    std::os::unix::fs::symlink(out("elsewhere"), out("planted.json")).unwrap();
    let member_args = ["--vault", v, "member-export", &member, "-o"];
    let planted = path("planted.json");
    let mut args = member_args.to_vec();
    args.push(&planted);
    assert_eq!(run(&args, &pass).status.code(), Some(2));
    args.push("--force");
    let forced = run(&args, &pass);
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert_eq!(fs::read(out("elsewhere")).unwrap(), b"untouched");
    assert!(!out("planted.json").symlink_metadata().unwrap().is_symlink());
    assert_eq!(mode_of(&out("planted.json")).unwrap(), 0o600);

    // --force replaces a file the practitioner chose to replace.
    let forced = run(
        &["--vault", v, "export", "-o", &path("mine.json"), "--force"],
        &pass,
    );
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert!(fs::read_to_string(out("mine.json"))
        .unwrap()
        .contains("\"members\""));
    assert_eq!(mode_of(&out("mine.json")).unwrap(), 0o600);
}
