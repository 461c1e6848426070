//! The rules that span records — the one set every door uses: the app's own changes (checked
//! on the practice as it would be after the change) and an import or a backup (checked on the
//! file as a whole).
//!
//! Policy: a rule is a function of a `Records` view and one record, naming the field at
//! fault. The rules:
//! - a membership names an existing member and group; one member holds at most one current
//!   place in a group, and their places in one group never overlap in time; only a place with
//!   a join date (active, completed, withdrawn) puts a member *in* the group on a day —
//!   waitlisted and screened members are not yet;
//! - a group holds no more active members than its capacity, and its sessions fall between its
//!   start and end dates;
//! - an agreement version belongs to an existing group, is numbered 1 to [`MAX_VERSION`],
//!   uniquely in its group, and its hash matches its text;
//! - a signature names an existing member, group and version (group, number and hash agree),
//!   acknowledges every clause, discusses only clauses that exist, belongs to a member who
//!   holds (or held) a place in the group, is not dated in the future, and is withdrawn no
//!   earlier than it was signed (it may predate its version's effective date: members sign
//!   at intake, before the group begins);
//! - a session belongs to an existing group, is numbered uniquely in it, and its attendance
//!   names only members who were in the group that day;
//! - a note belongs to an existing session and to a member who was in the group that day;
//! - an incident belongs to an existing group, to one of its sessions if any, and names
//!   existing members, each once;
//! - an answered questionnaire belongs to an existing member and, if it names a group, to a
//!   group in which the member holds (or held) a place.
//!
//! No I/O; nothing here changes anything.

use std::collections::BTreeMap;

use time::{Date, Duration, OffsetDateTime};

use super::agreement::content_hash;
use super::ids::*;
use super::kind::Removal;
use super::model::*;
use super::state::{State, Stored};
use super::validate::Invalid;
use crate::record::RecordId;

/// The highest agreement version number.
pub const MAX_VERSION: u32 = 10_000;

/// The practice's records, read-only, however they are held.
pub(crate) trait Records {
    /// A group by id.
    fn group(&self, id: GroupId) -> Option<&Group>;
    /// A member by id.
    fn member(&self, id: MemberId) -> Option<&Member>;
    /// An agreement version by id.
    fn agreement(&self, id: AgreementId) -> Option<&AgreementVersion>;
    /// A session by id.
    fn session(&self, id: SessionId) -> Option<&Session>;
    /// Every membership.
    fn memberships(&self) -> Box<dyn Iterator<Item = &Membership> + '_>;
    /// Every agreement version.
    fn agreements(&self) -> Box<dyn Iterator<Item = &AgreementVersion> + '_>;
    /// Every session.
    fn sessions(&self) -> Box<dyn Iterator<Item = &Session> + '_>;
    /// Every note.
    fn notes(&self) -> Box<dyn Iterator<Item = &Note> + '_>;
    /// Every signature.
    fn signatures(&self) -> Box<dyn Iterator<Item = &Signature> + '_>;
    /// Every incident.
    fn incidents(&self) -> Box<dyn Iterator<Item = &Incident> + '_>;
    /// Every answered questionnaire.
    fn administrations(&self) -> Box<dyn Iterator<Item = &Administration> + '_>;

    /// `member`'s places in `group`.
    fn places(&self, member: MemberId, group: GroupId) -> Vec<&Membership> {
        self.memberships()
            .filter(|m| m.member == member && m.group == group)
            .collect()
    }
    /// Every place in `group`.
    fn group_memberships(&self, group: GroupId) -> Vec<&Membership> {
        self.memberships().filter(|m| m.group == group).collect()
    }
    /// Every session of `group`.
    fn group_sessions(&self, group: GroupId) -> Vec<&Session> {
        self.sessions().filter(|s| s.group == group).collect()
    }
    /// Every agreement version of `group`.
    fn group_agreements(&self, group: GroupId) -> Vec<&AgreementVersion> {
        self.agreements().filter(|a| a.group == group).collect()
    }
}

/// True when `m` puts its member in its group on `date`: a place with a join date (so not
/// waitlisted or screened), joined on or before the day and not left before it.
pub fn places_in_group_on(m: &Membership, date: Date) -> bool {
    !matches!(
        m.status,
        MembershipStatus::Waitlisted | MembershipStatus::Screened
    ) && m.covers(date)
}

/// True when `member` was in `group` on `date`.
fn in_group_on(v: &dyn Records, member: MemberId, group: GroupId, date: Date) -> bool {
    v.places(member, group)
        .into_iter()
        .any(|m| places_in_group_on(m, date))
}

/// Checks one membership.
pub(crate) fn membership(v: &dyn Records, m: &Membership) -> Result<(), Invalid> {
    if v.member(m.member).is_none() {
        return Err(missing("member", "member"));
    }
    if v.group(m.group).is_none() {
        return Err(missing("group", "group"));
    }
    for other in v
        .places(m.member, m.group)
        .into_iter()
        .filter(|o| o.id != m.id)
    {
        if !m.status.is_final() && !other.status.is_final() {
            return Err(Invalid::new(
                "status",
                "this member already has a current place in this group",
            ));
        }
        if overlap(m, other) {
            return Err(Invalid::new(
                "joined",
                "overlaps this member's other time in this group",
            ));
        }
    }
    Ok(())
}

/// True when two places with join dates share a day.
fn overlap(a: &Membership, b: &Membership) -> bool {
    let (Some(a_from), Some(b_from)) = (a.joined, b.joined) else {
        return false;
    };
    let a_to = a.left.unwrap_or(Date::MAX);
    let b_to = b.left.unwrap_or(Date::MAX);
    a_from <= b_to && b_from <= a_to
}

/// Checks a group against its memberships (capacity) and sessions (dates).
pub(crate) fn group(v: &dyn Records, g: &Group) -> Result<(), Invalid> {
    if let Some(capacity) = g.capacity {
        let active = v
            .group_memberships(g.id)
            .into_iter()
            .filter(|m| m.status == MembershipStatus::Active)
            .count();
        if active > usize::from(capacity) {
            return Err(Invalid::new(
                "capacity",
                format!(
                    "the group has {active} active members, more than its capacity of {capacity}"
                ),
            ));
        }
    }
    if let Some(s) = v
        .group_sessions(g.id)
        .into_iter()
        .find(|s| !within(g, s.date))
    {
        return Err(Invalid::new(
            if g.start_date.is_some_and(|d| s.date < d) {
                "start_date"
            } else {
                "end_date"
            },
            format!(
                "session {} on {} falls outside the group's dates",
                s.number, s.date
            ),
        ));
    }
    Ok(())
}

/// True when `date` falls between the group's start and end dates (where they are set).
fn within(g: &Group, date: Date) -> bool {
    g.start_date.is_none_or(|d| date >= d) && g.end_date.is_none_or(|d| date <= d)
}

/// Checks one agreement version.
pub(crate) fn agreement(v: &dyn Records, a: &AgreementVersion) -> Result<(), Invalid> {
    if v.group(a.group).is_none() {
        return Err(missing("group", "group"));
    }
    if !(1..=MAX_VERSION).contains(&a.number) {
        return Err(Invalid::new(
            "number",
            format!("must be from 1 to {MAX_VERSION}"),
        ));
    }
    if v.group_agreements(a.group)
        .into_iter()
        .any(|o| o.id != a.id && o.number == a.number)
    {
        return Err(Invalid::new(
            "number",
            "another version of this group's agreement has the same number",
        ));
    }
    if a.content_hash != content_hash(&a.text) {
        return Err(Invalid::new(
            "content_hash",
            "does not match the agreement's text",
        ));
    }
    Ok(())
}

/// Checks one signature; `today` bounds its date.
pub(crate) fn signature(v: &dyn Records, s: &Signature, today: Date) -> Result<(), Invalid> {
    if v.member(s.member).is_none() {
        return Err(missing("member", "member"));
    }
    if v.group(s.group).is_none() {
        return Err(missing("group", "group"));
    }
    let Some(a) = v.agreement(s.agreement) else {
        return Err(missing("agreement", "agreement version"));
    };
    if a.group != s.group || a.number != s.version_number || a.content_hash != s.content_hash {
        return Err(Invalid::new(
            "agreement",
            "does not match the version it names (group, number or hash)",
        ));
    }
    if s.acknowledged.len() != a.text.clauses.len() || s.acknowledged.contains(&false) {
        return Err(Invalid::new(
            "acknowledged",
            "needs every clause of the version signed acknowledged",
        ));
    }
    if let Some(bad) = s.discuss.iter().find(|i| **i >= a.text.clauses.len()) {
        return Err(Invalid::new(
            "discuss",
            format!("there is no clause {} in this version", bad + 1),
        ));
    }
    if v.places(s.member, s.group).is_empty() {
        return Err(Invalid::new(
            "member",
            "is not on the roster of the group whose agreement they signed",
        ));
    }
    // A day's slack: the moment is UTC, the date the practitioner's. (Signing before a
    // version's effective date is allowed: members sign the ground rules at intake, before
    // the group and its first version begin.)
    if s.signed_at.date() > today + Duration::days(1) {
        return Err(Invalid::new("signed_at", "is in the future"));
    }
    if s.withdrawal.as_ref().is_some_and(|w| w.at < s.signed_at) {
        return Err(Invalid::new(
            "withdrawal.at",
            "can't be before the signature",
        ));
    }
    Ok(())
}

/// Checks one session.
pub(crate) fn session(v: &dyn Records, s: &Session) -> Result<(), Invalid> {
    let Some(g) = v.group(s.group) else {
        return Err(missing("group", "group"));
    };
    if !within(g, s.date) {
        return Err(Invalid::new(
            "date",
            "falls outside the group's start and end dates",
        ));
    }
    if v.group_sessions(s.group)
        .into_iter()
        .any(|o| o.id != s.id && o.number == s.number)
    {
        return Err(Invalid::new(
            "number",
            "another session of this group has the same number",
        ));
    }
    for member in s.attendance.keys() {
        if !in_group_on(v, *member, s.group, s.date) {
            return Err(Invalid::new(
                format!("attendance.{member}"),
                format!("this member was not in the group on {}", s.date),
            ));
        }
    }
    Ok(())
}

/// Checks one note.
pub(crate) fn note(v: &dyn Records, n: &Note) -> Result<(), Invalid> {
    if v.member(n.member).is_none() {
        return Err(missing("member", "member"));
    }
    let Some(s) = v.session(n.session) else {
        return Err(missing("session", "session"));
    };
    if !in_group_on(v, n.member, s.group, s.date) {
        return Err(Invalid::new(
            "member",
            format!("was not in the group on {}", s.date),
        ));
    }
    Ok(())
}

/// Checks one incident.
pub(crate) fn incident(v: &dyn Records, i: &Incident) -> Result<(), Invalid> {
    if v.group(i.group).is_none() {
        return Err(missing("group", "group"));
    }
    if let Some(session) = i.session {
        if v.session(session).is_none_or(|s| s.group != i.group) {
            return Err(Invalid::new(
                "session",
                "refers to a session of another group, or none",
            ));
        }
    }
    for (k, m) in i.members.iter().enumerate() {
        if v.member(*m).is_none() {
            return Err(missing(&format!("members[{k}]"), "member"));
        }
        if i.members[..k].contains(m) {
            return Err(Invalid::new(
                format!("members[{k}]"),
                "names a member who is already listed",
            ));
        }
    }
    Ok(())
}

/// Checks one answered questionnaire.
pub(crate) fn administration(v: &dyn Records, a: &Administration) -> Result<(), Invalid> {
    if v.member(a.member).is_none() {
        return Err(missing("member", "member"));
    }
    if let Some(group) = a.group {
        if v.group(group).is_none() {
            return Err(missing("group", "group"));
        }
        if v.places(a.member, group).is_empty() {
            return Err(Invalid::new(
                "group",
                "is a group the member has never had a place in",
            ));
        }
    }
    Ok(())
}

fn missing(field: &str, what: &str) -> Invalid {
    Invalid::new(field, format!("refers to a {what} that does not exist"))
}

/// Checks `record` with the rule of its kind.
pub(crate) fn record(v: &dyn Records, record: &Stored, today: Date) -> Result<(), Invalid> {
    match record {
        Stored::Group(g) => group(v, g),
        Stored::Membership(m) => membership(v, m),
        Stored::Agreement(a) => agreement(v, a),
        Stored::Signature(s) => signature(v, s, today),
        Stored::Session(s) => session(v, s),
        Stored::Note(n) => note(v, n),
        Stored::Incident(i) => incident(v, i),
        Stored::Administration(a) => administration(v, a),
        Stored::Profile(..)
        | Stored::BackupSettings(..)
        | Stored::Drafts(..)
        | Stored::Member(_)
        | Stored::Audit(_) => Ok(()),
    }
}

impl Records for State {
    fn group(&self, id: GroupId) -> Option<&Group> {
        self.groups.get(&id)
    }
    fn member(&self, id: MemberId) -> Option<&Member> {
        self.members.get(&id)
    }
    fn agreement(&self, id: AgreementId) -> Option<&AgreementVersion> {
        self.agreements.get(&id)
    }
    fn session(&self, id: SessionId) -> Option<&Session> {
        self.sessions.get(&id)
    }
    fn memberships(&self) -> Box<dyn Iterator<Item = &Membership> + '_> {
        Box::new(self.memberships.values())
    }
    fn agreements(&self) -> Box<dyn Iterator<Item = &AgreementVersion> + '_> {
        Box::new(self.agreements.values())
    }
    fn sessions(&self) -> Box<dyn Iterator<Item = &Session> + '_> {
        Box::new(self.sessions.values())
    }
    fn notes(&self) -> Box<dyn Iterator<Item = &Note> + '_> {
        Box::new(self.notes.values())
    }
    fn signatures(&self) -> Box<dyn Iterator<Item = &Signature> + '_> {
        Box::new(self.signatures.values())
    }
    fn incidents(&self) -> Box<dyn Iterator<Item = &Incident> + '_> {
        Box::new(self.incidents.values())
    }
    fn administrations(&self) -> Box<dyn Iterator<Item = &Administration> + '_> {
        Box::new(self.administrations.values())
    }
}

/// The practice as it would be after a change: `puts` replace or add records, `deletes`
/// remove them; everything else as in `base`.
pub(crate) struct Overlay<'a> {
    base: &'a State,
    puts: BTreeMap<RecordId, &'a Stored>,
    deleted: std::collections::BTreeSet<RecordId>,
}

impl<'a> Overlay<'a> {
    /// The state after putting `puts` and deleting `deletes`.
    pub(crate) fn new(base: &'a State, puts: &'a [Stored], deletes: &[Removal]) -> Self {
        Self {
            base,
            puts: puts.iter().map(|p| (p.record_id(), p)).collect(),
            deleted: deletes.iter().map(|r| r.record_id()).collect(),
        }
    }

    /// The base's record `id`, unless the change deletes or replaces it.
    fn kept(&self, id: RecordId) -> bool {
        !self.deleted.contains(&id) && !self.puts.contains_key(&id)
    }

    fn put_of<T>(
        &self,
        id: RecordId,
        pick: impl Fn(&'a Stored) -> Option<&'a T>,
    ) -> Option<Option<&'a T>> {
        if self.deleted.contains(&id) {
            return Some(None);
        }
        self.puts.get(&id).map(|p| pick(p))
    }

    /// The base's records of one kind that the change keeps, then the change's own.
    fn all<T: 'a, I>(
        &'a self,
        base: I,
        id: impl Fn(&T) -> RecordId + 'a,
        pick: impl Fn(&'a Stored) -> Option<&'a T> + 'a,
    ) -> Box<dyn Iterator<Item = &'a T> + 'a>
    where
        I: Iterator<Item = &'a T> + 'a,
    {
        let kept = base.filter(move |r| self.kept(id(r)));
        Box::new(kept.chain(self.puts.values().filter_map(move |p| pick(p))))
    }
}

macro_rules! pick {
    ($variant:ident) => {
        |p: &Stored| match p {
            Stored::$variant(r) => Some(r),
            _ => None,
        }
    };
}

impl Records for Overlay<'_> {
    fn group(&self, id: GroupId) -> Option<&Group> {
        self.put_of(id.0, pick!(Group))
            .unwrap_or_else(|| self.base.groups.get(&id))
    }
    fn member(&self, id: MemberId) -> Option<&Member> {
        self.put_of(id.0, pick!(Member))
            .unwrap_or_else(|| self.base.members.get(&id))
    }
    fn agreement(&self, id: AgreementId) -> Option<&AgreementVersion> {
        self.put_of(id.0, pick!(Agreement))
            .unwrap_or_else(|| self.base.agreements.get(&id))
    }
    fn session(&self, id: SessionId) -> Option<&Session> {
        self.put_of(id.0, pick!(Session))
            .unwrap_or_else(|| self.base.sessions.get(&id))
    }
    fn memberships(&self) -> Box<dyn Iterator<Item = &Membership> + '_> {
        self.all(
            self.base.memberships.values(),
            |r: &Membership| r.id.0,
            pick!(Membership),
        )
    }
    fn agreements(&self) -> Box<dyn Iterator<Item = &AgreementVersion> + '_> {
        self.all(
            self.base.agreements.values(),
            |r: &AgreementVersion| r.id.0,
            pick!(Agreement),
        )
    }
    fn sessions(&self) -> Box<dyn Iterator<Item = &Session> + '_> {
        self.all(
            self.base.sessions.values(),
            |r: &Session| r.id.0,
            pick!(Session),
        )
    }
    fn notes(&self) -> Box<dyn Iterator<Item = &Note> + '_> {
        self.all(self.base.notes.values(), |r: &Note| r.id.0, pick!(Note))
    }
    fn signatures(&self) -> Box<dyn Iterator<Item = &Signature> + '_> {
        self.all(
            self.base.signatures.values(),
            |r: &Signature| r.id.0,
            pick!(Signature),
        )
    }
    fn incidents(&self) -> Box<dyn Iterator<Item = &Incident> + '_> {
        self.all(
            self.base.incidents.values(),
            |r: &Incident| r.id.0,
            pick!(Incident),
        )
    }
    fn administrations(&self) -> Box<dyn Iterator<Item = &Administration> + '_> {
        self.all(
            self.base.administrations.values(),
            |r: &Administration| r.id.0,
            pick!(Administration),
        )
    }
}

/// The records a change could make inconsistent besides the ones it writes: for each put or
/// delete, the records whose rules read it.
pub(crate) fn dependents(
    v: &dyn Records,
    puts: &[Stored],
    deletes: &[Removal],
    base: &State,
) -> Vec<Stored> {
    let mut out: BTreeMap<RecordId, Stored> = BTreeMap::new();
    let mut add = |r: Stored| {
        out.insert(r.record_id(), r);
    };
    let touched_memberships: Vec<(MemberId, GroupId)> = puts
        .iter()
        .filter_map(|p| match p {
            Stored::Membership(m) => Some((m.member, m.group)),
            _ => None,
        })
        .chain(deletes.iter().filter_map(|removal| match removal {
            Removal::Membership(id) => base.memberships.get(id).map(|m| (m.member, m.group)),
            _ => None,
        }))
        .collect();
    let touched_groups: Vec<GroupId> = puts
        .iter()
        .filter_map(|p| match p {
            Stored::Group(g) => Some(g.id),
            _ => None,
        })
        .chain(touched_memberships.iter().map(|(_, g)| *g))
        .collect();
    let touched_sessions: Vec<SessionId> = puts
        .iter()
        .filter_map(|p| match p {
            Stored::Session(s) => Some(s.id),
            _ => None,
        })
        .chain(deletes.iter().filter_map(|removal| match removal {
            Removal::Session(id) => Some(*id),
            _ => None,
        }))
        .collect();
    let deleted: std::collections::BTreeSet<RecordId> =
        deletes.iter().map(|r| r.record_id()).collect();
    for g in touched_groups.iter().filter_map(|g| v.group(*g)) {
        add(Stored::Group(g.clone()));
    }
    let memberships_or_groups = !touched_memberships.is_empty() || !touched_groups.is_empty();
    let reaches_notes =
        !touched_memberships.is_empty() || !touched_sessions.is_empty() || !deleted.is_empty();
    for s in v.sessions().filter(|_| memberships_or_groups) {
        let member_moved = touched_memberships
            .iter()
            .any(|(m, g)| s.group == *g && s.attendance.contains_key(m));
        if member_moved || touched_groups.contains(&s.group) {
            add(Stored::Session(s.clone()));
        }
    }
    for n in v.notes().filter(|_| reaches_notes) {
        let session = v.session(n.session);
        let member_moved =
            session.is_some_and(|s| touched_memberships.contains(&(n.member, s.group)));
        if member_moved || touched_sessions.contains(&n.session) || deleted.contains(&n.member.0) {
            add(Stored::Note(n.clone()));
        }
    }
    let reaches_signatures = !touched_memberships.is_empty() || !deleted.is_empty();
    for s in v.signatures().filter(|_| reaches_signatures) {
        if touched_memberships.contains(&(s.member, s.group))
            || deleted.contains(&s.member.0)
            || deleted.contains(&s.agreement.0)
        {
            add(Stored::Signature(s.clone()));
        }
    }
    for i in v.incidents().filter(|_| !deleted.is_empty()) {
        let refers = i.members.iter().any(|m| deleted.contains(&m.0))
            || i.session.is_some_and(|s| deleted.contains(&s.0));
        if refers {
            add(Stored::Incident(i.clone()));
        }
    }
    let reaches_administrations = !deleted.is_empty() || !touched_memberships.is_empty();
    for a in v.administrations().filter(|_| reaches_administrations) {
        let refers = deleted.contains(&a.member.0)
            || a.group.is_some_and(|g| {
                deleted.contains(&g.0) || touched_memberships.contains(&(a.member, g))
            });
        if refers {
            add(Stored::Administration(a.clone()));
        }
    }
    for m in v.memberships().filter(|_| !deleted.is_empty()) {
        if deleted.contains(&m.member.0) {
            add(Stored::Membership(m.clone()));
        }
    }
    out.into_values().collect()
}

/// Checks a change before it is written: each record it puts, and each record it could make
/// inconsistent, on the practice as it would be after it. A dependent's failure names the
/// record it belongs to.
pub(crate) fn check_change(
    base: &State,
    puts: &[Stored],
    deletes: &[Removal],
    now: OffsetDateTime,
) -> Result<(), Invalid> {
    let after = Overlay::new(base, puts, deletes);
    let today = now.date();
    for put in puts {
        record(&after, put, today)?;
    }
    for dependent in dependents(&after, puts, deletes, base) {
        record(&after, &dependent, today).map_err(|e| because_of(&dependent, e))?;
    }
    Ok(())
}

/// A dependent record's failure, said from the change's side.
fn because_of(dependent: &Stored, e: Invalid) -> Invalid {
    let what = match dependent {
        Stored::Group(_) => "the group",
        Stored::Membership(_) => "a membership",
        Stored::Session(_) => "a session's attendance",
        Stored::Note(_) => "a note",
        Stored::Signature(_) => "a signature",
        Stored::Incident(_) => "an incident",
        Stored::Administration(_) => "an answered questionnaire",
        _ => "another record",
    };
    Invalid::new(
        "",
        format!(
            "this would leave {what} inconsistent ({}: {}); nothing was saved",
            e.field, e.reason
        ),
    )
}
