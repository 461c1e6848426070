//! Invented outcome questionnaires: each member answers the PHQ-9 and the GAD-7 at the first
//! session they attend in a group and at every fourth one after, along a course of their own —
//! most improve, some stay where they were, a few get worse. Now and then a paper copy has a
//! question left blank, and a member doing badly answers PHQ-9 item 9 above "not at all"; the
//! practitioner has already reviewed every such flag, so a demo opens calm.

use std::collections::BTreeMap;

use time::macros::time;
use time::Date;

use super::rng::Rng;
use super::Gen;
use crate::practice::ids::*;
use crate::practice::measures::{self, Answers, MeasureDefinition};
use crate::practice::model::*;

/// Every how many attended sessions a member answers again (the demo groups' cadence).
pub(super) const EVERY: usize = 4;

/// How a member's scores move from one answering to the next.
#[derive(Clone, Copy)]
struct Course {
    /// Where they start on the PHQ-9 and the GAD-7.
    start: (i64, i64),
    /// Points gained (worse) or lost (better) per answering.
    slope: i64,
}

/// The questionnaires the members answered at the sessions they attended.
pub(super) fn administrations(g: &mut Gen, sessions: &[Session]) -> Vec<Administration> {
    let (Some(phq9), Some(gad7)) = (measures::find("phq-9"), measures::find("gad-7")) else {
        return Vec::new();
    };
    let mut attended: BTreeMap<(MemberId, GroupId), Vec<Date>> = BTreeMap::new();
    for s in sessions.iter().filter(|s| s.date <= g.today) {
        for (member, _) in s.attendance.iter().filter(|(_, a)| a.attended()) {
            attended.entry((*member, s.group)).or_default().push(s.date);
        }
    }
    let mut out = Vec::new();
    for ((member, group), mut dates) in attended {
        dates.sort();
        let course = course(&mut g.rng);
        for (k, date) in dates.into_iter().step_by(EVERY).enumerate() {
            let drift = course.slope * k as i64;
            for (definition, start) in [(phq9, course.start.0), (gad7, course.start.1)] {
                let total = start + drift + g.rng.between(-2, 2);
                let answered = answered(g, definition, total, member, group, date);
                out.push(answered);
            }
        }
    }
    out
}

fn course(rng: &mut Rng) -> Course {
    let phq9 = rng.between(5, 22);
    let gad7 = (phq9 + rng.between(-4, 3)).clamp(3, 20);
    let slope = match rng.weighted(&[60, 25, 15]) {
        0 => -rng.between(1, 3),
        1 => 0,
        _ => rng.between(1, 2),
    };
    Course {
        start: (phq9, gad7),
        slope,
    }
}

fn answered(
    g: &mut Gen,
    definition: &MeasureDefinition,
    total: i64,
    member: MemberId,
    group: GroupId,
    date: Date,
) -> Administration {
    let (_, highest) = definition.total_range();
    let total = total.clamp(0, i64::from(highest));
    let mut items = spread(&mut g.rng, definition, total);
    let on_paper = g.rng.chance(0.2);
    if on_paper && g.rng.chance(0.05) {
        let blank = g.rng.below(items.len());
        if !definition.items[blank].safety {
            items[blank] = None;
        }
    }
    let follow_up =
        measures::follow_up_asked(definition, &items).then(|| (total / 7).clamp(0, 3) as u8);
    let flagged = measures::score(
        definition,
        &Answers {
            items: items.clone(),
            follow_up: None,
        },
    )
    .is_ok_and(|s| !s.safety.is_empty());
    Administration {
        id: AdministrationId(g.id()),
        member,
        group: Some(group),
        measure: definition.id.clone(),
        version: definition.version,
        answers: Answers { items, follow_up },
        taken_on: date,
        answered_by: if on_paper {
            AnsweredBy::Paper
        } else {
            AnsweredBy::Client
        },
        safety_reviewed_at: flagged.then(|| date.with_time(time!(18:00)).assume_utc()),
    }
}

/// Item answers adding up to `total`: points go one at a time to a random item not yet at
/// its highest, safety items last. A severe total now and then puts a point on a safety item.
fn spread(rng: &mut Rng, definition: &MeasureDefinition, total: i64) -> Vec<Option<u8>> {
    let top = definition.options.last().map_or(0, |o| o.value);
    let mut points = vec![0u8; definition.items.len()];
    let safety: Vec<usize> = (0..points.len())
        .filter(|&i| definition.items[i].safety)
        .collect();
    let mut left = total;
    if total >= 15 && rng.chance(0.3) {
        for &i in &safety {
            points[i] = 1;
            left -= 1;
        }
    }
    while left > 0 {
        let below_top = |ordinary: bool| -> Vec<usize> {
            (0..points.len())
                .filter(|&i| points[i] < top && safety.contains(&i) != ordinary)
                .collect()
        };
        let mut open = below_top(true);
        if open.is_empty() {
            open = below_top(false);
        }
        let Some(&i) = rng.choose(&open) else {
            break;
        };
        points[i] += 1;
        left -= 1;
    }
    points.into_iter().map(Some).collect()
}
