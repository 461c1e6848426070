//! The open practice format: export → import → export is the identity, a bad file names its
//! first bad path and changes nothing, and imports never overwrite an existing practice.

mod common;

use common::builders::*;
use holdspace::practice::*;
use proptest::prelude::*;
use time::macros::date;

/// A closed skills group on video that started in January.
fn skills_group(name: &str) -> Group {
    Group {
        kind: GroupKind::Skills,
        focus: String::new(),
        schedule: None,
        location: "video".into(),
        start_date: Some(date!(2026 - 01 - 08)),
        capacity: None,
        enrollment: Enrollment::Closed,
        ..group(name)
    }
}

/// A small practice with every kind of record, names and notes taken from `texts`.
fn build(p: &mut Practice, names: &[String], notes: &[String]) {
    p.save_profile(PracticeProfile {
        practice_name: "Quiet Harbour".into(),
        auto_lock_minutes: 10,
        ..Default::default()
    })
    .unwrap();
    let g = p.create_group(skills_group(&names[0])).unwrap().id;
    let v1 = p.current_agreement(g).unwrap().clone();
    let mut session = Session {
        id: SessionId::random(),
        group: g,
        date: date!(2026 - 02 - 05),
        start: ClockTime::parse("18:00"),
        number: 1,
        topic: notes[0]
            .chars()
            .take(100)
            .filter(|c| !c.is_control())
            .collect(),
        attendance: Default::default(),
        group_note: notes[0].clone(),
    };
    let mut members = Vec::new();
    for name in names {
        let m = p
            .create_member(Member {
                date_of_birth: Some(date!(1990 - 05 - 17)),
                ..member(name)
            })
            .unwrap()
            .id;
        p.add_to_group(m, g, MembershipStatus::Active, Some(date!(2026 - 01 - 08)))
            .unwrap();
        session.attendance.insert(m, Attendance::Present);
        members.push(m);
    }
    p.sign(SignRequest {
        member: members[0],
        agreement: v1.id,
        typed_name: names[0].clone(),
        method: SignatureMethod::PaperCopy,
        acknowledged: vec![true; v1.text.clauses.len()],
        discuss: vec![],
    })
    .unwrap();
    let session = p.save_session(session).unwrap();
    for (i, text) in notes.iter().enumerate() {
        let kind = if i % 3 == 2 {
            NoteKind::Psychotherapy
        } else {
            NoteKind::Progress
        };
        let note = Note {
            id: NoteId::random(),
            session: session.id,
            member: members[i % members.len()],
            kind,
            text: text.clone(),
        };
        p.save_note(note).unwrap();
    }
    p.save_incident(Incident {
        id: IncidentId::random(),
        date: date!(2026 - 02 - 05),
        group: g,
        session: Some(session.id),
        members: members.clone(),
        kind: IncidentKind::ConfidentialityBreach,
        what_happened: notes[0].clone() + " (told a friend)",
        action_taken: String::new(),
        resolved_on: None,
    })
    .unwrap();
}

/// Export → import into a fresh vault → export; everything but the audit trail's tail and the
/// export time is identical.
fn assert_round_trip(p: &mut Practice) {
    let first = p.export().unwrap();
    let (_tmp2, mut fresh) = empty_practice();
    let bytes = first.to_json();
    fresh.import(PracticeJson::parse(&bytes).unwrap()).unwrap();
    let second = fresh.export().unwrap();
    let strip = |f: &PracticeJson| PracticeJson {
        audit: Vec::new(),
        ..f.clone()
    };
    assert_eq!(strip(&first), strip(&second));
    assert_eq!(
        second.audit[..first.audit.len()],
        first.audit[..],
        "the imported trail is kept, oldest first"
    );
    let tail: Vec<_> = second.audit[first.audit.len()..]
        .iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(tail, vec![AuditAction::Import, AuditAction::Export]);
}

#[test]
fn export_import_export_is_the_identity() {
    let (_t, mut p) = empty_practice();
    let names = ["Ana López", "أحمد", "Zoë 🌱"].map(String::from);
    let notes = [
        "Spoke first tonight.",
        "Quiet; left early.",
        "Private reflection.",
        "Line one\nline two",
    ]
    .map(String::from);
    build(&mut p, &names, &notes);
    assert_round_trip(&mut p);
}

/// A text that passes validation as a one-line name.
fn name_strategy() -> impl Strategy<Value = String> {
    "\\PC{1,60}".prop_filter("a name has a visible character", |s| !s.trim().is_empty())
}

/// Multi-line text with any printable Unicode.
fn note_strategy() -> impl Strategy<Value = String> {
    "(\\PC|\n|\t){1,300}".prop_filter("not blank", |s| !s.trim().is_empty())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn round_trip_holds_for_any_unicode(
        names in prop::collection::vec(name_strategy(), 1..4),
        notes in prop::collection::vec(note_strategy(), 1..6),
    ) {
        let (_t, mut p) = empty_practice();
        build(&mut p, &names, &notes);
        assert_round_trip(&mut p);
    }
}

fn exported_json() -> serde_json::Value {
    let (_t, mut p) = empty_practice();
    build(
        &mut p,
        &["Ana López".into(), "Bo Lindqvist".into()],
        &["A note.".into(), "Another.".into()],
    );
    serde_json::from_slice(&p.export().unwrap().to_json()).unwrap()
}

/// Imports `json` into a fresh vault and returns the error's field and reason; the vault must be
/// untouched afterwards.
fn import_error(json: &serde_json::Value) -> (String, String) {
    let (_t, mut p) = empty_practice();
    let before = p.vault().len();
    let bytes = serde_json::to_vec(json).unwrap();
    let err = match PracticeJson::parse(&bytes) {
        Err(invalid) => invalid,
        Ok(file) => match p.import(file) {
            Err(PracticeError::Invalid(invalid)) => invalid,
            other => panic!("expected a validation error, got {other:?}"),
        },
    };
    assert_eq!(p.vault().len(), before, "a bad file changes nothing");
    assert!(p.is_empty_practice());
    (err.field, err.reason)
}

/// One way to break an exported file.
type Breakage = Box<dyn Fn(&mut serde_json::Value)>;

#[test]
fn a_bad_file_names_the_first_bad_path_and_changes_nothing() {
    let base = exported_json();
    let cases: Vec<(&str, Breakage)> = vec![
        (
            "members[1].email",
            Box::new(|j| j["members"][1]["email"] = "not an email".into()),
        ),
        (
            "members[0].legal_name",
            Box::new(|j| j["members"][0]["legal_name"] = "".into()),
        ),
        (
            "members[1].date_of_birth",
            Box::new(|j| j["members"][1]["date_of_birth"] = "1990-02-30".into()),
        ),
        (
            "memberships[0].member",
            Box::new(|j| {
                j["memberships"][0]["member"] = "00000000-0000-4000-8000-000000000000".into()
            }),
        ),
        (
            "agreements[0].content_hash",
            Box::new(|j| j["agreements"][0]["text"]["title"] = "Edited after signing".into()),
        ),
        (
            "notes[0].text",
            Box::new(|j| j["notes"][0]["text"] = "x".repeat(100 * 1024 + 1).into()),
        ),
        (
            "groups[0].kind",
            Box::new(|j| j["groups"][0]["kind"] = "party".into()),
        ),
        ("version", Box::new(|j| j["version"] = 2.into())),
        (
            "members[1].id",
            Box::new(|j| j["members"][1]["id"] = j["members"][0]["id"].clone()),
        ),
        (
            "signatures[0].acknowledged",
            Box::new(|j| j["signatures"][0]["acknowledged"][0] = false.into()),
        ),
        (
            "memberships[0].status",
            Box::new(|j| j["memberships"][1]["member"] = j["memberships"][0]["member"].clone()),
        ),
        // Refused rather than changed: neither would come back as written.
        (
            "signatures[0].signed_at",
            Box::new(|j| j["signatures"][0]["signed_at"] = "2016-12-31T23:59:60Z".into()),
        ),
        (
            "groups[0].schedule.start",
            Box::new(|j| j["groups"][0]["schedule"]["start"] = "9:05".into()),
        ),
    ];
    for (path, break_it) in cases {
        let mut json = base.clone();
        break_it(&mut json);
        let (field, reason) = import_error(&json);
        assert!(
            field.starts_with(path),
            "expected {path}, got {field}: {reason}"
        );
    }
}

#[test]
fn dates_and_times_are_written_as_people_read_them() {
    let json = exported_json();
    assert_eq!(json["groups"][0]["start_date"], "2026-01-08");
    assert_eq!(json["sessions"][0]["start"], "18:00");
    assert_eq!(json["exported_at"], "2026-11-26T10:00:00Z");
    assert_eq!(json["signatures"][0]["signed_at"], "2026-11-26T10:00:00Z");
}

#[test]
fn a_file_that_is_not_json_is_refused_with_its_position() {
    let err =
        PracticeJson::parse(b"{\"format\": \"holdspace-practice\", \"version\": 1,").unwrap_err();
    assert!(err.reason.contains("line 1"), "{err}");
}

#[test]
fn import_never_overwrites_an_existing_practice() {
    let (_t, mut p) = empty_practice();
    build(&mut p, &["Ana".into()], &["A note.".into()]);
    let file = p.export().unwrap();
    let before = p.state().clone();
    assert!(matches!(p.import(file), Err(PracticeError::NotEmpty)));
    assert_eq!(p.state().members, before.members);
}
