//! The practices the end-to-end tests start from, made through the core before the app opens
//! them: a vault under the test passphrase with a practitioner's profile, running groups in
//! Room 2, and members with only a legal name.

use std::path::Path;

use holdspace::practice::{
    Enrollment, Group, GroupId, GroupKind, GroupStatus, Member, MemberId, Practice, PracticeProfile,
};
use holdspace::{KdfPolicy, Passphrase, Vault};
use time::Date;

use crate::PASSPHRASE;

/// A new vault in `dir` under the test passphrase, unlocked, with Dr Rowan Hale's practice
/// profile. Lock it once the fixture is built, so the app finds it locked.
pub fn new_practice(dir: &Path) -> Practice {
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
    practice
}

/// A running, open group of `kind` named `name` that started on `start`: room 2, eight places,
/// no schedule, no co-facilitator and no questionnaire plan.
pub fn group(name: &str, kind: GroupKind, start: Date) -> Group {
    Group {
        id: GroupId::random(),
        name: name.into(),
        kind,
        focus: String::new(),
        co_facilitator: None,
        schedule: None,
        location: "Room 2".into(),
        start_date: Some(start),
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
