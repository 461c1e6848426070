//! Members: the list, a member's page (groups, signatures, attendance, notes, incidents,
//! questionnaires),
//! saving, deleting (archive when there is history) and purging.

use std::collections::HashMap;

use holdspace::practice::{
    DeleteOutcome, GroupId, Member, MemberId, MemberOverview, Membership, MembershipStatus, NoteId,
    NoteKind, Practice, PurgeReport, SafetyAlert, SessionId, SignatureId,
};
use serde::Serialize;
use serde_json::Value;
use time::{Date, OffsetDateTime};

use super::groups::AttendanceRow;
use super::measures::{member_measures, MeasureSeries};
use super::records::{incident_rows, IncidentRow};
use super::{from_form, group_name, Named};
use crate::error::{not_found, AppError};

/// One row of the member list.
#[derive(Clone, Debug, Serialize)]
pub struct MemberRow {
    /// The member.
    pub id: MemberId,
    /// Name as shown.
    pub display_name: String,
    /// Legal name.
    pub legal_name: String,
    /// Pronouns.
    pub pronouns: String,
    /// Email.
    pub email: String,
    /// Phone.
    pub phone: String,
    /// Archived (kept for history, hidden by default).
    pub archived: bool,
    /// Groups with the membership status there.
    pub groups: Vec<RowGroup>,
    /// True when any group's current agreement needs their (re-)signature.
    pub needs_signature: bool,
}

/// A group on a member's row.
#[derive(Clone, Debug, Serialize)]
pub struct RowGroup {
    /// The group.
    pub id: GroupId,
    /// Its name.
    pub name: String,
    /// The membership status.
    pub status: MembershipStatus,
}

/// Every member, by name. Memberships, current agreement versions and signatures are indexed
/// once, so the list stays quick with thousands of members.
pub fn list_members(practice: &Practice) -> Vec<MemberRow> {
    let state = practice.state();
    let mut memberships: HashMap<MemberId, Vec<&Membership>> = HashMap::new();
    for ms in state.memberships.values() {
        memberships.entry(ms.member).or_default().push(ms);
    }
    let signatures_due = practice.members_with_signatures_due();
    let mut rows: Vec<MemberRow> = state
        .members
        .values()
        .map(|m| {
            let mine = memberships.get(&m.id).map_or(&[][..], Vec::as_slice);
            MemberRow {
                id: m.id,
                display_name: m.display_name().to_owned(),
                legal_name: m.legal_name.clone(),
                pronouns: m.pronouns.clone(),
                email: m.email.clone(),
                phone: m.phone.clone(),
                archived: m.archived,
                groups: mine
                    .iter()
                    .map(|ms| RowGroup {
                        id: ms.group,
                        name: group_name(practice, ms.group),
                        status: ms.status,
                    })
                    .collect(),
                needs_signature: signatures_due.contains(&m.id),
            }
        })
        .collect();
    rows.sort_by_key(|r| r.display_name.to_lowercase());
    rows
}

/// A member's page.
#[derive(Clone, Debug, Serialize)]
pub struct MemberPage {
    /// The member, their groups with signature states, signatures and counts.
    pub overview: MemberOverview,
    /// Attendance, newest first.
    pub attendance: Vec<AttendanceRow>,
    /// Progress notes, newest first.
    pub progress_notes: Vec<NoteRow>,
    /// Psychotherapy notes, newest first (kept apart: never in a record export).
    pub psychotherapy_notes: Vec<NoteRow>,
    /// Clauses the member asked to talk about, from their signatures.
    pub discuss: Vec<DiscussRow>,
    /// Incidents involving the member, newest first.
    pub incidents: Vec<IncidentRow>,
    /// Their questionnaires, one series per measure.
    pub measures: Vec<MeasureSeries>,
    /// Their questionnaire safety flags not yet reviewed.
    pub safety_alerts: Vec<SafetyAlert>,
    /// Groups the member is not in (for "add to group").
    pub other_groups: Vec<Named<GroupId>>,
}

/// A note about the member, with where it was written.
#[derive(Clone, Debug, Serialize)]
pub struct NoteRow {
    /// The note.
    pub id: NoteId,
    /// Its session.
    pub session: SessionId,
    /// The session's group name.
    pub group_name: String,
    /// The session's day.
    pub date: Date,
    /// The text.
    pub text: String,
}

/// A clause a member marked "I'd like to talk about this".
#[derive(Clone, Debug, Serialize)]
pub struct DiscussRow {
    /// The group.
    pub group_name: String,
    /// The version signed.
    pub version: u32,
    /// The clause's heading.
    pub heading: String,
    /// The signature that asked.
    pub signature: SignatureId,
    /// The clause, by index in that version.
    pub clause: usize,
    /// When the practitioner marked it as talked about, if they have.
    #[serde(with = "time::serde::rfc3339::option")]
    pub talked_about: Option<OffsetDateTime>,
}

/// The page of member `id`.
pub fn member_page(practice: &Practice, id: MemberId) -> Result<MemberPage, AppError> {
    let overview = practice.member_overview(id)?;
    let state = practice.state();
    let mut attendance: Vec<AttendanceRow> = state
        .sessions
        .values()
        .filter_map(|s| {
            s.attendance.get(&id).map(|a| AttendanceRow {
                session: s.id,
                group: s.group,
                group_name: group_name(practice, s.group),
                number: s.number,
                date: s.date,
                attendance: *a,
            })
        })
        .collect();
    attendance.sort_by_key(|a| std::cmp::Reverse(a.date));
    let (mut progress_notes, mut psychotherapy_notes) = (Vec::new(), Vec::new());
    for note in state.notes.values().filter(|n| n.member == id) {
        let Some(session) = state.sessions.get(&note.session) else {
            continue;
        };
        let row = NoteRow {
            id: note.id,
            session: session.id,
            group_name: group_name(practice, session.group),
            date: session.date,
            text: note.text.clone(),
        };
        match note.kind {
            NoteKind::Progress => progress_notes.push(row),
            NoteKind::Psychotherapy => psychotherapy_notes.push(row),
        }
    }
    progress_notes.sort_by_key(|n| std::cmp::Reverse(n.date));
    psychotherapy_notes.sort_by_key(|n| std::cmp::Reverse(n.date));
    let discuss = discuss_rows(practice, &overview);
    let mut incidents: Vec<_> = state
        .incidents
        .values()
        .filter(|i| i.members.contains(&id))
        .collect();
    incidents.sort_by_key(|i| std::cmp::Reverse(i.date));
    let mut other_groups: Vec<Named<GroupId>> = state
        .groups
        .values()
        .filter(|g| !overview.groups.iter().any(|mg| mg.membership.group == g.id))
        .map(|g| Named {
            id: g.id,
            name: g.name.clone(),
        })
        .collect();
    other_groups.sort_by_key(|g| g.name.to_lowercase());
    Ok(MemberPage {
        attendance,
        progress_notes,
        psychotherapy_notes,
        discuss,
        incidents: incident_rows(practice, incidents),
        measures: member_measures(practice, id),
        safety_alerts: practice.safety_alerts_of(id),
        other_groups,
        overview,
    })
}

fn discuss_rows(practice: &Practice, overview: &MemberOverview) -> Vec<DiscussRow> {
    let state = practice.state();
    let mut rows = Vec::new();
    for signature in overview
        .signatures
        .iter()
        .filter(|s| s.withdrawal.is_none())
    {
        let Some(version) = state.agreements.get(&signature.agreement) else {
            continue;
        };
        for &clause in &signature.discuss {
            if let Some(c) = version.text.clauses.get(clause) {
                rows.push(DiscussRow {
                    group_name: group_name(practice, signature.group),
                    version: version.number,
                    heading: c.heading.clone(),
                    signature: signature.id,
                    clause,
                    talked_about: signature.talked_about_at(clause),
                });
            }
        }
    }
    rows
}

/// Creates (no id) or updates a member from their form.
pub fn save_member(practice: &mut Practice, form: Value) -> Result<Member, AppError> {
    let member: Member = from_form(form)?;
    if practice.state().members.contains_key(&member.id) {
        Ok(practice.update_member(member)?)
    } else {
        Ok(practice.create_member(member)?)
    }
}

/// Deletes a member without history, or archives one with history.
pub fn delete_member(practice: &mut Practice, id: MemberId) -> Result<DeleteOutcome, AppError> {
    Ok(practice.delete_member(id)?)
}

/// What purging a member would erase.
pub fn purge_preview(practice: &Practice, id: MemberId) -> Result<PurgeReport, AppError> {
    if !practice.state().members.contains_key(&id) {
        return Err(not_found("member", id));
    }
    Ok(practice.purge_preview(id)?)
}

/// Erases a member and everything about them.
pub fn purge_member(
    practice: &mut Practice,
    id: MemberId,
    progress: &mut dyn FnMut(holdspace::RotationProgress),
) -> Result<PurgeReport, AppError> {
    Ok(practice.purge_member_with_progress(id, progress)?)
}
