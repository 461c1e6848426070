//! The demo practice's agreements and signatures: version 1 of the default agreement for every
//! group, a version 2 with one edited clause for some, and members' signatures on them.
//!
//! Policy: versions come from [`default_agreement`] with their real content hash, exactly as
//! the app makes them. A member signs the version current on the day they sign, a little
//! before joining, every clause acknowledged; when a group publishes version 2, about half of
//! the members still in it re-sign and the rest are left needing to — as in a real practice.

use std::collections::BTreeMap;

use time::{Date, Duration, OffsetDateTime};

use super::groups::{days_after, days_before, Plan};
use super::Gen;
use crate::practice::agreement::content_hash;
use crate::practice::ids::*;
use crate::practice::model::*;
use crate::practice::template::default_agreement;

/// A group's versions.
pub(super) struct Versions {
    /// Version 1, effective from the group's start.
    pub v1: AgreementVersion,
    /// Version 2, for some groups.
    pub v2: Option<AgreementVersion>,
}

/// Edits a practitioner makes after a group has run a while: the clause, and what is added.
const EDITS: &[(&str, &str)] = &[
    (
        "No recording, and a private place on video",
        "Please wear headphones when you join by video, so no one near you can hear the group.",
    ),
    (
        "Coming to each session",
        "If you can't come, please tell us at least one day before.",
    ),
    (
        "Contact outside the group",
        "This includes texts, group chats and social media.",
    ),
    (
        "Come to group sober",
        "If you come to group after drinking or using, we will ask you to leave that session. We will talk about it in the next one.",
    ),
    (
        "Respect for each other",
        "Please keep your phone on silent and out of sight during group.",
    ),
];

/// The versions of every group's agreement: version 2 for about two in five running groups
/// and one in five ended groups that have met at least eight times.
pub(super) fn versions(g: &mut Gen, plans: &[Plan], practice_name: &str) -> Vec<Versions> {
    let revised = revised_groups(g, plans);
    plans
        .iter()
        .enumerate()
        .map(|(i, plan)| {
            let v1 = version_1(g, plan, practice_name);
            let v2 = revised.contains(&i).then(|| version_2(g, plan, &v1));
            Versions { v1, v2 }
        })
        .collect()
}

fn revised_groups(g: &mut Gen, plans: &[Plan]) -> Vec<usize> {
    let mut chosen = Vec::new();
    for (status, share) in [(GroupStatus::Running, 0.4), (GroupStatus::Ended, 0.2)] {
        let mut eligible: Vec<usize> = (0..plans.len())
            .filter(|i| plans[*i].group.status == status && plans[*i].dates.len() >= 8)
            .collect();
        g.rng.shuffle(&mut eligible);
        let take = (eligible.len() as f64 * share).ceil() as usize;
        chosen.extend(eligible.into_iter().take(take));
    }
    chosen
}

fn version_1(g: &mut Gen, plan: &Plan, practice_name: &str) -> AgreementVersion {
    let text = default_agreement(&plan.group.name, practice_name);
    AgreementVersion {
        id: AgreementId(g.id()),
        group: plan.group.id,
        number: 1,
        content_hash: content_hash(&text),
        text,
        effective_date: plan.group.start_date.unwrap_or(g.today),
    }
}

/// Version 2: one clause gains a sentence, effective on a session day — recent for a running
/// group, so some current members still need to re-sign.
fn version_2(g: &mut Gen, plan: &Plan, v1: &AgreementVersion) -> AgreementVersion {
    let mut text = v1.text.clone();
    let (heading, extra) = *g.rng.pick(EDITS);
    let at = text
        .clauses
        .iter()
        .position(|c| c.heading == heading)
        .unwrap_or(text.clauses.len().saturating_sub(1));
    if let Some(clause) = text.clauses.get_mut(at) {
        clause.text = format!("{} {extra}", clause.text);
    }
    let n = plan.dates.len();
    let from = if plan.group.status == GroupStatus::Running {
        n.saturating_sub(10).max(1)
    } else {
        n / 3
    };
    let k = g.rng.between(from as i64, n.saturating_sub(2) as i64) as usize;
    AgreementVersion {
        id: AgreementId(g.id()),
        group: plan.group.id,
        number: 2,
        content_hash: content_hash(&text),
        text,
        effective_date: plan.dates.get(k).copied().unwrap_or(g.today),
    }
}

/// Signatures of every membership: most members who joined, half of those screened, none on
/// a waitlist.
pub(super) fn signatures(
    g: &mut Gen,
    memberships: &[Membership],
    members: &[Member],
    versions: &[Versions],
    plans: &[Plan],
) -> Vec<Signature> {
    let by_id: BTreeMap<MemberId, &Member> = members.iter().map(|m| (m.id, m)).collect();
    let by_group: BTreeMap<GroupId, &Versions> = plans
        .iter()
        .zip(versions)
        .map(|(p, v)| (p.group.id, v))
        .collect();
    let mut out = Vec::new();
    for m in memberships {
        if let (Some(member), Some(v)) = (by_id.get(&m.member), by_group.get(&m.group)) {
            sign_membership(g, m, member, v, &mut out);
        }
    }
    out
}

fn sign_membership(
    g: &mut Gen,
    m: &Membership,
    member: &Member,
    v: &Versions,
    out: &mut Vec<Signature>,
) {
    let day = match (m.status, m.joined) {
        (_, Some(joined)) if g.rng.chance(0.93) => days_before(joined, g.rng.between(1, 10)),
        (MembershipStatus::Screened, None) if g.rng.chance(0.5) => {
            days_before(g.today, g.rng.between(1, 20))
        }
        _ => return,
    };
    let current = match &v.v2 {
        Some(v2) if day >= v2.effective_date => v2,
        _ => &v.v1,
    };
    out.push(signature(g, member, current, day));
    let Some(v2) = v.v2.as_ref().filter(|_| current.number == 1) else {
        return;
    };
    if m.covers(v2.effective_date) && g.rng.chance(0.55) {
        let latest = days_before(g.today, 1).min(m.left.unwrap_or(Date::MAX));
        let day = days_after(v2.effective_date, g.rng.between(0, 21)).min(latest);
        if day >= v2.effective_date {
            out.push(signature(g, member, v2, day));
        }
    }
}

fn signature(g: &mut Gen, member: &Member, version: &AgreementVersion, day: Date) -> Signature {
    let clauses = version.text.clauses.len();
    let typed_name = if !member.preferred_name.is_empty() && g.rng.chance(0.3) {
        member.preferred_name.clone()
    } else {
        member.legal_name.clone()
    };
    let signed_at = moment(g, day);
    let signature = Signature {
        id: SignatureId(g.id()),
        member: member.id,
        group: version.group,
        agreement: version.id,
        version_number: version.number,
        content_hash: version.content_hash.clone(),
        typed_name,
        signed_at,
        method: if g.rng.chance(0.7) {
            SignatureMethod::ClientMode
        } else {
            SignatureMethod::PaperCopy
        },
        acknowledged: vec![true; clauses],
        discuss: if g.rng.chance(0.08) {
            vec![g.rng.below(clauses)]
        } else {
            Vec::new()
        },
        talked_about: Vec::new(),
        withdrawal: withdrawal(g, day),
    };
    talk_about_a_week_later(signature, g.today)
}

/// A question asked at signing is talked about a week later, unless that is still to come
/// (so the newest ones are on the "to talk about" list). No random draw, so the rest of the
/// demo practice stays as it was.
fn talk_about_a_week_later(mut signature: Signature, today: Date) -> Signature {
    let day = days_after(signature.signed_at.date(), 7);
    if day < today {
        let at = day.with_time(signature.signed_at.time()).assume_utc();
        signature.talked_about = signature
            .discuss
            .iter()
            .map(|&clause| TalkedAbout { clause, at })
            .collect();
    }
    signature
}

/// A few signatures are withdrawn, weeks or months after signing.
fn withdrawal(g: &mut Gen, signed: Date) -> Option<Withdrawal> {
    if !g.rng.chance(0.02) {
        return None;
    }
    let day = days_after(signed, g.rng.between(5, 120));
    if day >= g.today {
        return None;
    }
    let reason = *g.rng.pick(&[
        "Left the group and asked for consent to be withdrawn",
        "Disagreed with the recording clause; discussing in individual session",
        "Signed for the wrong group; signing again on paper",
    ]);
    Some(Withdrawal {
        at: moment(g, day),
        reason: reason.to_owned(),
    })
}

/// A time during office hours on `day`, in UTC.
pub(super) fn moment(g: &mut Gen, day: Date) -> OffsetDateTime {
    let base = day.midnight().assume_utc();
    let minutes = Duration::minutes(g.rng.between(9 * 60, 19 * 60 + 45));
    base.checked_add(minutes).unwrap_or(base)
}
