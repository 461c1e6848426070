//! The practice's rules end to end over a real (test-KDF) vault: roster changes, attendance
//! only for members of the group on the date, agreement versions and re-signing, immutability
//! of signed versions, archiving and purging, validation naming the field, one audit event per
//! change, and everything surviving a lock and unlock.

mod common;

use common::builders::*;
use common::{passphrase, PASSPHRASE, POLICY};
use holdspace::practice::*;
use holdspace::Vault;
use time::macros::date;

/// A group with one active member who joined on 2026-09-03.
fn group_with_member(p: &mut Practice) -> (GroupId, MemberId) {
    group_with_member_named(p, "Thursday grief group", "Ana López")
}

#[test]
fn a_new_group_starts_with_version_1_of_the_default_agreement() {
    let (_t, mut p) = empty_practice();
    let g = p.create_group(group("Thursday grief group")).unwrap();
    let v1 = p.current_agreement(g.id).unwrap();
    assert_eq!(v1.number, 1);
    assert!(!v1.text.clauses.is_empty());
    assert_eq!(v1.content_hash, agreement::content_hash(&v1.text));
}

#[test]
fn every_change_leaves_exactly_one_audit_event() {
    let (_t, mut p) = empty_practice();
    let mut count = p.state().audit.len();
    let mut step = |p: &Practice, what: &str| {
        assert_eq!(p.state().audit.len(), count + 1, "after {what}");
        count = p.state().audit.len();
    };
    let g = p.create_group(group("G")).unwrap();
    step(&p, "create group (with its v1 agreement)");
    let m = p.create_member(member("Ana")).unwrap();
    step(&p, "create member");
    let ms = p
        .add_to_group(
            m.id,
            g.id,
            MembershipStatus::Active,
            Some(date!(2026 - 09 - 03)),
        )
        .unwrap();
    step(&p, "add to group");
    p.update_membership(Membership {
        status: MembershipStatus::Completed,
        left: Some(date!(2026 - 11 - 01)),
        ..ms
    })
    .unwrap();
    step(&p, "change status");
    p.save_profile(PracticeProfile {
        practice_name: "Quiet Harbour".into(),
        auto_lock_minutes: 10,
        ..Default::default()
    })
    .unwrap();
    step(&p, "profile");
    let err = p.create_member(member("")).unwrap_err();
    assert!(matches!(err, PracticeError::Invalid(_)));
    assert_eq!(
        p.state().audit.len(),
        count,
        "a refused change leaves no event"
    );
}

#[test]
fn attendance_only_for_members_of_the_group_on_that_date() {
    let (_t, mut p) = empty_practice();
    let (g, ana) = group_with_member(&mut p);
    let late_joiner = p.create_member(member("Bo")).unwrap().id;
    p.add_to_group(
        late_joiner,
        g,
        MembershipStatus::Active,
        Some(date!(2026 - 10 - 01)),
    )
    .unwrap();
    let mut early = session(g, date!(2026 - 09 - 10), 1);
    early.attendance.insert(ana, Attendance::Present);
    p.save_session(early.clone()).unwrap();
    early.attendance.insert(late_joiner, Attendance::Late);
    let err = p.save_session(early).unwrap_err();
    match err {
        PracticeError::Invalid(i) => assert!(i.field.starts_with("attendance["), "{i}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn leaving_a_group_does_not_touch_past_sessions() {
    let (_t, mut p) = empty_practice();
    let (g, ana) = group_with_member(&mut p);
    let mut s = session(g, date!(2026 - 09 - 10), 1);
    s.attendance.insert(ana, Attendance::Present);
    let s = p.save_session(s).unwrap();
    let ms = p.state().memberships.values().next().unwrap().clone();
    p.update_membership(Membership {
        status: MembershipStatus::Withdrawn,
        left: Some(date!(2026 - 10 - 15)),
        reason: "moved away".into(),
        ..ms.clone()
    })
    .unwrap();
    assert_eq!(
        p.state().sessions[&s.id].attendance[&ana],
        Attendance::Present
    );
    // Removing the membership entirely is refused while there is history.
    assert!(matches!(
        p.remove_from_group(ms.id),
        Err(PracticeError::Invalid(_))
    ));
}

#[test]
fn editing_an_unsigned_version_replaces_it_and_a_signed_one_publishes_the_next() {
    let (_t, mut p) = empty_practice();
    let (g, ana) = group_with_member(&mut p);
    let mut text = p.current_agreement(g).unwrap().text.clone();
    text.title = "Our promises to each other".into();
    let saved = p
        .save_agreement(g, text.clone(), date!(2026 - 09 - 03))
        .unwrap();
    assert!(!saved.published_new_version);
    assert_eq!(saved.version.number, 1);
    assert_eq!(
        p.signature_state(ana, g),
        agreement::SignatureState::NeedsSignature
    );
    assert_eq!(p.members_needing_signature(g), vec![ana]);
    sign_current(&mut p, ana, g);
    assert_eq!(
        p.signature_state(ana, g),
        agreement::SignatureState::Signed { version: 1 }
    );
    text.introduction.push_str(" We added a rule about phones.");
    let saved = p.save_agreement(g, text, date!(2026 - 11 - 26)).unwrap();
    assert!(saved.published_new_version);
    assert_eq!(saved.version.number, 2);
    assert_eq!(saved.needs_resigning, vec![ana]);
    assert_eq!(
        p.signature_state(ana, g),
        agreement::SignatureState::NeedsResigning { signed_version: 1 }
    );
    assert_eq!(p.agreement_history(g).len(), 2);
    sign_current(&mut p, ana, g);
    assert!(p.members_needing_resigning(g).is_empty());
}

#[test]
fn a_signed_version_cannot_be_changed_by_any_path() {
    let (_t, mut p) = empty_practice();
    let (g, ana) = group_with_member(&mut p);
    let sig = sign_current(&mut p, ana, g);
    let v1 = p.current_agreement(g).unwrap().clone();
    // Withdrawing the signature does not make the version editable again.
    p.withdraw_signature(sig.id, "changed my mind").unwrap();
    let mut text = v1.text.clone();
    text.title = "Changed".into();
    let saved = p.save_agreement(g, text, v1.effective_date).unwrap();
    assert_eq!(
        saved.version.number, 2,
        "a new version, never an edit of v1"
    );
    assert_eq!(p.state().agreements[&v1.id], v1, "v1 is unchanged");
    assert_eq!(
        p.state().signatures[&sig.id]
            .withdrawal
            .as_ref()
            .unwrap()
            .reason,
        "changed my mind"
    );
}

#[test]
fn signing_needs_every_clause_acknowledged_and_the_current_version() {
    let (_t, mut p) = empty_practice();
    let (g, ana) = group_with_member(&mut p);
    let v1 = p.current_agreement(g).unwrap().clone();
    let mut request = SignRequest {
        member: ana,
        agreement: v1.id,
        typed_name: "Ana López".into(),
        method: SignatureMethod::PaperCopy,
        acknowledged: vec![true; v1.text.clauses.len()],
        discuss: vec![],
    };
    request.acknowledged[0] = false;
    assert!(
        matches!(p.sign(request.clone()), Err(PracticeError::Invalid(i)) if i.field == "acknowledged")
    );
    request.acknowledged[0] = true;
    let outsider = p.create_member(member("Not In Group")).unwrap().id;
    assert!(p
        .sign(SignRequest {
            member: outsider,
            ..request.clone()
        })
        .is_err());
    let sig = p.sign(request).unwrap();
    assert_eq!(sig.content_hash, v1.content_hash);
    assert_eq!(sig.signed_at, fixed_now());
}

#[test]
fn members_with_history_are_archived_and_purge_removes_everything() {
    let (_t, mut p) = empty_practice();
    let (g, ana) = group_with_member(&mut p);
    let loner = p.create_member(member("No History")).unwrap().id;
    assert_eq!(p.delete_member(loner).unwrap(), DeleteOutcome::Deleted);
    assert!(!p.state().members.contains_key(&loner));
    sign_current(&mut p, ana, g);
    let mut s = session(g, date!(2026 - 09 - 10), 1);
    s.attendance.insert(ana, Attendance::Present);
    let s = p.save_session(s).unwrap();
    p.save_note(Note {
        id: NoteId::random(),
        session: s.id,
        member: ana,
        kind: NoteKind::Progress,
        text: "spoke first".into(),
    })
    .unwrap();
    assert_eq!(p.delete_member(ana).unwrap(), DeleteOutcome::Archived);
    assert!(p.state().members[&ana].archived);
    let preview = p.purge_preview(ana).unwrap();
    assert_eq!(
        (
            preview.memberships,
            preview.signatures,
            preview.notes,
            preview.attendance_entries
        ),
        (1, 1, 1, 1)
    );
    let report = p.purge_member(ana).unwrap();
    assert_eq!(
        report,
        PurgeReport {
            erased: true,
            ..preview
        },
        "purged, then erased from the vault's files"
    );
    let st = p.state();
    assert!(!st.members.contains_key(&ana));
    assert!(st.signatures.is_empty() && st.notes.is_empty() && st.memberships.is_empty());
    assert!(
        st.sessions[&s.id].attendance.is_empty(),
        "the session stays, without the member"
    );
    let purged = st
        .audit
        .iter()
        .rev()
        .find(|e| e.action == AuditAction::Purged)
        .unwrap();
    assert!(!purged.detail.contains("Ana"));
    let last = st.audit.last().unwrap();
    assert_eq!(last.detail, holdspace::practice::unlocked::ERASED);
}

#[test]
fn validation_names_the_field_and_keeps_the_vault_unchanged() {
    let (_t, mut p) = empty_practice();
    let before = p.vault().len();
    let cases: Vec<(Member, &str)> = vec![
        (member(""), "legal_name"),
        (member(&"x".repeat(201)), "legal_name"),
        (
            Member {
                email: "not-an-email".into(),
                ..member("A")
            },
            "email",
        ),
        (
            Member {
                date_of_birth: Some(date!(2027 - 01 - 01)),
                ..member("A")
            },
            "date_of_birth",
        ),
        (
            Member {
                intake_notes: "x".repeat(100 * 1024 + 1),
                ..member("A")
            },
            "intake_notes",
        ),
    ];
    for (m, field) in cases {
        match p.create_member(m) {
            Err(PracticeError::Invalid(i)) => assert_eq!(i.field, field),
            other => panic!("{field}: {other:?}"),
        }
    }
    assert_eq!(p.vault().len(), before);
    for name in [
        "أحمد الخطيب",
        "Zoë Ça\u{301}",
        "🌱 Sam",
        "<img src=x onerror=alert(1)>",
    ] {
        p.create_member(member(name)).unwrap();
    }
}

#[test]
fn capacity_is_enforced_for_active_members() {
    let (_t, mut p) = empty_practice();
    let g = p
        .create_group(Group {
            capacity: Some(1),
            ..group("Small")
        })
        .unwrap()
        .id;
    let a = p.create_member(member("A")).unwrap().id;
    let b = p.create_member(member("B")).unwrap().id;
    p.add_to_group(a, g, MembershipStatus::Active, None)
        .unwrap();
    assert!(p
        .add_to_group(b, g, MembershipStatus::Active, None)
        .is_err());
    p.add_to_group(b, g, MembershipStatus::Waitlisted, None)
        .unwrap();
    assert!(
        p.add_to_group(b, g, MembershipStatus::Waitlisted, None)
            .is_err(),
        "already on the roster"
    );
}

#[test]
fn everything_survives_lock_and_unlock() {
    let (_t, mut p) = empty_practice();
    let (g, ana) = group_with_member(&mut p);
    sign_current(&mut p, ana, g);
    let mut s = session(g, date!(2026 - 09 - 10), 1);
    s.attendance.insert(ana, Attendance::Late);
    s.group_note = "A quiet first session.".into();
    p.save_session(s).unwrap();
    let before = p.state().clone();
    let dir = p.vault().dir().to_path_buf();
    p.lock().unwrap();
    let vault = Vault::open(&dir, &passphrase(PASSPHRASE), POLICY).unwrap();
    let p = Practice::unlock(vault).unwrap();
    let after = p.state();
    assert_eq!(after.groups, before.groups);
    assert_eq!(after.members, before.members);
    assert_eq!(after.sessions, before.sessions);
    assert_eq!(after.signatures, before.signatures);
    assert_eq!(after.agreements, before.agreements);
    // Lock and unlock are audited too.
    assert_eq!(after.audit.len(), before.audit.len() + 2);
    assert!(p.damaged().is_empty());
}

#[test]
fn a_damaged_record_is_named_and_the_rest_opens() {
    let (_t, mut p) = empty_practice();
    let (_g, ana) = group_with_member(&mut p);
    let dir = p.vault().dir().to_path_buf();
    p.lock().unwrap();
    {
        let db = common::open_store_directly(&dir.join("store-00000001"));
        let tree = db.open_tree("records").unwrap();
        let mut value = tree.get(ana.0.as_bytes()).unwrap().unwrap().to_vec();
        value[30] ^= 1;
        tree.insert(ana.0.as_bytes(), value).unwrap();
        db.flush().unwrap();
    }
    let vault = Vault::open(&dir, &passphrase(PASSPHRASE), POLICY).unwrap();
    let p = Practice::load(vault).unwrap();
    assert_eq!(p.damaged(), &[ana.0]);
    assert_eq!(p.state().groups.len(), 1);
}

#[test]
fn an_id_held_by_another_kind_is_never_overwritten_or_removed() {
    let (_t, mut p) = empty_practice();
    let (g, m) = group_with_member(&mut p);
    let mut profile = p.profile();
    profile.practice_name = "Harbour Counselling".into();
    p.save_profile(profile).unwrap();
    let profile_id = p.state().profile.as_ref().unwrap().0;
    let audit_id = p.state().audit[0].id.0;
    let before = PracticeJson::from_state(p.state(), time::OffsetDateTime::UNIX_EPOCH);
    for taken in [g.0, m.0, profile_id, audit_id] {
        let mut intruder = member("Someone Else");
        intruder.id = MemberId(taken);
        let refused = if taken == m.0 {
            // The member's own id: an update of that member, which is allowed.
            continue;
        } else {
            p.create_member(intruder.clone())
                .err()
                .or_else(|| p.update_member(intruder).err())
        };
        match refused {
            Some(PracticeError::Invalid(invalid)) => assert_eq!(invalid.field, "id"),
            other => panic!("an id of another kind was accepted: {other:?}"),
        }
        let mut renamed = group("A group over the member");
        renamed.id = GroupId(m.0);
        assert!(p.create_group(renamed).is_err());
    }
    assert!(p.delete_member(MemberId(g.0)).is_err());
    let after = PracticeJson::from_state(p.state(), time::OffsetDateTime::UNIX_EPOCH);
    assert_eq!(after, before, "nothing changed");
    assert_eq!(p.profile().practice_name, "Harbour Counselling");
}

#[test]
fn one_rule_for_every_door_decides_who_may_sign_and_nothing_is_signed_twice() {
    let (_t, mut p) = empty_practice();
    let (g, ana) = group_with_member(&mut p);
    let v1 = p.current_agreement(g).unwrap().clone();
    let request = SignRequest {
        member: ana,
        agreement: v1.id,
        typed_name: "Ana López".into(),
        method: SignatureMethod::PaperCopy,
        acknowledged: vec![true; v1.text.clauses.len()],
        discuss: vec![],
    };
    p.sign(request.clone()).unwrap();
    let again = p.sign(request.clone()).unwrap_err();
    assert!(
        matches!(&again, PracticeError::Invalid(i) if i.reason.contains("already signed version 1")),
        "{again:?}"
    );
    assert!(
        p.may_sign(ana, &v1).is_err(),
        "client mode asks the same rule"
    );

    // A member whose membership is completed may not sign, by paper or otherwise.
    let bo = p.create_member(member("Bo Lindqvist")).unwrap().id;
    let ms = p
        .add_to_group(bo, g, MembershipStatus::Active, Some(date!(2026 - 09 - 03)))
        .unwrap();
    let mut ended = ms.clone();
    ended.status = MembershipStatus::Completed;
    ended.left = Some(date!(2026 - 10 - 01));
    p.update_membership(ended).unwrap();
    let refused = p
        .sign(SignRequest {
            member: bo,
            ..request.clone()
        })
        .unwrap_err();
    assert!(
        matches!(&refused, PracticeError::Invalid(i) if i.reason.contains("not on this group's roster")),
        "{refused:?}"
    );
}

#[test]
fn saving_the_same_agreement_text_changes_nothing() {
    let (_t, mut p) = empty_practice();
    let (g, ana) = group_with_member(&mut p);
    let v1 = p.current_agreement(g).unwrap().clone();
    p.sign(SignRequest {
        member: ana,
        agreement: v1.id,
        typed_name: "Ana López".into(),
        method: SignatureMethod::PaperCopy,
        acknowledged: vec![true; v1.text.clauses.len()],
        discuss: vec![],
    })
    .unwrap();
    let events = p.state().audit.len();
    let saved = p
        .save_agreement(g, v1.text.clone(), v1.effective_date)
        .unwrap();
    assert!(saved.unchanged && !saved.published_new_version);
    assert!(
        saved.needs_resigning.is_empty(),
        "nobody is asked to sign again"
    );
    assert_eq!(p.current_agreement(g).unwrap().number, 1);
    assert_eq!(p.state().audit.len(), events, "nothing was written");
}

/// People as they come to a group: accents, a particle and hyphen, Greek, Turkish, Arabic,
/// Chinese, Korean, a non-breaking space and an emoji.
const JOINING: [&str; 7] = [
    "Zoë Ångström",
    "Jean-Luc Van der Berg-Öztürk",
    "Ελένη Παπαδοπούλου",
    "Çağrı\u{a0}İnce",
    "محمد الأحمد",
    "王小明",
    "김민준 🌿",
];

#[test]
fn several_members_join_in_one_step_each_audited_as_one_addition_would_be() {
    let (_t, mut p) = empty_practice();
    let g = p.create_group(group("Thursday grief group")).unwrap();
    let ids: Vec<MemberId> = JOINING
        .iter()
        .map(|name| p.create_member(member(name)).unwrap().id)
        .collect();
    let events = p.state().audit.len();
    let added = p
        .add_several_to_group(
            &ids,
            g.id,
            MembershipStatus::Active,
            Some(date!(2026 - 09 - 03)),
        )
        .unwrap();
    assert_eq!(added.iter().map(|m| m.member).collect::<Vec<_>>(), ids);
    assert_eq!(p.state().audit.len(), events + ids.len(), "one event each");
    let roster: Vec<String> = p
        .roster(g.id)
        .unwrap()
        .into_iter()
        .map(|r| r.display_name)
        .collect();
    for name in JOINING {
        assert!(roster.iter().any(|n| n == name), "{name} is on {roster:?}");
    }
    let dir = p.vault().dir().to_path_buf();
    p.lock().unwrap();
    let reopened = Practice::unlock(common::reopen(&dir)).unwrap();
    assert_eq!(reopened.roster(g.id).unwrap().len(), JOINING.len());
}

#[test]
fn several_members_join_all_or_none() {
    let (_t, mut p) = empty_practice();
    let (g, ana) = group_with_member(&mut p);
    let zoe = p.create_member(member("Zoë Ångström")).unwrap().id;
    let elena = p.create_member(member("Ελένη Παπαδοπούλου")).unwrap().id;
    let before = p.roster(g).unwrap().len();
    let events = p.state().audit.len();
    for (members, field) in [
        (vec![zoe, ana], "member"),                // Ana is on the roster already
        (vec![zoe, elena, zoe], "member"),         // named twice
        (vec![zoe, MemberId::random()], "member"), // not in the practice
        (vec![], "member"),                        // nobody
    ] {
        match p.add_several_to_group(&members, g, MembershipStatus::Active, None) {
            Err(PracticeError::Invalid(invalid)) => assert_eq!(invalid.field, field),
            Err(PracticeError::NotFound { .. }) => {}
            other => panic!("{members:?} was not refused: {other:?}"),
        }
        assert_eq!(p.roster(g).unwrap().len(), before, "nobody joined");
        assert_eq!(p.state().audit.len(), events, "nothing was audited");
    }
}

#[test]
fn a_group_with_room_for_two_refuses_three_active_and_takes_them_waitlisted() {
    let (_t, mut p) = empty_practice();
    let mut small = group("Small group");
    small.capacity = Some(3);
    let g = p.create_group(small).unwrap().id;
    let first = p.create_member(member("Ana López")).unwrap().id;
    p.add_to_group(first, g, MembershipStatus::Active, None)
        .unwrap();
    let three: Vec<MemberId> = JOINING[..3]
        .iter()
        .map(|name| p.create_member(member(name)).unwrap().id)
        .collect();
    match p.add_several_to_group(&three, g, MembershipStatus::Active, None) {
        Err(PracticeError::Invalid(invalid)) => {
            assert_eq!(invalid.field, "status");
            assert!(
                invalid.reason.contains("room for 2 more active members"),
                "{}",
                invalid.reason
            );
        }
        other => panic!("three were let into room for two: {other:?}"),
    }
    assert_eq!(p.roster(g).unwrap().len(), 1);
    p.add_several_to_group(&three, g, MembershipStatus::Waitlisted, None)
        .unwrap();
    assert_eq!(p.roster(g).unwrap().len(), 4);
}

#[test]
fn the_rules_a_member_asked_to_talk_about_are_named_by_their_headings() {
    let (_t, mut p) = empty_practice();
    let (g, ana) = group_with_member(&mut p);
    let v1 = p.current_agreement(g).unwrap().clone();
    assert!(
        p.discuss_headings(ana, g).is_empty(),
        "nothing before signing"
    );
    p.sign(SignRequest {
        member: ana,
        agreement: v1.id,
        typed_name: "Ana López".into(),
        method: SignatureMethod::ClientMode,
        acknowledged: vec![true; v1.text.clauses.len()],
        discuss: vec![2, 0],
    })
    .unwrap();
    let headings = vec![
        v1.text.clauses[0].heading.clone(),
        v1.text.clauses[2].heading.clone(),
    ];
    assert_eq!(
        p.discuss_headings(ana, g),
        headings,
        "in the agreement's order"
    );
    let roster = p.roster(g).unwrap();
    assert_eq!(roster[0].discuss_headings, headings);
}

#[test]
fn a_rule_talked_about_leaves_the_list_and_is_kept_with_its_date() {
    let (_t, mut p) = empty_practice();
    let (g, ana) = group_with_member(&mut p);
    let yiannis = p.create_member(member("Γιάννης Παπαδόπουλος")).unwrap().id;
    p.add_to_group(
        yiannis,
        g,
        MembershipStatus::Active,
        Some(date!(2026 - 09 - 03)),
    )
    .unwrap();
    let v1 = p.current_agreement(g).unwrap().clone();
    let sign = |p: &mut Practice, member: MemberId, typed: &str, discuss: Vec<usize>| {
        p.sign(SignRequest {
            member,
            agreement: v1.id,
            typed_name: typed.into(),
            method: SignatureMethod::ClientMode,
            acknowledged: vec![true; v1.text.clauses.len()],
            discuss,
        })
        .unwrap()
    };
    let anas = sign(&mut p, ana, "Ana López", vec![2, 0]);
    sign(&mut p, yiannis, "Γιάννης Παπαδόπουλος", vec![1]);
    let heading = |i: usize| v1.text.clauses[i].heading.clone();
    let listed = |p: &Practice| -> Vec<(String, String)> {
        p.to_discuss()
            .into_iter()
            .map(|t| (t.display_name, t.heading))
            .collect()
    };
    assert_eq!(
        listed(&p),
        [
            ("Ana López".to_owned(), heading(0)),
            ("Ana López".to_owned(), heading(2)),
            ("Γιάννης Παπαδόπουλος".to_owned(), heading(1)),
        ],
        "the longest waiting first, each rule by its heading"
    );

    let events = p.state().audit.len();
    let marked = p.mark_talked_about(anas.id, 2).unwrap();
    assert_eq!(marked.talked_about.len(), 1);
    assert_eq!(
        marked.discuss,
        [2, 0],
        "what she asked stays as she asked it"
    );
    assert_eq!(p.state().audit.len(), events + 1, "audited");
    assert_eq!(p.discuss_headings(ana, g), [heading(0)]);
    assert_eq!(p.roster(g).unwrap()[0].discuss_headings, [heading(0)]);
    assert!(!listed(&p).contains(&("Ana López".to_owned(), heading(2))));

    for (clause, why) in [
        (2, "already marked"),
        (1, "not asked about"),
        (99, "no such rule"),
    ] {
        let refused = p.mark_talked_about(anas.id, clause);
        assert!(
            matches!(refused, Err(PracticeError::Invalid(_))),
            "{why}: {refused:?}"
        );
    }
    assert_eq!(p.state().audit.len(), events + 1, "refusals change nothing");

    p.withdraw_signature(anas.id, "signing again on paper")
        .unwrap();
    assert!(
        p.mark_talked_about(anas.id, 0).is_err(),
        "a withdrawn signature is not followed up"
    );
    assert_eq!(
        listed(&p),
        [("Γιάννης Παπαδόπουλος".to_owned(), heading(1))],
        "a withdrawn signature's questions are not waiting"
    );

    let mut his = p
        .roster(g)
        .unwrap()
        .into_iter()
        .find(|e| e.membership.member == yiannis)
        .unwrap()
        .membership;
    his.status = MembershipStatus::Completed;
    his.left = Some(date!(2026 - 11 - 20));
    p.update_membership(his).unwrap();
    assert!(
        listed(&p).is_empty(),
        "a member who left the group is not waiting to talk"
    );
}
