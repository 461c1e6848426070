//! The demo practice's rosters: who was in which group, when, and how it ended.
//!
//! Policy: each group's places are filled seat by seat over its session dates — a course fills
//! at the start and loses a few; an open group replaces each leaver after a short gap — so no
//! group ever has more active members than its capacity. The places are then shared out so
//! that every member holds one or two, never two in the same group; places left over stay
//! empty, and members left over wait for a place. Join and leave dates are session dates, so
//! attendance lines up with membership.

use time::Date;

use super::groups::{days_before, Plan};
use super::Gen;
use crate::practice::ids::{MemberId, MembershipId};
use crate::practice::model::*;

/// One place in one group over time, before a member is given it.
#[derive(Clone, Debug)]
pub(super) struct Slot {
    /// Index of the group's plan.
    pub group: usize,
    /// Where the holder stands.
    pub status: MembershipStatus,
    /// First day as an active member.
    pub joined: Option<Date>,
    /// Last day (completed or withdrawn).
    pub left: Option<Date>,
    /// Why they left, or a note on the status.
    pub reason: &'static str,
}

const COMPLETED_EARLY: &[&str] = &[
    "Planned ending after reaching their goals",
    "Completed the agreed twelve months in group",
    "Graduated from group; continuing individual therapy",
    "Planned ending; moving on to a skills course",
];

const COMPLETED_AT_END: &[&str] = &["Completed the group", "Attended to the last session", ""];

const WITHDRAWN: &[&str] = &[
    "Moved out of the area",
    "Work hours changed and the time no longer fits",
    "Health reasons",
    "Stopped attending; did not respond to two follow-up calls",
    "Felt the group was not the right fit; referred to individual therapy",
    "Childcare fell through",
    "Started a residential programme",
    "Asked to leave after repeated breaches of the group agreement",
];

/// Every place in one group.
pub(super) fn slots_for(g: &mut Gen, plan: &Plan, index: usize) -> Vec<Slot> {
    let capacity = usize::from(plan.group.capacity.unwrap_or(8));
    let mut slots = Vec::new();
    match plan.group.status {
        GroupStatus::Forming => forming(g, index, capacity, &mut slots),
        _ if plan.is_course() => course(g, plan, index, capacity, &mut slots),
        _ => open_seats(g, plan, index, capacity, &mut slots),
    }
    waiting(g, plan, index, &mut slots);
    slots
}

fn slot(group: usize, status: MembershipStatus) -> Slot {
    Slot {
        group,
        status,
        joined: None,
        left: None,
        reason: "",
    }
}

/// A forming group: screened members and a short waitlist; one or two decided not to join.
fn forming(g: &mut Gen, index: usize, capacity: usize, slots: &mut Vec<Slot>) {
    let screened = ((capacity as f64) * (0.3 + 0.4 * g.rng.unit())).round() as usize;
    for _ in 0..screened.max(1) {
        slots.push(Slot {
            reason: "Screened; starts with the group",
            ..slot(index, MembershipStatus::Screened)
        });
    }
    for _ in 0..g.rng.between(0, 1) {
        slots.push(Slot {
            left: Some(days_before(g.today, g.rng.between(1, 20))),
            reason: "Decided not to join after screening",
            ..slot(index, MembershipStatus::Withdrawn)
        });
    }
}

/// A closed group: everyone starts together; a few withdraw along the way.
fn course(g: &mut Gen, plan: &Plan, index: usize, capacity: usize, slots: &mut Vec<Slot>) {
    let n = plan.dates.len();
    let fill = capacity - g.rng.below(2).min(capacity - 1);
    for _ in 0..fill {
        if n > 1 && g.rng.chance(0.15) {
            let end = g.rng.between(1, n as i64 - 1) as usize;
            slots.push(left_early(g, plan, index, 0, end, false));
        } else {
            slots.push(to_the_end(g, plan, index, 0));
        }
    }
}

/// An open group: each seat is held by one member after another.
fn open_seats(g: &mut Gen, plan: &Plan, index: usize, capacity: usize, slots: &mut Vec<Slot>) {
    let n = plan.dates.len();
    let founders = (capacity * 3).div_ceil(4);
    for seat in 0..capacity {
        let mut pos = if seat < founders {
            g.rng.below(n.min(2))
        } else {
            g.rng.below((n / 4).max(1))
        };
        while pos < n {
            let end = pos + tenure(g, plan.group.kind) - 1;
            if end >= n - 1 {
                slots.push(to_the_end(g, plan, index, pos));
                break;
            }
            slots.push(left_early(g, plan, index, pos, end, true));
            pos = end + 1 + g.rng.below(3);
        }
    }
}

/// How many sessions a member of an open group stays for.
fn tenure(g: &mut Gen, kind: GroupKind) -> usize {
    let (lo, hi) = match kind {
        GroupKind::Process => (30, 110),
        GroupKind::Support => (20, 80),
        GroupKind::Skills => (20, 60),
        GroupKind::Psychoeducational => (8, 24),
    };
    g.rng.between(lo, hi) as usize
}

/// A member who stayed to the last session so far: still active, or completed if it ended.
fn to_the_end(g: &mut Gen, plan: &Plan, index: usize, pos: usize) -> Slot {
    let joined = plan.dates.get(pos).copied();
    if plan.group.status == GroupStatus::Ended {
        Slot {
            joined,
            left: plan.dates.last().copied(),
            reason: g.rng.phrase(COMPLETED_AT_END),
            ..slot(index, MembershipStatus::Completed)
        }
    } else {
        Slot {
            joined,
            ..slot(index, MembershipStatus::Active)
        }
    }
}

/// A member who left after session `end`: a planned ending or a withdrawal.
fn left_early(g: &mut Gen, plan: &Plan, index: usize, pos: usize, end: usize, open: bool) -> Slot {
    let completed = open && g.rng.chance(0.55);
    let (status, reason) = if completed {
        (MembershipStatus::Completed, g.rng.phrase(COMPLETED_EARLY))
    } else {
        (MembershipStatus::Withdrawn, g.rng.phrase(WITHDRAWN))
    };
    Slot {
        joined: plan.dates.get(pos).copied(),
        left: plan.dates.get(end).copied(),
        reason,
        ..slot(index, status)
    }
}

/// People waiting for a place, or who waited until the group ended.
fn waiting(g: &mut Gen, plan: &Plan, index: usize, slots: &mut Vec<Slot>) {
    match plan.group.status {
        GroupStatus::Ended => {
            for _ in 0..g.rng.between(0, 1) {
                slots.push(never_placed(plan, index, g.today));
            }
        }
        GroupStatus::Running => {
            for _ in 0..g.rng.between(0, 2) {
                slots.push(waitlisted(plan, index));
            }
            if !plan.is_course() && g.rng.chance(0.4) {
                slots.push(Slot {
                    reason: "Screened; joins when a place opens",
                    ..slot(index, MembershipStatus::Screened)
                });
            }
        }
        GroupStatus::Forming => {
            for _ in 0..g.rng.between(0, 2) {
                slots.push(waitlisted(plan, index));
            }
        }
    }
}

fn waitlisted(plan: &Plan, index: usize) -> Slot {
    let reason = if plan.is_course() {
        "Waiting for the next cohort"
    } else {
        "Waiting for a place"
    };
    Slot {
        reason,
        ..slot(index, MembershipStatus::Waitlisted)
    }
}

/// Someone who waited for a place that never came before the group ended.
fn never_placed(plan: &Plan, index: usize, today: Date) -> Slot {
    let left = plan.dates.last().copied().or(plan.group.end_date);
    Slot {
        left: Some(left.unwrap_or(today).min(today)),
        reason: "The group ended before a place opened",
        ..slot(index, MembershipStatus::Withdrawn)
    }
}

/// The place a member who got none holds: a waitlist, or an ended group's never-placed list.
pub(super) fn spare_slot(g: &mut Gen, plans: &[Plan]) -> Slot {
    let index = g.rng.below(plans.len());
    match plans.get(index) {
        Some(plan) if plan.group.status == GroupStatus::Ended => never_placed(plan, index, g.today),
        Some(plan) => waitlisted(plan, index),
        None => slot(0, MembershipStatus::Waitlisted),
    }
}

/// Gives out places: every member one, then second places to members with room for one
/// more. When there are more places than two per member, places that carry attendance are
/// kept first (with a tenth of the budget for waitlists and screenings) and the rest stay
/// empty. Returns (member index, place) pairs in group order.
pub(super) fn assign(
    g: &mut Gen,
    slots: Vec<Slot>,
    members: usize,
    plans: &[Plan],
) -> Vec<(usize, Slot)> {
    let order = keep_within_budget(g, &slots, 2 * members);
    let mut holder: Vec<Option<usize>> = vec![None; slots.len()];
    let mut groups_of: Vec<Vec<usize>> = vec![Vec::new(); members];
    for (member, &s) in order.iter().enumerate().take(members) {
        holder[s] = Some(member);
        groups_of[member].push(slots[s].group);
    }
    let mut with_room: Vec<usize> = (0..members.min(order.len())).collect();
    for &s in order.iter().skip(members) {
        if let Some(member) = second_place_for(g, &mut with_room, &groups_of, slots[s].group) {
            holder[s] = Some(member);
            groups_of[member].push(slots[s].group);
        }
    }
    let mut assigned: Vec<(usize, Slot)> = slots
        .into_iter()
        .zip(holder)
        .filter_map(|(slot, member)| member.map(|m| (m, slot)))
        .collect();
    for (member, groups) in groups_of.iter().enumerate() {
        if groups.is_empty() {
            assigned.push((member, spare_slot(g, plans)));
        }
    }
    assigned.sort_by_key(|(_, slot)| slot.group);
    assigned
}

/// Slot indices in the order they are given out, at most `budget` of them: attending places
/// first, waitlist-type places after, both shuffled.
fn keep_within_budget(g: &mut Gen, slots: &[Slot], budget: usize) -> Vec<usize> {
    let (mut attending, mut waiting): (Vec<usize>, Vec<usize>) =
        (0..slots.len()).partition(|i| slots[*i].joined.is_some());
    g.rng.shuffle(&mut attending);
    g.rng.shuffle(&mut waiting);
    let waiting_share = waiting.len().min(budget / 10);
    attending.truncate(budget - waiting_share);
    waiting.truncate(budget - attending.len());
    let mut order = attending;
    order.extend(waiting);
    g.rng.shuffle(&mut order);
    order
}

/// A member (removed from `with_room`) who holds one place, not in `group`: a few random
/// tries, then a scan from a random start.
fn second_place_for(
    g: &mut Gen,
    with_room: &mut Vec<usize>,
    groups_of: &[Vec<usize>],
    group: usize,
) -> Option<usize> {
    if with_room.is_empty() {
        return None;
    }
    let fits = |m: usize| !groups_of[m].contains(&group);
    let start = g.rng.below(with_room.len());
    let at = (0..with_room.len())
        .map(|k| (start + k) % with_room.len())
        .find(|k| fits(with_room[*k]))?;
    Some(with_room.swap_remove(at))
}

/// The membership records for assigned places.
pub(super) fn memberships(
    g: &mut Gen,
    assigned: &[(usize, Slot)],
    plans: &[Plan],
    members: &[MemberId],
) -> Vec<Membership> {
    assigned
        .iter()
        .filter_map(|(m, slot)| {
            Some(Membership {
                id: MembershipId(g.id()),
                member: *members.get(*m)?,
                group: plans.get(slot.group)?.group.id,
                status: slot.status,
                joined: slot.joined,
                left: slot.left,
                reason: slot.reason.to_owned(),
            })
        })
        .collect()
}
