//! A full disk changes nothing it says it did not change, and never stops the practitioner
//! from reading. Each test runs on a small file system of its own (a tmpfs in a private mount
//! namespace, see `common::small_disk`), fills it, tries what must write — unlock, save,
//! import, rotation, purge, backup, the format upgrade — at a ladder of free space from none
//! to enough, then gives the space back and asserts the vault: it opens, its history is
//! verified, and it holds exactly what was acknowledged (everything or nothing).

mod common;

use std::path::{Path, PathBuf};

use common::small_disk::{on_a_small_disk, Filler};
use common::*;
use holdspace::backup::folder::{self, FolderPreferences};
use holdspace::practice::demo::demo_practice;
use holdspace::practice::{AuditAction, Practice, PracticeError, PracticeJson};
use holdspace::room;
use holdspace::{RecoveryCode, Vault, VaultError};

/// Free space left for the attempt, from none to more than any of them needs.
const LADDER: [u64; 9] = [
    0,
    64 << 10,
    512 << 10,
    1 << 20,
    (3 << 20) / 2,
    2 << 20,
    3 << 20,
    6 << 20,
    12 << 20,
];

/// A locked vault on `disk` holding a small demo practice with its backup key stored.
fn demo_vault(disk: &Path) -> (PathBuf, RecoveryCode) {
    let dir = disk.join("vault");
    let created = Vault::create(&dir, &passphrase(PASSPHRASE), POLICY).expect("create");
    let mut practice = Practice::load(created.vault).expect("load");
    holdspace::backup::store_backup_key(&mut practice, &created.recovery_code).expect("key");
    practice
        .import(demo_practice(0.05, 11, practice.today()))
        .expect("import");
    practice.lock().expect("lock");
    (dir, created.recovery_code)
}

fn unlock(dir: &Path) -> Practice {
    Practice::unlock(reopen(dir)).expect("unlock")
}

/// Everything the practice holds but its audit trail, as JSON.
fn content(practice: &Practice) -> serde_json::Value {
    let file = PracticeJson::from_state(practice.state(), common::builders::fixed_now());
    let mut value: serde_json::Value = serde_json::from_slice(&file.to_json()).expect("json");
    let object = value.as_object_mut().expect("object");
    object.remove("audit");
    object.remove("exported_at");
    value
}

/// Opens the vault with room to spare and asserts it is whole: history verified, nothing
/// damaged. Returns the practice, unlocked.
fn whole(dir: &Path) -> Practice {
    let practice = unlock(dir);
    assert!(practice.damaged().is_empty(), "{:?}", practice.damaged());
    assert!(practice.history().verified, "{:?}", practice.history());
    practice
}

fn is_disk_full(e: &PracticeError) -> bool {
    matches!(e, PracticeError::Vault(VaultError::DiskFull))
}

fn audit_count(practice: &Practice, action: AuditAction) -> usize {
    let audit = &practice.state().audit;
    audit.iter().filter(|e| e.action == action).count()
}

#[test]
fn a_full_disk_still_unlocks_reads_searches_and_locks() {
    on_a_small_disk(
        "a_full_disk_still_unlocks_reads_searches_and_locks",
        32,
        |disk| {
            let (dir, _) = demo_vault(disk);
            let before = content(&whole(&dir));
            let unlocks_before = audit_count(&whole(&dir), AuditAction::Unlock);
            assert!(room::has_reserve(&dir), "a vault keeps its reserve");
            let filler = Filler::take_all(disk);

            for session in 0..3 {
                let mut practice = unlock(&dir);
                assert_eq!(
                    content(&practice),
                    before,
                    "session {session}: all readable"
                );
                let someone = practice.state().members.values().next().unwrap().clone();
                let found = practice.search(&someone.legal_name, 5);
                assert!(found.members.total > 0, "search works on a full disk");
                let mut edited = someone.clone();
                edited.legal_name = "Ayşe Ünal-Παπαδοπούλου".into();
                let refused = practice.update_member(edited).unwrap_err();
                assert!(is_disk_full(&refused), "{refused:?}");
                assert_eq!(content(&practice), before, "a refused save changes nothing");
                practice.lock().expect("a full disk never stops a lock");
            }
            let out = common::cli::run(
                &["--vault", dir.to_str().unwrap(), "check"],
                &format!("{PASSPHRASE}\n"),
            );
            assert!(out.status.success(), "{}", common::cli::stderr(&out));
            assert!(String::from_utf8_lossy(&out.stdout).contains("history verified"));

            filler.remove();
            let practice = whole(&dir);
            assert_eq!(content(&practice), before);
            assert_eq!(
                audit_count(&practice, AuditAction::Unlock),
                unlocks_before + 5,
                "the unlocks on the full disk (three here, one by check) and this one are audited"
            );
            practice.lock().unwrap();
            assert!(
                room::has_reserve(&dir),
                "the reserve is taken again once there is room"
            );
        },
    );
}

#[test]
fn saves_on_a_filling_disk_are_kept_whole_or_refused() {
    on_a_small_disk(
        "saves_on_a_filling_disk_are_kept_whole_or_refused",
        48,
        |disk| {
            let (dir, _) = demo_vault(disk);
            let mut expected = content(&whole(&dir));
            let mut saved_by_rung = Vec::new();
            for free in LADDER {
                let filler = Filler::take_all(disk);
                filler.leave_free(free);
                let mut practice = unlock(&dir);
                let mut saved = 0;
                for i in 0..40 {
                    let mut member = common::builders::member(&format!("Zoë-{i} Şahin 김민준"));
                    member.intake_notes = "Ωραία μέρα · 좋은 하루 · ".repeat(800);
                    match practice.create_member(member) {
                        Ok(_) => saved += 1,
                        Err(e) if is_disk_full(&e) => break,
                        Err(e) => panic!("with {free} bytes free: {e:?}"),
                    }
                }
                let acknowledged = content(&practice);
                practice
                    .lock()
                    .unwrap_or_else(|e| panic!("lock with {free} bytes free: {e:?}"));
                filler.remove();
                let reopened = whole(&dir);
                assert_eq!(content(&reopened), acknowledged, "with {free} bytes free");
                if saved == 0 {
                    assert_eq!(acknowledged, expected, "with {free} bytes free");
                } else {
                    assert_ne!(
                        acknowledged, expected,
                        "with {free} bytes free: {saved} saved"
                    );
                }
                expected = acknowledged;
                reopened.lock().unwrap();
                saved_by_rung.push(saved);
            }
            assert_eq!(saved_by_rung[0], 0, "nothing is saved on a full disk");
            assert!(
                saved_by_rung.iter().any(|n| (1..40).contains(n)),
                "some rung ran out of room part way: {saved_by_rung:?}"
            );
            eprintln!("members saved at each rung of free space: {saved_by_rung:?}");
        },
    );
}

#[test]
fn an_import_on_a_filling_disk_is_all_or_nothing() {
    on_a_small_disk(
        "an_import_on_a_filling_disk_is_all_or_nothing",
        48,
        |disk| {
            let file = demo_practice(0.05, 3, common::builders::fixed_now().date());
            let mut outcomes = Vec::new();
            for (rung, free) in LADDER.into_iter().enumerate() {
                let dir = disk.join(format!("vault-{rung}"));
                let created = Vault::create(&dir, &passphrase(PASSPHRASE), POLICY).expect("create");
                let mut practice = Practice::load(created.vault).expect("load");
                let empty = content(&practice);
                let filler = Filler::take_all(disk);
                filler.leave_free(free);
                let imported = match practice.import(file.clone()) {
                    Ok(_) => true,
                    Err(e) if is_disk_full(&e) => false,
                    Err(e) => panic!("with {free} bytes free: {e:?}"),
                };
                let acknowledged = content(&practice);
                practice.lock().expect("lock");
                filler.remove();
                let reopened = whole(&dir);
                assert_eq!(content(&reopened), acknowledged, "with {free} bytes free");
                if !imported {
                    assert_eq!(acknowledged, empty, "with {free} bytes free: nothing");
                }
                reopened.lock().unwrap();
                std::fs::remove_dir_all(&dir).unwrap();
                outcomes.push(imported);
            }
            assert!(!outcomes[0] && outcomes[LADDER.len() - 1], "{outcomes:?}");
        },
    );
}

#[test]
fn a_rotation_on_a_filling_disk_commits_whole_or_not_at_all() {
    on_a_small_disk(
        "a_rotation_on_a_filling_disk_commits_whole_or_not_at_all",
        48,
        |disk| {
            let (dir, _) = demo_vault(disk);
            let before = content(&whole(&dir));
            let mut outcomes = Vec::new();
            for free in LADDER {
                let filler = Filler::take_all(disk);
                filler.leave_free(free);
                let mut practice = unlock(&dir);
                let epoch = practice.vault().key_epoch();
                let rotated = match practice.rotate_key(&passphrase(PASSPHRASE), |_| {}) {
                    Ok(()) => true,
                    Err(VaultError::DiskFull) => false,
                    Err(e) => panic!("with {free} bytes free: {e:?}"),
                };
                let expected_epoch = if rotated { epoch + 1 } else { epoch };
                assert_eq!(practice.vault().key_epoch(), expected_epoch);
                practice.lock().expect("lock");
                filler.remove();
                let reopened = whole(&dir);
                assert_eq!(content(&reopened), before, "with {free} bytes free");
                assert_eq!(reopened.vault().key_epoch(), expected_epoch);
                reopened.lock().unwrap();
                outcomes.push(rotated);
            }
            assert!(!outcomes[0] && outcomes[LADDER.len() - 1], "{outcomes:?}");
        },
    );
}

#[test]
fn a_purge_on_a_filling_disk_removes_the_member_whole_or_not_at_all() {
    on_a_small_disk(
        "a_purge_on_a_filling_disk_removes_the_member_whole_or_not_at_all",
        48,
        |disk| {
            let (dir, _) = demo_vault(disk);
            let mut outcomes = Vec::new();
            for free in LADDER {
                let filler = Filler::take_all(disk);
                filler.leave_free(free);
                let mut practice = unlock(&dir);
                let before = content(&practice);
                let member = *practice.state().members.keys().next().unwrap();
                let outcome = match practice.purge_member_with_progress(member, |_| {}) {
                    Ok(report) if report.erased => "erased",
                    Ok(_) => "removed, erasure pending",
                    Err(e) if is_disk_full(&e) => "refused",
                    Err(e) => panic!("with {free} bytes free: {e:?}"),
                };
                let acknowledged = content(&practice);
                assert_eq!(
                    outcome == "refused",
                    acknowledged == before,
                    "with {free} bytes free: {outcome}"
                );
                assert_eq!(
                    practice.state().members.contains_key(&member),
                    outcome == "refused"
                );
                practice.lock().expect("lock");
                filler.remove();
                let reopened = whole(&dir);
                assert_eq!(content(&reopened), acknowledged, "with {free} bytes free");
                reopened.lock().unwrap();
                let again = whole(&dir);
                assert!(
                    !again.vault().erasure_pending(),
                    "with {free} bytes free: the first lock with room erases what is pending"
                );
                again.lock().unwrap();
                outcomes.push(outcome);
            }
            assert_eq!(outcomes[0], "refused");
            assert_eq!(outcomes[LADDER.len() - 1], "erased", "{outcomes:?}");
            eprintln!("purge at each rung of free space: {outcomes:?}");
        },
    );
}

#[test]
fn a_backup_on_a_filling_disk_leaves_a_whole_file_or_none() {
    on_a_small_disk(
        "a_backup_on_a_filling_disk_leaves_a_whole_file_or_none",
        48,
        |disk| {
            let (dir, code) = demo_vault(disk);
            let backups = disk.join("backups");
            std::fs::create_dir(&backups).unwrap();
            let mut practice = unlock(&dir);
            let preferences = FolderPreferences {
                folder: Some(backups.clone()),
                on_lock: false,
                keep_recent: 100,
                keep_monthly: 12,
            };
            folder::save_preferences(&mut practice, &preferences).unwrap();
            let before = content(&practice);
            practice.lock().unwrap();
            let identity = holdspace::backup::BackupIdentity::from_recovery_code(&code);
            let mut outcomes = Vec::new();
            for free in LADDER {
                let filler = Filler::take_all(disk);
                filler.leave_free(free);
                let mut practice = unlock(&dir);
                let files_before = names_in(&backups);
                let made = match folder::back_up_to_folder(&mut practice) {
                    Ok(made) => Some(made.made.file_name),
                    Err(e) => {
                        let said = e.to_string();
                        assert!(said.contains("full"), "with {free} bytes free: {said}");
                        None
                    }
                };
                // The demo was made for the practice's real today, so it is checked on that day.
                let today = practice.today();
                practice.lock().expect("lock");
                filler.remove();
                let mut expected = files_before.clone();
                expected.extend(made.iter().cloned());
                expected.sort();
                assert_eq!(names_in(&backups), expected, "with {free} bytes free");
                if let Some(name) = &made {
                    let opened = holdspace::backup::verify_backup(
                        &backups.join(name),
                        holdspace::backup::Opener::BackupKey(&identity),
                        today,
                    )
                    .expect("a backup made on a filling disk opens whole");
                    assert!(opened.manifest.counts.members > 0);
                }
                let reopened = whole(&dir);
                assert_eq!(content(&reopened), before, "with {free} bytes free");
                reopened.lock().unwrap();
                outcomes.push(made.is_some());
            }
            assert!(!outcomes[0] && outcomes[LADDER.len() - 1], "{outcomes:?}");
        },
    );
}

#[test]
fn the_format_upgrade_waits_for_room_and_changes_nothing_until_then() {
    on_a_small_disk(
        "the_format_upgrade_waits_for_room_and_changes_nothing_until_then",
        32,
        |disk| {
            let dir = disk.join("vault");
            copy_tree(
                &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fixture-v1"),
                &dir,
            );
            let original = std::fs::read(dir.join("vault.hdr")).unwrap();
            let fixture = holdspace::Passphrase::new(FIXTURE_PASSPHRASE).unwrap();
            let policy = holdspace::KdfPolicy::Fixed(holdspace::KdfParams::FLOOR);
            let filler = Filler::take_all(disk);
            for free in [0, 64 << 10, 512 << 10] {
                filler.leave_free(free);
                let refused = Vault::open(&dir, &fixture, policy).err();
                assert!(
                    matches!(refused, Some(VaultError::DiskFull)),
                    "with {free} bytes free: {refused:?}"
                );
                assert_eq!(std::fs::read(dir.join("vault.hdr")).unwrap(), original);
            }
            filler.remove();
            let vault = Vault::open(&dir, &fixture, policy).expect("opens once there is room");
            assert_eq!(vault.upgraded_from(), Some(1));
            assert!(vault.integrity().unwrap().is_verified());
            vault.lock().unwrap();
        },
    );
}

/// The frozen format-1 vault's passphrase (see tests/fixture.rs).
const FIXTURE_PASSPHRASE: &str =
    "Fixture passphrase: caf\u{e9}, Gr\u{fc}\u{df}e, \u{9375} \u{1F511}";
