//! Incidents and the audit log: lists with the names a practitioner reads, the incident form's
//! choices, and saving an incident.

use holdspace::practice::{
    AuditAction, AuditFilter, GroupId, Incident, MemberId, Practice, SessionId,
};
use holdspace::RecordId;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::{Date, OffsetDateTime};

use super::{from_form, group_name, Named};
use crate::error::AppError;

/// An incident with the names its row shows.
#[derive(Clone, Debug, Serialize)]
pub struct IncidentRow {
    /// The incident.
    pub incident: Incident,
    /// The group's name.
    pub group_name: String,
    /// "Session 12, 2026-09-10" when raised from a session.
    pub session_label: Option<String>,
    /// The members involved, by name.
    pub member_names: Vec<String>,
}

/// Rows for `incidents`, in the order given.
pub fn incident_rows<'a>(
    practice: &Practice,
    incidents: impl IntoIterator<Item = &'a Incident>,
) -> Vec<IncidentRow> {
    let state = practice.state();
    incidents
        .into_iter()
        .map(|i| IncidentRow {
            group_name: group_name(practice, i.group),
            session_label: i
                .session
                .and_then(|s| state.sessions.get(&s))
                .map(|s| format!("Session {}, {}", s.number, s.date)),
            member_names: i
                .members
                .iter()
                .map(|m| practice.display_name(*m))
                .collect(),
            incident: i.clone(),
        })
        .collect()
}

/// Every incident, open ones first, newest first within each.
pub fn list_incidents(practice: &Practice) -> Vec<IncidentRow> {
    let mut all: Vec<&Incident> = practice.state().incidents.values().collect();
    all.sort_by(|a, b| (a.resolved_on.is_some(), b.date).cmp(&(b.resolved_on.is_some(), a.date)));
    incident_rows(practice, all)
}

/// A group and the people and sessions an incident in it can name.
#[derive(Clone, Debug, Serialize)]
pub struct IncidentChoice {
    /// The group.
    pub group: Named<GroupId>,
    /// Everyone ever on its roster.
    pub members: Vec<Named<MemberId>>,
    /// Its sessions, newest first.
    pub sessions: Vec<Named<SessionId>>,
}

/// The choices for the incident form: every group with its members and sessions.
pub fn incident_choices(practice: &Practice) -> Vec<IncidentChoice> {
    let state = practice.state();
    let mut choices: Vec<IncidentChoice> = state
        .groups
        .values()
        .map(|g| {
            let mut members: Vec<Named<MemberId>> = state
                .memberships
                .values()
                .filter(|m| m.group == g.id)
                .map(|m| Named {
                    id: m.member,
                    name: practice.display_name(m.member),
                })
                .collect();
            members.sort_by_key(|m| m.name.to_lowercase());
            members.dedup_by_key(|m| m.id);
            let mut sessions: Vec<_> = state
                .sessions
                .values()
                .filter(|s| s.group == g.id)
                .collect();
            sessions.sort_by_key(|s| std::cmp::Reverse((s.date, s.number)));
            IncidentChoice {
                group: Named {
                    id: g.id,
                    name: g.name.clone(),
                },
                members,
                sessions: sessions
                    .into_iter()
                    .map(|s| Named {
                        id: s.id,
                        name: format!("Session {}, {}", s.number, s.date),
                    })
                    .collect(),
            }
        })
        .collect();
    choices.sort_by_key(|c| c.group.name.to_lowercase());
    choices
}

/// Creates (no id) or updates an incident from its form.
pub fn save_incident(practice: &mut Practice, form: Value) -> Result<Incident, AppError> {
    let incident: Incident = from_form(form)?;
    Ok(practice.save_incident(incident)?)
}

/// The audit log's filter as the UI sends it.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct AuditQuery {
    /// Only this action.
    pub action: Option<AuditAction>,
    /// Only this kind of record (`member`, `group`, …).
    pub subject_kind: Option<String>,
    /// From this day.
    pub from: Option<Date>,
    /// Until this day.
    pub to: Option<Date>,
}

/// Most events one page of the log shows.
pub const AUDIT_PAGE: usize = 500;

/// One event as the log shows it.
#[derive(Clone, Debug, Serialize)]
pub struct AuditRow {
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// What.
    pub action: AuditAction,
    /// The kind of record, if any.
    pub subject_kind: Option<String>,
    /// The record's current name, if it still exists and has one.
    pub subject_name: Option<String>,
    /// The record id.
    pub subject: Option<RecordId>,
    /// The event's detail.
    pub detail: String,
}

/// The audit log page.
#[derive(Clone, Debug, Serialize)]
pub struct AuditPage {
    /// Matching events, newest first, at most [`AUDIT_PAGE`].
    pub events: Vec<AuditRow>,
    /// How many events matched in all.
    pub total: usize,
    /// The verdict of the check of the vault's history made at unlock.
    pub history: holdspace::practice::HistoryVerdict,
}

/// Events matching `query`, newest first.
pub fn audit_log(practice: &Practice, query: AuditQuery) -> AuditPage {
    let filter = AuditFilter {
        action: query.action,
        subject_kind: query.subject_kind.filter(|k| !k.is_empty()),
        from: query.from,
        to: query.to,
    };
    // `audit_trail` is already newest first, so the page holds the newest events.
    let events = practice.audit_trail(&filter);
    let total = events.len();
    let rows = events
        .into_iter()
        .take(AUDIT_PAGE)
        .map(|e| AuditRow {
            at: e.at,
            action: e.action,
            subject_name: e
                .subject
                .and_then(|id| subject_name(practice, e.subject_kind.as_deref(), id)),
            subject_kind: e.subject_kind.clone(),
            subject: e.subject,
            detail: e.detail.clone(),
        })
        .collect();
    AuditPage {
        events: rows,
        total,
        history: practice.history(),
    }
}

fn subject_name(practice: &Practice, kind: Option<&str>, id: RecordId) -> Option<String> {
    let state = practice.state();
    match kind? {
        "member" => state
            .members
            .get(&MemberId(id))
            .map(|m| m.display_name().to_owned()),
        "group" => state.groups.get(&GroupId(id)).map(|g| g.name.clone()),
        "session" => state
            .sessions
            .get(&SessionId(id))
            .map(|s| format!("{}, session {}", group_name(practice, s.group), s.number)),
        _ => None,
    }
}
