//! One rule set, two doors: every rule that spans records is refused both when the app's own
//! operations would break it and when a practice file (an import, or a backup restored) holds
//! it broken — and the app's refusal leaves the practice as it was, so whatever the app can
//! reach still exports and imports.
//!
//! The practice each row starts from: group G (capacity 3, from 2026-09-03) with Ana (active
//! since 2026-09-03, signed v1, attended session 1 on 2026-09-10 with a progress note) and Bo
//! (active since 2026-09-03); Cy, a member with only an incident about him.

mod common;

use common::builders::{empty_practice, group, member, session, sign_current};
use holdspace::practice::*;
use serde_json::Value;
use time::macros::date;

struct Setup {
    _tmp: tempfile::TempDir,
    p: Practice,
    g: GroupId,
    ana: MemberId,
    ana_place: Membership,
    bo_place: Membership,
    cy: MemberId,
    s1: Session,
    v1: AgreementVersion,
}

fn setup() -> Setup {
    let (tmp, mut p) = empty_practice();
    let g = p
        .create_group(Group {
            capacity: Some(3),
            ..group("Thursday grief group")
        })
        .unwrap()
        .id;
    let ana = p.create_member(member("Ana López")).unwrap().id;
    let bo = p.create_member(member("Bo Lindqvist")).unwrap().id;
    let cy = p.create_member(member("Cy Ortiz")).unwrap().id;
    let joined = Some(date!(2026 - 09 - 03));
    let ana_place = p
        .add_to_group(ana, g, MembershipStatus::Active, joined)
        .unwrap();
    let bo_place = p
        .add_to_group(bo, g, MembershipStatus::Active, joined)
        .unwrap();
    sign_current(&mut p, ana, g);
    let mut s1 = session(g, date!(2026 - 09 - 10), 1);
    s1.attendance.insert(ana, Attendance::Present);
    let s1 = p.save_session(s1).unwrap();
    p.save_note(Note {
        id: NoteId::random(),
        session: s1.id,
        member: ana,
        kind: NoteKind::Progress,
        text: "Spoke about her week.".into(),
    })
    .unwrap();
    p.save_incident(Incident {
        id: IncidentId::random(),
        date: date!(2026 - 09 - 10),
        group: g,
        session: None,
        members: vec![cy],
        kind: IncidentKind::Other,
        what_happened: "Arrived upset and left early.".into(),
        action_taken: String::new(),
        resolved_on: None,
    })
    .unwrap();
    let v1 = p.current_agreement(g).unwrap().clone();
    Setup {
        _tmp: tmp,
        p,
        g,
        ana,
        ana_place,
        bo_place,
        cy,
        s1,
        v1,
    }
}

fn exported(p: &mut Practice) -> Value {
    serde_json::from_slice(&p.export().unwrap().to_json()).unwrap()
}

/// The field an import of `json` is refused at; the vault stays empty.
fn import_refused_at(json: &Value) -> String {
    let (_t, mut p) = empty_practice();
    let bytes = serde_json::to_vec(json).unwrap();
    let refused = match PracticeJson::parse(&bytes) {
        Err(invalid) => invalid,
        Ok(file) => match p.import(file) {
            Err(PracticeError::Invalid(invalid)) => invalid,
            other => panic!("the file was not refused: {other:?}"),
        },
    };
    assert!(p.is_empty_practice());
    refused.field
}

/// Index of the record with `id` in the export's `list`.
fn at(json: &Value, list: &str, id: impl ToString) -> usize {
    let id = id.to_string();
    json[list]
        .as_array()
        .unwrap()
        .iter()
        .position(|r| r["id"] == Value::String(id.clone()))
        .unwrap()
}

/// Asserts the app refused `change` and nothing changed; the practice still round-trips.
fn app_refuses(s: &mut Setup, rule: &str, change: impl FnOnce(&mut Setup) -> PracticeResult<()>) {
    let before = exported(&mut s.p);
    let outcome = change(s);
    assert!(
        matches!(outcome, Err(PracticeError::Invalid(_))),
        "{rule}: the app allowed it ({outcome:?})"
    );
    let mut after = exported(&mut s.p);
    after["exported_at"] = before["exported_at"].clone();
    let strip = |v: &mut Value| v.as_object_mut().map(|o| o.remove("audit"));
    let (mut b, mut a) = (before.clone(), after.clone());
    strip(&mut b);
    strip(&mut a);
    assert_eq!(a, b, "{rule}: the refused change changed something");
    let (_t, mut fresh) = empty_practice();
    let file = PracticeJson::parse(&serde_json::to_vec(&after).unwrap()).unwrap();
    fresh
        .import(file)
        .unwrap_or_else(|e| panic!("{rule}: the export no longer imports: {e:?}"));
}

#[test]
fn every_rule_is_refused_at_both_doors() {
    // Capacity.
    let mut s = setup();
    app_refuses(&mut s, "capacity", |s| {
        let mut g = s.p.state().groups[&s.g].clone();
        g.capacity = Some(1);
        s.p.update_group(g).map(drop)
    });
    let mut json = exported(&mut s.p);
    json["groups"][0]["capacity"] = 1.into();
    assert_eq!(import_refused_at(&json), "groups[0].capacity");

    // A session outside the group's dates.
    app_refuses(&mut s, "session dates", |s| {
        s.p.save_session(session(s.g, date!(2026 - 08 - 01), 2))
            .map(drop)
    });
    let mut json = exported(&mut s.p);
    json["sessions"][0]["date"] = "2026-08-01".into();
    let field = import_refused_at(&json);
    assert!(
        field == "groups[0].start_date" || field == "sessions[0].date",
        "{field}"
    );

    // Duplicate session numbers in a group.
    app_refuses(&mut s, "session numbers", |s| {
        s.p.save_session(session(s.g, date!(2026 - 09 - 17), 1))
            .map(drop)
    });
    let mut json = exported(&mut s.p);
    let mut twin = json["sessions"][0].clone();
    twin["id"] = SessionId::random().to_string().into();
    twin["attendance"] = serde_json::json!({});
    json["sessions"].as_array_mut().unwrap().push(twin);
    assert!(import_refused_at(&json).ends_with(".number"));

    // An incident naming the same member twice.
    app_refuses(&mut s, "incident members", |s| {
        let mut i = s.p.state().incidents.values().next().unwrap().clone();
        i.members = vec![s.cy, s.cy];
        s.p.save_incident(i).map(drop)
    });
    let mut json = exported(&mut s.p);
    let cy = json["incidents"][0]["members"][0].clone();
    json["incidents"][0]["members"] = Value::Array(vec![cy.clone(), cy]);
    assert_eq!(import_refused_at(&json), "incidents[0].members[1]");

    // A waitlisted place is not "in the group": its attendance and notes are refused.
    app_refuses(&mut s, "waitlisted attendance", |s| {
        let mut m = s.ana_place.clone();
        m.status = MembershipStatus::Waitlisted;
        s.p.update_membership(m).map(drop)
    });
    let mut json = exported(&mut s.p);
    let i = at(&json, "memberships", s.ana_place.id);
    json["memberships"][i]["status"] = "waitlisted".into();
    let field = import_refused_at(&json);
    assert!(
        field.starts_with("signatures")
            || field.starts_with("sessions")
            || field.starts_with("notes"),
        "{field}"
    );

    // Two current places, or overlapping ones, for one member in one group.
    let mut done = s.bo_place.clone();
    done.status = MembershipStatus::Completed;
    done.left = Some(date!(2026 - 10 - 01));
    s.p.update_membership(done.clone()).unwrap();
    let again =
        s.p.add_to_group(
            done.member,
            s.g,
            MembershipStatus::Active,
            Some(date!(2026 - 10 - 15)),
        )
        .unwrap();
    app_refuses(&mut s, "two current places", |s| {
        let mut back = done.clone();
        back.status = MembershipStatus::Active;
        back.left = None;
        s.p.update_membership(back).map(drop)
    });
    app_refuses(&mut s, "overlapping places", |s| {
        let mut early = again.clone();
        early.joined = Some(date!(2026 - 09 - 20));
        s.p.update_membership(early).map(drop)
    });
    let mut json = exported(&mut s.p);
    let i = at(&json, "memberships", again.id);
    json["memberships"][i]["joined"] = "2026-09-20".into();
    assert!(import_refused_at(&json).starts_with("memberships["));

    // A join date moved after attendance and a note; a session moved away from a note.
    app_refuses(&mut s, "join date after history", |s| {
        let mut late = s.ana_place.clone();
        late.joined = Some(date!(2026 - 09 - 20));
        s.p.update_membership(late).map(drop)
    });
    let mut late = s.ana_place.clone();
    late.joined = Some(date!(2026 - 09 - 05));
    s.p.update_membership(late).unwrap();
    app_refuses(
        &mut s,
        "session date before the note's member joined",
        |s| {
            let mut moved = s.s1.clone();
            moved.attendance.clear();
            moved.date = date!(2026 - 09 - 04);
            s.p.save_session(moved).map(drop)
        },
    );

    // A signed member can't be taken off the roster (end the place instead).
    let mut s = setup();
    app_refuses(&mut s, "signature keeps the roster", |s| {
        let id = s.ana_place.id;
        s.p.remove_from_group(id)
    });
    let mut json = exported(&mut s.p);
    let i = at(&json, "memberships", s.ana_place.id);
    json["memberships"].as_array_mut().unwrap().remove(i);
    assert!(!import_refused_at(&json).is_empty());

    // A signature discussing a clause that does not exist, or dated in the future.
    let mut json = exported(&mut s.p);
    json["signatures"][0]["discuss"] = serde_json::json!([99]);
    assert_eq!(import_refused_at(&json), "signatures[0].discuss");
    // Marked as talked about: only a rule the member asked about, and only once.
    for (discuss, talked) in [(vec![], vec![0]), (vec![0], vec![0, 0])] {
        let mut json = exported(&mut s.p);
        json["signatures"][0]["discuss"] = serde_json::json!(discuss);
        json["signatures"][0]["talked_about"] = talked
            .iter()
            .map(|c| serde_json::json!({"clause": c, "at": "2026-10-01T10:00:00Z"}))
            .collect();
        assert_eq!(
            import_refused_at(&json),
            "signatures[0].talked_about",
            "{discuss:?} {talked:?}"
        );
    }
    let mut json = exported(&mut s.p);
    json["signatures"][0]["signed_at"] = "2099-01-01T10:00:00Z".into();
    assert_eq!(import_refused_at(&json), "signatures[0].signed_at");
    let bo = s.bo_place.member;
    let refused = s.p.sign(SignRequest {
        member: bo,
        agreement: s.v1.id,
        typed_name: "Bo Lindqvist".into(),
        method: SignatureMethod::PaperCopy,
        acknowledged: vec![true; s.v1.text.clauses.len()],
        discuss: vec![99],
    });
    assert!(matches!(refused, Err(PracticeError::Invalid(i)) if i.field == "discuss"));

    // Version numbers from 1 to the maximum only (the app numbers them itself).
    for number in [0u64, u64::from(u32::MAX)] {
        let mut json = exported(&mut s.p);
        json["agreements"][0]["number"] = number.into();
        json["signatures"][0]["version_number"] = number.into();
        let field = import_refused_at(&json);
        assert!(field.starts_with("agreements[0]"), "{number}: {field}");
    }

    // A member whose only history is an incident is archived, not deleted.
    let outcome = s.p.delete_member(s.cy).unwrap();
    assert_eq!(outcome, DeleteOutcome::Archived);
    let json = exported(&mut s.p);
    let (_t, mut fresh) = empty_practice();
    fresh
        .import(PracticeJson::parse(&serde_json::to_vec(&json).unwrap()).unwrap())
        .unwrap();
    let _ = s.ana;
}

#[test]
fn importing_over_a_saved_profile_keeps_one_profile() {
    let (_t, mut p) = empty_practice();
    let mut profile = p.profile();
    profile.practice_name = "Saved before".into();
    p.save_profile(profile).unwrap();
    let mut source = setup();
    let mut file_profile = source.p.profile();
    file_profile.practice_name = "From the file".into();
    source.p.save_profile(file_profile).unwrap();
    let file = source.p.export().unwrap();
    p.import(file).unwrap();
    let profiles = p
        .vault()
        .scan()
        .filter(|r| r.as_ref().is_ok_and(|r| r.kind == "profile"))
        .count();
    assert_eq!(profiles, 1, "one profile record, never two");
    assert_eq!(p.profile().practice_name, "From the file");
    let dir = p.vault().dir().to_path_buf();
    p.lock().unwrap();
    let again = Practice::unlock(common::reopen(&dir)).unwrap();
    assert_eq!(again.profile().practice_name, "From the file");
}
