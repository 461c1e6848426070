//! A synthetic, realistic practice for demos, benchmarks and tests: [`demo_practice`] invents
//! groups of the four kinds, members with diverse names, rosters that change over three years,
//! agreements with versions and re-signing, sessions with attendance, a kilobyte of progress
//! notes per member per session, psychotherapy notes kept apart, incidents, and PHQ-9 and
//! GAD-7 answers that improve for most members and not for all — at any scale.
//!
//! Policy: deterministic. The same `(scale, seed, today)` gives byte-identical JSON, ids
//! included: every choice and every id comes from two seeded SplitMix64 streams (`rng`),
//! never the system's generator or clock, and output order never depends on a hash map.
//! Everyone and everything in it is invented (see `names` and `prose`). The result always
//! passes [`PracticeJson::validate`] for `today` (and any later day). Nothing is written
//! anywhere: importing it is the caller's choice.
//!
//! Scale 1 is ten years of a realistic practice (`docs/performance.md`): 300 members, 30
//! groups, 1,500 sessions and 15,000 notes; every count scales with it. Memory and time grow
//! linearly (scale 10 holds about 140 MB of note text in a 205 MB file).

mod agreements;
mod groups;
mod names;
mod outcomes;
mod prose;
mod rng;
mod roster;
mod sessions;

use std::collections::BTreeMap;

use time::Date;

use self::groups::{days_before, Plan};
use self::names::{People, Person};
use self::rng::Rng;
use self::roster::Slot;
use super::ids::MemberId;
use super::model::*;
use super::transfer::{PracticeJson, FORMAT_NAME, FORMAT_VERSION};
use crate::record::RecordId;

/// Days of history before `today` that groups, rosters and sessions spread over (~3 years).
const HISTORY_DAYS: i64 = 3 * 365;
/// Mixed into the seed for the id stream, so ids and content come from separate streams.
const ID_STREAM: u64 = 0x6964_7320_666f_7220_u64;

/// A whole invented practice at `scale` (1 ≈ 300 members, 30 groups, 1,500 sessions, 15,000
/// notes; fractions work, down to one group and two members), the same for the same
/// `(scale, seed, today)`. Nothing is dated after `today` except plans: a forming group's
/// start (and its agreement's effective date) and a running course's last session. A scale
/// that is not a positive number is treated as the smallest practice.
pub fn demo_practice(scale: f64, seed: u64, today: Date) -> PracticeJson {
    let targets = Targets::at(scale);
    let mut g = Gen {
        rng: Rng::new(seed),
        ids: Rng::new(seed ^ ID_STREAM),
        today,
        window_start: days_before(today, HISTORY_DAYS),
    };
    let (profile, region) = names::profile(&mut g.rng);
    let plans = groups::plan_groups(&mut g, &targets);
    let mut slots = Vec::new();
    for (i, plan) in plans.iter().enumerate() {
        slots.extend(roster::slots_for(&mut g, plan, i));
    }
    let assigned = roster::assign(&mut g, slots, targets.members, &plans);
    let mut people = People::new(region);
    let persons: Vec<Person> = (0..targets.members)
        .map(|_| people.person(&mut g.rng))
        .collect();
    let members = member_records(&mut g, &persons, &assigned, &plans);
    let member_ids: Vec<MemberId> = members.iter().map(|m| m.id).collect();
    let memberships = roster::memberships(&mut g, &assigned, &plans, &member_ids);
    let versions = agreements::versions(&mut g, &plans, &profile.practice_name);
    let signatures = agreements::signatures(&mut g, &memberships, &members, &versions, &plans);
    let sessions = sessions::sessions(&mut g, &plans, &memberships);
    let call_names: BTreeMap<MemberId, String> = member_ids
        .iter()
        .zip(&persons)
        .map(|(id, p)| (*id, p.call_name.clone()))
        .collect();
    let notes = sessions::notes(&mut g, &sessions, &plans, &call_names, &targets);
    let incidents = sessions::incidents(&mut g, &sessions, &targets);
    let administrations = outcomes::administrations(&mut g, &sessions);
    PracticeJson {
        format: FORMAT_NAME.to_owned(),
        version: FORMAT_VERSION,
        exported_at: today.midnight().assume_utc(),
        profile: Some(profile),
        groups: plans.into_iter().map(|p| p.group).collect(),
        members,
        memberships,
        agreements: versions
            .into_iter()
            .flat_map(|v| std::iter::once(v.v1).chain(v.v2))
            .collect(),
        signatures,
        sessions,
        notes,
        incidents,
        administrations,
        audit: Vec::new(),
    }
}

/// How many of each record the practice aims for at a scale.
struct Targets {
    /// Groups (at least 1).
    pub groups: usize,
    /// Members (at least 2).
    pub members: usize,
    /// Sessions across all groups (at least 1).
    pub sessions: usize,
    /// Per-member notes, progress and psychotherapy together.
    pub notes: usize,
    /// Incidents: about one per two groups.
    pub incidents: usize,
}

impl Targets {
    /// The counts for `scale` (not a positive number: the smallest practice).
    fn at(scale: f64) -> Self {
        let s = if scale.is_finite() && scale > 0.0 {
            scale
        } else {
            0.0
        };
        let count = |base: f64, least: usize| ((base * s).round() as usize).max(least);
        let groups = count(30.0, 1);
        Self {
            groups,
            members: count(300.0, 2),
            sessions: count(1500.0, 1),
            notes: count(15_000.0, 0),
            incidents: groups.div_ceil(2),
        }
    }
}

/// The generator's state: the content stream, the id stream, and the history window.
struct Gen {
    /// Every choice of content.
    rng: Rng,
    /// Every record id, in creation order.
    ids: Rng,
    /// The practitioner's today: nothing happens after it.
    today: Date,
    /// The earliest day of the practice's history.
    window_start: Date,
}

impl Gen {
    /// The next record id (a UUID v4 shape, from the id stream).
    fn id(&mut self) -> RecordId {
        self.ids.record_id()
    }
}

const REFERRALS: &[&str] = &[
    "Self-referred",
    "Family doctor",
    "Individual therapist",
    "University counselling service",
    "Employee assistance programme",
    "Hospital outpatient clinic",
    "Community mental health team",
    "A friend who attended a group here",
];

/// Member records for the invented people, with intake notes about their first group.
fn member_records(
    g: &mut Gen,
    persons: &[Person],
    assigned: &[(usize, Slot)],
    plans: &[Plan],
) -> Vec<Member> {
    let mut places: Vec<Vec<&Slot>> = vec![Vec::new(); persons.len()];
    for (m, slot) in assigned {
        if let Some(list) = places.get_mut(*m) {
            list.push(slot);
        }
    }
    persons
        .iter()
        .zip(&places)
        .map(|(person, slots)| member(g, person, slots, plans))
        .collect()
}

fn member(g: &mut Gen, person: &Person, slots: &[&Slot], plans: &[Plan]) -> Member {
    let first = slots.iter().min_by_key(|s| s.joined.unwrap_or(g.today));
    let theme = first.and_then(|s| plans.get(s.group)).map(|p| p.theme);
    let concern = theme.map_or("low mood and isolation", |t| t.concern);
    let screened_on = days_before(
        first.and_then(|s| s.joined).unwrap_or(g.today),
        g.rng.between(7, 40),
    );
    let individual_therapist = if g.rng.chance(0.55) {
        (*g.rng.pick(names::THERAPISTS)).to_owned()
    } else {
        String::new()
    };
    let referral = if !individual_therapist.is_empty() && g.rng.chance(0.5) {
        "Individual therapist"
    } else {
        g.rng.pick(REFERRALS)
    };
    let method = *g.rng.pick(&["in person", "video call", "phone"]);
    Member {
        id: MemberId(g.id()),
        legal_name: person.legal.clone(),
        preferred_name: person.preferred.clone(),
        pronouns: person.pronouns.clone(),
        date_of_birth: date_of_birth(g),
        phone: person.phone.clone(),
        email: person.email.clone(),
        emergency_contact: person.emergency_contact.clone(),
        individual_therapist,
        referral_source: referral.to_owned(),
        intake_notes: prose::intake_note(&mut g.rng, &screened_on.to_string(), method, concern),
        goals: prose::goals(&mut g.rng),
        archived: archived(g, slots),
    }
}

/// Most members gave a date of birth: adults from 19 to 76.
fn date_of_birth(g: &mut Gen) -> Option<Date> {
    if !g.rng.chance(0.85) {
        return None;
    }
    let days = g.rng.between(19 * 365, 76 * 365);
    Some(days_before(g.today, days)).filter(|d| d.year() >= 1900)
}

/// Some members whose every place ended over a year ago have been archived.
fn archived(g: &mut Gen, slots: &[&Slot]) -> bool {
    let long_ago = days_before(g.today, 365);
    let all_ended = !slots.is_empty()
        && slots
            .iter()
            .all(|s| s.status.is_final() && s.left.is_some_and(|l| l < long_ago));
    all_ended && g.rng.chance(0.3)
}
