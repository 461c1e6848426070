//! Read-only views the screens and the CLI ask for: a group's roster, a member's overview, a
//! group's sessions, who must sign or re-sign, open incidents, and the audit trail.
//!
//! Policy: every view is computed from the decoded state in memory — never from the disk —
//! and returns plain serialisable data in a stable order, so the shells only format it.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use time::Date;

use super::agreement::{signature_state, SignatureState};
use super::ids::*;
use super::kind::RecordKind;
use super::model::*;
use super::unlocked::{Practice, PracticeResult};

/// One line of a group's roster.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RosterEntry {
    /// The membership.
    pub membership: Membership,
    /// The member's name to show.
    pub display_name: String,
    /// Where the member stands with the current agreement.
    pub signature: SignatureState,
    /// The membership has ended (completed or withdrawn,
    /// [`MembershipStatus::is_final`]): nothing more to sign, no client mode for it.
    pub is_final: bool,
    /// They are still in the group and must sign or re-sign its current agreement.
    pub needs_signature: bool,
    /// The headings of the rules they asked to talk about when they last signed
    /// ([`Practice::discuss_headings`]).
    pub discuss_headings: Vec<String>,
}

/// A member's groups, signatures, attendance and notes at a glance.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MemberOverview {
    /// The member.
    pub member: Member,
    /// The name to address them by ([`Member::display_name`]).
    pub display_name: String,
    /// Each membership with its group's name and the member's signature state there.
    pub groups: Vec<MemberGroup>,
    /// Every signature, newest first.
    pub signatures: Vec<Signature>,
    /// Sessions with an attendance entry for the member.
    pub sessions_recorded: usize,
    /// Of those, present or late.
    pub sessions_attended: usize,
    /// Attended ÷ recorded, 0–1 (`None` before any session).
    pub attendance_rate: Option<f64>,
    /// Progress notes about the member.
    pub progress_notes: usize,
    /// Psychotherapy notes about the member.
    pub psychotherapy_notes: usize,
    /// Open incidents involving the member.
    pub open_incidents: usize,
}

/// One of a member's groups.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MemberGroup {
    /// The membership.
    pub membership: Membership,
    /// The group's name.
    pub group_name: String,
    /// Signature state for this group's current agreement.
    pub signature: SignatureState,
    /// The membership has ended (completed or withdrawn,
    /// [`MembershipStatus::is_final`]): nothing more to sign, no client mode for it.
    pub is_final: bool,
}

/// A member who must sign or re-sign, and where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SignatureDue {
    /// The member.
    pub member: MemberId,
    /// Their display name.
    pub display_name: String,
    /// The group.
    pub group: GroupId,
    /// The group's name.
    pub group_name: String,
    /// Needs a first signature or a re-signature.
    pub state: SignatureState,
}

/// Which audit events to show.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    /// Only this action.
    pub action: Option<AuditAction>,
    /// Only events about this kind of record.
    pub subject_kind: Option<String>,
    /// Only events on or after this date.
    pub from: Option<Date>,
    /// Only events on or before this date.
    pub to: Option<Date>,
}

impl Practice {
    /// A group's roster: everyone with a membership, active first, then by name.
    pub fn roster(&self, group: GroupId) -> PracticeResult<Vec<RosterEntry>> {
        Self::found(&self.state.groups, &group, RecordKind::Group)?;
        let current = self.current_agreement(group).map(|a| a.number);
        let mut signed: HashMap<MemberId, Vec<&Signature>> = HashMap::new();
        for s in self.state.signatures.values().filter(|s| s.group == group) {
            signed.entry(s.member).or_default().push(s);
        }
        let mut entries: Vec<RosterEntry> = self
            .state
            .memberships
            .values()
            .filter(|m| m.group == group)
            .map(|m| {
                let theirs = signed.get(&m.member).map_or(&[][..], Vec::as_slice);
                let signature = signature_state(current, theirs.iter().copied());
                RosterEntry {
                    membership: m.clone(),
                    display_name: self.display_name(m.member),
                    is_final: m.status.is_final(),
                    needs_signature: !m.status.is_final() && signature.is_due(),
                    discuss_headings: self.open_headings(theirs.iter().copied()),
                    signature,
                }
            })
            .collect();
        entries.sort_by(|a, b| {
            (
                status_rank(a.membership.status),
                a.display_name.to_lowercase(),
            )
                .cmp(&(
                    status_rank(b.membership.status),
                    b.display_name.to_lowercase(),
                ))
        });
        Ok(entries)
    }

    /// The name to show for a member ("(removed member)" if purged).
    pub fn display_name(&self, member: MemberId) -> String {
        self.state.members.get(&member).map_or_else(
            || "(removed member)".to_owned(),
            |m| m.display_name().to_owned(),
        )
    }

    /// A member's overview.
    pub fn member_overview(&self, member: MemberId) -> PracticeResult<MemberOverview> {
        let m = Self::found(&self.state.members, &member, RecordKind::Member)?.clone();
        let s = &self.state;
        let groups = s
            .memberships
            .values()
            .filter(|ms| ms.member == member)
            .map(|ms| MemberGroup {
                membership: ms.clone(),
                group_name: s
                    .groups
                    .get(&ms.group)
                    .map(|g| g.name.clone())
                    .unwrap_or_default(),
                signature: self.signature_state(member, ms.group),
                is_final: ms.status.is_final(),
            })
            .collect();
        let mut signatures: Vec<Signature> = s
            .signatures
            .values()
            .filter(|x| x.member == member)
            .cloned()
            .collect();
        signatures.sort_by_key(|s| std::cmp::Reverse(s.signed_at));
        let marks: Vec<Attendance> = s
            .sessions
            .values()
            .filter_map(|x| x.attendance.get(&member).copied())
            .collect();
        let attended = marks.iter().filter(|a| a.attended()).count();
        let notes = |kind| {
            s.notes
                .values()
                .filter(|n| n.member == member && n.kind == kind)
                .count()
        };
        Ok(MemberOverview {
            display_name: m.display_name().to_owned(),
            member: m,
            groups,
            signatures,
            sessions_recorded: marks.len(),
            sessions_attended: attended,
            attendance_rate: (!marks.is_empty()).then(|| attended as f64 / marks.len() as f64),
            progress_notes: notes(NoteKind::Progress),
            psychotherapy_notes: notes(NoteKind::Psychotherapy),
            open_incidents: s
                .incidents
                .values()
                .filter(|i| i.resolved_on.is_none() && i.members.contains(&member))
                .count(),
        })
    }

    /// A group's sessions, newest first.
    pub fn sessions_of(&self, group: GroupId) -> PracticeResult<Vec<&Session>> {
        Self::found(&self.state.groups, &group, RecordKind::Group)?;
        let mut sessions: Vec<&Session> = self
            .state
            .sessions
            .values()
            .filter(|s| s.group == group)
            .collect();
        sessions.sort_by_key(|s| std::cmp::Reverse((s.date, s.number)));
        Ok(sessions)
    }

    /// The notes written for a session, progress before psychotherapy, then by member name.
    pub fn notes_of(&self, session: SessionId) -> Vec<&Note> {
        let mut notes: Vec<&Note> = self
            .state
            .notes
            .values()
            .filter(|n| n.session == session)
            .collect();
        notes.sort_by_key(|n| {
            (
                n.kind == NoteKind::Psychotherapy,
                self.display_name(n.member).to_lowercase(),
            )
        });
        notes
    }

    /// Everyone across the practice who must sign or re-sign, by group then name.
    pub fn signatures_due(&self) -> Vec<SignatureDue> {
        let mut due = Vec::new();
        for group in self
            .state
            .groups
            .values()
            .filter(|g| g.status != GroupStatus::Ended)
        {
            let needs_signing = self.members_needing_signature(group.id);
            let needs_resigning = self.members_needing_resigning(group.id);
            for member in needs_signing.into_iter().chain(needs_resigning) {
                due.push(SignatureDue {
                    member,
                    display_name: self.display_name(member),
                    group: group.id,
                    group_name: group.name.clone(),
                    state: self.signature_state(member, group.id),
                });
            }
        }
        due.sort_by(|a, b| (&a.group_name, &a.display_name).cmp(&(&b.group_name, &b.display_name)));
        due
    }

    /// Everyone who must sign or re-sign the current agreement of a group they are still in
    /// (a membership that is not final), in any group. Memberships, current versions and
    /// signatures are indexed once, so a list of thousands of members asks this once.
    pub fn members_with_signatures_due(&self) -> HashSet<MemberId> {
        let state = &self.state;
        let mut current: HashMap<GroupId, u32> = HashMap::new();
        for a in state.agreements.values() {
            let newest = current.entry(a.group).or_insert(a.number);
            *newest = (*newest).max(a.number);
        }
        let mut signatures: HashMap<(MemberId, GroupId), Vec<&Signature>> = HashMap::new();
        for s in state.signatures.values() {
            signatures.entry((s.member, s.group)).or_default().push(s);
        }
        state
            .memberships
            .values()
            .filter(|ms| !ms.status.is_final())
            .filter(|ms| {
                let signed = signatures
                    .get(&(ms.member, ms.group))
                    .into_iter()
                    .flatten()
                    .copied();
                super::agreement::signature_state(current.get(&ms.group).copied(), signed).is_due()
            })
            .map(|ms| ms.member)
            .collect()
    }

    /// Unresolved incidents, newest first.
    pub fn open_incidents(&self) -> Vec<&Incident> {
        let mut open: Vec<&Incident> = self
            .state
            .incidents
            .values()
            .filter(|i| i.resolved_on.is_none())
            .collect();
        open.sort_by_key(|i| std::cmp::Reverse(i.date));
        open
    }

    /// The audit trail, newest first, filtered.
    pub fn audit_trail(&self, filter: &AuditFilter) -> Vec<&AuditEvent> {
        self.state
            .audit
            .iter()
            .rev()
            .filter(|e| filter.action.is_none_or(|a| e.action == a))
            .filter(|e| {
                filter
                    .subject_kind
                    .as_deref()
                    .is_none_or(|k| e.subject_kind.as_deref() == Some(k))
            })
            .filter(|e| filter.from.is_none_or(|d| e.at.date() >= d))
            .filter(|e| filter.to.is_none_or(|d| e.at.date() <= d))
            .collect()
    }
}

/// Roster order: active, screened, waitlisted, completed, withdrawn.
fn status_rank(status: MembershipStatus) -> u8 {
    match status {
        MembershipStatus::Active => 0,
        MembershipStatus::Screened => 1,
        MembershipStatus::Waitlisted => 2,
        MembershipStatus::Completed => 3,
        MembershipStatus::Withdrawn => 4,
    }
}
