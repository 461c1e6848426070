//! Sessions: a new session's draft, a session's page (attendance, group note, per-member
//! progress and psychotherapy notes, incidents) and saving each part.

use holdspace::practice::{
    GroupId, MemberId, MembershipStatus, Note, NoteId, Practice, Session, SessionId,
};
use serde::Serialize;
use serde_json::Value;
use time::Date;

use super::records::{incident_rows, IncidentRow};
use super::{from_form, Named};
use crate::error::{not_found, AppError};

/// What the session screen shows.
#[derive(Clone, Debug, Serialize)]
pub struct SessionPage {
    /// The session (a draft with a fresh id when new).
    pub session: Session,
    /// True when the session is not yet saved.
    pub is_new: bool,
    /// The group.
    pub group: Named<GroupId>,
    /// Members who were in the group on the session's day, plus anyone already marked.
    pub members: Vec<SessionMember>,
    /// Notes written for this session.
    pub notes: Vec<Note>,
    /// Incidents raised from this session.
    pub incidents: Vec<IncidentRow>,
}

/// A member as the session screen lists them.
#[derive(Clone, Debug, Serialize)]
pub struct SessionMember {
    /// The member.
    pub id: MemberId,
    /// Name as shown.
    pub display_name: String,
    /// Their membership status in the group now.
    pub status: Option<MembershipStatus>,
}

/// A new session for `group`: next number, today (or `date`), the schedule's start time.
pub fn session_draft(
    practice: &Practice,
    group: GroupId,
    date: Option<Date>,
) -> Result<SessionPage, AppError> {
    let g = practice
        .state()
        .groups
        .get(&group)
        .ok_or_else(|| not_found("group", group))?;
    let session = Session {
        id: SessionId::random(),
        group,
        date: date.unwrap_or_else(|| practice.today()),
        start: g.schedule.as_ref().map(|s| s.start),
        number: practice.next_session_number(group),
        topic: String::new(),
        attendance: Default::default(),
        group_note: String::new(),
    };
    Ok(page(practice, session, true))
}

/// The page of a saved session.
pub fn session_page(practice: &Practice, id: SessionId) -> Result<SessionPage, AppError> {
    let session = practice
        .state()
        .sessions
        .get(&id)
        .ok_or_else(|| not_found("session", id))?;
    Ok(page(practice, session.clone(), false))
}

fn page(practice: &Practice, session: Session, is_new: bool) -> SessionPage {
    let state = practice.state();
    let mut members: Vec<SessionMember> = state
        .memberships
        .values()
        .filter(|m| {
            m.group == session.group
                && (m.covers(session.date) || session.attendance.contains_key(&m.member))
        })
        .map(|m| SessionMember {
            id: m.member,
            display_name: practice.display_name(m.member),
            status: Some(m.status),
        })
        .collect();
    members.sort_by_key(|m| m.display_name.to_lowercase());
    members.dedup_by_key(|m| m.id);
    let notes = practice.notes_of(session.id).into_iter().cloned().collect();
    let incidents: Vec<_> = state
        .incidents
        .values()
        .filter(|i| i.session == Some(session.id))
        .collect();
    SessionPage {
        group: Named {
            id: session.group,
            name: super::group_name(practice, session.group),
        },
        members,
        notes,
        incidents: incident_rows(practice, incidents),
        is_new,
        session,
    }
}

/// Saves a session (new or changed) from its form and returns its page.
pub fn save_session(practice: &mut Practice, form: Value) -> Result<SessionPage, AppError> {
    let session: Session = from_form(form)?;
    let saved = practice.save_session(session)?;
    Ok(page(practice, saved, false))
}

/// Saves a note (new or changed).
pub fn save_note(practice: &mut Practice, form: Value) -> Result<Note, AppError> {
    let note: Note = from_form(form)?;
    Ok(practice.save_note(note)?)
}

/// Deletes a note.
pub fn delete_note(practice: &mut Practice, id: NoteId) -> Result<(), AppError> {
    Ok(practice.delete_note(id)?)
}
