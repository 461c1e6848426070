//! The home screen: questionnaire safety flags to review first, what is coming up, the groups
//! at a glance, who must sign, who is due a questionnaire, what members asked to talk about,
//! what is open.

use holdspace::practice::{
    Frequency, Group, GroupId, GroupStatus, MeasureDue, Practice, SafetyAlert, SessionId,
    SignatureDue, ToDiscuss, Weekday,
};
use serde::Serialize;
use time::{Date, Duration};

use super::groups::{group_summaries, GroupSummary};
use super::records::{incident_rows, IncidentRow};

/// How far ahead "upcoming" looks.
const UPCOMING_DAYS: i64 = 14;

/// Everything on the home screen.
#[derive(Clone, Debug, Serialize)]
pub struct Home {
    /// The practice's name (empty until the profile is filled in).
    pub practice_name: String,
    /// The practitioner's name.
    pub practitioner_name: String,
    /// Today, in the practitioner's time zone.
    pub today: Date,
    /// Questionnaire safety flags not yet reviewed: shown before anything else.
    pub safety_alerts: Vec<SafetyAlert>,
    /// Sessions in the next two weeks: recorded ones and those the schedules predict.
    pub upcoming: Vec<Upcoming>,
    /// Every group that has not ended, with counts.
    pub groups: Vec<GroupSummary>,
    /// Members who must sign or re-sign.
    pub signatures_due: Vec<SignatureDue>,
    /// Rules members asked to talk about when they signed, not yet talked about.
    pub to_discuss: Vec<ToDiscuss>,
    /// Questionnaires members are due, by their groups' plans.
    pub measures_due: Vec<MeasureDue>,
    /// Incidents not yet resolved.
    pub open_incidents: Vec<IncidentRow>,
    /// Members in the practice (archived ones left out).
    pub member_count: usize,
    /// Records that could not be read at unlock.
    pub damaged_records: usize,
}

/// A session in the coming days.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Upcoming {
    /// The group.
    pub group: GroupId,
    /// Its name.
    pub group_name: String,
    /// The day.
    pub date: Date,
    /// The start time, `HH:MM`, when known.
    pub start: Option<String>,
    /// The recorded session, when one exists for that day.
    pub session: Option<SessionId>,
}

/// The home screen for `practice`.
pub fn home(practice: &Practice) -> Home {
    let profile = practice.profile();
    let today = practice.today();
    let groups = group_summaries(practice)
        .into_iter()
        .filter(|g| g.group.status != GroupStatus::Ended)
        .collect();
    let open = practice.open_incidents();
    Home {
        practice_name: profile.practice_name,
        practitioner_name: profile.practitioner_name,
        today,
        safety_alerts: practice.safety_alerts(),
        upcoming: upcoming(practice, today),
        groups,
        signatures_due: practice.signatures_due(),
        to_discuss: practice.to_discuss(),
        measures_due: practice.measures_due(),
        open_incidents: incident_rows(practice, open),
        member_count: practice
            .state()
            .members
            .values()
            .filter(|m| !m.archived)
            .count(),
        damaged_records: practice.damaged().len(),
    }
}

/// Recorded sessions from today on, plus each running group's next scheduled days.
fn upcoming(practice: &Practice, today: Date) -> Vec<Upcoming> {
    let until = today + Duration::days(UPCOMING_DAYS);
    let state = practice.state();
    let mut list: Vec<Upcoming> = state
        .sessions
        .values()
        .filter(|s| s.date >= today && s.date <= until)
        .map(|s| Upcoming {
            group: s.group,
            group_name: super::group_name(practice, s.group),
            date: s.date,
            start: s.start.map(|t| t.to_string()),
            session: Some(s.id),
        })
        .collect();
    for group in state.groups.values() {
        for date in scheduled_days(group, today, until) {
            if !list.iter().any(|u| u.group == group.id && u.date == date) {
                list.push(Upcoming {
                    group: group.id,
                    group_name: group.name.clone(),
                    date,
                    start: group.schedule.as_ref().map(|s| s.start.to_string()),
                    session: None,
                });
            }
        }
    }
    list.sort_by(|a, b| (a.date, &a.start, &a.group_name).cmp(&(b.date, &b.start, &b.group_name)));
    list
}

/// The days a group meets between `from` and `until` (inclusive), by its schedule.
pub fn scheduled_days(group: &Group, from: Date, until: Date) -> Vec<Date> {
    let Some(schedule) = &group.schedule else {
        return Vec::new();
    };
    if group.status == GroupStatus::Ended {
        return Vec::new();
    }
    let first_possible = group.start_date.map_or(from, |start| start.max(from));
    let step = match schedule.frequency {
        Frequency::Weekly => 7,
        Frequency::Fortnightly => 14,
    };
    // Fortnightly groups keep the rhythm of their first meeting.
    let anchor = next_weekday(group.start_date.unwrap_or(first_possible), schedule.weekday);
    let mut day = anchor;
    while day < first_possible {
        day += Duration::days(step);
    }
    let mut days = Vec::new();
    while day <= until && group.end_date.is_none_or(|end| day <= end) {
        days.push(day);
        day += Duration::days(step);
    }
    days
}

/// The first `weekday` on or after `date`.
fn next_weekday(date: Date, weekday: Weekday) -> Date {
    let target = match weekday {
        Weekday::Monday => time::Weekday::Monday,
        Weekday::Tuesday => time::Weekday::Tuesday,
        Weekday::Wednesday => time::Weekday::Wednesday,
        Weekday::Thursday => time::Weekday::Thursday,
        Weekday::Friday => time::Weekday::Friday,
        Weekday::Saturday => time::Weekday::Saturday,
        Weekday::Sunday => time::Weekday::Sunday,
    };
    let ahead = (i64::from(target.number_days_from_monday())
        - i64::from(date.weekday().number_days_from_monday()))
    .rem_euclid(7);
    date + Duration::days(ahead)
}

#[cfg(test)]
mod tests {
    use super::*;
    use holdspace::practice::{ClockTime, Enrollment, GroupKind, Schedule};
    use time::macros::date;

    fn group(frequency: Frequency, start: Option<Date>) -> Group {
        Group {
            id: GroupId::random(),
            name: "G".into(),
            kind: GroupKind::Process,
            focus: String::new(),
            co_facilitator: None,
            schedule: Some(Schedule {
                weekday: Weekday::Thursday,
                start: ClockTime {
                    hour: 18,
                    minute: 0,
                },
                length_minutes: 90,
                frequency,
            }),
            location: String::new(),
            start_date: start,
            end_date: None,
            capacity: None,
            enrollment: Enrollment::Open,
            status: GroupStatus::Running,
            measures: None,
        }
    }

    #[test]
    fn weekly_groups_meet_on_their_weekday() {
        // 2026-11-26 is a Thursday.
        let days = scheduled_days(
            &group(Frequency::Weekly, None),
            date!(2026 - 11 - 23),
            date!(2026 - 12 - 7),
        );
        assert_eq!(days, vec![date!(2026 - 11 - 26), date!(2026 - 12 - 3)]);
    }

    #[test]
    fn fortnightly_groups_keep_their_rhythm() {
        let g = group(Frequency::Fortnightly, Some(date!(2026 - 11 - 5)));
        let days = scheduled_days(&g, date!(2026 - 11 - 23), date!(2026 - 12 - 31));
        assert_eq!(
            days,
            vec![
                date!(2026 - 12 - 3),
                date!(2026 - 12 - 17),
                date!(2026 - 12 - 31)
            ]
        );
    }

    #[test]
    fn nothing_before_the_group_starts_or_after_it_ends() {
        let mut g = group(Frequency::Weekly, Some(date!(2026 - 12 - 1)));
        g.end_date = Some(date!(2026 - 12 - 5));
        let days = scheduled_days(&g, date!(2026 - 11 - 23), date!(2026 - 12 - 31));
        assert_eq!(days, vec![date!(2026 - 12 - 3)]);
    }
}
