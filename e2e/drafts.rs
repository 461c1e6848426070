//! Nothing typed is lost: what a page holds unsaved is kept as a sealed draft when the app
//! locks, and found again after unlock; leaving a page with unsaved changes asks first; a
//! session's "Save changes" saves its notes too.

use std::path::Path;

use holdspace::practice::{Group, MembershipStatus, Practice, Session};
use holdspace::{KdfPolicy, Passphrase, Vault};
use serde_json::json;

use crate::support::App;
use crate::{unlock, PASSPHRASE};

/// People as they come to groups: Greek, Turkish, Arabic, Chinese, Korean, a non-breaking
/// space and an emoji.
const TYPED_NOTE: &str = "Ελένη opened; Çağrı\u{a0}İnce — «شكرا» 谢谢 고마워요 half-written";
/// The same with the emoji an input method adds (see [`type_with_emoji`]).
const GROUP_NOTE: &str = "Ελένη opened; Çağrı\u{a0}İnce — «شكرا» 谢谢 고마워요 half-written 🌿";
const PROGRESS_NOTE: &str = "Zoë spoke about her father for the first time";

/// What the fixture holds, by id.
struct Fixture {
    group: String,
    member: String,
    session: String,
}

/// A locked vault holding one group with one member and one session, made through the core.
fn vault_with_a_session(dir: &Path) -> Fixture {
    let created = Vault::create(
        dir,
        &Passphrase::new(PASSPHRASE).unwrap(),
        KdfPolicy::InsecureTest,
    )
    .expect("vault created");
    let mut practice = Practice::load(created.vault).expect("load");
    let group: Group = serde_json::from_value(json!({
        "id": uuid(), "name": "Tuesday grief group", "kind": "process", "focus": "",
        "co_facilitator": null, "schedule": null, "location": "Room 2",
        "start_date": "2026-01-06", "end_date": null, "capacity": 8,
        "enrollment": "open", "status": "running"
    }))
    .expect("a group");
    let group = practice.create_group(group).expect("group saved");
    let member = practice
        .create_member(
            serde_json::from_value(
                json!({"id": uuid(), "legal_name": "Zoë Van der Berg-Öztürk", "archived": false}),
            )
            .expect("a member"),
        )
        .expect("member saved");
    let joined = time::macros::date!(2026 - 01 - 06);
    practice
        .add_to_group(member.id, group.id, MembershipStatus::Active, Some(joined))
        .expect("on the roster");
    let session: Session = serde_json::from_value(json!({
        "id": uuid(), "group": group.id, "date": "2026-01-13", "start": null, "number": 1,
        "topic": "", "attendance": {}, "group_note": ""
    }))
    .expect("a session");
    let session = practice.save_session(session).expect("session saved");
    practice.lock().expect("locked");
    Fixture {
        group: group.id.to_string(),
        member: member.id.to_string(),
        session: session.id.to_string(),
    }
}

fn uuid() -> String {
    holdspace::RecordId::random().to_string()
}

/// Types `text` into the field matching `css`, then adds an emoji the way an input method
/// does (WebKitWebDriver cannot type characters outside the Basic Multilingual Plane).
async fn type_with_emoji(app: &App, css: &str, text: &str) {
    app.fill_css(css, text).await;
    app.script(
        "const f = document.querySelector(arguments[0]); f.value += ' 🌿'; f.dispatchEvent(new Event('input', {bubbles: true}));",
        vec![json!(css)],
    )
    .await;
}

/// Waits until the app shows the page at `route` (its address, before any `?`).
async fn wait_route(app: &App, route: &str) {
    for _ in 0..200 {
        let hash = app.script("return location.hash", vec![]).await;
        let path = hash.as_str().unwrap_or_default().trim_start_matches('#');
        if path.split('?').next() == Some(route) {
            app.wait(".page h1").await;
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the app never went to {route}");
}

async fn value_of(app: &App, css: &str) -> String {
    app.wait(css).await;
    app.script(
        "return document.querySelector(arguments[0]).value",
        vec![json!(css)],
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_owned()
}

#[tokio::test]
#[ignore = "end to end: needs Xvfb, tauri-driver and webkit2gtk-driver (make test)"]
async fn notes_typed_before_an_idle_lock_come_back_as_a_draft_and_save_from_it() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = vault_with_a_session(dir.path());
    let app = App::start(dir.path(), &["--auto-lock-seconds", "8"]).await;
    unlock(&app).await;
    app.go(&format!("/sessions/{}", fixture.session)).await;
    let progress = format!("[data-testid=progress-note-{}]", fixture.member);
    type_with_emoji(&app, "[data-testid=group-note]", TYPED_NOTE).await;
    app.fill_css(&progress, PROGRESS_NOTE).await;
    app.wait("[data-testid=unsaved-marker]").await;
    app.shot("drafts-01-typed-unsaved").await;

    // Hands off: the app locks itself after 8 idle seconds.
    app.wait_text("Unlock your records").await;
    unlock(&app).await;
    app.wait("[data-testid=drafts-notice]").await;
    app.wait_text("You had unsaved changes in").await;
    app.wait_text("Session 1 of Tuesday grief group").await;
    app.shot("drafts-02-banner-after-unlock").await;
    app.click("[data-testid=drafts-notice] a").await;
    app.wait("[data-testid=draft-notice]").await;
    assert_eq!(value_of(&app, "[data-testid=group-note]").await, GROUP_NOTE);
    assert_eq!(value_of(&app, &progress).await, PROGRESS_NOTE);
    app.wait("[data-testid=unsaved-marker]").await;
    app.shot("drafts-03-draft-in-the-form").await;

    app.click("[data-testid=draft-save]").await;
    app.wait_text("Saved").await;
    // Away and back: what shows now comes from the vault.
    app.go("/home").await;
    wait_route(&app, "/home").await;
    app.go(&format!("/sessions/{}", fixture.session)).await;
    assert_eq!(value_of(&app, "[data-testid=group-note]").await, GROUP_NOTE);
    assert_eq!(value_of(&app, &progress).await, PROGRESS_NOTE);
    assert!(
        !app.body_text().await.contains("Draft — not saved"),
        "the draft is settled once saved"
    );
    app.go("/audit").await;
    app.wait_text("Draft saved").await;
    app.quit().await;
}

#[tokio::test]
#[ignore = "end to end: needs Xvfb, tauri-driver and webkit2gtk-driver (make test)"]
async fn leaving_a_page_with_unsaved_changes_asks_to_save_discard_or_stay() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = vault_with_a_session(dir.path());
    let app = App::start(dir.path(), &[]).await;
    unlock(&app).await;

    // A filled-in new-member form, left through the sidebar: stay, then discard.
    app.go("/members/new").await;
    app.fill("legal_name", "Ayşe Yılmaz").await;
    app.click("[data-testid=nav-groups]").await;
    app.wait("[data-testid=unsaved-stay]").await;
    app.shot("leaving-01-asked").await;
    app.click("[data-testid=unsaved-stay]").await;
    assert_eq!(value_of(&app, "[name=legal_name]").await, "Ayşe Yılmaz");
    app.click("[data-testid=nav-groups]").await;
    app.click("[data-testid=unsaved-discard]").await;
    wait_route(&app, "/groups").await;
    app.go("/members").await;
    app.wait_text("Zoë").await;
    assert!(
        !app.body_text().await.contains("Ayşe"),
        "discarded, not saved"
    );

    // A changed agreement title, left through "Back to the group": saved.
    app.go(&format!("/groups/{}/agreement", fixture.group))
        .await;
    app.fill("title", "Our agreement — Συμφωνία").await;
    app.click(".form-actions a").await;
    app.click("[data-testid=unsaved-save]").await;
    wait_route(&app, &format!("/groups/{}", fixture.group)).await;
    app.go(&format!("/groups/{}/agreement", fixture.group))
        .await;
    assert_eq!(
        value_of(&app, "[name=title]").await,
        "Our agreement — Συμφωνία"
    );

    // A session note, left through the breadcrumb: saved.
    let session = format!("/sessions/{}", fixture.session);
    let progress = format!("[data-testid=progress-note-{}]", fixture.member);
    app.go(&session).await;
    app.fill_css(&progress, PROGRESS_NOTE).await;
    app.click(".breadcrumb a").await;
    app.click("[data-testid=unsaved-save]").await;
    wait_route(&app, &format!("/groups/{}", fixture.group)).await;
    app.go(&session).await;
    assert_eq!(value_of(&app, &progress).await, PROGRESS_NOTE);

    // Back, and a search result (the search that Ctrl+K opens) ask too.
    app.fill_css(&progress, "changed again").await;
    app.script("history.back()", vec![]).await;
    app.click("[data-testid=unsaved-stay]").await;
    assert_eq!(value_of(&app, &progress).await, "changed again");
    app.click("[data-testid=search-open]").await;
    app.fill_css("[data-testid=search-input]", "Tuesday").await;
    app.click(".search-results .search-hit").await;
    app.click("[data-testid=unsaved-discard]").await;
    wait_route(&app, &format!("/groups/{}", fixture.group)).await;
    app.go(&session).await;
    assert_eq!(
        value_of(&app, &progress).await,
        PROGRESS_NOTE,
        "the change was discarded"
    );
    app.quit().await;
}

#[tokio::test]
#[ignore = "end to end: needs Xvfb, tauri-driver and webkit2gtk-driver (make test)"]
async fn a_sessions_save_changes_saves_its_notes_and_never_says_saved_too_soon() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = vault_with_a_session(dir.path());
    let app = App::start(dir.path(), &[]).await;
    unlock(&app).await;
    let session = format!("/sessions/{}", fixture.session);
    let progress = format!("[data-testid=progress-note-{}]", fixture.member);
    app.go(&session).await;
    app.fill_css(&progress, PROGRESS_NOTE).await;
    type_with_emoji(&app, "[data-testid=group-note]", TYPED_NOTE).await;
    app.click("[data-testid=save-session]").await;
    app.wait(".session-form .save-status.saved").await;
    assert!(
        !app.script(
            "return !document.querySelector('[data-testid=unsaved-marker]').hidden",
            vec![]
        )
        .await
        .as_bool()
        .unwrap_or(true),
        "nothing is marked unsaved once all of it saved"
    );
    app.shot("session-save-everything").await;
    app.go("/home").await;
    wait_route(&app, "/home").await;
    app.go(&session).await;
    assert_eq!(value_of(&app, &progress).await, PROGRESS_NOTE);
    assert_eq!(value_of(&app, "[data-testid=group-note]").await, GROUP_NOTE);
    app.quit().await;
}

#[tokio::test]
#[ignore = "end to end: needs Xvfb, tauri-driver and webkit2gtk-driver (make test)"]
async fn closing_the_window_with_unsaved_changes_asks_then_saves_and_closes() {
    let dir = tempfile::tempdir().unwrap();
    vault_with_a_session(dir.path());
    let app = App::start(dir.path(), &[]).await;
    unlock(&app).await;
    app.go("/members/new").await;
    app.fill("legal_name", "Δήμητρα Παπαδοπούλου").await;
    // Wait for the pause in typing that tells the shell what is unsaved.
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    let pid = app.app_pid();
    // What the shell raises in the page when the window's close button is pressed with
    // unsaved changes held (an X server without a window manager cannot press it).
    app.script(
        "document.dispatchEvent(new CustomEvent('holdspace-close-requested'))",
        vec![],
    )
    .await;
    app.wait_text("before you close Holdspace").await;
    app.shot("close-asks").await;
    app.click("[data-testid=unsaved-save]").await;
    let gone = (0..100).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(100));
        !Path::new(&format!("/proc/{pid}")).exists()
    });
    assert!(gone, "the app closed once the changes were saved");
    app.quit().await;
    let vault = Vault::open(
        dir.path(),
        &Passphrase::new(PASSPHRASE).unwrap(),
        KdfPolicy::InsecureTest,
    )
    .expect("the vault opens after the app closed");
    let practice = Practice::load(vault).expect("load");
    assert!(
        practice
            .state()
            .members
            .values()
            .any(|m| m.legal_name == "Δήμητρα Παπαδοπούλου"),
        "the member was saved before the window closed"
    );
}
