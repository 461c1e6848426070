//! Client mode end to end: a member reads and signs their group's ground rules on the real
//! window, sees nothing else, and only the practitioner's passphrase ends it. axe-core checks
//! every client-mode screen for accessibility problems.

use holdspace::practice::{
    Enrollment, Group, GroupId, GroupKind, GroupStatus, Member, MemberId, MembershipStatus,
    Practice, PracticeProfile,
};
use holdspace::{KdfPolicy, Passphrase, Vault};
use serde_json::json;
use time::macros::date;

use crate::support::App;
use crate::PASSPHRASE;

const TAB: &str = "\u{e004}";
const SPACE: &str = "\u{e00d}";
const SIGNER: &str = "Ada Lovelace";
const OTHER: &str = "Zed Otherperson";

/// A practice with a profile, one group and two active members; returns the group and the
/// signer's ids.
fn practice_with_a_group(dir: &std::path::Path) -> (GroupId, MemberId) {
    let created = Vault::create(
        dir,
        &Passphrase::new(PASSPHRASE).unwrap(),
        KdfPolicy::InsecureTest,
    )
    .unwrap();
    let mut practice = Practice::unlock(created.vault).unwrap();
    practice
        .save_profile(PracticeProfile {
            practitioner_name: "Dr Rowan Hale".into(),
            credentials: "Registered Psychotherapist".into(),
            practice_name: "Harbour Counselling".into(),
            contact_line: "12 Quay Street · 01234 567890 · rowan@example.org".into(),
            auto_lock_minutes: 10,
        })
        .unwrap();
    let group = practice
        .create_group(Group {
            id: GroupId::random(),
            name: "Monday support group".into(),
            kind: GroupKind::Support,
            focus: String::new(),
            co_facilitator: None,
            schedule: None,
            location: "Room 2".into(),
            start_date: Some(date!(2026 - 01 - 05)),
            end_date: None,
            capacity: Some(8),
            enrollment: Enrollment::Open,
            status: GroupStatus::Running,
        })
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

fn member(name: &str) -> Member {
    Member {
        id: MemberId::random(),
        legal_name: name.into(),
        preferred_name: String::new(),
        pronouns: String::new(),
        date_of_birth: None,
        phone: String::new(),
        email: String::new(),
        emergency_contact: String::new(),
        individual_therapist: String::new(),
        referral_source: String::new(),
        intake_notes: String::new(),
        goals: String::new(),
        archived: false,
    }
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
    app.click(&format!("[data-testid=start-client-mode-{member}]"))
        .await;
    app.click("[data-testid=start-client-mode-confirm]").await;

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
