//! Backups (issue 6): a backup restores into a new vault and exports equal to the original at
//! demo scale 1; backups are standard age files the real `age` tool decrypts; a cut, changed
//! or wrong-key backup is refused with a clear message and changes nothing; the CLI contract
//! (secrets as stdin lines, exit codes 0/1/2, one line per failure).

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{new_vault, passphrase, POLICY};
use holdspace::backup::{self, BackupError, BackupIdentity, Opener, Protection};
use holdspace::practice::demo::demo_practice;
use holdspace::practice::*;
use holdspace::Vault;

const PASS: &str = "correct horse battery staple";
const BACKUP_PASS: &str = "a different backup passphrase";

/// Everything but the audit trail and the export time.
fn without_audit(f: &PracticeJson) -> PracticeJson {
    PracticeJson {
        audit: Vec::new(),
        exported_at: time::OffsetDateTime::UNIX_EPOCH,
        ..f.clone()
    }
}

/// A practice with the backup key stored and a demo practice imported.
fn demo_vault(scale: f64) -> (tempfile::TempDir, Practice, holdspace::RecoveryCode) {
    let (tmp, vault, code) = new_vault();
    let mut practice = Practice::load(vault).unwrap();
    backup::store_backup_key(&mut practice, &code).unwrap();
    let file = demo_practice(scale, 11, practice.today());
    practice.import(file).unwrap();
    (tmp, practice, code)
}

#[test]
fn scale_1_backup_restores_into_a_new_vault_that_exports_the_same_practice() {
    let (tmp, mut original, code) = demo_vault(1.0);
    for (name, with_passphrase) in [("pass.age", true), ("key.age", false)] {
        let path = tmp.path().join(name);
        let backup_pass = passphrase(BACKUP_PASS);
        let recipient = backup::stored_recipient(&original).unwrap();
        let protection = if with_passphrase {
            Protection::Passphrase(&backup_pass)
        } else {
            Protection::BackupKey(&recipient)
        };
        let summary = backup::write_backup(&mut original, &path, protection, POLICY).unwrap();
        assert!(summary.manifest.counts.notes > 10_000);
        // What the backup holds: the practice as it was when the backup was made.
        let at_backup = PracticeJson::from_state(original.state(), original.now());

        let identity = BackupIdentity::from_recovery_code(&code);
        let opener = if with_passphrase {
            Opener::Passphrase(&backup_pass)
        } else {
            Opener::BackupKey(&identity)
        };
        let into = tmp.path().join(format!("restored-{name}"));
        let restored = backup::restore(
            &path,
            opener,
            &into,
            &passphrase("new vault passphrase"),
            POLICY,
            false,
        )
        .unwrap();
        assert_eq!(restored.manifest.counts, summary.manifest.counts);
        let mut practice = restored.practice;
        let back = practice.export().unwrap();
        assert_eq!(without_audit(&back), without_audit(&at_backup), "{name}");
        assert_eq!(
            back.audit[..at_backup.audit.len()],
            at_backup.audit[..],
            "the trail is kept, oldest first ({name})"
        );
        let tail: Vec<_> = back.audit[at_backup.audit.len()..]
            .iter()
            .map(|e| e.action)
            .collect();
        assert_eq!(
            tail,
            vec![
                AuditAction::Created,
                AuditAction::Import,
                AuditAction::BackupRestored,
                AuditAction::Export
            ],
            "backup key stored, import, the restore, export ({name})"
        );
        // The restored vault has its own recovery code and backup key.
        assert!(practice.backup_settings().is_some());
        practice.lock().unwrap();
        let reopened = Vault::open_with_recovery_code(&into, &restored.recovery_code, POLICY);
        assert!(reopened.is_ok());
    }
}

#[test]
fn making_a_backup_is_audited_as_a_backup() {
    let (tmp, mut p, _) = demo_vault(0.01);
    let key = backup::stored_recipient(&p).unwrap();
    backup::write_backup(
        &mut p,
        &tmp.path().join("b.age"),
        Protection::BackupKey(&key),
        POLICY,
    )
    .unwrap();
    let last = p.state().audit.last().unwrap();
    assert_eq!(last.action, AuditAction::BackupMade);
    assert_eq!(last.detail, "backup (backup key)");
}

#[test]
fn bad_backups_are_refused_and_nothing_is_created() {
    let (tmp, mut p, code) = demo_vault(0.02);
    let path = tmp.path().join("b.age");
    let key = backup::stored_recipient(&p).unwrap();
    backup::write_backup(&mut p, &path, Protection::BackupKey(&key), POLICY).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let identity = BackupIdentity::from_recovery_code(&code);
    let other = BackupIdentity::from_recovery_code(&holdspace::RecoveryCode::generate().unwrap());
    let into = tmp.path().join("new");
    let new_pass = passphrase("new vault passphrase");

    let mut cases: Vec<(&str, Vec<u8>, &BackupIdentity)> = vec![
        ("truncated", bytes[..bytes.len() / 2].to_vec(), &identity),
        ("header only", bytes[..100].to_vec(), &identity),
        ("wrong key", bytes.clone(), &other),
    ];
    let mut altered = bytes.clone();
    let middle = altered.len() / 2;
    altered[middle] ^= 0x01;
    cases.push(("altered", altered, &identity));
    // A changed header MAC is damage. (A changed recipient stanza cannot be told apart from a
    // backup for another key: age then finds no stanza this identity opens, so it reads as
    // "wrong key" — still refused, still nothing changed.)
    let mut header_altered = bytes.clone();
    let mac = bytes.windows(4).position(|w| w == b"--- ").unwrap() + 5;
    header_altered[mac] = if header_altered[mac] == b'A' {
        b'B'
    } else {
        b'A'
    };
    cases.push(("header altered", header_altered, &identity));
    let mut stanza_altered = bytes.clone();
    stanza_altered[30] ^= 0x01;
    cases.push(("stanza altered", stanza_altered, &identity));
    for (what, broken, key) in cases {
        let file = tmp.path().join(format!("{what}.age"));
        std::fs::write(&file, &broken).unwrap();
        let err = backup::restore(
            &file,
            Opener::BackupKey(key),
            &into,
            &new_pass,
            POLICY,
            false,
        )
        .err()
        .unwrap_or_else(|| panic!("{what}: restored"));
        match what {
            "wrong key" | "stanza altered" => {
                assert!(matches!(err, BackupError::WrongKey), "{what}: {err:?}")
            }
            _ => assert!(
                err.is_bad_backup() || matches!(err, BackupError::NotABackup),
                "{what}: {err:?}"
            ),
        }
        assert!(!into.exists(), "{what}: nothing was created");
    }
}

#[test]
fn restore_never_touches_an_existing_vault() {
    let (tmp, mut p, code) = demo_vault(0.01);
    let path = tmp.path().join("b.age");
    let key = backup::stored_recipient(&p).unwrap();
    backup::write_backup(&mut p, &path, Protection::BackupKey(&key), POLICY).unwrap();
    let dir = p.vault().dir().to_path_buf();
    p.lock().unwrap();
    let header = std::fs::read(dir.join("vault.hdr")).unwrap();
    let identity = BackupIdentity::from_recovery_code(&code);
    let err = backup::restore(
        &path,
        Opener::BackupKey(&identity),
        &dir,
        &passphrase("new vault passphrase"),
        POLICY,
        false,
    )
    .err()
    .unwrap();
    assert!(matches!(err, BackupError::TargetNotEmpty { .. }), "{err:?}");
    assert_eq!(std::fs::read(dir.join("vault.hdr")).unwrap(), header);
    // A backup file is never overwritten either.
    let mut p = Practice::load(common::reopen(&dir)).unwrap();
    let err = backup::write_backup(&mut p, &path, Protection::BackupKey(&key), POLICY)
        .err()
        .unwrap();
    assert!(matches!(err, BackupError::FileExists { .. }), "{err:?}");
}

// ---- The command line and the real `age` tool ----

/// Runs the CLI with `stdin` and the explicit insecure test KDF.
fn cli(args: &[&str], stdin: &str) -> Output {
    common::cli::run(args, stdin)
}

fn stderr(out: &Output) -> String {
    common::cli::stderr(out)
}

fn ok(out: Output) -> Output {
    assert!(out.status.success(), "{}", stderr(&out));
    out
}

/// A failure: the exit code, exactly one message line mentioning `needle`, no panic.
fn assert_fails(out: &Output, code: i32, needle: &str) {
    assert_eq!(out.status.code(), Some(code), "stderr: {}", stderr(out));
    let lines: Vec<_> = stderr(out)
        .lines()
        .filter(|l| !l.starts_with("WARNING:"))
        .map(str::to_owned)
        .collect();
    assert_eq!(lines.len(), 1, "one line expected, got {lines:?}");
    assert!(lines[0].starts_with("holdspace-cli: "), "{lines:?}");
    assert!(
        lines[0].contains(needle),
        "{lines:?} should mention {needle:?}"
    );
    assert!(!stderr(out).contains("panicked"));
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// `init` and `demo` through the CLI; returns the recovery code.
fn cli_demo_vault(vault: &Path) -> String {
    let out = ok(cli(&["--vault", s(vault), "init"], &format!("{PASS}\n")));
    let code = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    ok(cli(
        &[
            "--vault",
            s(vault),
            "demo",
            "--scale",
            "0.05",
            "--seed",
            "3",
        ],
        &format!("{PASS}\n"),
    ));
    code
}

/// `backup FILE --passphrase-stdin` of the vault (passphrase `PASS`) under `BACKUP_PASS`.
fn cli_backup_with_passphrase(vault: &Path, file: &Path) -> Output {
    ok(cli(
        &["--vault", s(vault), "backup", s(file), "--passphrase-stdin"],
        &format!("{PASS}\n{BACKUP_PASS}\n"),
    ))
}

/// `backup FILE --backup-key` of the vault (passphrase `PASS`).
fn cli_backup_to_key(vault: &Path, file: &Path) -> Output {
    ok(cli(
        &["--vault", s(vault), "backup", s(file), "--backup-key"],
        &format!("{PASS}\n"),
    ))
}

fn cli_export(vault: &Path, pass: &str) -> PracticeJson {
    let out = ok(cli(&["--vault", s(vault), "export"], &format!("{pass}\n")));
    PracticeJson::parse(&out.stdout).unwrap()
}

/// The practice inside a decrypted backup, checked against the documented format.
fn practice_inside(plaintext: &[u8]) -> PracticeJson {
    let value: serde_json::Value = serde_json::from_slice(plaintext).expect("backup is JSON");
    assert_eq!(value["manifest"]["format"], "holdspace-backup");
    assert_eq!(value["manifest"]["format_version"], 1);
    let practice = serde_json::to_vec(&value["practice"]).unwrap();
    let file = PracticeJson::parse(&practice).expect("the practice JSON format");
    file.validate(time::OffsetDateTime::now_utc().date())
        .expect("valid");
    assert_eq!(
        value["manifest"]["counts"]["notes"].as_u64().unwrap() as usize,
        file.notes.len()
    );
    file
}

#[test]
fn the_real_age_tool_decrypts_a_backup_key_backup_with_the_identity_from_the_recovery_code() {
    let age = Command::new("age").arg("--version").output();
    assert!(
        age.is_ok_and(|o| o.status.success()),
        "the `age` tool is needed for this test: run scripts/ensure-deps.sh core (apt-get install age)"
    );
    let tmp = tempfile::tempdir().unwrap();
    let vault = tmp.path().join("vault");
    let code = cli_demo_vault(&vault);
    let file = tmp.path().join("key.age");
    let out = cli_backup_to_key(&vault, &file);
    assert!(out.stdout.is_empty());
    // The recipient the vault stores is the identity's public half.
    let recipient = ok(cli(
        &["--vault", s(&vault), "backup-recipient"],
        &format!("{PASS}\n"),
    ));
    let recipient = String::from_utf8(recipient.stdout).unwrap();
    let identity = ok(cli(&["backup-identity"], &format!("{code}\n")));
    let identity_text = String::from_utf8(identity.stdout).unwrap();
    assert!(identity_text.contains(&format!("# public key: {}", recipient.trim())));
    assert!(identity_text
        .lines()
        .any(|l| l.starts_with("AGE-SECRET-KEY-1")));
    let identity_file = tmp.path().join("identity.txt");
    std::fs::write(&identity_file, &identity_text).unwrap();

    let out = Command::new("age")
        .args(["-d", "-i", s(&identity_file), s(&file)])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "age -d: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let inside = practice_inside(&out.stdout);
    let exported = cli_export(&vault, PASS);
    assert_eq!(without_audit(&inside), without_audit(&exported));

    // And the other way round: a file the real age tool encrypts to the recipient is opened
    // by the same identity (the crate and the tool agree on the key encoding).
    let plain = tmp.path().join("plain.txt");
    std::fs::write(&plain, b"interop").unwrap();
    let out = Command::new("age")
        .args([
            "-r",
            recipient.trim(),
            "-o",
            s(&tmp.path().join("x.age")),
            s(&plain),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = Command::new("age")
        .args(["-d", "-i", s(&identity_file), s(&tmp.path().join("x.age"))])
        .output()
        .unwrap();
    assert_eq!(out.stdout, b"interop");
}

/// The `age` tool reads a passphrase only from a terminal, so the test gives it one: `script`
/// (util-linux, in every Debian) runs it on a pseudo-terminal and types the passphrase.
#[test]
fn the_real_age_tool_decrypts_a_passphrase_backup() {
    let tmp = tempfile::tempdir().unwrap();
    let vault = tmp.path().join("vault");
    cli_demo_vault(&vault);
    let file = tmp.path().join("pass.age");
    cli_backup_with_passphrase(&vault, &file);
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(b"age-encryption.org/v1\n-> scrypt "));
    let plaintext_file = tmp.path().join("plain.json");
    let age = format!("age -d -o '{}' '{}'", s(&plaintext_file), s(&file));
    // The passphrase is typed a moment after age starts, as a person would.
    let typed = format!("sleep 0.5; printf '%s\\n' '{BACKUP_PASS}'");
    let out = Command::new("sh")
        .args([
            "-c",
            &format!("({typed}) | script -qec \"{age}\" /dev/null"),
        ])
        .output()
        .expect("run script and age");
    assert!(
        out.status.success(),
        "age -d on a pseudo-terminal: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let inside = practice_inside(&std::fs::read(&plaintext_file).unwrap());
    assert_eq!(
        without_audit(&inside),
        without_audit(&cli_export(&vault, PASS))
    );
}

#[test]
fn cli_backup_verify_restore_round_trip() {
    let tmp = tempfile::tempdir().unwrap();
    let vault = tmp.path().join("vault");
    let code = cli_demo_vault(&vault);
    let pass_file = tmp.path().join("pass.age");
    let key_file = tmp.path().join("key.age");
    cli_backup_with_passphrase(&vault, &pass_file);
    cli_backup_to_key(&vault, &key_file);
    let out = ok(cli(
        &["verify-backup", s(&pass_file)],
        &format!("{BACKUP_PASS}\n"),
    ));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("Backup intact"));
    let out = ok(cli(
        &[
            "verify-backup",
            s(&key_file),
            "--recovery-code-stdin",
            "--json",
        ],
        &format!("{code}\n"),
    ));
    let manifest: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(manifest["format"], "holdspace-backup");

    let original = cli_export(&vault, PASS);
    for (file, stdin, extra) in [
        (
            &pass_file,
            format!("{BACKUP_PASS}\nrestored passphrase\n"),
            None,
        ),
        (
            &key_file,
            format!("{code}\nrestored passphrase\n"),
            Some("--recovery-code-stdin"),
        ),
    ] {
        let into = tmp.path().join(format!(
            "restored-{}",
            file.file_name().unwrap().to_string_lossy()
        ));
        let mut args = vec!["restore", s(file), "--into", s(&into)];
        args.extend(extra);
        let out = ok(cli(&args, &stdin));
        let new_code = String::from_utf8(out.stdout).unwrap().trim().to_owned();
        assert_eq!(new_code.len(), 39, "the new recovery code is printed once");
        assert_ne!(new_code, code);
        let back = cli_export(&into, "restored passphrase");
        assert_eq!(without_audit(&back), without_audit(&original));
        // The restored vault can make key backups at once (its own key is stored).
        ok(cli(
            &[
                "--vault",
                s(&into),
                "backup",
                s(&into.with_extension("again.age")),
                "--backup-key",
            ],
            "restored passphrase\n",
        ));
    }
}

#[test]
fn cli_refuses_bad_backups_with_one_line_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let vault = tmp.path().join("vault");
    let code = cli_demo_vault(&vault);
    let file = tmp.path().join("pass.age");
    cli_backup_with_passphrase(&vault, &file);
    let key_file = tmp.path().join("key.age");
    cli_backup_to_key(&vault, &key_file);
    let header = std::fs::read(vault.join("vault.hdr")).unwrap();
    let bytes = std::fs::read(&file).unwrap();
    let into = tmp.path().join("new");
    let restore = |f: &Path, stdin: &str| cli(&["restore", s(f), "--into", s(&into)], stdin);
    let stdin = format!("{BACKUP_PASS}\nrestored passphrase\n");

    let truncated = tmp.path().join("truncated.age");
    std::fs::write(&truncated, &bytes[..bytes.len() - 100]).unwrap();
    assert_fails(&restore(&truncated, &stdin), 1, "backup file");
    let mut changed = bytes.clone();
    let at = changed.len() - 50;
    changed[at] ^= 0x20;
    let altered = tmp.path().join("altered.age");
    std::fs::write(&altered, &changed).unwrap();
    assert_fails(&restore(&altered, &stdin), 1, "damaged or has been altered");
    assert_fails(
        &cli(&["verify-backup", s(&altered)], &stdin),
        1,
        "damaged or has been altered",
    );
    assert_fails(
        &restore(&file, "not the backup passphrase\nrestored passphrase\n"),
        2,
        "passphrase is not correct for this backup",
    );
    let other_code = holdspace::RecoveryCode::generate().unwrap();
    assert_fails(
        &cli(
            &["verify-backup", s(&key_file), "--recovery-code-stdin"],
            &format!("{}\n", other_code.display_grouped().as_str()),
        ),
        2,
        "does not open this backup",
    );
    assert_fails(
        &cli(&["verify-backup", s(&key_file)], &stdin),
        2,
        "--recovery-code-stdin",
    );
    assert_fails(
        &cli(
            &["verify-backup", s(&file), "--recovery-code-stdin"],
            &format!("{code}\n"),
        ),
        2,
        "own passphrase",
    );
    let not_age = tmp.path().join("practice.json");
    std::fs::write(&not_age, b"{}").unwrap();
    assert_fails(&restore(&not_age, &stdin), 2, "not a Holdspace backup");
    assert!(!into.exists(), "no vault was created");
    // Restoring over the existing vault, or backing up over an existing file, is refused.
    assert_fails(
        &cli(&["restore", s(&file), "--into", s(&vault)], &stdin),
        2,
        "not empty",
    );
    assert_fails(
        &cli(
            &["--vault", s(&vault), "backup", s(&file), "--backup-key"],
            &format!("{PASS}\n"),
        ),
        2,
        "already exists",
    );
    assert_eq!(std::fs::read(&file).unwrap(), bytes);
    assert_eq!(std::fs::read(vault.join("vault.hdr")).unwrap(), header);
    assert!(
        ok(cli(&["--vault", s(&vault), "check"], &format!("{PASS}\n")))
            .status
            .success()
    );
}

#[test]
fn a_vault_from_before_backups_gets_its_key_with_set_backup_key() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    // Created by the core alone, as every vault was before backups: no backup key stored.
    let created = Vault::create(&dir, &passphrase(PASS), POLICY).unwrap();
    let code = created.recovery_code.display_grouped().to_string();
    created.vault.lock().unwrap();
    let file = tmp.path().join("key.age");
    assert_fails(
        &cli(
            &["--vault", s(&dir), "backup", s(&file), "--backup-key"],
            &format!("{PASS}\n"),
        ),
        2,
        "set-backup-key",
    );
    assert!(!file.exists());
    let other = holdspace::RecoveryCode::generate().unwrap();
    assert_fails(
        &cli(
            &["--vault", s(&dir), "set-backup-key"],
            &format!("{}\n", other.display_grouped().as_str()),
        ),
        2,
        "recovery code does not belong to this vault",
    );
    let out = ok(cli(
        &["--vault", s(&dir), "set-backup-key"],
        &format!("{code}\n"),
    ));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("age1"));
    ok(cli(
        &["--vault", s(&dir), "backup", s(&file), "--backup-key"],
        &format!("{PASS}\n"),
    ));
    ok(cli(
        &["verify-backup", s(&file), "--recovery-code-stdin"],
        &format!("{code}\n"),
    ));
}

#[test]
fn backup_needs_exactly_one_protection() {
    let tmp = tempfile::tempdir().unwrap();
    let out = cli(
        &[
            "--vault",
            s(&tmp.path().join("v")),
            "backup",
            s(&tmp.path().join("b.age")),
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    let out = cli(
        &[
            "--vault",
            s(&tmp.path().join("v")),
            "backup",
            s(&tmp.path().join("b.age")),
            "--backup-key",
            "--passphrase-stdin",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
}

/// An intact backup whose practice breaks a rule (as an older Holdspace could have made):
/// a signature discussing a clause its version does not have.
fn inconsistent_backup(tmp: &Path, practice: &mut Practice) -> std::path::PathBuf {
    let pass = passphrase(BACKUP_PASS);
    let good = tmp.join("good.age");
    backup::write_backup(practice, &good, Protection::Passphrase(&pass), POLICY).unwrap();
    let sealed = std::fs::read(&good).unwrap();
    let plain = backup::seal::open(&sealed, Opener::Passphrase(&pass)).unwrap();
    let mut value: serde_json::Value = serde_json::from_slice(&plain).unwrap();
    value["practice"]["signatures"][0]["discuss"] = serde_json::json!([999]);
    value["practice"]["signatures"][0]["talked_about"] = serde_json::json!([]);
    let raw = serde_json::to_vec(&value["practice"]).unwrap();
    let sha: String = {
        use sha2::Digest;
        sha2::Sha256::digest(&raw)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    value["manifest"]["practice_sha256"] = sha.into();
    let bytes = serde_json::to_vec(&value).unwrap();
    let resealed = backup::seal::seal(&bytes, Protection::Passphrase(&pass), POLICY).unwrap();
    let path = tmp.join("older.age");
    std::fs::write(&path, resealed).unwrap();
    path
}

#[test]
fn an_intact_backup_that_breaks_a_rule_is_named_and_restores_as_found() {
    let (tmp, mut practice, _code) = demo_vault(0.02);
    let file = inconsistent_backup(tmp.path(), &mut practice);
    let file = file.to_str().unwrap();
    let into = tmp.path().join("restored");
    let into_arg = into.to_str().unwrap();
    let stdin = format!("{BACKUP_PASS}\nviolet engine harbour quiet\n");
    let refused = cli(&["restore", file, "--into", into_arg], &stdin);
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("intact"), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("signatures[0].discuss"));
    assert!(!into.exists(), "nothing was made");

    let kept = cli(&["restore", file, "--into", into_arg, "--as-found"], &stdin);
    assert!(kept.status.success(), "{}", stderr(&kept));
    assert!(
        stderr(&kept).contains("1 problem(s) kept"),
        "{}",
        stderr(&kept)
    );
    assert!(stderr(&kept).contains("signatures[0].discuss"));
    let check = cli(
        &["--vault", into_arg, "check"],
        "violet engine harbour quiet\n",
    );
    assert!(check.status.success(), "{}", stderr(&check));
    let restored = cli_export(&into, "violet engine harbour quiet");
    assert_eq!(restored.signatures.len(), practice.state().signatures.len());
}

// ---- Who made a backup ----

/// A backup of `practice` encrypted to its public recipient, signed by `signer` (or not):
/// what someone who knows only the public key (or another practice) could make.
fn made_outside(
    tmp: &Path,
    practice: &mut Practice,
    name: &str,
    signer: Option<&backup::BackupSigningKey>,
) -> std::path::PathBuf {
    let recipient = backup::stored_recipient(practice).unwrap();
    let file = practice.export().unwrap();
    let (plaintext, _) = backup::format::encode(&file, practice.now(), signer).unwrap();
    let sealed = backup::seal::seal(&plaintext, Protection::BackupKey(&recipient), POLICY).unwrap();
    let path = tmp.join(name);
    std::fs::write(&path, sealed).unwrap();
    path
}

#[test]
fn a_backup_forged_with_only_the_public_key_is_unsigned_and_needs_the_practitioners_word() {
    use holdspace::backup::Authenticity;
    let (tmp, mut p, code) = demo_vault(0.01);
    let recipient = backup::stored_recipient(&p).unwrap();
    let signed = tmp.path().join("signed.age");
    backup::write_backup(&mut p, &signed, Protection::BackupKey(&recipient), POLICY).unwrap();
    let pass = passphrase(BACKUP_PASS);
    let protected = tmp.path().join("protected.age");
    backup::write_backup(&mut p, &protected, Protection::Passphrase(&pass), POLICY).unwrap();
    let forged = made_outside(tmp.path(), &mut p, "forged.age", None);
    let stranger =
        backup::BackupSigningKey::from_recovery_code(&holdspace::RecoveryCode::generate().unwrap());
    let foreign = made_outside(tmp.path(), &mut p, "foreign.age", Some(&stranger));
    p.lock().unwrap();

    let identity = BackupIdentity::from_recovery_code(&code);
    let key = Opener::BackupKey(&identity);
    let today = time::OffsetDateTime::now_utc().date();
    let authenticity = |path: &Path, opener| {
        backup::verify_backup(path, opener, today)
            .unwrap()
            .authenticity
    };
    assert_eq!(authenticity(&signed, key), Authenticity::MadeByThisPractice);
    assert_eq!(authenticity(&forged, key), Authenticity::Unsigned);
    assert_eq!(
        authenticity(&foreign, key),
        Authenticity::SignedByAnotherKey
    );
    assert_eq!(
        authenticity(&protected, Opener::Passphrase(&pass)),
        Authenticity::PassphraseProtected
    );

    let new_pass = passphrase("new vault passphrase");
    for (path, refused) in [
        (&forged, Authenticity::Unsigned),
        (&foreign, Authenticity::SignedByAnotherKey),
    ] {
        let into = tmp.path().join("refused");
        let err = backup::restore(path, key, &into, &new_pass, POLICY, false)
            .err()
            .unwrap();
        assert!(
            matches!(err, BackupError::NotVouchedFor(found) if found == refused),
            "{err:?}"
        );
        assert!(!into.exists(), "nothing was made");
    }
    // The practitioner's word restores it; signed and passphrase backups need none.
    let into = tmp.path().join("vouched");
    backup::restore(&forged, key, &into, &new_pass, POLICY, true).unwrap();
    let into = tmp.path().join("signed-restored");
    backup::restore(&signed, key, &into, &new_pass, POLICY, false).unwrap();
    let into = tmp.path().join("protected-restored");
    backup::restore(
        &protected,
        Opener::Passphrase(&pass),
        &into,
        &new_pass,
        POLICY,
        false,
    )
    .unwrap();
}

#[test]
fn cli_verify_says_who_made_a_backup_and_restore_needs_allow_unsigned_for_a_forged_one() {
    let tmp = tempfile::tempdir().unwrap();
    let vault = tmp.path().join("vault");
    let code = cli_demo_vault(&vault);
    let signed = tmp.path().join("signed.age");
    cli_backup_to_key(&vault, &signed);
    let out = ok(cli(
        &["verify-backup", s(&signed), "--recovery-code-stdin"],
        &format!("{code}\n"),
    ));
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(said.contains("made by this practice's vault"), "{said}");

    let forged = {
        let mut p =
            Practice::unlock(Vault::open(&vault, &passphrase(PASS), POLICY).unwrap()).unwrap();
        let path = made_outside(tmp.path(), &mut p, "forged.age", None);
        p.lock().unwrap();
        path
    };
    let out = ok(cli(
        &[
            "verify-backup",
            s(&forged),
            "--recovery-code-stdin",
            "--json",
        ],
        &format!("{code}\n"),
    ));
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["authenticity"], "unsigned");
    let into = tmp.path().join("restored");
    let stdin = format!("{code}\nrestored passphrase\n");
    let args = [
        "restore",
        s(&forged),
        "--into",
        s(&into),
        "--recovery-code-stdin",
    ];
    assert_fails(&cli(&args, &stdin), 2, "not signed by this practice");
    assert!(!into.exists());
    let mut allowed = args.to_vec();
    allowed.push("--allow-unsigned");
    ok(cli(&allowed, &stdin));
}

#[test]
fn a_new_recovery_code_retires_the_old_one_and_new_backups_need_it() {
    use holdspace::backup::Authenticity;
    let (tmp, mut p, old_code) = demo_vault(0.01);
    let dir = p.vault().dir().to_path_buf();
    let before = tmp.path().join("before.age");
    let recipient = backup::stored_recipient(&p).unwrap();
    backup::write_backup(&mut p, &before, Protection::BackupKey(&recipient), POLICY).unwrap();
    let wrong =
        holdspace::backup::new_recovery_code(&mut p, &passphrase("not the passphrase at all"));
    assert!(matches!(
        wrong,
        Err(PracticeError::Vault(holdspace::VaultError::WrongPassphrase))
    ));
    let new_code = holdspace::backup::new_recovery_code(&mut p, &passphrase(PASS)).unwrap();
    assert_ne!(new_code.display_grouped(), old_code.display_grouped());
    let after = tmp.path().join("after.age");
    let recipient = backup::stored_recipient(&p).unwrap();
    backup::write_backup(&mut p, &after, Protection::BackupKey(&recipient), POLICY).unwrap();
    let recorded = p
        .state()
        .audit
        .iter()
        .filter(|e| e.detail == holdspace::backup::RECOVERY_CODE_REPLACED)
        .count();
    assert_eq!(recorded, 1);
    p.lock().unwrap();

    // The old code no longer opens the vault; the new code and the passphrase do.
    let refused = Vault::open_with_recovery_code(&dir, &old_code, POLICY)
        .err()
        .unwrap();
    assert!(
        matches!(refused, holdspace::VaultError::WrongRecoveryCode),
        "{refused:?}"
    );
    Vault::open_with_recovery_code(&dir, &new_code, POLICY)
        .unwrap()
        .lock()
        .unwrap();
    Vault::open(&dir, &passphrase(PASS), POLICY)
        .unwrap()
        .lock()
        .unwrap();

    // Backups from before open with the old code only, and are still this practice's.
    let today = time::OffsetDateTime::now_utc().date();
    let old = BackupIdentity::from_recovery_code(&old_code);
    let new = BackupIdentity::from_recovery_code(&new_code);
    let opened = backup::verify_backup(&before, Opener::BackupKey(&old), today).unwrap();
    assert_eq!(opened.authenticity, Authenticity::MadeByThisPractice);
    assert!(matches!(
        backup::verify_backup(&before, Opener::BackupKey(&new), today).err(),
        Some(BackupError::WrongKey)
    ));
    let opened = backup::verify_backup(&after, Opener::BackupKey(&new), today).unwrap();
    assert_eq!(opened.authenticity, Authenticity::MadeByThisPractice);
    assert!(matches!(
        backup::verify_backup(&after, Opener::BackupKey(&old), today).err(),
        Some(BackupError::WrongKey)
    ));
}

#[test]
fn cli_new_recovery_code_prints_it_once_and_the_old_one_stops_working() {
    let tmp = tempfile::tempdir().unwrap();
    let vault = tmp.path().join("vault");
    let old = cli_demo_vault(&vault);
    let out = ok(cli(
        &["--vault", s(&vault), "new-recovery-code"],
        &format!("{PASS}\n"),
    ));
    assert!(stderr(&out).contains("old code no longer opens the vault"));
    let new = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert_eq!(new.len(), 39, "{new}");
    assert_ne!(new, old);
    let recover = |code: &str| {
        cli(
            &["--vault", s(&vault), "recover"],
            &format!("{code}\nviolet engine harbour quiet\nviolet engine harbour quiet\n"),
        )
    };
    assert_fails(&recover(&old), 2, "recovery code");
    ok(recover(&new));
}
