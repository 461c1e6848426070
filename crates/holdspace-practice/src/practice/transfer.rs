//! The open practice format (`docs/practice-json.md`): exporting the whole practice as JSON,
//! and importing such a file into an empty vault.
//!
//! Policy: an import is checked completely — every record's fields, unique ids, every
//! reference, every agreement hash and signature, attendance against membership dates —
//! before anything is written, and the first problem is named by its path
//! (`members[12].email`). A file that fails changes nothing. Imports go only into a vault that
//! holds no practice yet, so nothing already saved can be overwritten. Exports are plaintext:
//! the shells must say so.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::consistency::{self, Records};
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
    /// Outcome questionnaires answered.
    #[serde(default)]
    pub administrations: Vec<Administration>,
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
            administrations: state.administrations.values().cloned().collect(),
            audit: state.audit.clone(),
        }
    }

    /// Every record in the file, as stored; the profile under `profile_id` (the vault's own
    /// profile record, if it has one, so there is only ever one).
    fn into_records(self, profile_id: RecordId) -> Vec<Stored> {
        let mut out = Vec::new();
        out.extend(self.profile.map(|p| Stored::Profile(profile_id, p)));
        out.extend(self.groups.into_iter().map(Stored::Group));
        out.extend(self.members.into_iter().map(Stored::Member));
        out.extend(self.memberships.into_iter().map(Stored::Membership));
        out.extend(self.agreements.into_iter().map(Stored::Agreement));
        out.extend(self.signatures.into_iter().map(Stored::Signature));
        out.extend(self.sessions.into_iter().map(Stored::Session));
        out.extend(self.notes.into_iter().map(Stored::Note));
        out.extend(self.incidents.into_iter().map(Stored::Incident));
        out.extend(self.administrations.into_iter().map(Stored::Administration));
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
        FileView::new(self).check(today)
    }

    /// Every problem an import would refuse, all of them (at most [`MAX_FINDINGS`]), for a
    /// lenient restore that keeps everything and says what it found. Problems that would lose
    /// records (the format, duplicate ids) are not findings: they stay refusals.
    pub fn findings(&self, today: Date) -> Result<Vec<Invalid>, Invalid> {
        if self.format != FORMAT_NAME || self.version != FORMAT_VERSION {
            self.validate(today)?;
        }
        self.check_unique_ids()?;
        let mut found = Vec::new();
        if let Some(p) = &self.profile {
            if let Err(e) = p.validate(today) {
                found.push(e.under("profile"));
            }
        }
        let mut note = |list: &str, i: usize, result: Result<(), Invalid>| {
            if let Err(e) = result {
                if found.len() < MAX_FINDINGS {
                    found.push(e.under(&format!("{list}[{i}]")));
                }
            }
        };
        let view = FileView::new(self);
        for (i, r) in self.groups.iter().enumerate() {
            note(
                "groups",
                i,
                r.validate(today)
                    .and_then(|()| consistency::group(&view, r)),
            );
        }
        for (i, r) in self.members.iter().enumerate() {
            note("members", i, r.validate(today));
        }
        for (i, r) in self.memberships.iter().enumerate() {
            note(
                "memberships",
                i,
                r.validate(today)
                    .and_then(|()| consistency::membership(&view, r)),
            );
        }
        for (i, r) in self.agreements.iter().enumerate() {
            let fields = r.text.validate(today).map_err(|e| e.under("text"));
            note(
                "agreements",
                i,
                fields.and_then(|()| consistency::agreement(&view, r)),
            );
        }
        for (i, r) in self.signatures.iter().enumerate() {
            note(
                "signatures",
                i,
                r.validate(today)
                    .and_then(|()| consistency::signature(&view, r, today)),
            );
        }
        for (i, r) in self.sessions.iter().enumerate() {
            note(
                "sessions",
                i,
                r.validate(today)
                    .and_then(|()| consistency::session(&view, r)),
            );
        }
        for (i, r) in self.notes.iter().enumerate() {
            note(
                "notes",
                i,
                r.validate(today).and_then(|()| consistency::note(&view, r)),
            );
        }
        for (i, r) in self.incidents.iter().enumerate() {
            note(
                "incidents",
                i,
                r.validate(today)
                    .and_then(|()| consistency::incident(&view, r)),
            );
        }
        for (i, r) in self.administrations.iter().enumerate() {
            note(
                "administrations",
                i,
                r.validate(today)
                    .and_then(|()| consistency::administration(&view, r)),
            );
        }
        Ok(found)
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
        each(&self.incidents, "incidents", |r| r.validate(today))?;
        each(&self.administrations, "administrations", |r| {
            r.validate(today)
        })
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
        check(
            "administrations",
            self.administrations.iter().map(|r| r.id.0).collect(),
        )?;
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

/// The most problems a lenient restore lists.
pub const MAX_FINDINGS: usize = 1000;

/// A practice file's records, indexed for the cross-record rules of
/// [`super::consistency`] — the same rules the app's own changes meet.
struct FileView<'a> {
    file: &'a PracticeJson,
    groups: HashMap<GroupId, &'a Group>,
    members: HashMap<MemberId, &'a Member>,
    agreements: HashMap<AgreementId, &'a AgreementVersion>,
    sessions: HashMap<SessionId, &'a Session>,
    places: HashMap<(MemberId, GroupId), Vec<&'a Membership>>,
    group_memberships: HashMap<GroupId, Vec<&'a Membership>>,
    group_sessions: HashMap<GroupId, Vec<&'a Session>>,
    group_agreements: HashMap<GroupId, Vec<&'a AgreementVersion>>,
}

impl<'a> FileView<'a> {
    fn new(file: &'a PracticeJson) -> Self {
        let mut view = Self {
            file,
            groups: file.groups.iter().map(|g| (g.id, g)).collect(),
            members: file.members.iter().map(|m| (m.id, m)).collect(),
            agreements: file.agreements.iter().map(|a| (a.id, a)).collect(),
            sessions: file.sessions.iter().map(|s| (s.id, s)).collect(),
            places: HashMap::new(),
            group_memberships: HashMap::new(),
            group_sessions: HashMap::new(),
            group_agreements: HashMap::new(),
        };
        for m in &file.memberships {
            view.places.entry((m.member, m.group)).or_default().push(m);
            view.group_memberships.entry(m.group).or_default().push(m);
        }
        for session in &file.sessions {
            view.group_sessions
                .entry(session.group)
                .or_default()
                .push(session);
        }
        for a in &file.agreements {
            view.group_agreements.entry(a.group).or_default().push(a);
        }
        view
    }

    /// Every record of the file against the shared rules, naming the first problem by path.
    fn check(&self, today: Date) -> Result<(), Invalid> {
        let f = self.file;
        each(&f.groups, "groups", |g| consistency::group(self, g))?;
        each(&f.memberships, "memberships", |m| {
            consistency::membership(self, m)
        })?;
        each(&f.agreements, "agreements", |a| {
            consistency::agreement(self, a)
        })?;
        each(&f.signatures, "signatures", |s| {
            consistency::signature(self, s, today)
        })?;
        each(&f.sessions, "sessions", |s| consistency::session(self, s))?;
        each(&f.notes, "notes", |n| consistency::note(self, n))?;
        each(&f.incidents, "incidents", |i| {
            consistency::incident(self, i)
        })?;
        each(&f.administrations, "administrations", |a| {
            consistency::administration(self, a)
        })
    }
}

impl Records for FileView<'_> {
    fn group(&self, id: GroupId) -> Option<&Group> {
        self.groups.get(&id).copied()
    }
    fn member(&self, id: MemberId) -> Option<&Member> {
        self.members.get(&id).copied()
    }
    fn agreement(&self, id: AgreementId) -> Option<&AgreementVersion> {
        self.agreements.get(&id).copied()
    }
    fn session(&self, id: SessionId) -> Option<&Session> {
        self.sessions.get(&id).copied()
    }
    fn memberships(&self) -> Box<dyn Iterator<Item = &Membership> + '_> {
        Box::new(self.file.memberships.iter())
    }
    fn agreements(&self) -> Box<dyn Iterator<Item = &AgreementVersion> + '_> {
        Box::new(self.file.agreements.iter())
    }
    fn sessions(&self) -> Box<dyn Iterator<Item = &Session> + '_> {
        Box::new(self.file.sessions.iter())
    }
    fn notes(&self) -> Box<dyn Iterator<Item = &Note> + '_> {
        Box::new(self.file.notes.iter())
    }
    fn signatures(&self) -> Box<dyn Iterator<Item = &Signature> + '_> {
        Box::new(self.file.signatures.iter())
    }
    fn incidents(&self) -> Box<dyn Iterator<Item = &Incident> + '_> {
        Box::new(self.file.incidents.iter())
    }
    fn administrations(&self) -> Box<dyn Iterator<Item = &Administration> + '_> {
        Box::new(self.file.administrations.iter())
    }
    fn places(&self, member: MemberId, group: GroupId) -> Vec<&Membership> {
        self.places
            .get(&(member, group))
            .cloned()
            .unwrap_or_default()
    }
    fn group_memberships(&self, group: GroupId) -> Vec<&Membership> {
        self.group_memberships
            .get(&group)
            .cloned()
            .unwrap_or_default()
    }
    fn group_sessions(&self, group: GroupId) -> Vec<&Session> {
        self.group_sessions.get(&group).cloned().unwrap_or_default()
    }
    fn group_agreements(&self, group: GroupId) -> Vec<&AgreementVersion> {
        self.group_agreements
            .get(&group)
            .cloned()
            .unwrap_or_default()
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
            && s.administrations.is_empty()
    }

    /// Validates and writes a whole practice into this empty vault.
    pub fn import(&mut self, file: PracticeJson) -> PracticeResult<ImportReport> {
        file.validate(self.today())?;
        self.import_checked(file, "")
    }

    /// Writes a whole practice into this empty vault *as it is*, problems and all (for a
    /// lenient restore, so no practice is ever unrecoverable): `findings` are what
    /// [`PracticeJson::findings`] reported, and the import's audit event records how many
    /// were kept. Changes that touch an inconsistent record are refused until it is fixed,
    /// and backups fail until then, saying so. Duplicate ids and unknown formats are still
    /// refused: they would lose records.
    pub fn import_as_found(
        &mut self,
        file: PracticeJson,
        findings: &[Invalid],
    ) -> PracticeResult<ImportReport> {
        if file.format != FORMAT_NAME || file.version != FORMAT_VERSION {
            file.validate(self.today())?;
        }
        file.check_unique_ids()?;
        let kept = match findings.first() {
            None => String::new(),
            Some(first) => format!(
                "; restored as found, with {} problem(s) kept (the first: {}: {})",
                findings.len(),
                first.field,
                first.reason
            ),
        };
        self.import_checked(file, &kept)
    }

    /// Writes an already checked file (see [`Practice::import`]); `note` ends the audit detail.
    fn import_checked(&mut self, file: PracticeJson, note: &str) -> PracticeResult<ImportReport> {
        if !self.is_empty_practice() {
            return Err(PracticeError::NotEmpty);
        }
        let mut report = ImportReport {
            groups: file.groups.len(),
            members: file.members.len(),
            sessions: file.sessions.len(),
            notes: file.notes.len(),
            records: 0,
        };
        // A profile saved before the import is replaced by the file's, under the same record:
        // the profile is a single record, never two.
        let profile_id = self
            .state
            .profile
            .as_ref()
            .map_or_else(RecordId::random, |(id, _)| *id);
        let replaces_profile = file.profile.is_some() && self.state.profile.is_some();
        let mut records = file.into_records(profile_id);
        let detail = format!(
            "{} groups, {} members, {} sessions, {} notes{}{note}",
            report.groups,
            report.members,
            report.sessions,
            report.notes,
            if replaces_profile {
                "; the practice profile saved before was replaced by the imported one"
            } else {
                ""
            }
        );
        records.push(Stored::Audit(self.event(
            AuditAction::Import,
            None,
            &detail,
        )));
        report.records = records.len();
        self.write_all(&records)?;
        // What the import did not write stays: the trail, this vault's backup settings and
        // its drafts.
        let kept_audit = self.state.audit.iter().cloned().map(Stored::Audit);
        let kept_settings = self
            .state
            .backup_settings
            .clone()
            .map(|(id, s)| Stored::BackupSettings(id, s));
        let kept_drafts = self
            .state
            .drafts
            .clone()
            .map(|(id, d)| Stored::Drafts(id, d));
        let kept_profile = self
            .state
            .profile
            .clone()
            .filter(|_| !replaces_profile)
            .map(|(id, p)| Stored::Profile(id, p));
        self.state = Arc::new(State::from_records(
            kept_audit
                .chain(kept_settings)
                .chain(kept_drafts)
                .chain(kept_profile)
                .chain(records)
                .collect::<Vec<_>>(),
        ));
        self.index = IndexSlot::build_in_background(Arc::clone(&self.state));
        Ok(report)
    }

    /// Writes the records all or nothing ([`Vault::commit_all_or_nothing`]): whatever fails
    /// part way — a full disk, a write error, a kill — the vault is as it was.
    ///
    /// [`Vault::commit_all_or_nothing`]: crate::Vault::commit_all_or_nothing
    fn write_all(&mut self, records: &[Stored]) -> PracticeResult<()> {
        let mut batch = crate::WriteBatch::new();
        for record in records {
            record.put_into(&mut batch)?;
        }
        Ok(self.vault.commit_all_or_nothing(batch)?)
    }
}

/// Records in a practice file, by kind: what a backup holds, said without decrypting it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Groups.
    pub groups: usize,
    /// Members.
    pub members: usize,
    /// Memberships.
    pub memberships: usize,
    /// Agreement versions.
    pub agreements: usize,
    /// Signatures.
    pub signatures: usize,
    /// Sessions.
    pub sessions: usize,
    /// Notes.
    pub notes: usize,
    /// Incidents.
    pub incidents: usize,
    /// Outcome questionnaires answered (absent from the manifests of older backups).
    #[serde(default)]
    pub administrations: usize,
    /// Audit events.
    pub audit: usize,
}

impl Counts {
    /// The counts of a practice file.
    pub fn of(practice: &PracticeJson) -> Self {
        Self {
            groups: practice.groups.len(),
            members: practice.members.len(),
            memberships: practice.memberships.len(),
            agreements: practice.agreements.len(),
            signatures: practice.signatures.len(),
            sessions: practice.sessions.len(),
            notes: practice.notes.len(),
            incidents: practice.incidents.len(),
            administrations: practice.administrations.len(),
            audit: practice.audit.len(),
        }
    }
}
