//! A practitioner's first week on the real window, where it used to get in the way: five
//! people with names from many languages put on a roster in one dialog and all visible on the
//! page; a new member put straight into the group from its roster; each row's actions behind
//! one menu that the keyboard can open and close; Absent told apart from Present; a save bar
//! with nothing showing beneath it; and search results that name each record once, with dates
//! in the app's own style. Screenshots at 1280×800 and at 1024×700.

use std::path::Path;

use holdspace::practice::{
    Group, GroupId, GroupKind, MemberId, MembershipStatus, Note, NoteId, NoteKind, Session,
    SessionId,
};
use serde_json::json;
use time::macros::date;

use crate::support::practice::{group, member, new_practice};
use crate::support::App;
use crate::{unlock, wait_count};

const TAB: &str = "\u{e004}";

const GROUP: &str = "Thursday evening process group";
/// Already on the roster, with a session behind her.
const FIRST: &str = "María José de la Cruz";
/// The people who join in the first week: accents, a particle and hyphen, Greek, Turkish
/// dotted and dotless i, Korean with a Latin name beside it.
const JOINING: [&str; 5] = [
    "Zoë Ångström",
    "Jean-Luc Van der Berg-Öztürk",
    "Ελένη Παπαδοπούλου",
    "Çağrı İnce",
    "김민준 (Minjun Kim)",
];
const NEW_MEMBER: &str = "Nguyễn Thị Minh Khai";
const NOTE: &str = "Spoke about trust in the group for the first time.";

struct Fixture {
    group: GroupId,
    first: MemberId,
    session: SessionId,
}

/// A locked vault: the group, María on its roster with one session and a psychotherapy note,
/// and five more people in the practice who are not on any roster yet.
fn first_week(dir: &Path) -> Fixture {
    let mut practice = new_practice(dir);
    let group = practice
        .create_group(Group {
            co_facilitator: Some("Sam Okafor".into()),
            capacity: Some(10),
            ..group(GROUP, GroupKind::Process, date!(2026 - 09 - 03))
        })
        .unwrap();
    let first = practice.create_member(member(FIRST)).unwrap();
    practice
        .add_to_group(
            first.id,
            group.id,
            MembershipStatus::Active,
            Some(date!(2026 - 09 - 03)),
        )
        .unwrap();
    for name in JOINING {
        practice.create_member(member(name)).unwrap();
    }
    let session = practice
        .save_session(Session {
            id: SessionId::random(),
            group: group.id,
            date: date!(2026 - 09 - 10),
            start: None,
            number: 1,
            topic: "Trust".into(),
            attendance: [(first.id, serde_json::from_value(json!("absent")).unwrap())]
                .into_iter()
                .collect(),
            group_note: String::new(),
        })
        .unwrap();
    practice
        .save_note(Note {
            id: NoteId::random(),
            session: session.id,
            member: first.id,
            kind: NoteKind::Psychotherapy,
            text: NOTE.into(),
        })
        .unwrap();
    practice.lock().unwrap();
    Fixture {
        group: group.id,
        first: first.id,
        session: session.id,
    }
}

#[tokio::test]
#[ignore = "end to end: needs Xvfb, tauri-driver and webkit2gtk-driver (make test)"]
async fn a_first_week_roster_session_and_search_get_out_of_the_way() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = first_week(dir.path());
    let app = App::start(dir.path(), &[]).await;
    unlock(&app).await;
    app.resize(1280, 800).await;
    let roster = format!("/groups/{}", fixture.group);

    five_join_in_one_dialog(&app, &roster).await;
    the_whole_roster_is_on_the_page(&app).await;
    row_actions_are_one_menu(&app, fixture.first).await;
    a_new_member_joins_from_the_roster(&app, &roster).await;
    attendance_choices_look_different(&app, fixture.session).await;
    typed_dates_and_times_are_understood_or_refused(&app, fixture.session, fixture.first).await;
    search_names_each_record_once(&app).await;
    the_preview_is_client_mode(&app, &roster).await;

    // The same screens on a smaller screen.
    app.resize(1024, 700).await;
    app.go(&roster).await;
    wait_count(&app, "[data-testid=roster-row]", 7).await;
    the_whole_roster_is_on_the_page(&app).await;
    app.shot("week-01-roster-1024x700").await;
    the_save_bar_hides_nothing(&app, fixture.session).await;
    app.shot("week-04-session-1024x700").await;
    app.quit().await;
}

async fn five_join_in_one_dialog(app: &App, roster: &str) {
    app.go(roster).await;
    wait_count(app, "[data-testid=roster-row]", 1).await;
    app.click("[data-testid=add-member]").await;
    wait_count(app, "[data-testid=candidate]", 5).await;
    for name in JOINING {
        app.script(
            "const item = [...document.querySelectorAll('[data-testid=candidate]')].find((li) => li.textContent === arguments[0]); item.querySelector('input').click(); return true",
            vec![json!(name)],
        )
        .await;
    }
    app.shot("week-00-add-five").await;
    app.click("[data-testid=add-member-confirm]").await;
    wait_count(app, "[data-testid=roster-row]", 6).await;
    app.wait_text("are on the roster as active").await;
    for name in JOINING {
        app.wait_text(name).await;
    }
    app.shot("week-01-roster-1280x800").await;
}

/// Every row is on the page itself: the table has no scrolling box of its own.
async fn the_whole_roster_is_on_the_page(app: &App) {
    let boxes = app
        .script(
            "return [...document.querySelectorAll('.table-wrap')].map((w) => w.scrollHeight - w.clientHeight)",
            vec![],
        )
        .await;
    for extra in boxes.as_array().unwrap() {
        assert!(
            extra.as_i64().unwrap() <= 1,
            "a table scrolls inside the page: {boxes}"
        );
    }
}

async fn row_actions_are_one_menu(app: &App, first: MemberId) {
    let buttons = app
        .script(
            "return [...document.querySelectorAll('[data-testid=roster-row]')].map((row) => row.querySelectorAll('td:last-child button:not([role=menuitem])').length)",
            vec![],
        )
        .await;
    assert!(
        buttons.as_array().unwrap().iter().all(|n| n == &json!(1)),
        "one button per row: {buttons}"
    );
    let button = format!("[data-testid=roster-actions-{first}]");
    app.click(&button).await;
    app.wait("[role=menu]:not([hidden])").await;
    let items = app
        .script(
            "return [...document.querySelectorAll('[role=menu]:not([hidden]) [role=menuitem]')].map((i) => i.textContent)",
            vec![],
        )
        .await;
    assert_eq!(
        items,
        json!([
            "Client mode…",
            "Record a paper signature…",
            "Change status…",
            "Remove from group…"
        ])
    );
    assert_eq!(
        app.focused_testid().await,
        format!("start-client-mode-{first}"),
        "the menu opens on its first item"
    );
    app.shot("week-02-row-menu").await;
    app.press("\u{e00c}").await; // Escape
    crate::wait_gone(app, "[role=menu]:not([hidden])").await;
    assert_eq!(
        app.focused_testid().await,
        format!("roster-actions-{first}"),
        "Escape gives the focus back to the menu's button"
    );
}

async fn a_new_member_joins_from_the_roster(app: &App, roster: &str) {
    app.click("[data-testid=add-member]").await;
    app.wait_text("Everyone in your practice is already on this roster")
        .await;
    app.click("[data-testid=new-member-for-group]").await;
    app.wait_text(&format!("Joining {GROUP}")).await;
    app.fill("legal_name", NEW_MEMBER).await;
    app.shot("week-03-new-member-for-the-group").await;
    app.click("[data-testid=save-member]").await;
    app.wait_text(&format!(
        "{NEW_MEMBER} was added to your practice and is on the roster as active."
    ))
    .await;
    wait_count(app, "[data-testid=roster-row]", 7).await;
    let route = app.script("return location.hash", vec![]).await;
    assert_eq!(route, json!(format!("#{roster}")), "back on the roster");
}

async fn attendance_choices_look_different(app: &App, session: SessionId) {
    app.go(&format!("/sessions/{session}")).await;
    let absent = app
        .wait("[data-testid$=-absent][aria-pressed=true]")
        .await
        .attr("data-testid")
        .await
        .unwrap()
        .unwrap();
    let member = absent
        .trim_start_matches("attendance-")
        .trim_end_matches("-absent");
    let colour = |state: &str| {
        format!(
            "return getComputedStyle(document.querySelector('[data-testid=attendance-{member}-{state}]')).backgroundColor"
        )
    };
    let absent_colour = app.script(&colour("absent"), vec![]).await;
    app.click(&format!("[data-testid=attendance-{member}-present]"))
        .await;
    app.wait(&format!(
        "[data-testid=attendance-{member}-present][aria-pressed=true]"
    ))
    .await;
    let present_colour = app.script(&colour("present"), vec![]).await;
    assert_ne!(
        absent_colour, present_colour,
        "Absent and Present look the same when chosen"
    );
    // Back as it was, so leaving asks nothing.
    app.click(&format!("[data-testid=attendance-{member}-absent]"))
        .await;
}

/// What a practitioner types into dates and times is read as meant, or refused in words, and
/// an empty date looks empty.
async fn typed_dates_and_times_are_understood_or_refused(
    app: &App,
    session: SessionId,
    first: MemberId,
) {
    app.go(&format!("/sessions/{session}")).await;
    app.wait("[data-testid=save-session]").await;
    let shown = |name: &str| {
        format!("const f = document.querySelector('[name={name}]'); return [f.value, HTMLInputElement.prototype.__lookupGetter__('value').call(f)]")
    };
    app.fill("start", "1830").await;
    app.press(TAB).await;
    assert_eq!(
        app.script(&shown("start"), vec![]).await,
        json!(["18:30", "18:30"]),
        "1830 is half past six in the evening"
    );
    app.fill("date", "31/02/2026").await;
    app.press(TAB).await;
    app.wait_text("There is no 31 February 2026.").await;
    app.click("[data-testid=save-session]").await;
    app.wait("[name=date][aria-invalid=true]:focus").await;
    assert!(
        !app.body_text().await.contains("Saved"),
        "a date that cannot be read is never saved"
    );
    app.shot("week-06-date-refused").await;
    app.fill("date", "10 Sep 2026").await;
    app.press(TAB).await;
    assert_eq!(
        app.script(&shown("date"), vec![]).await,
        json!(["2026-09-10", "Thu 10 Sep 2026"]),
        "the app's one date style"
    );
    crate::wait_gone(app, "[name=date][aria-invalid=true]").await;
    // Put back as saved, so leaving asks nothing.
    app.wait("[name=start]").await.clear().await.unwrap();
    app.press(TAB).await;

    app.go(&format!("/members/{first}/edit")).await;
    let birth = app.wait("[name=date_of_birth]").await;
    assert_eq!(birth.prop("value").await.unwrap(), Some(String::new()));
    assert_eq!(
        birth.attr("placeholder").await.unwrap().as_deref(),
        Some("For example 3 Dec 2026"),
        "an empty date shows only how to write one"
    );
}

/// The agreement's preview is client mode's own reading view: the practitioner's letterhead,
/// the two buttons on every rule, and the signing step, which signs nothing here.
async fn the_preview_is_client_mode(app: &App, roster: &str) {
    app.go(&format!("{roster}/agreement")).await;
    app.click("#tab-preview").await;
    let preview = app.wait(".client-preview").await.text().await.unwrap();
    for part in [
        "Harbour Counselling",
        "Dr Rowan Hale, Registered Psychotherapist",
        GROUP,
        "Sign the agreement",
    ] {
        assert!(preview.contains(part), "the preview lacks {part:?}");
    }
    let clauses = app
        .script(
            "return [document.querySelectorAll('.client-preview [data-testid=client-clause]').length, \
             document.querySelectorAll('.client-preview button[data-testid^=ack-]').length, \
             document.querySelectorAll('.client-preview button[data-testid^=discuss-]').length, \
             document.querySelectorAll('.client-preview input[type=checkbox]').length]",
            vec![],
        )
        .await;
    let count = clauses[0].clone();
    assert_eq!(
        clauses,
        json!([count, count, count, 0]),
        "buttons on every rule, no tick boxes"
    );
    app.shot("week-07-preview").await;
    // Each press as a practitioner would make it: scrolled to the middle of the window, clear
    // of the editor's save bar at the bottom.
    let press = |css: String| async move {
        app.script(
            "document.querySelector(arguments[0]).scrollIntoView({block: 'center'}); return true",
            vec![json!(css)],
        )
        .await;
        app.click(&css).await;
    };
    for i in 0..count.as_u64().unwrap() {
        press(format!(".client-preview [data-testid=ack-{i}]")).await;
    }
    app.wait(".client-preview [data-testid=client-sign]:not([disabled])")
        .await;
    press(".client-preview [data-testid=client-sign]".to_owned()).await;
    app.wait_text("Nothing was signed.").await;
    app.go(roster).await;
    app.wait("[data-testid=roster-row]").await;
    assert!(
        !app.body_text().await.contains("Signed v1"),
        "a preview signs nothing"
    );
}

async fn search_names_each_record_once(app: &App) {
    app.click("[data-testid=search-open]").await;
    let input = app.wait("[data-testid=search-input]").await;
    input.send_keys("trust").await.unwrap();
    app.wait(".search-hit").await;
    let hits = app
        .script(
            "return [...document.querySelectorAll('.search-hit > span:first-child')].map((s) => s.textContent)",
            vec![],
        )
        .await;
    let note = hits
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h.as_str())
        .find(|h| h.contains("note"))
        .unwrap_or_else(|| panic!("no note among {hits}"))
        .to_owned();
    assert_eq!(
        note,
        format!("{FIRST} · Thu 10 Sep 2026 · psychotherapy note"),
        "once each, and no raw date"
    );
    app.shot("week-05-search").await;
    input.clear().await.unwrap();
    input.send_keys("Angstrom").await.unwrap();
    app.wait_text("Zoë Ångström").await;
    let member = app
        .script(
            "return document.querySelector('.search-hit').textContent",
            vec![],
        )
        .await;
    assert_eq!(member, json!("Zoë Ångström"), "the name, once");
    app.press("\u{e00c}").await; // Escape closes the search, even with text in it
    crate::wait_gone(app, "[data-testid=search-input]").await;
}

/// While the session form runs past the window, its save bar is held at the very bottom edge
/// of the content area: no line of the form shows beneath it.
async fn the_save_bar_hides_nothing(app: &App, session: SessionId) {
    app.go(&format!("/sessions/{session}")).await;
    app.wait("[data-testid=save-session]").await;
    let gap = app
        .script(
            "const main = document.querySelector('main'); main.scrollTop = 0; \
             const held = document.querySelector('.sticky-actions'); const bar = held.getBoundingClientRect(); \
             const form = held.closest('form').getBoundingClientRect(); const area = main.getBoundingClientRect(); \
             return [form.bottom > area.bottom, Math.round(area.bottom - bar.bottom)]",
            vec![],
        )
        .await;
    assert_eq!(
        gap[0],
        json!(true),
        "the session form runs past the window, so its save bar is held at the bottom"
    );
    assert!(
        gap[1].as_i64().unwrap().abs() <= 1,
        "content shows beneath the save bar: {gap}"
    );
}
