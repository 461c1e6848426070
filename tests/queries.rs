//! The read-only views: roster with signature states, member overview, sessions of a group,
//! signatures due across the practice, open incidents, and the filtered audit trail.

mod common;

use common::builders::*;
use holdspace::practice::agreement::SignatureState;
use holdspace::practice::*;
use time::macros::date;

#[test]
fn roster_lists_active_first_with_signature_states() {
    let (_t, mut p) = empty_practice();
    let g = p.create_group(group("Thursday")).unwrap().id;
    let zed = p.create_member(member("Zed Active")).unwrap().id;
    let amy = p.create_member(member("Amy Waiting")).unwrap().id;
    let bo = p.create_member(member("Bo Active")).unwrap().id;
    p.add_to_group(
        zed,
        g,
        MembershipStatus::Active,
        Some(date!(2026 - 09 - 03)),
    )
    .unwrap();
    p.add_to_group(amy, g, MembershipStatus::Waitlisted, None)
        .unwrap();
    p.add_to_group(bo, g, MembershipStatus::Active, Some(date!(2026 - 09 - 03)))
        .unwrap();
    sign_current(&mut p, bo, g);
    let roster = p.roster(g).unwrap();
    let names: Vec<&str> = roster.iter().map(|r| r.display_name.as_str()).collect();
    assert_eq!(names, ["Bo Active", "Zed Active", "Amy Waiting"]);
    assert_eq!(roster[0].signature, SignatureState::Signed { version: 1 });
    assert_eq!(roster[1].signature, SignatureState::NeedsSignature);
    let due = p.signatures_due();
    assert_eq!(due.len(), 1, "waitlisted members are not asked to sign yet");
    assert_eq!(due[0].member, zed);
}

#[test]
fn member_overview_counts_attendance_and_notes() {
    let (_t, mut p) = empty_practice();
    let g = p.create_group(group("Thursday")).unwrap().id;
    let ana = p.create_member(member("Ana")).unwrap().id;
    p.add_to_group(
        ana,
        g,
        MembershipStatus::Active,
        Some(date!(2026 - 09 - 03)),
    )
    .unwrap();
    let marks = [
        Attendance::Present,
        Attendance::Late,
        Attendance::Absent,
        Attendance::Excused,
    ];
    for (i, mark) in marks.into_iter().enumerate() {
        let mut s = session(
            g,
            date!(2026 - 09 - 10) + time::Duration::weeks(i as i64),
            i as u32 + 1,
        );
        s.attendance.insert(ana, mark);
        let s = p.save_session(s).unwrap();
        let kind = if i == 0 {
            NoteKind::Psychotherapy
        } else {
            NoteKind::Progress
        };
        p.save_note(Note {
            id: NoteId::random(),
            session: s.id,
            member: ana,
            kind,
            text: "x".into(),
        })
        .unwrap();
    }
    let o = p.member_overview(ana).unwrap();
    assert_eq!((o.sessions_recorded, o.sessions_attended), (4, 2));
    assert_eq!(o.attendance_rate, Some(0.5));
    assert_eq!((o.progress_notes, o.psychotherapy_notes), (3, 1));
    assert_eq!(o.groups.len(), 1);
    assert_eq!(o.groups[0].group_name, "Thursday");
    let sessions = p.sessions_of(g).unwrap();
    assert_eq!(
        sessions.iter().map(|s| s.number).collect::<Vec<_>>(),
        [4, 3, 2, 1]
    );
}

#[test]
fn open_incidents_and_audit_filters() {
    let (_t, mut p) = empty_practice();
    let g = p.create_group(group("Thursday")).unwrap().id;
    let incident = |resolved| Incident {
        id: IncidentId::random(),
        date: date!(2026 - 10 - 01),
        group: g,
        session: None,
        members: vec![],
        kind: IncidentKind::Harassment,
        what_happened: "A put-down in group.".into(),
        action_taken: String::new(),
        resolved_on: resolved,
    };
    p.save_incident(incident(None)).unwrap();
    p.save_incident(incident(Some(date!(2026 - 10 - 08))))
        .unwrap();
    assert_eq!(p.open_incidents().len(), 1);
    let created_incidents = AuditFilter {
        action: Some(AuditAction::Created),
        subject_kind: Some("incident".into()),
        ..Default::default()
    };
    assert_eq!(p.audit_trail(&created_incidents).len(), 2);
    let everything = p.audit_trail(&AuditFilter::default());
    assert_eq!(everything.len(), 3);
    let none = AuditFilter {
        to: Some(date!(2026 - 11 - 25)),
        ..Default::default()
    };
    assert!(p.audit_trail(&none).is_empty());
}
