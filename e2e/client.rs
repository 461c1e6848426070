//! Client mode end to end: a member reads and signs their group's ground rules on the real
//! window, sees nothing else, and only the practitioner's passphrase ends it; guessing at that
//! passphrase earns a wait, and the practitioner is told afterwards. axe-core checks every
//! client-mode screen for accessibility problems.

use holdspace::practice::{GroupId, GroupKind, MemberId, MembershipStatus};
use serde_json::json;
use time::macros::date;

use crate::support::practice::{group, member, new_practice};
use crate::support::App;
use crate::PASSPHRASE;

const TAB: &str = "\u{e004}";
const SPACE: &str = "\u{e00d}";
const SIGNER: &str = "Ada Lovelace";
const OTHER: &str = "Zed Otherperson";

/// A practice with a profile, one group and two active members; returns the group and the
/// signer's ids.
fn practice_with_a_group(dir: &std::path::Path) -> (GroupId, MemberId) {
    let mut practice = new_practice(dir);
    let group = practice
        .create_group(group(
            "Monday support group",
            GroupKind::Support,
            date!(2026 - 01 - 05),
        ))
        .unwrap();
    let mut ids = Vec::new();
    for name in [SIGNER, OTHER] {
        let member = practice.create_member(member(name)).unwrap();
        practice
            .add_to_group(
                member.id,
                group.id,
                MembershipStatus::Active,
                Some(date!(2026 - 01 - 05)),
            )
            .unwrap();
        ids.push(member.id);
    }
    practice.lock().unwrap();
    (group.id, ids[0])
}

/// Opens the roster row's actions menu for `member` and hands the computer over.
async fn open_client_mode(app: &App, member: MemberId) {
    app.click(&format!("[data-testid=roster-actions-{member}]"))
        .await;
    app.click(&format!("[data-testid=start-client-mode-{member}]"))
        .await;
    app.click("[data-testid=start-client-mode-confirm]").await;
}

#[tokio::test]
#[ignore = "end to end: needs Xvfb, tauri-driver, webkit2gtk-driver and axe-core (make test)"]
async fn a_client_reads_signs_and_hands_the_computer_back() {
    let dir = tempfile::tempdir().unwrap();
    let (group, member) = practice_with_a_group(dir.path());
    let app = App::start(dir.path(), &[]).await;
    app.fill("passphrase", PASSPHRASE).await;
    app.click("[data-testid=unlock]").await;
    app.wait("[data-testid=lock]").await;
    let roster = format!("/groups/{group}");
    app.go(&roster).await;
    open_client_mode(&app, member).await;

    // Only the agreement: no other member's name anywhere in the page, no practitioner chrome.
    app.wait("[data-testid=client-clause]").await;
    let page = app
        .script("return document.documentElement.textContent", vec![])
        .await;
    let page = page.as_str().unwrap_or_default();
    assert!(
        !page.contains(OTHER),
        "another member's name is in client mode"
    );
    assert!(page.contains("Monday support group") && page.contains("Harbour Counselling"));
    assert_eq!(
        app.script(
            "return document.querySelectorAll('[data-testid=lock], nav').length",
            vec![]
        )
        .await,
        json!(0)
    );
    app.shot("client-01-reading").await;
    app.assert_accessible("the reading view").await;

    // Keyboard only: Tab to each "I understand" and press Space.
    let clauses = app
        .script(
            "return document.querySelectorAll('[data-testid=client-clause]').length",
            vec![],
        )
        .await;
    let clauses = clauses.as_u64().unwrap();
    for clause in 0..clauses {
        let target = format!("ack-{clause}");
        let mut presses = 0;
        while app.focused_testid().await != target {
            app.press(TAB).await;
            presses += 1;
            assert!(presses < 40, "Tab never reached {target}");
        }
        app.press(SPACE).await;
    }
    app.wait_text(&format!("{clauses} of {clauses}")).await;
    // Scrolled to the end, the progress line and the way back are still in view.
    let bar = app
        .script(
            "scrollTo(0, document.body.scrollHeight); return Math.round(document.querySelector('.client-bar').getBoundingClientRect().top)",
            vec![],
        )
        .await;
    assert_eq!(bar, json!(0), "the client's bar scrolled out of view");
    // One rule to talk about: the practitioner is told its heading, never a number.
    let heading = app
        .script(
            "return document.querySelector('[data-testid=client-clause] h2').textContent",
            vec![],
        )
        .await;
    let heading = heading.as_str().unwrap().to_owned();
    app.click("[data-testid=discuss-0]").await;
    app.wait("[data-testid=discuss-0][aria-pressed=true]").await;

    app.click("[data-testid=client-info-open]").await;
    app.wait("[data-testid=client-info]").await;
    app.shot("client-02-how-your-information-is-kept").await;
    app.assert_accessible("how your information is kept").await;
    app.press("\u{e00c}").await; // Esc closes it.

    app.click("[data-testid=high-contrast]").await;
    app.click("[data-testid=text-larger]").await;
    app.shot("client-03-high-contrast-larger").await;
    app.assert_accessible("high contrast, larger text").await;
    app.click("[data-testid=high-contrast]").await;

    app.fill_css("[data-testid=typed-name]", SIGNER).await;
    app.shot("client-04-signing").await;
    app.click("[data-testid=client-sign]").await;
    app.wait("[data-testid=client-thanks]").await;
    app.shot("client-05-thank-you").await;
    app.assert_accessible("the thank-you screen").await;

    // Back, reload and the practitioner's shortcuts all stay in client mode.
    app.driver.back().await.ok();
    app.wait("[data-testid=client-thanks]").await;
    app.driver.refresh().await.unwrap();
    app.wait("[data-testid=client-thanks]").await;
    app.press("\u{e009}k").await; // Ctrl+K
    app.press("\u{e009}\u{e008}l").await; // Ctrl+Shift+L
    app.wait("[data-testid=client-thanks]").await;
    assert_eq!(app.script("return document.querySelectorAll('[data-testid=search-input], [data-testid=unlock]').length", vec![]).await, json!(0));

    // Only the right passphrase ends it.
    app.click("[data-testid=practitioner-exit]").await;
    app.fill_css("[data-testid=exit-passphrase]", "not the passphrase at all")
        .await;
    app.click("[data-testid=exit-confirm]").await;
    app.wait_text("That passphrase isn't right").await;
    app.shot("client-06-practitioner-exit").await;
    app.assert_accessible("the practitioner's exit").await;
    app.fill_css("[data-testid=exit-passphrase]", PASSPHRASE)
        .await;
    app.click("[data-testid=exit-confirm]").await;
    app.wait("[data-testid=roster-row]").await;
    app.wait_text("Signed v1").await;

    // Back on the roster, a notice says what the visit came to, by the rule's heading, and the
    // roster and the agreement tab name the rule too.
    let notice = app
        .wait("[data-testid=client-visit-notice]")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        notice.contains("Client mode has ended")
            && notice.contains(&format!("{SIGNER} signed version 1"))
            && notice.contains(&heading),
        "{notice}"
    );
    app.wait_text(&format!("Wants to talk about: {heading}"))
        .await;
    app.shot("client-06b-visit-ended").await;
    app.go(&format!("{roster}?tab=agreement")).await;
    app.wait_text(&format!("Wants to talk about: {heading}"))
        .await;
    let page = app
        .script("return document.querySelector('main').textContent", vec![])
        .await;
    assert!(
        !page.as_str().unwrap().contains("about clause"),
        "a rule is named by its heading, not its number"
    );
    app.click("[data-testid=client-visit-dismiss]").await;
    crate::wait_gone(&app, "[data-testid=client-visit-notice]").await;

    // Home keeps the rule on its "to talk about" list until it is marked, and then the
    // roster stops asking.
    app.go("/home").await;
    let waiting = app
        .wait("[data-testid=to-discuss]")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        waiting.contains(&heading) && waiting.contains("Ada"),
        "{waiting}"
    );
    app.shot("client-06c-home-to-talk-about").await;
    app.assert_accessible("home with a rule to talk about")
        .await;
    app.click("[data-testid^=talked-about-]").await;
    app.wait_text("is marked as talked about").await;
    crate::wait_gone(&app, "[data-testid=to-discuss]").await;
    app.go(&roster).await;
    app.wait("[data-testid=roster-row]").await;
    app.go(&format!("{roster}?tab=agreement")).await;
    app.wait_text(&format!("Talked about: {heading}")).await;
    app.go(&roster).await;
    app.wait("[data-testid=roster-row]").await;
    assert!(
        !app.body_text().await.contains("Wants to talk about"),
        "the roster no longer asks once it is talked about"
    );

    // Publishing version 2 asks the member to re-sign.
    app.go(&format!("{roster}/agreement")).await;
    app.fill("title", "Our group agreement, revised").await;
    app.click("[data-testid=publish-agreement]").await;
    app.click("[data-testid=publish-confirm]").await;
    app.wait("[data-testid=agreement-result]").await;
    app.go(&roster).await;
    app.wait_text("Needs re-signing").await;
    app.shot("client-07-roster-needs-resigning").await;
    app.quit().await;
}

/// The exit dialog's error line (beside the passphrase).
async fn exit_error(app: &App) -> String {
    let text = app
        .script(
            "const e = document.querySelector('[data-field=passphrase] .field-error'); return e ? e.textContent : ''",
            vec![],
        )
        .await;
    text.as_str().unwrap_or_default().to_owned()
}

/// Types `passphrase` into the exit dialog, presses "End client mode" and waits until the
/// dialog shows an error again; returns it.
async fn try_exit_passphrase(app: &App, passphrase: &str) -> String {
    app.fill_css("[data-testid=exit-passphrase]", passphrase)
        .await;
    // Blank the last answer first, so the one awaited below cannot be the one before it.
    app.script(
        "document.querySelector('[data-field=passphrase] .field-error').textContent = ''; return 1",
        vec![],
    )
    .await;
    app.click("[data-testid=exit-confirm]").await;
    let started = std::time::Instant::now();
    loop {
        let shown = exit_error(app).await;
        if !shown.is_empty() {
            return shown;
        }
        assert!(
            started.elapsed() < crate::support::PATIENCE,
            "the exit dialog never answered; the page shows:\n{}",
            app.body_text().await
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

async fn exit_button_enabled(app: &App) -> bool {
    app.wait("[data-testid=exit-confirm]")
        .await
        .is_enabled()
        .await
        .unwrap_or(false)
}

#[tokio::test]
#[ignore = "end to end: needs Xvfb, tauri-driver and webkit2gtk-driver (make test)"]
async fn guessing_the_exit_passphrase_makes_the_client_wait_and_the_practitioner_is_told() {
    let dir = tempfile::tempdir().unwrap();
    let (group, member) = practice_with_a_group(dir.path());
    let app = App::start(dir.path(), &[]).await;
    app.fill("passphrase", PASSPHRASE).await;
    app.click("[data-testid=unlock]").await;
    app.wait("[data-testid=lock]").await;
    app.go(&format!("/groups/{group}")).await;
    open_client_mode(&app, member).await;
    app.wait("[data-testid=client-clause]").await;

    // Three wrong passphrases are just refused; the third starts a 5-second wait.
    app.click("[data-testid=practitioner-exit]").await;
    for attempt in 1..=3 {
        let said = try_exit_passphrase(&app, &format!("a wrong guess number {attempt}")).await;
        assert!(
            said.starts_with("That passphrase isn't right"),
            "wrong passphrase {attempt}: {said}"
        );
    }

    // The fourth try, even with the right passphrase, is refused calmly without a check, and
    // says how long the wait still is (5 seconds from the third).
    let said = try_exit_passphrase(&app, PASSPHRASE).await;
    let refused_at = std::time::Instant::now();
    let wait = said
        .strip_prefix("Please hand the computer back to your therapist. ")
        .unwrap_or_else(|| panic!("the fourth try is refused calmly: {said}"));
    let seconds: u64 = match wait.strip_prefix("You can try again in ") {
        Some("a second.") => 1,
        Some(rest) => rest
            .strip_suffix(" seconds.")
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("the wait is said in seconds: {said}")),
        None => panic!("the wait is said: {said}"),
    };
    assert!(
        (2..=5).contains(&seconds),
        "the fourth try came about a second after the third, so most of the 5-second wait is \
         left, yet the dialog says: {said} (does the page get the shell's retry_after_seconds?)"
    );
    assert!(!exit_button_enabled(&app).await, "the button waits too");
    app.wait("[data-testid=client-clause]").await; // Still in client mode.
    app.shot("client-08-exit-waiting").await;
    app.assert_accessible("the exit dialog while waiting").await;

    // The button comes back by itself when the wait is over, not before; then the
    // passphrase ends client mode at the first try.
    while !exit_button_enabled(&app).await {
        assert!(
            refused_at.elapsed() < std::time::Duration::from_secs(10),
            "the wait did not end after 5 seconds; the dialog says: {}",
            exit_error(&app).await
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(
        refused_at.elapsed() >= std::time::Duration::from_secs(seconds - 1),
        "the button came back after {:?}, before the {seconds} seconds it said",
        refused_at.elapsed()
    );
    assert_eq!(
        exit_error(&app).await,
        "",
        "the waiting sentence goes with the wait"
    );
    app.fill_css("[data-testid=exit-passphrase]", PASSPHRASE)
        .await;
    app.click("[data-testid=exit-confirm]").await;
    let started = std::time::Instant::now();
    while app
        .script(
            "return document.querySelectorAll('[data-testid=roster-row]').length",
            vec![],
        )
        .await
        == json!(0)
    {
        let refused = exit_error(&app).await;
        assert!(
            refused.is_empty(),
            "the right passphrase after the wait was refused: {refused}"
        );
        assert!(
            started.elapsed() < crate::support::PATIENCE,
            "the roster never came back; the page shows:\n{}",
            app.body_text().await
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }

    // The practitioner hears about it, in the visit's banner, which stays until dismissed.
    let notice = app.wait("[data-testid=client-visit-notice]").await;
    let said = notice.text().await.unwrap();
    assert!(
        said.starts_with("Client mode has ended.")
            && said.contains(&format!("{SIGNER} left client mode without signing"))
            && said.contains("Wrong passphrases.")
            && said.contains("typed wrongly 3 times")
            && said.contains("one more try was refused"),
        "the banner says what happened: {said}"
    );
    app.shot("client-09-exit-notice").await;
    app.assert_accessible("the client-mode exit notice").await;
    app.go("/members").await;
    app.wait("[data-testid=member-row]").await;
    app.wait("[data-testid=client-visit-notice]").await;
    app.click("[data-testid=client-visit-dismiss]").await;
    let started = std::time::Instant::now();
    while app
        .script(
            "return document.querySelectorAll('[data-testid=client-visit-notice]').length",
            vec![],
        )
        .await
        != json!(0)
    {
        assert!(
            started.elapsed() < crate::support::PATIENCE,
            "Dismiss did not remove the banner"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    app.driver.refresh().await.unwrap();
    app.wait("[data-testid=lock]").await;
    app.wait("[data-testid=member-row]").await;
    assert_eq!(
        app.script(
            "return document.querySelectorAll('[data-testid=client-visit-notice]').length",
            vec![]
        )
        .await,
        json!(0),
        "a dismissed banner stays dismissed"
    );

    // Each wrong passphrase is in the audit log (the try refused while waiting was not checked).
    app.go("/audit").await;
    app.wait("[data-testid=audit-row]").await;
    let wrong = app
        .script(
            "return [...document.querySelectorAll('[data-testid=audit-row]')].filter((r) => r.textContent.includes('Wrong passphrase to end client mode')).length",
            vec![],
        )
        .await;
    assert_eq!(
        wrong,
        json!(3),
        "the audit log lists the three wrong passphrases"
    );
    app.shot("client-10-audit-wrong-exit-passphrases").await;
    app.quit().await;
}
