//! End to end on the real app: the Holdspace binary in a WebKitGTK window under Xvfb, driven
//! through tauri-driver and WebKitWebDriver from a Rust WebDriver client (thirtyfour).
//!
//! These tests are `#[ignore]`d in a plain `cargo test` (they need Xvfb, tauri-driver and
//! webkit2gtk-driver); `make test` installs those and runs them with `--ignored`. Each saves
//! screenshots of the screens it passes through under `target/e2e-shots/`.

mod backups;
mod client;
mod drafts;
mod first_week;
mod installed;
mod measures;
mod memory;
mod support;

use std::path::Path;

use holdspace::{KdfPolicy, Passphrase, Vault};
use support::App;

const PASSPHRASE: &str = "lantern orbit cobalt meadow";
const GROUP: &str = "Thursday evening process group";
/// Member names that would run as code if the UI ever parsed record text as HTML.
const HOSTILE_NAMES: [&str; 2] = [
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
];

/// Unlocks the vault at the unlock screen with the test passphrase.
async fn unlock(app: &App) {
    app.wait_text("Unlock your records").await;
    app.fill("passphrase", PASSPHRASE).await;
    app.click("[data-testid=unlock]").await;
    app.wait("[data-testid=lock]").await;
}

/// A locked vault with nothing in it, made through the core.
fn existing_vault(dir: &Path) {
    let created = Vault::create(
        dir,
        &Passphrase::new(PASSPHRASE).unwrap(),
        KdfPolicy::InsecureTest,
    )
    .expect("vault created");
    created.vault.lock().expect("locked");
}

#[tokio::test]
#[ignore = "end to end: needs Xvfb, tauri-driver and webkit2gtk-driver (make test)"]
async fn a_wrong_passphrase_says_so_the_right_one_opens_and_no_process_can_dump_core() {
    let dir = tempfile::tempdir().unwrap();
    existing_vault(dir.path());
    let app = App::start(dir.path(), &[]).await;
    app.wait_text("Unlock your records").await;
    app.shot("unlock").await;
    // Navigation away from the app is refused before it loads.
    app.script("location.href = 'https://example.com/'", vec![])
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let url = app.script("return location.href", vec![]).await;
    assert!(
        url.as_str()
            .unwrap_or_default()
            .starts_with("tauri://localhost"),
        "navigated to {url}"
    );
    app.wait_text("Unlock your records").await;
    app.fill("passphrase", "entirely wrong words").await;
    app.click("[data-testid=unlock]").await;
    app.wait_text("That passphrase doesn't open this vault")
        .await;
    app.shot("unlock-wrong-passphrase").await;
    app.fill("passphrase", PASSPHRASE).await;
    app.click("[data-testid=unlock]").await;
    app.wait("[data-testid=lock]").await;
    // Unlocked, the keys are in memory: neither the app nor WebKit's processes may dump core.
    assert_no_process_can_dump_core(&app);
    app.quit().await;
}

/// The app and every process under it (WebKit's web and network processes among them) have a
/// core-file limit of 0, soft and hard (`holdspace::hardening`).
fn assert_no_process_can_dump_core(app: &App) {
    let app_pid = app.app_pid();
    let mut processes = vec![app_pid];
    processes.extend(support::descendants(app_pid));
    let mut checked = Vec::new();
    for pid in processes {
        let name = support::process_name(pid);
        // A process that ended since it was listed has nothing left to dump.
        let Some(limits) = support::core_file_limits(pid) else {
            continue;
        };
        assert_eq!(
            limits,
            ("0".to_owned(), "0".to_owned()),
            "{name} ({pid}) may write a core file"
        );
        checked.push(name);
    }
    for webkit in ["WebKitWebProcess", "WebKitNetworkProcess"] {
        assert!(
            checked.iter().any(|name| name == webkit),
            "no {webkit} was found under the app; checked {checked:?}"
        );
    }
}

#[tokio::test]
#[ignore = "end to end: needs Xvfb, tauri-driver and webkit2gtk-driver (make test)"]
async fn the_dark_theme_follows_the_system() {
    let dir = tempfile::tempdir().unwrap();
    existing_vault(dir.path());
    let app = App::start_dark(dir.path()).await;
    app.wait_text("Unlock your records").await;
    let dark = app
        .script(
            "return matchMedia('(prefers-color-scheme: dark)').matches",
            vec![],
        )
        .await;
    assert_eq!(
        dark,
        serde_json::json!(true),
        "GTK's dark theme reaches the page"
    );
    app.shot("dark-unlock").await;
    app.fill("passphrase", PASSPHRASE).await;
    app.click("[data-testid=unlock]").await;
    app.wait_text("Getting started").await;
    app.shot("dark-home").await;
    app.quit().await;
}

#[tokio::test]
#[ignore = "end to end: needs Xvfb, tauri-driver and webkit2gtk-driver (make test)"]
async fn idle_auto_lock_returns_to_the_unlock_screen() {
    let dir = tempfile::tempdir().unwrap();
    existing_vault(dir.path());
    let app = App::start(dir.path(), &["--auto-lock-seconds", "3"]).await;
    app.fill("passphrase", PASSPHRASE).await;
    app.click("[data-testid=unlock]").await;
    app.wait("[data-testid=lock]").await;
    app.script("window.__e2eMarker = 'still here'", vec![])
        .await;
    // Leave it alone: Rust locks after 3 idle seconds and reloads the page.
    app.wait_text("Unlock your records").await;
    let marker = app.script("return typeof window.__e2eMarker", vec![]).await;
    assert_eq!(
        marker,
        serde_json::json!("undefined"),
        "locking reloads the page"
    );
    app.shot("auto-locked").await;
    app.quit().await;
}

#[tokio::test]
#[ignore = "end to end: needs Xvfb, tauri-driver and webkit2gtk-driver (make test)"]
async fn a_practitioners_day_survives_lock_and_unlock() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::start(&dir.path().join("vault"), &[]).await;
    create_vault(&app).await;
    app.arm_script_probe().await;
    app.script("alert('probe check'); return true", vec![])
        .await;
    assert!(app.script_ran().await, "the probe catches alert()");
    app.script(
        "sessionStorage.removeItem('holdspace-e2e-script-ran'); return true",
        vec![],
    )
    .await;

    let group_route = create_group(&app).await;
    for name in HOSTILE_NAMES {
        create_member(&app, name).await;
    }
    app.go("/members").await;
    app.wait("[data-testid=member-row]").await;
    app.shot("members").await;
    add_both_to_roster(&app, &group_route).await;
    let session_route = record_session(&app, &group_route).await;
    assert_nothing_executed(&app).await;

    app.click("[data-testid=lock]").await;
    app.wait_text("Unlock your records").await;
    app.fill("passphrase", PASSPHRASE).await;
    app.click("[data-testid=unlock]").await;
    app.wait("[data-testid=lock]").await;
    app.arm_script_probe().await;

    app.go(&group_route).await;
    app.wait_text(GROUP).await;
    for name in HOSTILE_NAMES {
        app.wait_text(name).await;
    }
    let rows = app
        .script(
            "return document.querySelectorAll('[data-testid=roster-row]').length",
            vec![],
        )
        .await;
    assert_eq!(rows, serde_json::json!(2));
    app.go(&session_route).await;
    app.wait("[data-testid=save-session]").await;
    let kept = app
        .script(
            "return [document.querySelector('[name=group_note]').value, \
             document.querySelector('[data-testid^=progress-note-]').value, \
             document.querySelector('[data-testid^=psychotherapy-note-]').value, \
             document.querySelectorAll('[data-testid^=attendance-][aria-pressed=true]').length]",
            vec![],
        )
        .await;
    assert_eq!(
        kept,
        serde_json::json!([
            "We talked about trust and what stays in the room.",
            "Spoke first today.",
            "Kept apart from the record.",
            2
        ])
    );
    assert_nothing_executed(&app).await;
    tour_the_other_screens(&app, &group_route).await;
    app.quit().await;
}

async fn create_vault(app: &App) {
    create_vault_with(app, PASSPHRASE).await;
}

/// Creates the vault through the first-run screens with `passphrase`; returns the recovery
/// code the sheet showed.
async fn create_vault_with(app: &App, passphrase: &str) -> String {
    app.wait_text("Create your vault").await;
    app.fill("passphrase", passphrase).await;
    app.fill("confirmation", passphrase).await;
    app.wait_text("good enough to protect your records").await;
    app.shot("01-create-vault").await;
    app.click("[data-testid=create-vault]").await;
    let code = app
        .wait("[data-testid=recovery-code]")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(code.len(), 39, "the recovery code is shown: {code}");
    app.shot("02-recovery-code").await;
    app.click("[data-testid=stored-code]").await;
    app.click("[data-testid=continue]").await;
    app.wait("[data-testid=lock]").await;
    app.wait_text("Getting started").await;
    app.shot("03-home-first-run").await;
    code
}

/// Creates the group and returns its route.
async fn create_group(app: &App) -> String {
    app.go("/groups").await;
    app.wait_text("No groups yet").await;
    app.shot("04-groups-empty").await;
    app.go("/groups/new").await;
    app.fill("name", GROUP).await;
    app.fill("focus", "Relationships, trust and belonging.")
        .await;
    app.shot("05-group-form").await;
    app.click("[data-testid=save-group]").await;
    app.wait("[data-testid=add-member]").await;
    current_route(app).await
}

async fn create_member(app: &App, name: &str) {
    app.go("/members/new").await;
    app.fill("legal_name", name).await;
    app.fill("pronouns", "they/them").await;
    app.shot("06-member-form").await;
    app.click("[data-testid=save-member]").await;
    let started = std::time::Instant::now();
    while !current_route(app).await.starts_with("/members/")
        || current_route(app).await.ends_with("/new")
    {
        assert!(
            started.elapsed() < support::PATIENCE,
            "saving the member did not open their page"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    app.wait_text(name).await;
}

/// Puts both members on the roster in one dialog, as a practitioner sets up a group.
async fn add_both_to_roster(app: &App, group_route: &str) {
    app.go(group_route).await;
    app.click("[data-testid=add-member]").await;
    wait_count(app, "[data-testid=candidate]", 2).await;
    for candidate in app
        .driver
        .find_all(thirtyfour::By::Css("[data-testid=candidate] input"))
        .await
        .unwrap()
    {
        candidate.click().await.unwrap();
    }
    app.click("[data-testid=add-member-confirm]").await;
    wait_count(app, "[data-testid=roster-row]", 2).await;
    app.shot("07-group-roster").await;
}

/// Records a session with attendance and notes; returns its route.
async fn record_session(app: &App, group_route: &str) -> String {
    app.go(group_route).await;
    app.click("[data-testid=record-session]").await;
    app.wait("[data-testid=save-session]").await;
    let present = app
        .driver
        .find_all(thirtyfour::By::Css(
            "[data-testid^=attendance-][data-testid$=-present]",
        ))
        .await
        .unwrap();
    assert_eq!(present.len(), 2, "both members can be marked");
    for button in present {
        button.click().await.unwrap();
    }
    app.fill(
        "group_note",
        "We talked about trust and what stays in the room.",
    )
    .await;
    app.click("[data-testid=save-session]").await;
    app.wait_text("Saved").await;
    app.wait("[data-testid^=progress-note-]:not([disabled])")
        .await;
    let route = current_route(app).await;
    assert!(
        route.starts_with("/sessions/"),
        "a saved session has its own address: {route}"
    );
    type_note(app, "progress", "Spoke first today.").await;
    type_note(app, "psychotherapy", "Kept apart from the record.").await;
    app.shot("08-session").await;
    route
}

async fn type_note(app: &App, kind: &str, text: &str) {
    let area = app.wait(&format!("[data-testid^={kind}-note-]")).await;
    area.send_keys(text).await.unwrap();
    let id = area.attr("data-testid").await.unwrap().unwrap();
    let member = id.trim_start_matches(&format!("{kind}-note-")).to_owned();
    app.click(&format!("[data-testid=save-note-{member}-{kind}]"))
        .await;
    let started = std::time::Instant::now();
    loop {
        let saved = app
            .script(
                "return [...document.querySelectorAll('.save-status.saved')].length",
                vec![],
            )
            .await;
        if saved.as_u64().unwrap_or(0) > 0 {
            break;
        }
        assert!(
            started.elapsed() < support::PATIENCE,
            "the {kind} note was not saved"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

async fn tour_the_other_screens(app: &App, group_route: &str) {
    app.go("/home").await;
    app.wait_text("Signatures").await;
    app.shot("09-home").await;
    app.go("/groups").await;
    app.wait_text(GROUP).await;
    app.shot("10-groups").await;
    app.go(&format!("{group_route}?tab=sessions")).await;
    app.wait_text("Session").await;
    app.shot("11-group-sessions").await;
    app.go(&format!("{group_route}?tab=agreement")).await;
    app.wait("[data-testid=edit-agreement]").await;
    app.shot("12-group-agreement").await;
    app.go(&format!("{group_route}/agreement")).await;
    app.wait("[data-testid=publish-agreement]").await;
    app.shot("13-agreement-editor").await;
    app.go("/members").await;
    app.click("[data-testid=member-row] td").await;
    app.wait_text("Attendance").await;
    app.shot("14-member").await;
    app.go("/incidents").await;
    app.wait("[data-testid=report-incident]").await;
    app.shot("15-incidents").await;
    app.go("/incidents/new").await;
    app.wait("[data-testid=save-incident]").await;
    app.shot("16-incident-form").await;
    app.go("/audit").await;
    app.wait("[data-testid=audit-row]").await;
    app.shot("17-audit-log").await;
    app.go("/settings").await;
    app.wait("[data-testid=save-profile]").await;
    app.shot("18-settings").await;
    // About: the version, and the licences of what the app is built from.
    let about = app.wait("[data-testid=about]").await.text().await.unwrap();
    assert!(about.contains(env!("CARGO_PKG_VERSION")), "{about}");
    app.click("[data-testid=show-licences]").await;
    let licences = app
        .wait("[data-testid=licences]")
        .await
        .text()
        .await
        .unwrap();
    for part in ["tauri", "sled", "Apache-2.0", "Licence texts"] {
        assert!(licences.contains(part), "the licences do not name {part}");
    }
    app.script(
        "document.querySelector('[data-testid=about]').scrollIntoView()",
        vec![],
    )
    .await;
    app.shot("18-about").await;
    app.click("[data-testid=search-open]").await;
    let input = app.wait("[data-testid=search-input]").await;
    input.send_keys("trust").await.unwrap();
    app.wait(".search-hit").await;
    app.shot("19-search").await;
}

/// No script ran (no alert, native or armed) and no element came from a member's name.
async fn assert_nothing_executed(app: &App) {
    assert!(!app.script_ran().await, "a script from a record ran");
    let injected = app
        .script(
            "return document.querySelectorAll('img[src=\"x\"], body script:not([src])').length",
            vec![],
        )
        .await;
    assert_eq!(
        injected,
        serde_json::json!(0),
        "a record's text became markup"
    );
}

async fn current_route(app: &App) -> String {
    let hash = app.script("return location.hash", vec![]).await;
    hash.as_str()
        .unwrap_or_default()
        .trim_start_matches('#')
        .to_owned()
}

async fn wait_count(app: &App, css: &str, expected: u64) {
    let started = std::time::Instant::now();
    loop {
        let n = app
            .script(
                "return document.querySelectorAll(arguments[0]).length",
                vec![serde_json::json!(css)],
            )
            .await;
        if n.as_u64() == Some(expected) {
            return;
        }
        assert!(
            started.elapsed() < support::PATIENCE,
            "expected {expected} of {css}, found {n}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Copies a folder tree (a vault's store, to put it back later).
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Waits until nothing matches `css` (at most 10 s).
async fn wait_gone(app: &App, css: &str) {
    for _ in 0..100 {
        let gone = app
            .script(
                "return document.querySelector(arguments[0]) === null",
                vec![serde_json::json!(css)],
            )
            .await;
        if gone == serde_json::json!(true) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{css} is still there after 10 s");
}

#[tokio::test]
#[ignore = "end to end: needs Xvfb, tauri-driver and webkit2gtk-driver (make test)"]
async fn an_older_store_is_shown_until_acknowledged_and_a_lost_sheet_gets_a_new_code() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    existing_vault(&dir);
    // Someone keeps a copy of the store, the practitioner works, the copy is put back.
    let store = dir.join("store-00000001");
    let older = tmp.path().join("older-store");
    copy_tree(&store, &older);
    let vault = Vault::open(
        &dir,
        &Passphrase::new(PASSPHRASE).unwrap(),
        KdfPolicy::InsecureTest,
    )
    .unwrap();
    holdspace::practice::Practice::unlock(vault)
        .unwrap()
        .lock()
        .unwrap();
    std::fs::remove_dir_all(&store).unwrap();
    copy_tree(&older, &store);

    let app = App::start(&dir, &[]).await;
    app.wait_text("Unlock your records").await;
    app.fill("passphrase", PASSPHRASE).await;
    app.click("[data-testid=unlock]").await;
    let banner = app.wait("[data-testid=history-alert]").await;
    let said = banner.text().await.unwrap();
    assert!(
        said.contains("Records were changed outside Holdspace"),
        "{said}"
    );
    assert!(
        said.contains("the record store is older than the vault"),
        "{said}"
    );
    app.shot("history-alert").await;
    app.assert_accessible("history alert").await;
    app.go("/audit").await;
    let verdict = app.wait("[data-testid=history-verdict]").await;
    assert!(verdict
        .text()
        .await
        .unwrap()
        .contains("History not verified"));
    app.click("[data-testid=history-accept]").await;
    wait_gone(&app, "[data-testid=history-alert]").await;
    app.go("/settings").await;
    app.go("/audit").await;
    app.wait_text("History problems acknowledged").await;

    // The recovery sheet was lost: a new code, after the passphrase.
    app.go("/settings").await;
    app.click("[data-testid=new-recovery-code]").await;
    app.fill_css("dialog [name=passphrase]", PASSPHRASE).await;
    app.click("[data-testid=confirm-new-recovery-code]").await;
    let code = app.wait("[data-testid=recovery-code]").await;
    assert_eq!(code.text().await.unwrap().len(), 39);
    app.wait_text("Your old recovery code no longer opens this vault")
        .await;
    app.shot("new-recovery-code").await;
    app.quit().await;
}
