//! Which members are due a group's questionnaires: the per-group plan ([`MeasurePlan`]) read
//! against who is in the group, the sessions they attended, and what they last answered.
//!
//! Policy: only members active in a group that has not ended, with a plan, are ever due; a
//! questionnaire counts for the group it was given for. A member is due a measure when they
//! have never answered it for the group (a starting point); with
//! [`Cadence::EverySessions`], when they have attended that many of the group's sessions
//! since they last answered it; with [`Cadence::StartAndEnd`], in the group's last two weeks
//! when they have not answered it since those weeks began. Answering it (in client mode or
//! from paper) is what clears it.

use std::collections::HashMap;

use serde::Serialize;
use time::{Date, Duration};

use super::ids::*;
use super::kind::RecordKind;
use super::measures;
use super::model::*;
use super::unlocked::{Practice, PracticeResult};

/// How long before a group's end date its closing questionnaires are due.
pub const CLOSING_DAYS: i64 = 14;

/// Why a questionnaire is due.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DueReason {
    /// Never answered for this group: the starting point.
    Starting,
    /// `attended` sessions attended since it was last answered.
    Sessions {
        /// Sessions attended since.
        attended: u32,
    },
    /// The group ends soon.
    Closing {
        /// The group's last day.
        on: Date,
    },
}

/// A questionnaire a member is due in a group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MeasureDue {
    /// The member.
    pub member: MemberId,
    /// Their display name.
    pub display_name: String,
    /// The group.
    pub group: GroupId,
    /// The group's name.
    pub group_name: String,
    /// The measure's id.
    pub measure: String,
    /// Its short name.
    pub measure_name: String,
    /// Why it is due.
    pub reason: DueReason,
}

/// One of a group's planned questionnaires that a member about to leave has not answered
/// for the group in the last [`CLOSING_DAYS`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UnansweredBeforeLeaving {
    /// The measure's id.
    pub measure: String,
    /// Its short name.
    pub measure_name: String,
    /// The last day they answered it for the group, if they ever did.
    pub last_answered: Option<Date>,
}

impl Practice {
    /// The planned questionnaires the member of `membership` has not answered for its group
    /// since [`CLOSING_DAYS`] before today, in the plan's order: what to ask before recording
    /// that they leave. Empty when the group has no plan or the membership is not active.
    pub fn unanswered_before_leaving(
        &self,
        membership: MembershipId,
    ) -> PracticeResult<Vec<UnansweredBeforeLeaving>> {
        let state = &self.state;
        let membership = Self::found(&state.memberships, &membership, RecordKind::Membership)?;
        let group = Self::found(&state.groups, &membership.group, RecordKind::Group)?;
        let Some(plan) = group.measures.as_ref() else {
            return Ok(Vec::new());
        };
        if membership.status != MembershipStatus::Active {
            return Ok(Vec::new());
        }
        let recent = self.today() - Duration::days(CLOSING_DAYS);
        Ok(plan
            .measures
            .iter()
            .filter_map(|id| {
                let last_answered = state
                    .administrations
                    .values()
                    .filter(|a| a.member == membership.member && a.group == Some(group.id))
                    .filter(|a| a.measure == *id)
                    .map(|a| a.taken_on)
                    .max();
                let answered_lately = last_answered.is_some_and(|d| d >= recent);
                (!answered_lately).then(|| UnansweredBeforeLeaving {
                    measure: id.clone(),
                    measure_name: measures::find(id).map_or_else(|| id.clone(), |m| m.name.clone()),
                    last_answered,
                })
            })
            .collect())
    }

    /// Every questionnaire due now, by group name, then member, then the plan's order.
    pub fn measures_due(&self) -> Vec<MeasureDue> {
        let today = self.today();
        let state = &self.state;
        let mut last: HashMap<(MemberId, GroupId, &str), Date> = HashMap::new();
        for a in state.administrations.values() {
            let Some(group) = a.group else { continue };
            let held = last
                .entry((a.member, group, a.measure.as_str()))
                .or_insert(a.taken_on);
            *held = (*held).max(a.taken_on);
        }
        let planned: HashMap<GroupId, (&Group, &MeasurePlan)> = state
            .groups
            .values()
            .filter(|g| g.status != GroupStatus::Ended)
            .filter_map(|g| g.measures.as_ref().map(|plan| (g.id, (g, plan))))
            .collect();
        // One pass over the sessions: each member's attended days in each planned group.
        let mut attended: HashMap<(MemberId, GroupId), Vec<Date>> = HashMap::new();
        for s in state
            .sessions
            .values()
            .filter(|s| s.date <= today && planned.contains_key(&s.group))
        {
            for (member, _) in s.attendance.iter().filter(|(_, a)| a.attended()) {
                attended.entry((*member, s.group)).or_default().push(s.date);
            }
        }
        let mut due = Vec::new();
        for membership in state
            .memberships
            .values()
            .filter(|m| m.status == MembershipStatus::Active && m.covers(today))
        {
            let Some(&(group, plan)) = planned.get(&membership.group) else {
                continue;
            };
            let days = attended
                .get(&(membership.member, group.id))
                .map_or(&[][..], Vec::as_slice);
            for id in &plan.measures {
                let since = last
                    .get(&(membership.member, group.id, id.as_str()))
                    .copied();
                let reason = due_reason(plan.cadence, group, since, today, || {
                    days.iter()
                        .filter(|d| since.is_none_or(|s| **d > s))
                        .count() as u32
                });
                if let Some(reason) = reason {
                    due.push(MeasureDue {
                        member: membership.member,
                        display_name: self.display_name(membership.member),
                        group: group.id,
                        group_name: group.name.clone(),
                        measure: id.clone(),
                        measure_name: measures::find(id)
                            .map_or_else(|| id.clone(), |m| m.name.clone()),
                        reason,
                    });
                }
            }
        }
        // Stable sort: a member's measures keep their plan's order.
        due.sort_by(|a, b| {
            (&a.group_name, &a.display_name, a.group, a.member).cmp(&(
                &b.group_name,
                &b.display_name,
                b.group,
                b.member,
            ))
        });
        due
    }
}

/// Whether (and why) a measure last answered on `since` is due `today` under `cadence`;
/// `attended_since` counts the member's attended sessions after `since`.
fn due_reason(
    cadence: Cadence,
    group: &Group,
    since: Option<Date>,
    today: Date,
    attended_since: impl FnOnce() -> u32,
) -> Option<DueReason> {
    let Some(since) = since else {
        return Some(DueReason::Starting);
    };
    match cadence {
        Cadence::EverySessions { sessions } => {
            let attended = attended_since();
            (attended >= sessions).then_some(DueReason::Sessions { attended })
        }
        Cadence::StartAndEnd => {
            let end = group.end_date?;
            let closing = end - Duration::days(CLOSING_DAYS);
            (today >= closing && today <= end && since < closing)
                .then_some(DueReason::Closing { on: end })
        }
    }
}
