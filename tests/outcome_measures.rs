//! Outcome questionnaires end to end over a real (test-KDF) vault: a PHQ-9 with item 9 above
//! "not at all" is recorded with a safety flag, audited without the answer, listed until it is
//! reviewed, and read back after a restart; answers that do not fit are refused with the field
//! named and nothing written; a member with answers is archived, not deleted, and a purge
//! removes their answers; answers travel through export and import; and the demo practice
//! holds courses that improve and courses that do not.

mod common;

use std::collections::BTreeMap;

use common::builders::*;
use holdspace::practice::demo::demo_practice;
use holdspace::practice::measures::{Answers, Total};
use holdspace::practice::*;
use time::macros::{date, datetime};

/// A group with one active member (a Greek name) who joined on 2026-09-03.
fn group_with_member(p: &mut Practice) -> (GroupId, MemberId) {
    group_with_member_named(p, "Τετάρτη — ομάδα πένθους", "Ελένη Παπαδοπούλου")
}

fn phq9(member: MemberId, group: GroupId, items: [Option<u8>; 9]) -> Administration {
    Administration {
        id: AdministrationId::random(),
        member,
        group: Some(group),
        measure: "phq-9".into(),
        version: 1,
        answers: Answers {
            items: items.to_vec(),
            follow_up: Some(1),
        },
        taken_on: date!(2026 - 11 - 26),
        answered_by: AnsweredBy::Client,
        safety_reviewed_at: None,
    }
}

#[test]
fn item_9_above_not_at_all_is_flagged_audited_listed_until_reviewed_and_kept() {
    let (_t, mut p) = empty_practice();
    let (g, elena) = group_with_member(&mut p);
    let events = p.state().audit.len();
    let s = Some;
    let scored = p
        .record_administration(phq9(
            elena,
            g,
            [s(2), s(2), s(1), s(2), s(1), s(1), s(1), s(0), s(2)],
        ))
        .unwrap();
    assert_eq!(scored.score.total, Total::Complete { total: 12 });
    assert_eq!(scored.score.band.unwrap().label, "Moderate");

    let trail = &p.state().audit[events..];
    let actions: Vec<AuditAction> = trail.iter().map(|e| e.action).collect();
    assert_eq!(actions, [AuditAction::Created, AuditAction::SafetyFlagged]);
    assert_eq!(trail[0].detail, "PHQ-9 answered in client mode");
    assert_eq!(trail[1].detail, "PHQ-9 question 9 needs review");
    assert!(trail
        .iter()
        .all(|e| e.subject == Some(scored.administration.id.0)));

    let alerts = p.safety_alerts();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].display_name, "Ελένη Παπαδοπούλου");
    assert_eq!(alerts[0].item, 9);
    assert_eq!(alerts[0].answer.as_deref(), Some("More than half the days"));
    assert!(alerts[0]
        .item_text
        .starts_with("Thoughts that you would be better off dead"));

    let id = scored.administration.id;
    let reviewed = p.review_safety_flag(id).unwrap();
    assert_eq!(reviewed.safety_reviewed_at, Some(fixed_now()));
    assert!(p.safety_alerts().is_empty());
    assert_eq!(
        p.state().audit.last().unwrap().detail,
        "safety flag reviewed"
    );
    let again = p.review_safety_flag(id).unwrap_err();
    assert!(again.to_string().contains("already reviewed"), "{again}");

    let dir = p.vault().dir().to_path_buf();
    p.lock().unwrap();
    let reopened = Practice::unlock(common::reopen(&dir)).unwrap();
    let kept = reopened.administrations_of(elena);
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].administration, reviewed);
    assert_eq!(kept[0].score.total, Total::Complete { total: 12 });
}

#[test]
fn item_9_left_unanswered_is_flagged_and_a_calm_questionnaire_is_not() {
    let (_t, mut p) = empty_practice();
    let (g, elena) = group_with_member(&mut p);
    let s = Some;
    let calm = p
        .record_administration(phq9(
            elena,
            g,
            [s(0), s(1), s(0), s(1), s(0), s(0), s(0), s(0), s(0)],
        ))
        .unwrap();
    assert!(calm.score.safety.is_empty());
    assert!(p.safety_alerts().is_empty());
    assert!(p.review_safety_flag(calm.administration.id).is_err());
    p.record_administration(phq9(
        elena,
        g,
        [s(1), s(1), s(1), s(1), s(1), s(1), s(1), s(1), None],
    ))
    .unwrap();
    let alerts = p.safety_alerts();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].answer, None, "left unanswered is still a flag");
}

#[test]
fn answers_that_do_not_fit_are_refused_naming_the_field_and_nothing_is_written() {
    let (_t, mut p) = empty_practice();
    let (g, elena) = group_with_member(&mut p);
    let other_group = p.create_group(group("Monday DBT skills")).unwrap().id;
    let base = phq9(elena, g, [Some(1); 9]);
    let recorded = p
        .record_administration(base.clone())
        .unwrap()
        .administration;
    let events = p.state().audit.len();
    let cases: Vec<(Administration, &str)> = vec![
        (
            Administration {
                measure: "phq-10".into(),
                ..base.clone()
            },
            "measure",
        ),
        (
            Administration {
                version: 2,
                ..base.clone()
            },
            "measure",
        ),
        (
            Administration {
                answers: Answers {
                    items: vec![Some(1); 8],
                    follow_up: None,
                },
                ..base.clone()
            },
            "answers",
        ),
        (
            Administration {
                answers: Answers {
                    items: vec![Some(4); 9],
                    follow_up: None,
                },
                ..base.clone()
            },
            "answers",
        ),
        (
            Administration {
                taken_on: date!(2026 - 11 - 27),
                ..base.clone()
            },
            "taken_on",
        ),
        (
            Administration {
                group: Some(other_group),
                ..base.clone()
            },
            "group",
        ),
        (
            Administration {
                safety_reviewed_at: Some(datetime!(2026-11-26 09:00 UTC)),
                ..base.clone()
            },
            "safety_reviewed_at",
        ),
        (recorded.clone(), "id"),
    ];
    for (answered, field) in cases {
        let id = if field == "id" {
            answered.id
        } else {
            AdministrationId::random()
        };
        match p.record_administration(Administration { id, ..answered }) {
            Err(PracticeError::Invalid(e)) => assert_eq!(e.field, field, "{e}"),
            other => panic!("{field}: {other:?}"),
        }
    }
    let stranger = Administration {
        id: AdministrationId::random(),
        member: MemberId::random(),
        group: None,
        ..base
    };
    assert!(matches!(
        p.record_administration(stranger),
        Err(PracticeError::NotFound { .. })
    ));
    assert_eq!(p.state().audit.len(), events, "a refusal leaves no event");
    assert_eq!(p.state().administrations.len(), 1);
}

#[test]
fn a_member_with_answers_is_archived_and_a_purge_removes_them() {
    let (_t, mut p) = empty_practice();
    let (g, elena) = group_with_member(&mut p);
    p.record_administration(phq9(elena, g, [Some(0); 9]))
        .unwrap();
    assert_eq!(p.delete_member(elena).unwrap(), DeleteOutcome::Archived);
    assert_eq!(p.purge_preview(elena).unwrap().administrations, 1);
    let report = p.purge_member(elena).unwrap();
    assert_eq!(report.administrations, 1);
    assert!(p.state().administrations.is_empty());
    let purged = p
        .state()
        .audit
        .iter()
        .rfind(|e| e.action == AuditAction::Purged)
        .unwrap();
    assert!(
        purged.detail.ends_with("1 questionnaires"),
        "{}",
        purged.detail
    );
}

#[test]
fn a_questionnaire_entered_in_error_is_deleted_and_audited() {
    let (_t, mut p) = empty_practice();
    let (g, elena) = group_with_member(&mut p);
    let id = p
        .record_administration(phq9(elena, g, [Some(0); 9]))
        .unwrap()
        .administration
        .id;
    p.delete_administration(id).unwrap();
    assert!(p.administrations_of(elena).is_empty());
    let last = p.state().audit.last().unwrap();
    assert_eq!(
        (last.action, last.detail.as_str()),
        (AuditAction::Deleted, "questionnaire answers")
    );
}

#[test]
fn answers_travel_through_export_and_import_and_a_bad_one_is_named() {
    let (_t, mut p) = empty_practice();
    let (g, elena) = group_with_member(&mut p);
    let mut gad7 = phq9(elena, g, [Some(3); 9]);
    gad7.measure = "gad-7".into();
    gad7.answers = Answers {
        items: vec![Some(3), None, Some(3), Some(3), Some(3), Some(3), Some(3)],
        follow_up: Some(3),
    };
    gad7.answered_by = AnsweredBy::Paper;
    p.record_administration(gad7.clone()).unwrap();
    let file = p.export().unwrap();
    assert_eq!(Counts::of(&file).administrations, 1);

    let (_t2, mut q) = empty_practice();
    q.import(PracticeJson::parse(&file.to_json()).unwrap())
        .unwrap();
    let kept = q.administrations_of(elena);
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].administration, gad7);
    assert_eq!(
        kept[0].score.total,
        Total::Prorated {
            total: 21,
            answered: 6
        }
    );

    let mut bad = file.clone();
    bad.administrations[0].answers.items.push(Some(0));
    let (_t3, mut r) = empty_practice();
    match r.import(bad) {
        Err(PracticeError::Invalid(e)) => assert_eq!(e.field, "administrations[0].answers", "{e}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_demo_holds_courses_that_improve_and_courses_that_do_not() {
    let file = demo_practice(0.2, 5, date!(2026 - 11 - 26));
    file.validate(date!(2026 - 11 - 26)).unwrap();
    assert!(!file.administrations.is_empty());
    let mut courses: BTreeMap<(MemberId, Option<GroupId>), Vec<&Administration>> = BTreeMap::new();
    for a in file.administrations.iter().filter(|a| a.measure == "phq-9") {
        courses.entry((a.member, a.group)).or_default().push(a);
    }
    let phq9 = measures::find("phq-9").unwrap();
    let total = |a: &Administration| {
        measures::score(phq9, &a.answers)
            .unwrap()
            .total
            .value()
            .unwrap_or(0)
    };
    let (mut better, mut not_better) = (0, 0);
    for answered in courses.values().filter(|c| c.len() >= 3) {
        let (first, last) = (total(answered[0]), total(answered[answered.len() - 1]));
        if last + 5 <= first {
            better += 1
        } else {
            not_better += 1
        }
    }
    assert!(
        better > 0 && not_better > 0,
        "improving {better}, not {not_better}"
    );
    assert!(
        better > not_better,
        "most improve: {better} against {not_better}"
    );
    let flagged: Vec<&Administration> = file
        .administrations
        .iter()
        .filter(|a| a.measure == "phq-9" && a.answers.items[8].is_some_and(|p| p > 0))
        .collect();
    assert!(
        !flagged.is_empty(),
        "some members answer item 9 above not at all"
    );
    assert!(
        flagged.iter().all(|a| a.safety_reviewed_at.is_some()),
        "and each was reviewed"
    );
}

fn with_plan(p: &mut Practice, g: GroupId, cadence: Cadence, end_date: Option<time::Date>) {
    let mut group = p.state().groups[&g].clone();
    group.measures = Some(MeasurePlan {
        measures: vec!["phq-9".into(), "gad-7".into()],
        cadence,
    });
    group.end_date = end_date;
    p.update_group(group).unwrap();
}

fn due(p: &Practice) -> Vec<(String, DueReason)> {
    p.measures_due()
        .into_iter()
        .map(|d| (d.measure_name, d.reason))
        .collect()
}

#[test]
fn questionnaires_fall_due_at_the_start_after_every_n_sessions_and_near_the_end() {
    let (_t, mut p) = empty_practice();
    let (g, elena) = group_with_member(&mut p);
    assert!(
        due(&p).is_empty(),
        "a group without a plan asks for nothing"
    );
    with_plan(&mut p, g, Cadence::EverySessions { sessions: 2 }, None);
    assert_eq!(
        due(&p),
        [
            ("PHQ-9".into(), DueReason::Starting),
            ("GAD-7".into(), DueReason::Starting)
        ]
    );
    let mut first = phq9(elena, g, [Some(1); 9]);
    first.taken_on = date!(2026 - 10 - 01);
    p.record_administration(first).unwrap();
    assert_eq!(due(&p), [("GAD-7".into(), DueReason::Starting)]);
    for (n, day) in [(1, date!(2026 - 10 - 08)), (2, date!(2026 - 10 - 15))] {
        let mut s = session(g, day, n);
        s.attendance.insert(elena, Attendance::Present);
        p.save_session(s).unwrap();
        let phq9_due = due(&p).into_iter().any(|(m, _)| m == "PHQ-9");
        assert_eq!(phq9_due, n == 2, "after {n} sessions");
    }
    assert!(due(&p).contains(&("PHQ-9".into(), DueReason::Sessions { attended: 2 })));

    // At the start and near the end: due again only in the group's last two weeks.
    with_plan(&mut p, g, Cadence::StartAndEnd, Some(date!(2026 - 12 - 31)));
    assert!(
        !due(&p).iter().any(|(m, _)| m == "PHQ-9"),
        "the end is five weeks away"
    );
    with_plan(&mut p, g, Cadence::StartAndEnd, Some(date!(2026 - 12 - 05)));
    assert!(due(&p).contains(&(
        "PHQ-9".into(),
        DueReason::Closing {
            on: date!(2026 - 12 - 05)
        }
    )));
}

/// What `unanswered_before_leaving` lists for `membership`, as (name, last answered).
fn unanswered(p: &Practice, membership: MembershipId) -> Vec<(String, Option<time::Date>)> {
    p.unanswered_before_leaving(membership)
        .unwrap()
        .into_iter()
        .map(|u| (u.measure_name, u.last_answered))
        .collect()
}

#[test]
fn a_member_leaving_early_is_shown_what_the_plan_has_not_asked_them_lately() {
    let (_t, mut p) = empty_practice();
    let (g, elena) = group_with_member(&mut p);
    let place = *p
        .state()
        .memberships
        .values()
        .find(|m| m.member == elena)
        .map(|m| &m.id)
        .unwrap();
    assert!(unanswered(&p, place).is_empty(), "no plan, nothing to ask");
    with_plan(&mut p, g, Cadence::EverySessions { sessions: 4 }, None);
    assert_eq!(
        unanswered(&p, place),
        [("PHQ-9".into(), None), ("GAD-7".into(), None)]
    );
    // Answered weeks ago, and for another group: still to ask, with the day it was last asked
    // for this group.
    let mut autumn = phq9(elena, g, [Some(1); 9]);
    autumn.taken_on = date!(2026 - 10 - 01);
    p.record_administration(autumn).unwrap();
    let other = p.create_group(group("Çarşamba grubu")).unwrap();
    p.add_to_group(
        elena,
        other.id,
        MembershipStatus::Active,
        Some(date!(2026 - 11 - 01)),
    )
    .unwrap();
    p.record_administration(phq9(elena, other.id, [Some(0); 9]))
        .unwrap();
    assert_eq!(
        unanswered(&p, place),
        [
            ("PHQ-9".into(), Some(date!(2026 - 10 - 01))),
            ("GAD-7".into(), None)
        ]
    );
    // Answered for this group in the last two weeks: nothing more to ask of it.
    let mut lately = phq9(elena, g, [Some(2); 9]);
    lately.taken_on = date!(2026 - 11 - 12);
    p.record_administration(lately).unwrap();
    assert_eq!(unanswered(&p, place), [("GAD-7".into(), None)]);
    // Once they have left, there is no asking.
    let mut left = p.state().memberships[&place].clone();
    left.status = MembershipStatus::Withdrawn;
    left.left = Some(date!(2026 - 11 - 26));
    p.update_membership(left).unwrap();
    assert!(unanswered(&p, place).is_empty());
    assert!(matches!(
        p.unanswered_before_leaving(MembershipId::random()),
        Err(PracticeError::NotFound { .. })
    ));
}

#[test]
fn a_group_plan_that_cannot_work_is_refused_naming_the_field() {
    let (_t, mut p) = empty_practice();
    let (g, _) = group_with_member(&mut p);
    let plan = |measures: &[&str], cadence| MeasurePlan {
        measures: measures.iter().map(|m| (*m).to_owned()).collect(),
        cadence,
    };
    let every = |sessions| Cadence::EverySessions { sessions };
    for (plan, field) in [
        (plan(&[], every(4)), "measures.measures"),
        (plan(&["phq-10"], every(4)), "measures.measures[0]"),
        (plan(&["gad-7", "gad-7"], every(4)), "measures.measures[1]"),
        (plan(&["gad-7"], every(0)), "measures.cadence.sessions"),
        (plan(&["gad-7"], every(53)), "measures.cadence.sessions"),
    ] {
        let mut group = p.state().groups[&g].clone();
        group.measures = Some(plan);
        match p.update_group(group) {
            Err(PracticeError::Invalid(e)) => assert_eq!(e.field, field, "{e}"),
            other => panic!("{field}: {other:?}"),
        }
    }
}
