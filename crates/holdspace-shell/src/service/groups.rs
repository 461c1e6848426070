//! Groups: the list, a group's page (roster, sessions, agreement, incidents), saving a group
//! and changing its roster.

use holdspace::practice::{
    AgreementVersion, Attendance, Group, GroupId, MemberId, Membership, MembershipId,
    MembershipStatus, Practice, RosterEntry, SessionId, SignatureMethod,
};
use serde::Serialize;
use serde_json::Value;
use time::{Date, OffsetDateTime};

use super::records::{incident_rows, IncidentRow};
use super::{from_form, Named};
use crate::error::{not_found, AppError};

/// A group with the counts its list row shows.
#[derive(Clone, Debug, Serialize)]
pub struct GroupSummary {
    /// The group.
    pub group: Group,
    /// Members with an active membership.
    pub active: usize,
    /// Members waitlisted or screened.
    pub waiting: usize,
    /// Sessions recorded.
    pub sessions: usize,
    /// The most recent session's date.
    pub last_session: Option<Date>,
    /// The current agreement version's number.
    pub agreement_version: Option<u32>,
    /// Members who must sign or re-sign the current version.
    pub signatures_due: usize,
    /// Unresolved incidents.
    pub open_incidents: usize,
}

/// Every group, by name.
pub fn group_summaries(practice: &Practice) -> Vec<GroupSummary> {
    let state = practice.state();
    let mut groups: Vec<GroupSummary> = state
        .groups
        .values()
        .map(|g| summary(practice, g))
        .collect();
    groups.sort_by_key(|g| g.group.name.to_lowercase());
    groups
}

fn summary(practice: &Practice, group: &Group) -> GroupSummary {
    let state = practice.state();
    let memberships = state.memberships.values().filter(|m| m.group == group.id);
    let (mut active, mut waiting) = (0, 0);
    for m in memberships {
        match m.status {
            MembershipStatus::Active => active += 1,
            MembershipStatus::Waitlisted | MembershipStatus::Screened => waiting += 1,
            _ => {}
        }
    }
    let sessions: Vec<_> = state
        .sessions
        .values()
        .filter(|s| s.group == group.id)
        .collect();
    GroupSummary {
        group: group.clone(),
        active,
        waiting,
        sessions: sessions.len(),
        last_session: sessions.iter().map(|s| s.date).max(),
        agreement_version: practice.current_agreement(group.id).map(|a| a.number),
        signatures_due: practice.members_needing_signature(group.id).len()
            + practice.members_needing_resigning(group.id).len(),
        open_incidents: state
            .incidents
            .values()
            .filter(|i| i.group == group.id && i.resolved_on.is_none())
            .count(),
    }
}

/// A group's page.
#[derive(Clone, Debug, Serialize)]
pub struct GroupPage {
    /// The group with its counts.
    pub summary: GroupSummary,
    /// Everyone with a membership, active first.
    pub roster: Vec<RosterEntry>,
    /// Sessions, newest first.
    pub sessions: Vec<SessionRow>,
    /// The agreement: current version and history with signers.
    pub agreement: Vec<VersionRow>,
    /// Incidents in this group, newest first.
    pub incidents: Vec<IncidentRow>,
    /// Its questionnaires: per measure and day, the median and the count per band.
    pub measures: Vec<holdspace::practice::GroupMeasure>,
    /// The short names of the questionnaires its plan gives, in order (none without a plan).
    pub plan_names: Vec<String>,
    /// Members not on the roster who could be added (not archived).
    pub candidates: Vec<Named<MemberId>>,
}

/// One session in a group's list.
#[derive(Clone, Debug, Serialize)]
pub struct SessionRow {
    /// The session.
    pub id: SessionId,
    /// Its number in the group.
    pub number: u32,
    /// The day.
    pub date: Date,
    /// Start time `HH:MM`, when known.
    pub start: Option<String>,
    /// Topic or skill.
    pub topic: String,
    /// Members present or late.
    pub attended: usize,
    /// Members with any attendance entry.
    pub recorded: usize,
}

/// One version of the group's agreement and who signed it.
#[derive(Clone, Debug, Serialize)]
pub struct VersionRow {
    /// The version.
    pub version: AgreementVersion,
    /// Signatures of this version, oldest first.
    pub signers: Vec<Signer>,
}

/// A signature as the agreement tab lists it.
#[derive(Clone, Debug, Serialize)]
pub struct Signer {
    /// The signature.
    pub signature: holdspace::practice::SignatureId,
    /// Who signed.
    pub member: MemberId,
    /// Their name as shown.
    pub display_name: String,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub signed_at: OffsetDateTime,
    /// In client mode or on paper.
    pub method: SignatureMethod,
    /// Withdrawn (the signature stays on record).
    pub withdrawn: bool,
    /// Why it was withdrawn, when it was.
    pub withdrawal_reason: Option<String>,
    /// Clause numbers (0-based) the member wants to talk about, not yet talked about.
    pub discuss: Vec<usize>,
    /// Clause numbers (0-based) they asked about and the practitioner has talked about.
    pub talked_about: Vec<usize>,
}

/// The page of group `id`.
pub fn group_page(practice: &Practice, id: GroupId) -> Result<GroupPage, AppError> {
    let state = practice.state();
    let group = state
        .groups
        .get(&id)
        .ok_or_else(|| not_found("group", id))?;
    let roster = practice.roster(id)?;
    let mut sessions: Vec<SessionRow> = practice
        .sessions_of(id)?
        .into_iter()
        .map(|s| SessionRow {
            id: s.id,
            number: s.number,
            date: s.date,
            start: s.start.map(|t| t.to_string()),
            topic: s.topic.clone(),
            attended: s.attendance.values().filter(|a| a.attended()).count(),
            recorded: s.attendance.len(),
        })
        .collect();
    sessions.sort_by_key(|s| std::cmp::Reverse((s.date, s.number)));
    let on_roster: Vec<MemberId> = roster.iter().map(|r| r.membership.member).collect();
    let mut candidates: Vec<Named<MemberId>> = state
        .members
        .values()
        .filter(|m| !m.archived && !on_roster.contains(&m.id))
        .map(|m| Named {
            id: m.id,
            name: m.display_name().to_owned(),
        })
        .collect();
    candidates.sort_by_key(|c| c.name.to_lowercase());
    let mut incidents: Vec<_> = state.incidents.values().filter(|i| i.group == id).collect();
    incidents.sort_by_key(|i| std::cmp::Reverse(i.date));
    Ok(GroupPage {
        summary: summary(practice, group),
        roster,
        sessions,
        agreement: versions(practice, id),
        incidents: incident_rows(practice, incidents),
        measures: practice.group_measures(id),
        plan_names: group
            .measures
            .iter()
            .flat_map(|plan| &plan.measures)
            .map(|m| {
                holdspace::practice::measures::find(m).map_or_else(|| m.clone(), |d| d.name.clone())
            })
            .collect(),
        candidates,
    })
}

/// Every version of a group's agreement, newest first, with signers.
fn versions(practice: &Practice, group: GroupId) -> Vec<VersionRow> {
    let state = practice.state();
    let mut rows: Vec<VersionRow> = practice
        .agreement_history(group)
        .into_iter()
        .map(|version| {
            let mut signers: Vec<Signer> = state
                .signatures
                .values()
                .filter(|s| s.agreement == version.id)
                .map(|s| Signer {
                    signature: s.id,
                    member: s.member,
                    display_name: practice.display_name(s.member),
                    signed_at: s.signed_at,
                    method: s.method,
                    withdrawn: s.withdrawal.is_some(),
                    withdrawal_reason: s.withdrawal.as_ref().map(|w| w.reason.clone()),
                    discuss: s.open_to_discuss(),
                    talked_about: s.talked_about.iter().map(|t| t.clause).collect(),
                })
                .collect();
            signers.sort_by_key(|s| s.signed_at);
            VersionRow {
                version: version.clone(),
                signers,
            }
        })
        .collect();
    rows.reverse();
    rows
}

/// Creates (no id) or updates a group from its form.
pub fn save_group(practice: &mut Practice, form: Value) -> Result<Group, AppError> {
    let group: Group = from_form(form)?;
    if practice.state().groups.contains_key(&group.id) {
        Ok(practice.update_group(group)?)
    } else {
        Ok(practice.create_group(group)?)
    }
}

/// Puts one or more members on a group's roster, all or none.
pub fn add_to_group(
    practice: &mut Practice,
    group: GroupId,
    members: &[MemberId],
    status: MembershipStatus,
    joined: Option<Date>,
) -> Result<Vec<Membership>, AppError> {
    Ok(practice.add_several_to_group(members, group, status, joined)?)
}

/// Saves a changed membership (status, dates, reason).
pub fn update_membership(practice: &mut Practice, form: Value) -> Result<Membership, AppError> {
    let membership: Membership = from_form(form)?;
    Ok(practice.update_membership(membership)?)
}

/// Takes a member off a roster (a membership with history is ended, not erased: the core
/// decides).
pub fn remove_from_group(practice: &mut Practice, id: MembershipId) -> Result<(), AppError> {
    Ok(practice.remove_from_group(id)?)
}

/// Attendance of one member at one session, for the member page.
#[derive(Clone, Debug, Serialize)]
pub struct AttendanceRow {
    /// The session.
    pub session: SessionId,
    /// Its group.
    pub group: GroupId,
    /// The group's name.
    pub group_name: String,
    /// The session's number.
    pub number: u32,
    /// The day.
    pub date: Date,
    /// Present, late, excused or absent.
    pub attendance: Attendance,
}
