//! Groups, members and memberships: creating and editing them, joining and leaving, and
//! deleting a member — archived when they have history, purged only on explicit request.
//!
//! Policy: members join and leave at any time without touching past sessions; a member with
//! signatures, notes or attendance is archived, never silently deleted; a purge names what it
//! removes and is audited without naming the member.

use time::Date;

use super::ids::*;
use super::kind::{RecordKind, Removal};
use super::model::*;
use super::rules::Validate;
use super::state::Stored;
use super::template::default_agreement;
use super::unlocked::{Practice, PracticeResult};
use super::validate::Invalid;

/// What happened when a member was deleted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeleteOutcome {
    /// The member had no history and is gone, with their memberships.
    Deleted,
    /// The member has signatures, notes or attendance: kept and hidden from daily lists.
    Archived,
}

/// What a purge removed.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct PurgeReport {
    /// Memberships removed.
    pub memberships: usize,
    /// Signatures removed.
    pub signatures: usize,
    /// Notes removed.
    pub notes: usize,
    /// Sessions whose attendance entry for the member was removed.
    pub attendance_entries: usize,
    /// Incidents from which the member was removed (the incidents stay).
    pub incidents: usize,
    /// Outcome questionnaires they answered, removed.
    pub administrations: usize,
    /// True when the purged records were also erased from the vault's files (the vault
    /// re-keyed itself into a fresh store); otherwise that happens at the next lock after an
    /// unlock with the passphrase.
    pub erased: bool,
}

impl Practice {
    /// Creates a group with version 1 of the default agreement.
    pub fn create_group(&mut self, group: Group) -> PracticeResult<Group> {
        group.validate(self.today())?;
        if self.state.groups.contains_key(&group.id) {
            return Err(Invalid::new("id", "a group with this id already exists").into());
        }
        let text = default_agreement(&group.name, &self.profile().practice_name);
        let agreement = AgreementVersion {
            id: AgreementId::random(),
            group: group.id,
            number: 1,
            content_hash: super::agreement::content_hash(&text),
            text,
            effective_date: group.start_date.unwrap_or_else(|| self.today()),
        };
        let record = Stored::Group(group.clone());
        let event = self.event(AuditAction::Created, Some(&record), "group");
        self.commit(
            vec![record, Stored::Agreement(agreement)],
            Vec::new(),
            event,
        )?;
        Ok(group)
    }

    /// Saves changes to an existing group.
    pub fn update_group(&mut self, group: Group) -> PracticeResult<Group> {
        group.validate(self.today())?;
        Self::found(&self.state.groups, &group.id, RecordKind::Group)?;
        let record = Stored::Group(group.clone());
        let event = self.event(AuditAction::Changed, Some(&record), "group");
        self.commit(vec![record], Vec::new(), event)?;
        Ok(group)
    }

    /// Adds a member to the practice.
    pub fn create_member(&mut self, member: Member) -> PracticeResult<Member> {
        member.validate(self.today())?;
        if self.state.members.contains_key(&member.id) {
            return Err(Invalid::new("id", "a member with this id already exists").into());
        }
        let record = Stored::Member(member.clone());
        let event = self.event(AuditAction::Created, Some(&record), "member");
        self.commit(vec![record], Vec::new(), event)?;
        Ok(member)
    }

    /// Saves changes to an existing member.
    pub fn update_member(&mut self, member: Member) -> PracticeResult<Member> {
        member.validate(self.today())?;
        Self::found(&self.state.members, &member.id, RecordKind::Member)?;
        let record = Stored::Member(member.clone());
        let event = self.event(AuditAction::Changed, Some(&record), "member");
        self.commit(vec![record], Vec::new(), event)?;
        Ok(member)
    }

    /// Puts a member on a group's roster with the given status.
    pub fn add_to_group(
        &mut self,
        member: MemberId,
        group: GroupId,
        status: MembershipStatus,
        joined: Option<Date>,
    ) -> PracticeResult<Membership> {
        let mut added = self.add_several_to_group(&[member], group, status, joined)?;
        added
            .pop()
            .ok_or_else(|| Invalid::new("member", "choose a member").into())
    }

    /// Puts several members on a group's roster at once, each with the same status and
    /// joining date: all of them or, when one cannot join (unknown, already on the roster,
    /// named twice, or more active members than the group has room for), none. Each one is
    /// audited as a single addition would be.
    pub fn add_several_to_group(
        &mut self,
        members: &[MemberId],
        group: GroupId,
        status: MembershipStatus,
        joined: Option<Date>,
    ) -> PracticeResult<Vec<Membership>> {
        if members.is_empty() {
            return Err(Invalid::new("member", "choose at least one member").into());
        }
        Self::found(&self.state.members, &members[0], RecordKind::Member)?;
        let g = Self::found(&self.state.groups, &group, RecordKind::Group)?;
        let joined = match (status, joined) {
            (MembershipStatus::Active, None) => Some(self.today()),
            (_, given) => given,
        };
        let mut added: Vec<Membership> = Vec::with_capacity(members.len());
        for &member in members {
            self.refuse_to_add(member, group, &added)?;
            let membership = Membership {
                id: MembershipId::random(),
                member,
                group,
                status,
                joined,
                left: None,
                reason: String::new(),
            };
            membership.validate(self.today())?;
            added.push(membership);
        }
        if status == MembershipStatus::Active {
            self.check_capacity(g, added.len(), None)?;
        }
        let records: Vec<Stored> = added.iter().cloned().map(Stored::Membership).collect();
        let events = records
            .iter()
            .map(|record| self.event(AuditAction::Created, Some(record), &status_detail(status)))
            .collect();
        self.commit_events(records, Vec::new(), events)?;
        Ok(added)
    }

    /// Refuses `member` for `group`'s roster when they are not in the practice, are on it
    /// now, or are already among `adding`.
    fn refuse_to_add(
        &self,
        member: MemberId,
        group: GroupId,
        adding: &[Membership],
    ) -> PracticeResult<()> {
        Self::found(&self.state.members, &member, RecordKind::Member)?;
        let current = self
            .state
            .memberships
            .values()
            .any(|m| m.member == member && m.group == group && !m.status.is_final());
        if current || adding.iter().any(|m| m.member == member) {
            return Err(Invalid::new("member", "is already on this group's roster").into());
        }
        Ok(())
    }

    /// Changes a membership's status, dates or reason.
    pub fn update_membership(&mut self, membership: Membership) -> PracticeResult<Membership> {
        let old = Self::found(
            &self.state.memberships,
            &membership.id,
            RecordKind::Membership,
        )?;
        if old.member != membership.member || old.group != membership.group {
            return Err(Invalid::new(
                "member",
                "a membership can't move to another member or group",
            )
            .into());
        }
        if membership.status == MembershipStatus::Active && old.status != MembershipStatus::Active {
            let group = Self::found(&self.state.groups, &membership.group, RecordKind::Group)?;
            self.check_capacity(group, 1, Some(membership.id))?;
        }
        self.save_membership(membership, AuditAction::Changed)
    }

    fn save_membership(
        &mut self,
        membership: Membership,
        action: AuditAction,
    ) -> PracticeResult<Membership> {
        membership.validate(self.today())?;
        let record = Stored::Membership(membership.clone());
        let event = self.event(action, Some(&record), &status_detail(membership.status));
        self.commit(vec![record], Vec::new(), event)?;
        Ok(membership)
    }

    /// Refuses `joining` more active members when `group` has no room for them, not counting
    /// the membership `except` (one whose status is being changed).
    fn check_capacity(
        &self,
        group: &Group,
        joining: usize,
        except: Option<MembershipId>,
    ) -> PracticeResult<()> {
        let Some(capacity) = group.capacity else {
            return Ok(());
        };
        let active = self
            .state
            .memberships
            .values()
            .filter(|m| {
                m.group == group.id && m.status == MembershipStatus::Active && Some(m.id) != except
            })
            .count();
        let room = usize::from(capacity).saturating_sub(active);
        if joining <= room {
            return Ok(());
        }
        let message = match room {
            0 => format!(
                "the group is full ({capacity} active members); put the member on the waitlist"
            ),
            _ => format!(
                "the group has room for {room} more active {}; add the others to the waitlist",
                if room == 1 { "member" } else { "members" }
            ),
        };
        Err(Invalid::new("status", message).into())
    }

    /// Takes a membership off the roster. Refused when the member has attendance, notes or a
    /// signature in this group and no other place in it: then mark them completed or
    /// withdrawn instead, which keeps the history true.
    pub fn remove_from_group(&mut self, membership: MembershipId) -> PracticeResult<()> {
        let m = Self::found(&self.state.memberships, &membership, RecordKind::Membership)?.clone();
        let signed = self
            .state
            .signatures
            .values()
            .any(|s| s.member == m.member && s.group == m.group);
        if signed || self.has_history_in_group(m.member, m.group) {
            return Err(Invalid::new(
                "membership",
                "this member has attendance, notes or a signature in the group; mark them completed or withdrawn instead",
            )
            .into());
        }
        let record = Stored::Membership(m);
        let event = self.event(AuditAction::Deleted, Some(&record), "removed from group");
        self.commit(Vec::new(), vec![Removal::Membership(membership)], event)
    }

    fn has_history_in_group(&self, member: MemberId, group: GroupId) -> bool {
        let sessions: Vec<SessionId> = self
            .state
            .sessions
            .values()
            .filter(|s| s.group == group && s.attendance.contains_key(&member))
            .map(|s| s.id)
            .collect();
        !sessions.is_empty()
            || self.state.notes.values().any(|n| {
                n.member == member
                    && self
                        .state
                        .sessions
                        .get(&n.session)
                        .is_some_and(|s| s.group == group)
            })
    }

    /// Deletes a member without history; archives one with signatures, notes, attendance,
    /// answered questionnaires or a place in an incident.
    pub fn delete_member(&mut self, member: MemberId) -> PracticeResult<DeleteOutcome> {
        let m = Self::found(&self.state.members, &member, RecordKind::Member)?.clone();
        let has_history = self.state.signatures.values().any(|s| s.member == member)
            || self.state.notes.values().any(|n| n.member == member)
            || self
                .state
                .administrations
                .values()
                .any(|a| a.member == member)
            || self
                .state
                .incidents
                .values()
                .any(|i| i.members.contains(&member))
            || self
                .state
                .sessions
                .values()
                .any(|s| s.attendance.contains_key(&member));
        if has_history {
            let archived = Member {
                archived: true,
                ..m
            };
            let record = Stored::Member(archived);
            let event = self.event(AuditAction::Changed, Some(&record), "archived");
            self.commit(vec![record], Vec::new(), event)?;
            return Ok(DeleteOutcome::Archived);
        }
        let mut deletes = vec![Removal::Member(member)];
        deletes.extend(self.memberships_of(member).map(Removal::Membership));
        let record = Stored::Member(m);
        let event = self.event(AuditAction::Deleted, Some(&record), "member");
        self.commit(Vec::new(), deletes, event)?;
        Ok(DeleteOutcome::Deleted)
    }

    fn memberships_of(&self, member: MemberId) -> impl Iterator<Item = MembershipId> + '_ {
        self.state
            .memberships
            .values()
            .filter(move |m| m.member == member)
            .map(|m| m.id)
    }

    /// What [`Practice::purge_member`] would remove, without removing anything.
    pub fn purge_preview(&self, member: MemberId) -> PracticeResult<PurgeReport> {
        Self::found(&self.state.members, &member, RecordKind::Member)?;
        let s = &self.state;
        Ok(PurgeReport {
            memberships: self.memberships_of(member).count(),
            signatures: s.signatures.values().filter(|x| x.member == member).count(),
            notes: s.notes.values().filter(|n| n.member == member).count(),
            attendance_entries: s
                .sessions
                .values()
                .filter(|x| x.attendance.contains_key(&member))
                .count(),
            incidents: s
                .incidents
                .values()
                .filter(|i| i.members.contains(&member))
                .count(),
            administrations: s
                .administrations
                .values()
                .filter(|a| a.member == member)
                .count(),
            erased: false,
        })
    }

    /// Removes a member and everything about them for good (e.g. after the retention period):
    /// memberships, signatures, notes, answered questionnaires, their attendance entries and
    /// their place in incidents.
    /// The audit event records the counts, not the name. Then erases them from the vault's
    /// files ([`Practice::erase_deleted`]): no sealed copy of what was purged is left in the
    /// vault under a key in use.
    pub fn purge_member(&mut self, member: MemberId) -> PracticeResult<PurgeReport> {
        self.purge_member_with_progress(member, |_| {})
    }

    /// [`Practice::purge_member`], telling `progress` how far the erasure has got.
    pub fn purge_member_with_progress(
        &mut self,
        member: MemberId,
        progress: impl FnMut(crate::RotationProgress),
    ) -> PracticeResult<PurgeReport> {
        let report = self.purge_preview(member)?;
        let s = &self.state;
        let mut deletes = vec![Removal::Member(member)];
        deletes.extend(self.memberships_of(member).map(Removal::Membership));
        deletes.extend(
            s.signatures
                .values()
                .filter(|x| x.member == member)
                .map(|x| Removal::Signature(x.id)),
        );
        deletes.extend(
            s.notes
                .values()
                .filter(|n| n.member == member)
                .map(|n| Removal::Note(n.id)),
        );
        deletes.extend(
            s.administrations
                .values()
                .filter(|a| a.member == member)
                .map(|a| Removal::Administration(a.id)),
        );
        let mut puts = Vec::new();
        for session in s
            .sessions
            .values()
            .filter(|x| x.attendance.contains_key(&member))
        {
            let mut session = session.clone();
            session.attendance.remove(&member);
            puts.push(Stored::Session(session));
        }
        for incident in s.incidents.values().filter(|i| i.members.contains(&member)) {
            let mut incident = incident.clone();
            incident.members.retain(|m| *m != member);
            puts.push(Stored::Incident(incident));
        }
        let detail = format!(
            "purged member: {} memberships, {} signatures, {} notes, {} attendance entries, {} incidents, {} questionnaires",
            report.memberships, report.signatures, report.notes, report.attendance_entries, report.incidents, report.administrations
        );
        let subject = Stored::Member(Self::found(&s.members, &member, RecordKind::Member)?.clone());
        let event = self.event(AuditAction::Purged, Some(&subject), &detail);
        self.commit(puts, deletes, event)?;
        let erased = self.erase_deleted(progress).is_ok();
        Ok(PurgeReport { erased, ..report })
    }
}

/// The status as a word for audit details.
/// The audit detail of a membership saved with `status`: "status active".
fn status_detail(status: MembershipStatus) -> String {
    format!("status {}", status_word(status))
}

pub(super) fn status_word(status: MembershipStatus) -> &'static str {
    match status {
        MembershipStatus::Waitlisted => "waitlisted",
        MembershipStatus::Screened => "screened",
        MembershipStatus::Active => "active",
        MembershipStatus::Completed => "completed",
        MembershipStatus::Withdrawn => "withdrawn",
    }
}
