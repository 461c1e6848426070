//! Sessions, per-member notes and incidents.
//!
//! Policy: attendance and notes are only for members who belonged to the group on the
//! session's date, so history stays true when members join and leave later. Progress notes and
//! psychotherapy notes are separate records of separate kinds of note.

use super::ids::*;
use super::kind::{RecordKind, Removal};
use super::model::*;
use super::rules::Validate;
use super::state::Stored;
use super::unlocked::{Practice, PracticeResult};
use super::validate::Invalid;

impl Practice {
    /// True when `member` was in `group` on `date` (a place with a join date: waitlisted and
    /// screened members are not in the group yet).
    pub fn was_member_on(&self, member: MemberId, group: GroupId, date: time::Date) -> bool {
        self.state.memberships.values().any(|m| {
            m.member == member
                && m.group == group
                && super::consistency::places_in_group_on(m, date)
        })
    }

    /// Creates or updates a session.
    pub fn save_session(&mut self, session: Session) -> PracticeResult<Session> {
        session.validate(self.today())?;
        Self::found(&self.state.groups, &session.group, RecordKind::Group)?;
        if let Some(old) = self.state.sessions.get(&session.id) {
            if old.group != session.group {
                return Err(Invalid::new("group", "a session can't move to another group").into());
            }
        }
        for member in session.attendance.keys() {
            if !self.was_member_on(*member, session.group, session.date) {
                return Err(Invalid::new(
                    format!("attendance[{member}]"),
                    format!("this member was not in the group on {}", session.date),
                )
                .into());
            }
        }
        let action = self.created_or_changed(self.state.sessions.contains_key(&session.id));
        let record = Stored::Session(session.clone());
        let event = self.event(action, Some(&record), "session");
        self.commit(vec![record], Vec::new(), event)?;
        Ok(session)
    }

    /// The next session number for a group.
    pub fn next_session_number(&self, group: GroupId) -> u32 {
        self.state
            .sessions
            .values()
            .filter(|s| s.group == group)
            .map(|s| s.number)
            .max()
            .unwrap_or(0)
            + 1
    }

    /// Creates or updates a per-member note.
    pub fn save_note(&mut self, note: Note) -> PracticeResult<Note> {
        note.validate(self.today())?;
        let session = Self::found(&self.state.sessions, &note.session, RecordKind::Session)?;
        if !self.was_member_on(note.member, session.group, session.date) {
            return Err(Invalid::new(
                "member",
                format!("was not in the group on {}", session.date),
            )
            .into());
        }
        if let Some(old) = self.state.notes.get(&note.id) {
            if old.member != note.member || old.session != note.session || old.kind != note.kind {
                return Err(Invalid::new(
                    "note",
                    "a note can't move to another member, session or kind",
                )
                .into());
            }
        }
        let action = self.created_or_changed(self.state.notes.contains_key(&note.id));
        let record = Stored::Note(note.clone());
        let detail = match note.kind {
            NoteKind::Progress => "progress note",
            NoteKind::Psychotherapy => "psychotherapy note",
        };
        let event = self.event(action, Some(&record), detail);
        self.commit(vec![record], Vec::new(), event)?;
        Ok(note)
    }

    /// Deletes a note.
    pub fn delete_note(&mut self, note: NoteId) -> PracticeResult<()> {
        let record = Stored::Note(Self::found(&self.state.notes, &note, RecordKind::Note)?.clone());
        let event = self.event(AuditAction::Deleted, Some(&record), "note");
        self.commit(Vec::new(), vec![Removal::Note(note)], event)
    }

    /// Creates or updates an incident.
    pub fn save_incident(&mut self, incident: Incident) -> PracticeResult<Incident> {
        incident.validate(self.today())?;
        Self::found(&self.state.groups, &incident.group, RecordKind::Group)?;
        if let Some(session) = incident.session {
            let s = Self::found(&self.state.sessions, &session, RecordKind::Session)?;
            if s.group != incident.group {
                return Err(Invalid::new("session", "belongs to another group").into());
            }
        }
        for (i, member) in incident.members.iter().enumerate() {
            if !self.state.members.contains_key(member) {
                return Err(Invalid::new(
                    format!("members[{i}]"),
                    "is not a member of the practice",
                )
                .into());
            }
        }
        let action = self.created_or_changed(self.state.incidents.contains_key(&incident.id));
        let record = Stored::Incident(incident.clone());
        let event = self.event(action, Some(&record), "incident");
        self.commit(vec![record], Vec::new(), event)?;
        Ok(incident)
    }

    fn created_or_changed(&self, exists: bool) -> AuditAction {
        if exists {
            AuditAction::Changed
        } else {
            AuditAction::Created
        }
    }
}
