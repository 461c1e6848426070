//! The open practice format (`docs/practice-json.md`): exporting the whole practice as JSON,
//! and importing such a file into an empty vault.
//!
//! Policy: an import is checked completely — every record's fields, unique ids, every
//! reference, every agreement hash and signature, attendance against membership dates —
//! before anything is written, and the first problem is named by its path
//! (`members[12].email`). A file that fails changes nothing. Imports go only into a vault that
//! holds no practice yet, so nothing already saved can be overwritten. Exports are plaintext:
//! the shells must say so.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::agreement::content_hash;
use super::ids::*;
use super::index_slot::IndexSlot;
use super::model::*;
use super::rules::Validate;
use super::state::{State, Stored};
use super::unlocked::{Practice, PracticeError, PracticeResult};
use super::validate::Invalid;
use crate::record::RecordId;

/// The `format` value of a practice file.
pub const FORMAT_NAME: &str = "holdspace-practice";
/// The format version this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;
/// Records per vault batch while importing.
const IMPORT_BATCH: usize = 4096;

/// A whole practice in the open format.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PracticeJson {
    /// Always `holdspace-practice`.
    pub format: String,
    /// Format version (1).
    pub version: u32,
    /// When the file was written.
    #[serde(with = "super::moment")]
    pub exported_at: OffsetDateTime,
    /// The practice profile, if one was saved.
    #[serde(default)]
    pub profile: Option<PracticeProfile>,
    /// Groups.
    #[serde(default)]
    pub groups: Vec<Group>,
    /// Members (clients).
    #[serde(default)]
    pub members: Vec<Member>,
    /// Memberships.
    #[serde(default)]
    pub memberships: Vec<Membership>,
    /// Agreement versions.
    #[serde(default)]
    pub agreements: Vec<AgreementVersion>,
    /// Signatures.
    #[serde(default)]
    pub signatures: Vec<Signature>,
    /// Sessions.
    #[serde(default)]
    pub sessions: Vec<Session>,
    /// Per-member notes (progress and psychotherapy).
    #[serde(default)]
    pub notes: Vec<Note>,
    /// Incidents.
    #[serde(default)]
    pub incidents: Vec<Incident>,
    /// The audit trail, oldest first.
    #[serde(default)]
    pub audit: Vec<AuditEvent>,
}

/// Counts of what an import wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// Groups.
    pub groups: usize,
    /// Members.
    pub members: usize,
    /// Sessions.
    pub sessions: usize,
    /// Notes.
    pub notes: usize,
    /// Every record written, audit events included.
    pub records: usize,
}

impl PracticeJson {
    /// The words a passphrase for this practice must not lean on (its profile's names and
    /// "holdspace"; see [`crate::strength::own_words`]).
    pub fn own_words(&self) -> Vec<String> {
        let (practitioner, practice) = self.profile.as_ref().map_or(("", ""), |p| {
            (p.practitioner_name.as_str(), p.practice_name.as_str())
        });
        crate::strength::own_words(practitioner, practice)
    }

    /// Parses a practice file; a syntax or shape error names its path.
    pub fn parse(bytes: &[u8]) -> Result<Self, Invalid> {
        let mut deserializer = serde_json::Deserializer::from_slice(bytes);
        serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
            let path = e.path().to_string();
            let field = if path == "." { String::new() } else { path };
            Invalid::new(field, plain_serde_message(&e.into_inner()))
        })
    }

    /// The file's JSON, pretty-printed.
    pub fn to_json(&self) -> Vec<u8> {
        // Serialising plain data with string keys cannot fail.
        serde_json::to_vec_pretty(self).unwrap_or_default()
    }

    /// The practice as a file, from its decoded state.
    pub fn from_state(state: &State, exported_at: OffsetDateTime) -> Self {
        Self {
            format: FORMAT_NAME.to_owned(),
            version: FORMAT_VERSION,
            exported_at,
            profile: state.profile.as_ref().map(|(_, p)| p.clone()),
            groups: state.groups.values().cloned().collect(),
            members: state.members.values().cloned().collect(),
            memberships: state.memberships.values().cloned().collect(),
            agreements: state.agreements.values().cloned().collect(),
            signatures: state.signatures.values().cloned().collect(),
            sessions: state.sessions.values().cloned().collect(),
            notes: state.notes.values().cloned().collect(),
            incidents: state.incidents.values().cloned().collect(),
            audit: state.audit.clone(),
        }
    }

    /// Every record in the file, as stored (the profile under a fresh record id).
    fn into_records(self) -> Vec<Stored> {
        let mut out = Vec::new();
        out.extend(self.profile.map(|p| Stored::Profile(RecordId::random(), p)));
        out.extend(self.groups.into_iter().map(Stored::Group));
        out.extend(self.members.into_iter().map(Stored::Member));
        out.extend(self.memberships.into_iter().map(Stored::Membership));
        out.extend(self.agreements.into_iter().map(Stored::Agreement));
        out.extend(self.signatures.into_iter().map(Stored::Signature));
        out.extend(self.sessions.into_iter().map(Stored::Session));
        out.extend(self.notes.into_iter().map(Stored::Note));
        out.extend(self.incidents.into_iter().map(Stored::Incident));
        out.extend(self.audit.into_iter().map(Stored::Audit));
        out
    }

    /// Checks everything an import needs, naming the first problem by its path.
    pub fn validate(&self, today: Date) -> Result<(), Invalid> {
        if self.format != FORMAT_NAME {
            return Err(Invalid::new("format", format!("must be \"{FORMAT_NAME}\"")));
        }
        if self.version != FORMAT_VERSION {
            return Err(Invalid::new(
                "version",
                format!(
                    "version {} is not supported (this Holdspace reads version {FORMAT_VERSION})",
                    self.version
                ),
            ));
        }
        if let Some(p) = &self.profile {
            p.validate(today).map_err(|e| e.under("profile"))?;
        }
        self.check_fields(today)?;
        self.check_unique_ids()?;
        References::new(self).check(self)
    }

    fn check_fields(&self, today: Date) -> Result<(), Invalid> {
        each(&self.groups, "groups", |r| r.validate(today))?;
        each(&self.members, "members", |r| r.validate(today))?;
        each(&self.memberships, "memberships", |r| r.validate(today))?;
        each(&self.agreements, "agreements", |r| {
            r.text.validate(today).map_err(|e| e.under("text"))
        })?;
        each(&self.signatures, "signatures", |r| r.validate(today))?;
        each(&self.sessions, "sessions", |r| r.validate(today))?;
        each(&self.notes, "notes", |r| r.validate(today))?;
        each(&self.incidents, "incidents", |r| r.validate(today))
    }

    fn check_unique_ids(&self) -> Result<(), Invalid> {
        let mut seen = HashSet::new();
        let mut check = |list: &'static str, ids: Vec<RecordId>| {
            for (i, id) in ids.into_iter().enumerate() {
                if !seen.insert(id) {
                    return Err(Invalid::new(
                        format!("{list}[{i}].id"),
                        "duplicates the id of another record",
                    ));
                }
            }
            Ok(())
        };
        check("groups", self.groups.iter().map(|r| r.id.0).collect())?;
        check("members", self.members.iter().map(|r| r.id.0).collect())?;
        check(
            "memberships",
            self.memberships.iter().map(|r| r.id.0).collect(),
        )?;
        check(
            "agreements",
            self.agreements.iter().map(|r| r.id.0).collect(),
        )?;
        check(
            "signatures",
            self.signatures.iter().map(|r| r.id.0).collect(),
        )?;
        check("sessions", self.sessions.iter().map(|r| r.id.0).collect())?;
        check("notes", self.notes.iter().map(|r| r.id.0).collect())?;
        check("incidents", self.incidents.iter().map(|r| r.id.0).collect())?;
        check("audit", self.audit.iter().map(|r| r.id.0).collect())
    }
}

/// Validates each item of a list, prefixing failures with `list[i]`.
fn each<T>(
    items: &[T],
    list: &str,
    mut check: impl FnMut(&T) -> Result<(), Invalid>,
) -> Result<(), Invalid> {
    for (i, item) in items.iter().enumerate() {
        check(item).map_err(|e| e.under(&format!("{list}[{i}]")))?;
    }
    Ok(())
}

/// Lookups for the cross-record checks.
struct References<'a> {
    groups: HashSet<GroupId>,
    members: HashSet<MemberId>,
    agreements: BTreeMap<AgreementId, &'a AgreementVersion>,
    sessions: BTreeMap<SessionId, &'a Session>,
    memberships: BTreeMap<(MemberId, GroupId), Vec<&'a Membership>>,
}

impl<'a> References<'a> {
    fn new(file: &'a PracticeJson) -> Self {
        let mut memberships: BTreeMap<_, Vec<_>> = BTreeMap::new();
        for m in &file.memberships {
            memberships.entry((m.member, m.group)).or_default().push(m);
        }
        Self {
            groups: file.groups.iter().map(|g| g.id).collect(),
            members: file.members.iter().map(|m| m.id).collect(),
            agreements: file.agreements.iter().map(|a| (a.id, a)).collect(),
            sessions: file.sessions.iter().map(|s| (s.id, s)).collect(),
            memberships,
        }
    }

    fn member_on(&self, member: MemberId, group: GroupId, date: Date) -> bool {
        self.memberships
            .get(&(member, group))
            .is_some_and(|ms| ms.iter().any(|m| m.covers(date)))
    }

    fn group(&self, id: GroupId) -> Result<(), Invalid> {
        if self.groups.contains(&id) {
            Ok(())
        } else {
            Err(Invalid::new(
                "group",
                "refers to a group that is not in the file",
            ))
        }
    }

    fn member(&self, id: MemberId, field: &str) -> Result<(), Invalid> {
        if self.members.contains(&id) {
            Ok(())
        } else {
            Err(Invalid::new(
                field,
                "refers to a member who is not in the file",
            ))
        }
    }

    fn check(&self, file: &PracticeJson) -> Result<(), Invalid> {
        let mut current = HashSet::new();
        each(&file.memberships, "memberships", |m| {
            self.member(m.member, "member")?;
            self.group(m.group)?;
            if !m.status.is_final() && !current.insert((m.member, m.group)) {
                return Err(Invalid::new(
                    "status",
                    "this member already has a current place in this group",
                ));
            }
            Ok(())
        })?;
        let mut numbers = HashSet::new();
        each(&file.agreements, "agreements", |a| {
            self.group(a.group)?;
            if !numbers.insert((a.group, a.number)) {
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
        })?;
        each(&file.signatures, "signatures", |s| self.check_signature(s))?;
        each(&file.sessions, "sessions", |s| self.check_session(s))?;
        each(&file.notes, "notes", |n| self.check_note(n))?;
        each(&file.incidents, "incidents", |i| self.check_incident(i))
    }

    fn check_signature(&self, s: &Signature) -> Result<(), Invalid> {
        self.member(s.member, "member")?;
        self.group(s.group)?;
        let Some(a) = self.agreements.get(&s.agreement) else {
            return Err(Invalid::new(
                "agreement",
                "refers to an agreement version that is not in the file",
            ));
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
        if !self.memberships.contains_key(&(s.member, s.group)) {
            return Err(Invalid::new(
                "member",
                "is not on the roster of the group whose agreement they signed",
            ));
        }
        if s.withdrawal.as_ref().is_some_and(|w| w.at < s.signed_at) {
            return Err(Invalid::new(
                "withdrawal.at",
                "can't be before the signature",
            ));
        }
        Ok(())
    }

    fn check_session(&self, s: &Session) -> Result<(), Invalid> {
        self.group(s.group)?;
        for member in s.attendance.keys() {
            if !self.member_on(*member, s.group, s.date) {
                return Err(Invalid::new(
                    format!("attendance.{member}"),
                    format!("this member was not in the group on {}", s.date),
                ));
            }
        }
        Ok(())
    }

    fn check_note(&self, n: &Note) -> Result<(), Invalid> {
        self.member(n.member, "member")?;
        let Some(s) = self.sessions.get(&n.session) else {
            return Err(Invalid::new(
                "session",
                "refers to a session that is not in the file",
            ));
        };
        if !self.member_on(n.member, s.group, s.date) {
            return Err(Invalid::new(
                "member",
                format!("was not in the group on {}", s.date),
            ));
        }
        Ok(())
    }

    fn check_incident(&self, i: &Incident) -> Result<(), Invalid> {
        self.group(i.group)?;
        if let Some(session) = i.session {
            if self
                .sessions
                .get(&session)
                .is_none_or(|s| s.group != i.group)
            {
                return Err(Invalid::new(
                    "session",
                    "refers to a session of another group, or none",
                ));
            }
        }
        for (k, m) in i.members.iter().enumerate() {
            self.member(*m, &format!("members[{k}]"))?;
        }
        Ok(())
    }
}

/// serde's message without its " at line 3 column 7" suffix (the path says where).
fn plain_serde_message(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(at) => format!(
            "{} (line {}, column {})",
            &text[..at],
            err.line(),
            err.column()
        ),
        None => text,
    }
}

impl Practice {
    /// The whole practice in the open format; audited as an export.
    pub fn export(&mut self) -> PracticeResult<PracticeJson> {
        self.record(AuditAction::Export, "whole practice (practice JSON)")?;
        Ok(PracticeJson::from_state(&self.state, self.now()))
    }

    /// True when the vault holds no practice records (a profile and audit events may exist).
    pub fn is_empty_practice(&self) -> bool {
        let s = &self.state;
        s.groups.is_empty()
            && s.members.is_empty()
            && s.memberships.is_empty()
            && s.agreements.is_empty()
            && s.signatures.is_empty()
            && s.sessions.is_empty()
            && s.notes.is_empty()
            && s.incidents.is_empty()
    }

    /// Validates and writes a whole practice into this empty vault.
    pub fn import(&mut self, file: PracticeJson) -> PracticeResult<ImportReport> {
        if !self.is_empty_practice() {
            return Err(PracticeError::NotEmpty);
        }
        file.validate(self.today())?;
        let mut report = ImportReport {
            groups: file.groups.len(),
            members: file.members.len(),
            sessions: file.sessions.len(),
            notes: file.notes.len(),
            records: 0,
        };
        let mut records = file.into_records();
        let detail = format!(
            "{} groups, {} members, {} sessions, {} notes",
            report.groups, report.members, report.sessions, report.notes
        );
        records.push(Stored::Audit(self.event(
            AuditAction::Import,
            None,
            &detail,
        )));
        report.records = records.len();
        self.write_all(&records)?;
        // What the import did not write stays: the trail, and this vault's backup settings.
        let kept_audit = self.state.audit.iter().cloned().map(Stored::Audit);
        let kept_settings = self
            .state
            .backup_settings
            .clone()
            .map(|(id, s)| Stored::BackupSettings(id, s));
        self.state = Arc::new(State::from_records(
            kept_audit
                .chain(kept_settings)
                .chain(records)
                .collect::<Vec<_>>(),
        ));
        self.index = IndexSlot::build_in_background(Arc::clone(&self.state));
        Ok(report)
    }

    /// Writes records in batches; if any batch fails, removes what was written (best effort)
    /// so the vault is as it was.
    fn write_all(&self, records: &[Stored]) -> PracticeResult<()> {
        let mut written: Vec<RecordId> = Vec::with_capacity(records.len());
        for chunk in records.chunks(IMPORT_BATCH) {
            let outcome = (|| {
                let mut batch = self.vault.batch();
                for record in chunk {
                    record.put_into(&mut batch)?;
                }
                self.vault.commit(batch)
            })();
            if let Err(e) = outcome {
                let mut undo = self.vault.batch();
                written.iter().for_each(|id| undo.delete(*id));
                let _ = self.vault.commit(undo);
                return Err(e.into());
            }
            written.extend(chunk.iter().map(Stored::record_id));
        }
        Ok(())
    }
}
