//! Drafts: what a page holds unsaved is sealed into the vault when the practice locks, found
//! again after the next unlock, settled (saved or discarded) with an audit event either way,
//! and never part of the practice JSON, a backup, search or a member's record.

mod common;

use std::collections::BTreeMap;

use common::builders::{empty_practice, fixed_now, member};
use common::{passphrase, PASSPHRASE, POLICY};
use holdspace::practice::drafts::{MAX_FIELDS, MAX_PLACES};
use holdspace::practice::transfer::PracticeJson;
use holdspace::practice::{AuditAction, Practice, PracticeError, Settled};
use holdspace::Vault;

/// Notes as people write them: Greek, Turkish, Arabic, Chinese, Korean, a particle, a
/// non-breaking space and an emoji.
const NOTE: &str =
    "Ελένη spoke first; Çağrı\u{a0}İnce listened — «مرحبا» 你好 안녕하세요, van der Berg 🌿";

fn fields(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Locks `practice` and unlocks its vault again on the test clock.
fn relock(practice: Practice, dir: &std::path::Path) -> Practice {
    practice.lock().expect("lock");
    let vault = Vault::open(dir, &passphrase(PASSPHRASE), POLICY).expect("reopen");
    let mut practice = Practice::unlock(vault).expect("unlock");
    practice.set_clock(fixed_now);
    practice
}

fn actions(practice: &Practice) -> Vec<AuditAction> {
    practice.state().audit.iter().map(|e| e.action).collect()
}

#[test]
fn what_a_page_holds_unsaved_is_sealed_at_the_lock_and_found_after_unlock() {
    let (tmp, mut practice) = empty_practice();
    let dir = tmp.path().join("vault");
    let note = fields(&[("group_note", NOTE), ("note:progress:m1", "half a thought")]);
    practice
        .hold_unsaved("/sessions/abc", "Session 3 of Tuesday group", note.clone())
        .unwrap();
    practice
        .hold_unsaved(
            "/members/new",
            "New member",
            fields(&[("legal_name", "Zoë O'Brien-Ng")]),
        )
        .unwrap();
    assert_eq!(practice.unsaved_places(), ["/members/new", "/sessions/abc"]);
    assert!(
        practice.drafts().is_empty(),
        "nothing is written before the lock"
    );

    let practice = relock(practice, &dir);
    let kept = practice
        .draft("/sessions/abc")
        .expect("the session's draft");
    assert_eq!(kept.fields, note);
    assert_eq!(kept.title, "Session 3 of Tuesday group");
    assert_eq!(practice.drafts().len(), 2);
    assert!(
        practice.unsaved_places().is_empty(),
        "held changes are not held again after unlock"
    );
    let kept_event = practice
        .state()
        .audit
        .iter()
        .find(|e| e.action == AuditAction::DraftKept)
        .expect("audited");
    assert_eq!(
        kept_event.detail, "unsaved changes kept as drafts at the lock: a member, a session",
        "the audit trail says what kind of page, never its title (which may name a client)"
    );
    assert!(
        !kept_event.detail.contains("half a thought"),
        "the audit trail names pages, never what was typed"
    );
}

#[test]
fn a_draft_is_settled_once_saved_or_discarded_and_audited_either_way() {
    let (tmp, mut practice) = empty_practice();
    let dir = tmp.path().join("vault");
    practice
        .hold_unsaved("/sessions/a", "Session 1", fields(&[("group_note", NOTE)]))
        .unwrap();
    practice
        .hold_unsaved(
            "/members/new",
            "New member",
            fields(&[("legal_name", "Ayşe")]),
        )
        .unwrap();
    let mut practice = relock(practice, &dir);

    practice
        .settle_draft("/sessions/a", Settled::Saved)
        .unwrap();
    practice
        .settle_draft("/members/new", Settled::Discarded)
        .unwrap();
    assert!(practice.drafts().is_empty());
    assert!(actions(&practice).contains(&AuditAction::DraftSaved));
    assert!(actions(&practice).contains(&AuditAction::DraftDiscarded));
    let missing = practice.settle_draft("/members/new", Settled::Discarded);
    assert!(
        matches!(missing, Err(PracticeError::NotFound { kind: "draft", .. })),
        "{missing:?}"
    );

    // Settled drafts stay settled across the next lock, which keeps nothing new.
    let practice = relock(practice, &dir);
    assert!(practice.drafts().is_empty());
}

#[test]
fn holding_again_replaces_and_nothing_held_forgets() {
    let (tmp, mut practice) = empty_practice();
    let dir = tmp.path().join("vault");
    practice
        .hold_unsaved(
            "/sessions/a",
            "Session 1",
            fields(&[("group_note", "first")]),
        )
        .unwrap();
    practice
        .hold_unsaved(
            "/sessions/a",
            "Session 1",
            fields(&[("group_note", "second")]),
        )
        .unwrap();
    practice
        .hold_unsaved("/members/new", "New member", fields(&[("legal_name", "x")]))
        .unwrap();
    practice
        .hold_unsaved("/members/new", "New member", BTreeMap::new())
        .unwrap();
    practice
        .hold_unsaved("/groups/new", "New group", fields(&[("name", "y")]))
        .unwrap();
    practice.forget_unsaved("/groups/new");
    let mut practice = relock(practice, &dir);
    assert_eq!(practice.drafts().len(), 1);
    assert_eq!(practice.drafts()[0].fields["group_note"], "second");

    // A draft kept again for the same page replaces the older one.
    practice
        .hold_unsaved(
            "/sessions/a",
            "Session 1",
            fields(&[("group_note", "third")]),
        )
        .unwrap();
    let practice = relock(practice, &dir);
    assert_eq!(practice.drafts().len(), 1);
    assert_eq!(practice.drafts()[0].fields["group_note"], "third");
}

#[test]
fn what_a_page_may_hold_is_bounded_and_refused_with_a_reason() {
    let (_tmp, mut practice) = empty_practice();
    let ok = fields(&[("group_note", "x")]);
    let refused = |p: &mut Practice, place: &str, title: &str, f: BTreeMap<String, String>| {
        matches!(
            p.hold_unsaved(place, title, f),
            Err(PracticeError::Invalid(_))
        )
    };
    assert!(
        refused(&mut practice, "sessions/a", "Session", ok.clone()),
        "not a place in the app"
    );
    assert!(
        refused(&mut practice, "/a\nb", "Session", ok.clone()),
        "a control character"
    );
    assert!(
        refused(&mut practice, "/a", " ", ok.clone()),
        "a blank title"
    );
    assert!(
        refused(&mut practice, "/a", "Session", fields(&[("", "x")])),
        "a nameless field"
    );
    let too_long = "ü".repeat(60 * 1024);
    assert!(
        refused(
            &mut practice,
            "/a",
            "Session",
            fields(&[("note", &too_long)])
        ),
        "a text over 100 KB"
    );
    let many: BTreeMap<String, String> = (0..=MAX_FIELDS)
        .map(|i| (format!("f{i}"), "x".into()))
        .collect();
    assert!(
        refused(&mut practice, "/a", "Session", many),
        "too many fields"
    );
    for i in 0..MAX_PLACES {
        practice
            .hold_unsaved(&format!("/p/{i}"), "Page", ok.clone())
            .unwrap();
    }
    assert!(
        refused(&mut practice, "/one/more", "Page", ok.clone()),
        "too many pages"
    );
    practice
        .hold_unsaved("/p/0", "Page", ok)
        .expect("a page already held may change");
}

#[test]
fn drafts_are_not_in_the_practice_json_backups_search_or_a_members_record() {
    let (tmp, mut practice) = empty_practice();
    let dir = tmp.path().join("vault");
    let m = practice
        .create_member(member("Quillon Zebradraft"))
        .unwrap();
    let place = format!("/members/{}/edit", m.id);
    practice
        .hold_unsaved(
            &place,
            "Edit Quillon",
            fields(&[("intake_notes", "Xylodraftword")]),
        )
        .unwrap();
    let mut practice = relock(practice, &dir);
    assert!(practice.draft(&place).is_some());

    let exported = String::from_utf8(practice.export().unwrap().to_json()).unwrap();
    assert!(
        !exported.contains("Xylodraftword"),
        "the practice JSON holds no draft"
    );
    let backed_up = PracticeJson::from_state(practice.state(), fixed_now()).to_json();
    assert!(
        !String::from_utf8(backed_up)
            .unwrap()
            .contains("Xylodraftword"),
        "a backup holds no draft"
    );
    assert_eq!(
        practice.search("Xylodraftword", 10).total(),
        0,
        "search finds no draft"
    );
    let record = practice.export_member_record(m.id).unwrap();
    assert!(
        !format!("{record:?}").contains("Xylodraftword"),
        "a member's record holds no draft"
    );
}

#[test]
fn a_drafts_debug_shows_its_place_never_what_was_typed() {
    let (tmp, mut practice) = empty_practice();
    practice
        .hold_unsaved(
            "/sessions/a",
            "Session 1",
            fields(&[("group_note", "Xylodebugword")]),
        )
        .unwrap();
    let practice = relock(practice, &tmp.path().join("vault"));
    let shown = format!("{:?}", practice.drafts());
    assert!(
        shown.contains("/sessions/a") && !shown.contains("Xylodebugword"),
        "{shown}"
    );
}

#[test]
fn the_audit_trail_says_what_kind_of_page_a_draft_was() {
    use holdspace::practice::drafts::kind_of_page;
    for (place, kind) in [
        ("/sessions/abc", "a session"),
        ("/groups/g1/sessions/new", "a session"),
        ("/groups/g1/agreement", "an agreement"),
        ("/groups/new", "a group"),
        ("/groups/g1/edit", "a group"),
        ("/members/new", "a member"),
        ("/members/m1/edit", "a member"),
        ("/incidents/new", "an incident"),
        ("/client/m1/a1", "a client's reading in client mode"),
        ("/settings", "a page"),
        ("/", "a page"),
    ] {
        assert_eq!(kind_of_page(place), kind, "{place}");
    }
}

proptest::proptest! {
    /// Whatever a page sends — any script, any length — is checked without a panic, and a
    /// place is always described without echoing it.
    #[test]
    fn any_place_title_and_fields_are_checked_without_panic(
        place in "\\PC{0,40}",
        title in "\\PC{0,40}",
        name in "\\PC{0,20}",
        value in "\\PC{0,200}",
    ) {
        let fields: BTreeMap<String, String> = [(name, value)].into_iter().collect();
        let _ = holdspace::practice::drafts::check_unsaved(&place, &title, &fields);
        let kind = holdspace::practice::drafts::kind_of_page(&place);
        proptest::prop_assert!(kind.starts_with("a"));
    }
}
