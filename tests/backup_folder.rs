//! Automatic backups into the backup folder: they run only when the practice changed and are
//! owner-only files; retention keeps exactly the newest N plus one a month of the backups this
//! vault recorded writing, and never removes or counts any other file, even one planted with a
//! backup's name or a real backup altered since; a missing, full or read-only folder gives a
//! clear error and leaves the vault as it was; replacing a vault with a backup keeps the old
//! vault and carries the backup choices.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{names_in, new_vault, passphrase, POLICY};
use holdspace::backup::folder::{self, FolderPreferences};
use holdspace::backup::{self, BackupError, BackupIdentity, Opener};
use holdspace::practice::demo::demo_practice;
use holdspace::practice::*;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

const PASS: &str = "correct horse battery staple";

/// A practice with the backup key, a small demo practice, and a backup folder (returned).
fn practice_with_folder() -> (
    tempfile::TempDir,
    Practice,
    holdspace::RecoveryCode,
    PathBuf,
) {
    let (tmp, vault, code) = new_vault();
    let mut practice = Practice::load(vault).unwrap();
    backup::store_backup_key(&mut practice, &code).unwrap();
    practice
        .import(demo_practice(0.05, 5, practice.today()))
        .unwrap();
    let backups = tmp.path().join("backups");
    std::fs::create_dir(&backups).unwrap();
    choose(&mut practice, &backups, 10, 12);
    (tmp, practice, code, backups)
}

fn choose(practice: &mut Practice, folder: &Path, keep_recent: u32, keep_monthly: u32) {
    let preferences = FolderPreferences {
        folder: Some(folder.to_path_buf()),
        on_lock: true,
        keep_recent,
        keep_monthly,
    };
    folder::save_preferences(practice, &preferences).unwrap();
}

#[test]
fn an_automatic_backup_is_due_only_when_the_practice_changed() {
    let (_tmp, mut practice, code, backups) = practice_with_folder();
    assert!(
        folder::is_due(&practice),
        "never backed up into this folder"
    );
    let made = folder::back_up_to_folder(&mut practice).unwrap();
    assert!(!folder::is_due(&practice));
    assert_eq!(names_in(&backups), vec![made.made.file_name.clone()]);
    #[cfg(unix)]
    assert_eq!(
        holdspace::fsutil::mode_of(&made.path).unwrap(),
        0o600,
        "a backup is readable by its owner only"
    );

    // Events that change no record do not make a backup due; saving the same choices neither.
    practice.record(AuditAction::Export, "an export").unwrap();
    choose(&mut practice, &backups, 5, 3);
    assert!(!folder::is_due(&practice));

    let mut profile = practice.profile();
    profile.practice_name = "Riverside Group Practice".into();
    practice.save_profile(profile).unwrap();
    assert!(folder::is_due(&practice), "a change makes a backup due");
    folder::back_up_to_folder(&mut practice).unwrap();
    assert!(!folder::is_due(&practice));

    // Another folder has no backup yet.
    let elsewhere = backups.with_file_name("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    choose(&mut practice, &elsewhere, 5, 3);
    assert!(folder::is_due(&practice));

    // Each backup opens with the recovery code and holds the practice.
    let identity = BackupIdentity::from_recovery_code(&code);
    let first = backups.join(&made.made.file_name);
    let content =
        backup::verify_backup(&first, Opener::BackupKey(&identity), practice.today()).unwrap();
    assert_eq!(content.manifest.counts, made.made.counts);
    assert!(made.made.counts.members > 0);
}

/// The moving clock of the retention tests (seconds since the epoch), read by [`moving_now`].
static NOW: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);

fn moving_now() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(NOW.load(std::sync::atomic::Ordering::SeqCst))
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

fn set_now(at: OffsetDateTime) {
    NOW.store(at.unix_timestamp(), std::sync::atomic::Ordering::SeqCst);
}

/// Backups this vault really made, one every `step` days at noon, oldest first, ending the
/// day before `today`.
fn weekly_history(practice: &mut Practice, today: OffsetDateTime, count: i64) -> Vec<String> {
    practice.set_clock(moving_now);
    let mut names = Vec::new();
    for back in (1..=count).rev() {
        set_now(today - Duration::days(back * 7));
        names.push(folder::back_up_to_folder(practice).unwrap().made.file_name);
    }
    names
}

/// The automatic-backup names in the folder that are files.
fn backup_files(folder: &Path) -> Vec<String> {
    names_in(folder)
        .into_iter()
        .filter(|n| holdspace::backup::retention::parse_file_name(n).is_some())
        .filter(|n| folder.join(n).is_file())
        .collect()
}

#[test]
fn retention_keeps_exactly_ten_recent_and_one_a_month_and_nothing_else_is_touched() {
    let (_tmp, mut practice, _code, backups) = practice_with_folder();
    let today = datetime!(2026-11-26 12:00:30 UTC);
    // A year and a half of weekly backups, kept by a generous rule while they are made.
    choose(&mut practice, &backups, 100, 120);
    let made_before = weekly_history(&mut practice, today, 78);
    let foreign = [
        "notes.txt",
        "my-practice.age",
        "holdspace-backup-2020-01-01-000000.age.partial",
        ".holdspace-backup-2020-01-01-000000.age.a1b2c3.tmp",
    ];
    for name in foreign {
        std::fs::write(backups.join(name), b"not a Holdspace backup").unwrap();
    }
    std::fs::create_dir(backups.join("holdspace-backup-2020-02-02-000000.age")).unwrap();

    choose(&mut practice, &backups, 10, 12);
    set_now(today);
    let made = folder::back_up_to_folder(&mut practice).unwrap();
    assert!(made.removal_failed.is_none());
    assert_eq!(
        made.made.file_name,
        "holdspace-backup-2026-11-26-120030.age"
    );

    let mut expected: Vec<String> = foreign.iter().map(|n| (*n).to_owned()).collect();
    expected.push("holdspace-backup-2020-02-02-000000.age".into());
    expected.push(made.made.file_name.clone());
    // The nine newest earlier ones (with today's, ten) …
    expected.extend(made_before[made_before.len() - 9..].iter().cloned());
    // … and the newest (last weekly) backup of each earlier month in the twelve-month
    // window that the ten recent ones, reaching back to September, leave out.
    for month_end in [
        "2026-08-27",
        "2026-07-30",
        "2026-06-25",
        "2026-05-28",
        "2026-04-30",
        "2026-03-26",
        "2026-02-26",
        "2026-01-29",
        "2025-12-25",
    ] {
        expected.push(format!("holdspace-backup-{month_end}-120030.age"));
    }
    expected.sort();
    expected.dedup();
    assert_eq!(names_in(&backups), expected);
    assert_eq!(made.removed.len(), 78 - 9 - 9);

    // The counts are adjustable: three recent and two months keep four files.
    choose(&mut practice, &backups, 3, 2);
    let again = folder::back_up_to_folder(&mut practice).unwrap();
    assert_eq!(
        again.made.file_name, "holdspace-backup-2026-11-26-120030-2.age",
        "a second backup in the same second gets a new name; nothing is overwritten"
    );
    assert_eq!(
        backup_files(&backups),
        vec![
            "holdspace-backup-2026-10-29-120030.age",
            "holdspace-backup-2026-11-19-120030.age",
            "holdspace-backup-2026-11-26-120030-2.age",
            "holdspace-backup-2026-11-26-120030.age",
        ]
    );

    // The list says what the vault's own backups hold.
    let listed = folder::list_folder(&practice).unwrap();
    assert_eq!(listed[0].file_name, again.made.file_name);
    assert_eq!(listed[0].counts.as_ref(), Some(&again.made.counts));
    assert!(listed.iter().all(|l| l.counts.is_some()));
}

#[test]
fn planted_and_altered_files_are_never_removed_and_never_push_real_backups_out() {
    let (_tmp, mut practice, _code, backups) = practice_with_folder();
    let today = datetime!(2026-11-26 12:00:30 UTC);
    choose(&mut practice, &backups, 3, 0);
    let real = weekly_history(&mut practice, today, 3);
    // Someone with access to the folder plants files with backup names, dated in the future
    // (which would be the "newest") and in the past, and alters one real backup in place.
    let planted = [
        "holdspace-backup-2027-06-01-000000.age",
        "holdspace-backup-2027-06-02-000000.age",
        "holdspace-backup-2027-06-03-000000.age",
        "holdspace-backup-2019-01-01-000000.age",
    ];
    for name in planted {
        std::fs::write(backups.join(name), b"planted").unwrap();
    }
    let altered = backups.join(&real[0]);
    let mut bytes = std::fs::read(&altered).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x01;
    std::fs::write(&altered, &bytes).unwrap();

    set_now(today);
    let made = folder::back_up_to_folder(&mut practice).unwrap();
    // Of the vault's four, the rule keeps three; the oldest was altered, so it is forgotten
    // but not removed. Nothing planted is removed or counted.
    assert_eq!(made.removed, Vec::<String>::new());
    let mut expected: Vec<String> = planted.iter().map(|n| (*n).to_owned()).collect();
    expected.extend(real.iter().cloned());
    expected.push(made.made.file_name.clone());
    expected.sort();
    assert_eq!(backup_files(&backups), expected);

    // The next backup removes the oldest real one: by the vault's record, not by names.
    set_now(today + Duration::days(1));
    let next = folder::back_up_to_folder(&mut practice).unwrap();
    assert_eq!(next.removed, vec![real[1].clone()]);
    for name in planted {
        assert!(backups.join(name).is_file(), "{name} was left alone");
    }
    assert!(altered.is_file(), "the altered backup was left alone");

    let listed = folder::list_folder(&practice).unwrap();
    let unknown: Vec<&str> = listed
        .iter()
        .filter(|l| l.counts.is_none())
        .map(|l| l.file_name.as_str())
        .collect();
    let mut expected_unknown: Vec<&str> = planted.to_vec();
    expected_unknown.push(&real[0]);
    expected_unknown.sort();
    let mut unknown_sorted = unknown.clone();
    unknown_sorted.sort();
    assert_eq!(
        unknown_sorted, expected_unknown,
        "listed as not made by this vault"
    );
}

/// Everything the vault holds, the trail included, to compare before and after a failure.
fn everything(practice: &Practice) -> (PracticeJson, Option<BackupSettings>) {
    (
        PracticeJson::from_state(practice.state(), OffsetDateTime::UNIX_EPOCH),
        practice.backup_settings().cloned(),
    )
}

#[test]
fn a_missing_backup_folder_is_a_clear_error_and_nothing_changes() {
    let (_tmp, mut practice, _code, backups) = practice_with_folder();
    std::fs::remove_dir(&backups).unwrap();
    let before = everything(&practice);
    let error = folder::back_up_to_folder(&mut practice).unwrap_err();
    assert!(
        matches!(error, BackupError::FolderUnavailable { .. }),
        "{error:?}"
    );
    assert_eq!(everything(&practice), before);
    assert!(
        folder::is_due(&practice),
        "still due: the next lock tries again"
    );
}

#[test]
fn backup_settings_are_checked() {
    let (tmp, mut practice, _code, backups) = practice_with_folder();
    let cases: [(Option<PathBuf>, u32, u32, &str); 5] = [
        (Some(backups.clone()), 0, 12, "keep_recent"),
        (Some(backups.clone()), 101, 12, "keep_recent"),
        (Some(backups.clone()), 10, 121, "keep_monthly"),
        (Some(PathBuf::from("relative/folder")), 10, 12, "folder"),
        (
            Some(tmp.path().join("vault").join("inside")),
            10,
            12,
            "folder",
        ),
    ];
    std::fs::create_dir(tmp.path().join("vault").join("inside")).unwrap();
    let before = everything(&practice);
    for (folder, keep_recent, keep_monthly, field) in cases {
        let wanted = FolderPreferences {
            folder,
            on_lock: true,
            keep_recent,
            keep_monthly,
        };
        match folder::save_preferences(&mut practice, &wanted) {
            Err(BackupError::InvalidSettings(invalid)) => assert_eq!(invalid.field, field),
            other => panic!("{field}: {other:?}"),
        }
    }
    assert_eq!(everything(&practice), before);
}

#[test]
fn replacing_a_vault_keeps_the_old_one_and_carries_the_backup_choices() {
    let (tmp, mut practice, code, backups) = practice_with_folder();
    let made = folder::back_up_to_folder(&mut practice).unwrap();
    let original = practice.export().unwrap();
    let keep = FolderPreferences::of(practice.backup_settings().unwrap());
    let vault_dir = practice.vault().dir().to_path_buf();
    // The demo was made for the practice's real today, so it is checked on that day.
    let today = practice.today();
    practice.lock().unwrap();

    let identity = BackupIdentity::from_recovery_code(&code);
    let content = backup::verify_backup(
        &backups.join(&made.made.file_name),
        Opener::BackupKey(&identity),
        today,
    )
    .unwrap();
    let new_pass = passphrase("a new passphrase for the restored vault");
    let mut steps = Vec::new();
    let trust = backup::Trust::VouchedForOnly;
    let replaced = backup::replace_vault(
        content,
        &vault_dir,
        &new_pass,
        POLICY,
        Some(&keep),
        trust,
        |s| steps.push(s),
    )
    .unwrap();
    use holdspace::backup::RestoreStep::*;
    assert_eq!(steps, vec![Creating, Writing, Moving]);

    // The old vault is kept beside it and still opens with the old passphrase.
    assert!(replaced.previous_kept_at.starts_with(tmp.path()));
    let old = holdspace::Vault::open(&replaced.previous_kept_at, &passphrase(PASS), POLICY);
    assert!(old.is_ok(), "the replaced vault is kept intact");
    drop(old);

    // The vault folder now holds the restored practice, under the new passphrase only.
    assert!(holdspace::Vault::open(&vault_dir, &passphrase(PASS), POLICY).is_err());
    let vault = holdspace::Vault::open(&vault_dir, &new_pass, POLICY).unwrap();
    let mut restored = Practice::unlock(vault).unwrap();
    let back = restored.export().unwrap();
    assert_eq!(back.members, original.members);
    assert_eq!(back.notes, original.notes);
    let settings = restored.backup_settings().unwrap();
    assert_eq!(FolderPreferences::of(settings), keep);
    assert!(
        folder::is_due(&restored),
        "the restored vault is backed up at the next lock"
    );
    let new_recipient = backup::recipient_from_recovery_code(&replaced.recovery_code);
    assert_eq!(settings.recipient, new_recipient.to_string());
    // No staging folder is left beside the vaults.
    let beside: Vec<String> = names_in(tmp.path());
    assert_eq!(beside.len(), 3, "{beside:?}");
}

// ---- A full or read-only folder, for real: a tmpfs mounted in a private namespace ----

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn ok(out: Output) -> Output {
    assert!(out.status.success(), "{}", common::cli::stderr(&out));
    out
}

/// A CLI vault with a small demo practice whose backup folder is `backups`.
fn cli_vault_with_folder(tmp: &Path) -> (PathBuf, PathBuf) {
    let vault = tmp.join("vault");
    let backups = tmp.join("backups");
    std::fs::create_dir(&backups).unwrap();
    let stdin = format!("{PASS}\n");
    ok(common::cli::run(&["--vault", s(&vault), "init"], &stdin));
    ok(common::cli::run(
        &["--vault", s(&vault), "demo", "--scale", "0.05"],
        &stdin,
    ));
    ok(common::cli::run(
        &[
            "--vault",
            s(&vault),
            "backup-settings",
            "--folder",
            s(&backups),
        ],
        &stdin,
    ));
    (vault, backups)
}

/// `holdspace-cli backup-now` with a small tmpfs mounted (with `options`) on the backup
/// folder, in a private mount namespace so nothing outside the test sees it. Prints what is
/// left in the folder afterwards on stdout.
fn backup_now_on_tmpfs(vault: &Path, backups: &Path, options: &str) -> Output {
    let script = format!(
        "mount -t tmpfs -o {options} holdspace-test '{folder}' || exit 99; \
         \"$0\" --vault '{vault}' backup-now; rc=$?; echo LEFT:; ls -A '{folder}'; exit $rc",
        folder = s(backups),
        vault = s(vault),
    );
    common::cli::run_program(
        "unshare",
        &[
            "--user",
            "--map-root-user",
            "--mount",
            "sh",
            "-c",
            &script,
            common::cli::BIN,
        ],
        &format!("{PASS}\n"),
    )
}

fn export_without_trail(vault: &Path) -> PracticeJson {
    let out = ok(common::cli::run(
        &["--vault", s(vault), "export"],
        &format!("{PASS}\n"),
    ));
    let file = PracticeJson::parse(&out.stdout).unwrap();
    assert!(
        !file
            .audit
            .iter()
            .any(|e| e.detail.contains("backup into the backup folder")),
        "no backup was recorded"
    );
    PracticeJson {
        audit: Vec::new(),
        exported_at: OffsetDateTime::UNIX_EPOCH,
        ..file
    }
}

fn assert_refused(out: &Output, needle: &str) {
    let stderr = common::cli::stderr(out);
    assert_ne!(
        out.status.code(),
        Some(99),
        "could not mount a tmpfs in a private namespace (unshare --user --mount): {stderr}"
    );
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.starts_with("WARNING:"))
        .collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains(needle), "{lines:?} should say {needle:?}");
    assert!(lines[0].contains("the vault is unchanged"), "{lines:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        stdout.trim(),
        "LEFT:",
        "nothing, not even a temporary file, is left in the folder"
    );
}

#[test]
fn a_full_backup_folder_gives_a_clear_error_and_the_vault_is_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let (vault, backups) = cli_vault_with_folder(tmp.path());
    let before = export_without_trail(&vault);
    let out = backup_now_on_tmpfs(&vault, &backups, "size=8k");
    assert_refused(&out, "is full");
    assert_eq!(export_without_trail(&vault), before);
    // With room, the same command works.
    ok(backup_now_on_tmpfs(&vault, &backups, "size=16m"));
}

#[test]
fn a_read_only_backup_folder_gives_a_clear_error_and_the_vault_is_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let (vault, backups) = cli_vault_with_folder(tmp.path());
    let before = export_without_trail(&vault);
    let out = backup_now_on_tmpfs(&vault, &backups, "ro,size=16m");
    assert_refused(&out, "cannot be written to");
    assert_eq!(export_without_trail(&vault), before);
}

#[test]
fn a_backup_that_could_not_be_restored_is_not_made_and_nothing_is_removed() {
    let (_tmp, mut practice, _code, backups) = practice_with_folder();
    let good = folder::back_up_to_folder(&mut practice).unwrap();
    // A record that breaks a rule, as an older Holdspace could have written it: a session
    // dated before its group began, written past the practice's checks.
    let group = practice.state().groups.values().next().unwrap().clone();
    let start = group.start_date.unwrap();
    let number = practice.next_session_number(group.id);
    let early = Session {
        id: SessionId::random(),
        group: group.id,
        date: start - Duration::days(30),
        start: None,
        number,
        topic: String::new(),
        attendance: Default::default(),
        group_note: String::new(),
    };
    let vault_dir = practice.vault().dir().to_path_buf();
    practice
        .vault()
        .put(early.id.0, "session", 1, &early)
        .unwrap();
    practice.lock().unwrap();
    let mut practice = Practice::unlock(common::reopen(&vault_dir)).unwrap();

    let refused = folder::back_up_to_folder(&mut practice).unwrap_err();
    assert!(
        matches!(&refused, BackupError::WouldNotRestore(i) if i.field.starts_with("groups[") || i.field.starts_with("sessions[")),
        "{refused:?}"
    );
    assert_eq!(refused.failure_kind(), BackupFailureKind::WouldNotRestore);
    assert_eq!(
        names_in(&backups),
        vec![good.made.file_name.clone()],
        "no new file, and the restorable backup is kept"
    );
}
