//! Minimal valid practice records for tests, and a test practice on a fixed clock.

use holdspace::practice::*;
use time::macros::{date, datetime};
use time::OffsetDateTime;

/// The fixed "now" of test practices: 2026-11-26 10:00 UTC.
pub fn fixed_now() -> OffsetDateTime {
    datetime!(2026-11-26 10:00 UTC)
}

/// An empty practice in a fresh test vault, on the fixed clock.
pub fn empty_practice() -> (tempfile::TempDir, Practice) {
    let (tmp, vault, _) = super::new_vault();
    let mut practice = Practice::load(vault).expect("load");
    practice.set_clock(fixed_now);
    (tmp, practice)
}

/// A group named `group_name` with one member, `member_name`, active since 2026-09-03.
pub fn group_with_member_named(
    p: &mut Practice,
    group_name: &str,
    member_name: &str,
) -> (GroupId, MemberId) {
    let g = p.create_group(group(group_name)).unwrap();
    let m = p.create_member(member(member_name)).unwrap();
    p.add_to_group(
        m.id,
        g.id,
        MembershipStatus::Active,
        Some(date!(2026 - 09 - 03)),
    )
    .unwrap();
    (g.id, m.id)
}

/// A running weekly process group that started on 2026-09-03.
pub fn group(name: &str) -> Group {
    Group {
        id: GroupId::random(),
        name: name.into(),
        kind: GroupKind::Process,
        focus: "grief and loss".into(),
        co_facilitator: None,
        schedule: Some(Schedule {
            weekday: Weekday::Thursday,
            start: ClockTime {
                hour: 18,
                minute: 30,
            },
            length_minutes: 90,
            frequency: Frequency::Weekly,
        }),
        location: "Room 2".into(),
        start_date: Some(date!(2026 - 09 - 03)),
        end_date: None,
        capacity: Some(8),
        enrollment: Enrollment::Open,
        status: GroupStatus::Running,
        measures: None,
    }
}

/// A member with only a legal name.
pub fn member(name: &str) -> Member {
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

/// An empty session of group `g` on `date`.
pub fn session(g: GroupId, date: time::Date, number: u32) -> Session {
    Session {
        id: SessionId::random(),
        group: g,
        date,
        start: None,
        number,
        topic: String::new(),
        attendance: Default::default(),
        group_note: String::new(),
    }
}

/// Signs the group's current agreement for `m`, acknowledging every clause.
pub fn sign_current(p: &mut Practice, m: MemberId, g: GroupId) -> Signature {
    let current = p.current_agreement(g).expect("agreement").clone();
    p.sign(SignRequest {
        member: m,
        agreement: current.id,
        typed_name: p.display_name(m),
        method: SignatureMethod::ClientMode,
        acknowledged: vec![true; current.text.clauses.len()],
        discuss: vec![0],
    })
    .expect("sign")
}
