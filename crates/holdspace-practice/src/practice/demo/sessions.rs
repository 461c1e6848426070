//! The demo practice's sessions: numbered meetings on each group's dates, attendance for the
//! members of the group on that day, group notes, per-member notes, and incidents.
//!
//! Policy: attendance lists exactly the members whose membership covers the session's date
//! (a member's first session is always attended). Notes are written only for members who were
//! in the room: a progress note for most, a separate psychotherapy note for some, with the
//! rates set so the practice's note count lands on its target.

use std::collections::BTreeMap;

use time::Date;

use super::groups::{days_after, Plan};
use super::prose::{self, NoteContext};
use super::{Gen, Targets};
use crate::practice::ids::*;
use crate::practice::model::*;

/// A member's place in a group as attendance needs it: who, from, until, how reliably.
struct Seat {
    member: MemberId,
    joined: Date,
    left: Option<Date>,
    reliability: f64,
}

/// Every session of every group, with attendance and a group note.
pub(super) fn sessions(g: &mut Gen, plans: &[Plan], memberships: &[Membership]) -> Vec<Session> {
    let mut seats: BTreeMap<GroupId, Vec<Seat>> = BTreeMap::new();
    for m in memberships {
        if let Some(joined) = m.joined {
            seats.entry(m.group).or_default().push(Seat {
                member: m.member,
                joined,
                left: m.left,
                reliability: 0.8 + 0.19 * g.rng.unit(),
            });
        }
    }
    let mut out = Vec::new();
    for plan in plans {
        let group_seats = seats.get(&plan.group.id).map_or(&[][..], Vec::as_slice);
        for (k, date) in plan.dates.iter().enumerate() {
            out.push(session(g, plan, k, *date, group_seats));
        }
    }
    out
}

fn session(g: &mut Gen, plan: &Plan, k: usize, date: Date, seats: &[Seat]) -> Session {
    let topics = plan.theme.topics;
    let topic = if plan.follows_curriculum() {
        topics
            .get(k % topics.len().max(1))
            .copied()
            .unwrap_or_default()
    } else {
        *g.rng.pick(topics)
    };
    let mut attendance = BTreeMap::new();
    let mut counts = [0usize; 4];
    for seat in seats {
        let member = seat.joined <= date && seat.left.is_none_or(|l| l >= date);
        if member {
            let mark = mark(g, seat, date);
            counts[mark as usize] += 1;
            attendance.insert(seat.member, mark);
        }
    }
    Session {
        id: SessionId(g.id()),
        group: plan.group.id,
        date,
        start: plan.group.schedule.as_ref().map(|s| s.start),
        number: k as u32 + 1,
        topic: topic.to_owned(),
        attendance,
        group_note: prose::group_note(&mut g.rng, topic, counts),
    }
}

/// Mostly present, sometimes late; when away, usually with notice.
fn mark(g: &mut Gen, seat: &Seat, date: Date) -> Attendance {
    if date == seat.joined {
        return Attendance::Present;
    }
    if g.rng.chance(seat.reliability) {
        if g.rng.chance(0.08) {
            Attendance::Late
        } else {
            Attendance::Present
        }
    } else if g.rng.chance(0.65) {
        Attendance::Excused
    } else {
        Attendance::Absent
    }
}

/// Per-member notes for the members in the room: progress notes for most, psychotherapy notes
/// (separate records) for some, about one note in eight.
pub(super) fn notes(
    g: &mut Gen,
    sessions: &[Session],
    plans: &[Plan],
    call_names: &BTreeMap<MemberId, String>,
    targets: &Targets,
) -> Vec<Note> {
    let by_group: BTreeMap<GroupId, &Plan> = plans.iter().map(|p| (p.group.id, p)).collect();
    let attended: usize = sessions
        .iter()
        .map(|s| s.attendance.values().filter(|a| a.attended()).count())
        .sum();
    let rates = note_rates(targets.notes, attended);
    let mut out = Vec::with_capacity(targets.notes + targets.notes / 10);
    for s in sessions {
        if let Some(plan) = by_group.get(&s.group) {
            session_notes(g, s, plan, call_names, rates, &mut out);
        }
    }
    out
}

/// The chance of a progress note and of a psychotherapy note per member in the room: one note
/// in eight a psychotherapy note when attendance allows, progress notes for at most 98% of
/// attendees, and psychotherapy notes (for at most 30% of attendees) making up any shortfall.
fn note_rates(target: usize, attended: usize) -> (f64, f64) {
    let attended = attended.max(1) as f64;
    let progress = (target as f64 * 7.0 / 8.0 / attended).min(0.98);
    let psych = ((target as f64 - progress * attended) / attended).clamp(0.0, 0.3);
    (progress, psych)
}

fn session_notes(
    g: &mut Gen,
    s: &Session,
    plan: &Plan,
    call_names: &BTreeMap<MemberId, String>,
    (progress_rate, psych_rate): (f64, f64),
    out: &mut Vec<Note>,
) {
    let schedule = plan.group.schedule.as_ref();
    for (member, mark) in s.attendance.iter().filter(|(_, a)| a.attended()) {
        let name = call_names.get(member).map_or("The member", String::as_str);
        if g.rng.chance(progress_rate) {
            let context = NoteContext {
                name,
                kind: plan.group.kind,
                topic: &s.topic,
                attendance: *mark,
                minutes: schedule.map_or(90, |s| s.length_minutes),
                video: plan.group.location == "video",
                frequency: match schedule.map(|s| s.frequency) {
                    Some(Frequency::Fortnightly) => "fortnightly",
                    _ => "weekly",
                },
            };
            let text = prose::progress_note(&mut g.rng, &context);
            out.push(note(g, s, *member, NoteKind::Progress, text));
        }
        if g.rng.chance(psych_rate) {
            let text = prose::psychotherapy_note(&mut g.rng, name);
            out.push(note(g, s, *member, NoteKind::Psychotherapy, text));
        }
    }
}

fn note(g: &mut Gen, s: &Session, member: MemberId, kind: NoteKind, text: String) -> Note {
    Note {
        id: NoteId(g.id()),
        session: s.id,
        member,
        kind,
        text,
    }
}

const INCIDENT_KINDS: [IncidentKind; 5] = [
    IncidentKind::ConfidentialityBreach,
    IncidentKind::Harassment,
    IncidentKind::Discrimination,
    IncidentKind::SafetyRisk,
    IncidentKind::Other,
];

/// About one incident per two groups, every kind in turn, most of them resolved.
pub(super) fn incidents(g: &mut Gen, sessions: &[Session], targets: &Targets) -> Vec<Incident> {
    let mut out = Vec::new();
    for k in 0..targets.incidents {
        let Some(s) = g.rng.choose(sessions) else {
            break;
        };
        let kind = INCIDENT_KINDS[k % INCIDENT_KINDS.len()];
        let (what, action) = prose::INCIDENT_STORIES[k % prose::INCIDENT_STORIES.len()];
        let present: Vec<MemberId> = s
            .attendance
            .iter()
            .filter(|(_, a)| a.attended())
            .map(|(m, _)| *m)
            .collect();
        let mut members = Vec::new();
        let involved = if kind == IncidentKind::SafetyRisk || kind == IncidentKind::Other {
            1
        } else {
            2
        };
        for _ in 0..involved {
            if let Some(m) = g.rng.choose(&present) {
                if !members.contains(m) {
                    members.push(*m);
                }
            }
        }
        let resolved_on = Some(days_after(s.date, g.rng.between(0, 28)))
            .filter(|d| *d <= g.today && g.rng.chance(0.75));
        out.push(Incident {
            id: IncidentId(g.id()),
            date: s.date,
            group: s.group,
            session: Some(s.id),
            members,
            kind,
            what_happened: what.to_owned(),
            action_taken: action.to_owned(),
            resolved_on,
        });
    }
    out
}
