//! What a lock leaves in memory: the passphrase, the recovery code, a member's name and a
//! note, typed and shown in the real window, searched for in UTF-8 and UTF-16 in every
//! readable page of the app's process and of every WebKit process under it, five seconds
//! after the lock.
//!
//! The practitioner's locks (the Lock button, the shortcut, the idle time) are probed with the
//! app driven by mouse clicks and key presses and no WebDriver ([`KeyboardApp`]): the goal is
//! zero copies everywhere, and these tests assert it. A WebDriver session keeps the page's web
//! process alive across a lock (see the shell's `web_process.rs`), so the probes that need
//! WebDriver to fill a form (vault creation with its recovery code, and a restore over the
//! open vault, which locks it first) assert zero in every process but that one.

use std::time::Duration;

use holdspace::practice::{Member, Practice};
use holdspace::{KdfPolicy, Passphrase, Vault};

use crate::backups;
use crate::support::{self, App, KeyboardApp};

const CANARY_PASSPHRASE: &str = "Xylophone passphrase canary 77";
const CANARY_NAME: &str = "Quillonette Zebracanary";
const CANARY_NOTE: &str = "Nightjar marmalade verandah canary";
/// How long after a lock the memory is searched.
const AFTER_THE_LOCK: Duration = Duration::from_secs(5);

/// Each secret, in UTF-8 and in UTF-16LE.
fn needles(secrets: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
    let mut all = Vec::new();
    for (what, text) in secrets {
        all.push((format!("{what} (UTF-8)"), text.as_bytes().to_vec()));
        all.push((format!("{what} (UTF-16)"), support::utf16le(text)));
    }
    all
}

/// One needle found in one process: `(process, needle, count)`.
type Found = (String, String, usize);

/// Counts every needle in the process `app_pid` and each process under it: every count
/// above zero, and the processes scanned.
fn scan(app_pid: u32, needles: &[(String, Vec<u8>)]) -> (Vec<Found>, Vec<String>) {
    let mut pids = vec![app_pid];
    pids.extend(support::descendants(app_pid));
    let bytes: Vec<Vec<u8>> = needles.iter().map(|(_, b)| b.clone()).collect();
    let mut found = Vec::new();
    let mut scanned = Vec::new();
    for pid in pids {
        let name = format!("{} ({pid})", support::process_name(pid));
        let counts = support::occurrences_in_memory(pid, &bytes);
        for ((what, _), count) in needles.iter().zip(counts) {
            if count > 0 {
                found.push((name.clone(), what.clone(), count));
            }
        }
        scanned.push(name);
    }
    (found, scanned)
}

/// A locked vault whose passphrase is the canary, holding one member with the canary name
/// and note, made through the core: what a practitioner has on the second day.
fn vault_with_canary_member(dir: &std::path::Path) {
    let created = Vault::create(
        dir,
        &Passphrase::new(CANARY_PASSPHRASE).unwrap(),
        KdfPolicy::InsecureTest,
    )
    .expect("vault created");
    let mut practice = Practice::load(created.vault).expect("practice");
    let member: Member = serde_json::from_value(serde_json::json!({
        "id": holdspace::practice::MemberId::random(),
        "legal_name": CANARY_NAME,
        "intake_notes": CANARY_NOTE,
    }))
    .expect("a member");
    practice.create_member(member).expect("member saved");
    practice.lock().expect("locked");
}

/// Unlocks by typing the passphrase, then opens the member's page through search (Ctrl+K),
/// as a practitioner at the keyboard would.
async fn unlock_and_open_member(app: &KeyboardApp) {
    app.wait_title("Unlock — Holdspace").await;
    app.type_text(CANARY_PASSPHRASE);
    app.press("Return");
    app.wait_title("Home — Holdspace").await;
    app.press("ctrl+k");
    // The search dialog opens and takes the keyboard.
    tokio::time::sleep(Duration::from_millis(500)).await;
    app.type_text("Zebracanary");
    // Search answers as the practitioner types; Return opens the first result.
    tokio::time::sleep(Duration::from_secs(1)).await;
    app.press("Return");
    app.wait_title("Member — Holdspace").await;
}

/// Checks that the probe finds each of `shown` while it is on screen, so that finding none
/// after the lock means something.
fn assert_seen_while_shown(app_pid: u32, needles: &[(String, Vec<u8>)], shown: &[&str]) {
    let (unlocked, _) = scan(app_pid, needles);
    for what_is_shown in shown {
        assert!(
            unlocked
                .iter()
                .any(|(_, what, _)| what.starts_with(what_is_shown)),
            "the probe finds the {what_is_shown} while it is on screen: {unlocked:?}"
        );
    }
}

/// Scans after the lock and fails with everything found, if anything.
async fn assert_nothing_left(app_pid: u32, needles: &[(String, Vec<u8>)], how: &str) {
    tokio::time::sleep(AFTER_THE_LOCK).await;
    let (left, scanned) = scan(app_pid, needles);
    eprintln!("{how}: scanned {scanned:?}; left after the lock: {left:?}");
    assert!(
        left.is_empty(),
        "left in memory {AFTER_THE_LOCK:?} after {how}: {left:?}"
    );
}

/// The secrets of [`vault_with_canary_member`] as needles.
fn canary_needles() -> Vec<(String, Vec<u8>)> {
    needles(&[
        ("passphrase", CANARY_PASSPHRASE),
        ("member's name", CANARY_NAME),
        ("note", CANARY_NOTE),
    ])
}

/// Unlocks and opens the canary member's page by keyboard, checks that the probe sees them
/// on screen, locks with `lock`, and asserts that nothing is left in any process.
async fn probe_a_lock(lock: impl FnOnce(&KeyboardApp), how: &str) {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault");
    vault_with_canary_member(&vault);
    let app = KeyboardApp::start(&vault, &[]);
    unlock_and_open_member(&app).await;
    let needles = canary_needles();
    assert_seen_while_shown(app.pid(), &needles, &["member's name", "note"]);
    lock(&app);
    app.wait_title("Unlock — Holdspace").await;
    assert_nothing_left(app.pid(), &needles, how).await;
}

#[tokio::test]
#[ignore = "end to end: needs Xvfb and xdotool (make test)"]
async fn the_lock_shortcut_leaves_no_secret_and_no_record_in_any_process() {
    probe_a_lock(|app| app.press("ctrl+shift+l"), "the lock shortcut").await;
}

/// Where the sidebar's Lock button is: its foot's padding (16 px) and half the button's
/// height above the window's bottom edge, inside its left half.
const LOCK_BUTTON_X: u32 = 60;
const LOCK_BUTTON_ABOVE_BOTTOM: u32 = 34;

#[tokio::test]
#[ignore = "end to end: needs Xvfb and xdotool (make test)"]
async fn the_lock_button_leaves_no_secret_and_no_record_in_any_process() {
    probe_a_lock(
        |app| app.click_above_bottom_left(LOCK_BUTTON_X, LOCK_BUTTON_ABOVE_BOTTOM),
        "the Lock button, clicked with the mouse",
    )
    .await;
}

#[tokio::test]
#[ignore = "end to end: needs Xvfb and xdotool (make test)"]
async fn the_idle_lock_leaves_no_secret_and_no_record_in_any_process() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault");
    vault_with_canary_member(&vault);
    let app = KeyboardApp::start(&vault, &["--auto-lock-seconds", "4"]);
    unlock_and_open_member(&app).await;
    app.wait_title("Unlock — Holdspace").await;
    assert_nothing_left(app.pid(), &canary_needles(), "the idle lock").await;
}

/// Types `text` into the field matching `css` in two keystroke messages, so that no message
/// of the test's own WebDriver traffic (which passes through the app process) holds it whole.
async fn type_in_halves(app: &App, css: &str, text: &str) {
    let field = app.wait(css).await;
    field.clear().await.expect("clear");
    let middle = text.len() / 2;
    field.send_keys(&text[..middle]).await.expect("type");
    field.send_keys(&text[middle..]).await.expect("type");
}

/// The recovery code on screen, read in two halves for the same reason.
async fn recovery_code_in_halves(app: &App) -> String {
    app.wait("[data-testid=recovery-code]").await;
    let halves = app
        .script(
            "const t = document.querySelector('[data-testid=recovery-code]').textContent; \
             return [t.slice(0, 20), t.slice(20)];",
            vec![],
        )
        .await;
    let code: String = halves
        .as_array()
        .expect("two halves")
        .iter()
        .filter_map(|half| half.as_str())
        .collect();
    assert_eq!(code.len(), 39, "the recovery code is shown");
    code
}

#[tokio::test]
#[ignore = "end to end: needs Xvfb, tauri-driver and webkit2gtk-driver (make test)"]
async fn a_new_vault_and_its_recovery_code_leave_nothing_outside_the_page_under_webdriver() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::start(&dir.path().join("vault"), &[]).await;
    // Only selectors and fixed words are waited for: reading the page's text would make
    // copies of the records in the web process that the app never made.
    app.wait_text("Create your vault").await;
    type_in_halves(&app, "[name=passphrase]", CANARY_PASSPHRASE).await;
    type_in_halves(&app, "[name=confirmation]", CANARY_PASSPHRASE).await;
    app.click("[data-testid=create-vault]").await;
    let code = recovery_code_in_halves(&app).await;
    app.click("[data-testid=stored-code]").await;
    app.click("[data-testid=continue]").await;
    app.wait("[data-testid=lock]").await;

    app.go("/members/new").await;
    type_in_halves(&app, "[name=legal_name]", CANARY_NAME).await;
    type_in_halves(&app, "[name=intake_notes]", CANARY_NOTE).await;
    app.click("[data-testid=save-member]").await;
    app.wait("[data-testid=edit-member]").await;

    let needles = needles(&[
        ("passphrase", CANARY_PASSPHRASE),
        ("recovery code", &code),
        ("member's name", CANARY_NAME),
        ("note", CANARY_NOTE),
    ]);
    assert_seen_while_shown(app.app_pid(), &needles, &["member's name"]);

    app.click("[data-testid=lock]").await;
    app.wait("[data-testid=unlock]").await;
    assert_nothing_left_outside_the_page(app.app_pid(), &needles, "creating a vault and locking")
        .await;
    app.quit().await;
}

/// Scans after the lock and fails with everything found outside the page's web process,
/// which a WebDriver session keeps alive.
async fn assert_nothing_left_outside_the_page(
    app_pid: u32,
    needles: &[(String, Vec<u8>)],
    how: &str,
) {
    tokio::time::sleep(AFTER_THE_LOCK).await;
    let (left, scanned) = scan(app_pid, needles);
    let outside_the_page: Vec<&Found> = left
        .iter()
        .filter(|(process, _, _)| !process.starts_with("WebKitWebProcess"))
        .collect();
    eprintln!("{how}: scanned {scanned:?}; left after the lock: {left:?}");
    assert!(
        outside_the_page.is_empty(),
        "left outside the page's web process {AFTER_THE_LOCK:?} after {how}: \
         {outside_the_page:?}"
    );
}

#[tokio::test]
#[ignore = "end to end: needs Xvfb, tauri-driver, webkit2gtk-driver and xdotool (make test)"]
async fn a_restore_over_the_open_vault_leaves_nothing_outside_the_page_under_webdriver() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault");
    vault_with_canary_member(&vault);
    let backup = dir.path().join("quayside.age");
    backups::backup_of_another_practice(&dir.path().join("source"), &backup);
    let app = App::start(&vault, &[]).await;
    type_in_halves(&app, "[name=passphrase]", CANARY_PASSPHRASE).await;
    app.click("[data-testid=unlock]").await;
    app.wait("[data-testid=lock]").await;
    app.go("/members").await;
    app.wait("[data-testid=member-row]").await;
    let needles = canary_needles();
    assert_seen_while_shown(app.app_pid(), &needles, &["member's name"]);

    app.go("/settings/restore").await;
    app.click("[data-testid=restore-file]").await;
    app.choose_in_file_chooser(backups::CHOOSER_TITLE, &backup)
        .await;
    app.wait("[data-testid=restore-file-path]").await;
    app.click("[data-testid=restore-kind-passphrase]").await;
    type_in_halves(
        &app,
        "[data-testid=restore-secret]",
        backups::BACKUP_PASSPHRASE,
    )
    .await;
    app.click("[data-testid=restore-check]").await;
    app.wait("[data-testid=restore-summary]").await;
    app.click("[data-testid=restore-target-app_vault]").await;
    app.click("[data-testid=restore-confirm]").await;
    type_in_halves(
        &app,
        "[data-testid=restore-passphrase]",
        backups::RESTORED_PASSPHRASE,
    )
    .await;
    type_in_halves(
        &app,
        "[data-testid=restore-confirmation]",
        backups::RESTORED_PASSPHRASE,
    )
    .await;
    type_in_halves(&app, "[data-testid=restore-current]", CANARY_PASSPHRASE).await;
    app.click("[data-testid=restore-start]").await;
    // The restored vault's recovery sheet, on the page shown afresh after the lock.
    app.wait("[data-testid=recovery-code]").await;
    let needles = [
        needles,
        self::needles(&[
            ("backup's passphrase", backups::BACKUP_PASSPHRASE),
            ("restored vault's passphrase", backups::RESTORED_PASSPHRASE),
        ]),
    ]
    .concat();
    assert_nothing_left_outside_the_page(app.app_pid(), &needles, "a restore over the open vault")
        .await;
    app.quit().await;
}
