//! The unlocked practice in memory: every record decoded once at unlock and kept current on
//! every change, so screens and queries never touch the disk or decrypt twice.
//!
//! Policy: [`Stored`] pairs each [`RecordKind`] with what its records hold, and every match
//! over it is exhaustive; the vault never sees a record any other way. The state changes only through
//! [`State::apply`], after the vault has durably committed the same change.

use std::collections::BTreeMap;

use serde::Serialize;

use super::ids::*;
use super::kind::{RecordKind, Removal};
use super::model::*;
use crate::record::{Record, RecordId};
use crate::VaultError;

/// Schema version written for every kind today.
pub const SCHEMA: u32 = 1;

/// A record of any kind, as stored.
#[derive(Clone, Debug, PartialEq)]
pub enum Stored {
    /// The practice profile (one record).
    Profile(RecordId, PracticeProfile),
    /// The backup settings (one record; vaults made before backups have none).
    BackupSettings(RecordId, BackupSettings),
    #[allow(missing_docs)]
    Group(Group),
    #[allow(missing_docs)]
    Member(Member),
    #[allow(missing_docs)]
    Membership(Membership),
    #[allow(missing_docs)]
    Agreement(AgreementVersion),
    #[allow(missing_docs)]
    Signature(Signature),
    #[allow(missing_docs)]
    Session(Session),
    #[allow(missing_docs)]
    Note(Note),
    #[allow(missing_docs)]
    Incident(Incident),
    #[allow(missing_docs)]
    Audit(AuditEvent),
    #[allow(missing_docs)]
    Administration(Administration),
    /// Unsaved changes kept at a lock (one record; not part of the practice JSON).
    Drafts(RecordId, super::drafts::Drafts),
}

impl Stored {
    /// What kind of record this is.
    pub fn kind(&self) -> RecordKind {
        match self {
            Self::Profile(..) => RecordKind::Profile,
            Self::BackupSettings(..) => RecordKind::BackupSettings,
            Self::Group(_) => RecordKind::Group,
            Self::Member(_) => RecordKind::Member,
            Self::Membership(_) => RecordKind::Membership,
            Self::Agreement(_) => RecordKind::Agreement,
            Self::Signature(_) => RecordKind::Signature,
            Self::Session(_) => RecordKind::Session,
            Self::Note(_) => RecordKind::Note,
            Self::Incident(_) => RecordKind::Incident,
            Self::Audit(_) => RecordKind::Audit,
            Self::Administration(_) => RecordKind::Administration,
            Self::Drafts(..) => RecordKind::Drafts,
        }
    }

    /// The vault record id.
    pub fn record_id(&self) -> RecordId {
        match self {
            Self::Profile(id, _) | Self::BackupSettings(id, _) | Self::Drafts(id, _) => *id,
            Self::Group(r) => r.id.0,
            Self::Member(r) => r.id.0,
            Self::Membership(r) => r.id.0,
            Self::Agreement(r) => r.id.0,
            Self::Signature(r) => r.id.0,
            Self::Session(r) => r.id.0,
            Self::Note(r) => r.id.0,
            Self::Incident(r) => r.id.0,
            Self::Audit(r) => r.id.0,
            Self::Administration(r) => r.id.0,
        }
    }

    /// Adds this record to a vault batch.
    pub fn put_into(&self, batch: &mut crate::WriteBatch<'_>) -> crate::Result<()> {
        let id = self.record_id();
        let kind = self.kind().name();
        match self {
            Self::Profile(_, r) => batch.put(id, kind, SCHEMA, r),
            Self::BackupSettings(_, r) => batch.put(id, kind, SCHEMA, r),
            Self::Group(r) => batch.put(id, kind, SCHEMA, r),
            Self::Member(r) => batch.put(id, kind, SCHEMA, r),
            Self::Membership(r) => batch.put(id, kind, SCHEMA, r),
            Self::Agreement(r) => batch.put(id, kind, SCHEMA, r),
            Self::Signature(r) => batch.put(id, kind, SCHEMA, r),
            Self::Session(r) => batch.put(id, kind, SCHEMA, r),
            Self::Note(r) => batch.put(id, kind, SCHEMA, r),
            Self::Incident(r) => batch.put(id, kind, SCHEMA, r),
            Self::Audit(r) => batch.put(id, kind, SCHEMA, r),
            Self::Administration(r) => batch.put(id, kind, SCHEMA, r),
            Self::Drafts(_, r) => batch.put(id, kind, SCHEMA, r),
        }
    }

    /// Decodes a vault record. An unknown kind is reported as damage of that record: this
    /// build cannot safely ignore what it does not understand.
    pub fn decode(record: &Record) -> Result<Self, VaultError> {
        let Some(kind) = RecordKind::from_name(&record.kind) else {
            return Err(VaultError::Decode {
                id: record.id,
                detail: format!("unknown record kind {:?}", record.kind),
            });
        };
        Ok(match kind {
            RecordKind::Profile => Self::Profile(record.id, record.decode()?),
            RecordKind::BackupSettings => Self::BackupSettings(record.id, record.decode()?),
            RecordKind::Group => Self::Group(record.decode()?),
            RecordKind::Member => Self::Member(record.decode()?),
            RecordKind::Membership => Self::Membership(record.decode()?),
            RecordKind::Agreement => Self::Agreement(record.decode()?),
            RecordKind::Signature => Self::Signature(record.decode()?),
            RecordKind::Session => Self::Session(record.decode()?),
            RecordKind::Note => Self::Note(record.decode()?),
            RecordKind::Incident => Self::Incident(record.decode()?),
            RecordKind::Audit => Self::Audit(record.decode()?),
            RecordKind::Administration => Self::Administration(record.decode()?),
            RecordKind::Drafts => Self::Drafts(record.id, record.decode()?),
        })
    }
}

/// Every record of the practice, decoded.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct State {
    /// The profile and the id of its record.
    #[serde(skip)]
    pub profile: Option<(RecordId, PracticeProfile)>,
    /// The backup settings and the id of their record (not part of the practice JSON: they
    /// belong to this vault and its recovery code).
    #[serde(skip)]
    pub backup_settings: Option<(RecordId, BackupSettings)>,
    /// The drafts kept at locks and the id of their record (not part of the practice JSON:
    /// unsaved changes are not records; see [`super::drafts`]).
    #[serde(skip)]
    pub drafts: Option<(RecordId, super::drafts::Drafts)>,
    /// Groups by id.
    pub groups: BTreeMap<GroupId, Group>,
    /// Members by id.
    pub members: BTreeMap<MemberId, Member>,
    /// Memberships by id.
    pub memberships: BTreeMap<MembershipId, Membership>,
    /// Agreement versions by id.
    pub agreements: BTreeMap<AgreementId, AgreementVersion>,
    /// Signatures by id.
    pub signatures: BTreeMap<SignatureId, Signature>,
    /// Sessions by id.
    pub sessions: BTreeMap<SessionId, Session>,
    /// Notes by id.
    pub notes: BTreeMap<NoteId, Note>,
    /// Incidents by id.
    pub incidents: BTreeMap<IncidentId, Incident>,
    /// The audit trail, oldest first.
    pub audit: Vec<AuditEvent>,
    /// Outcome questionnaires answered, by id.
    pub administrations: BTreeMap<AdministrationId, Administration>,
}

impl State {
    /// Builds the state from every decoded record, in any order.
    pub fn from_records(records: impl IntoIterator<Item = Stored>) -> Self {
        let mut state = Self::default();
        for record in records {
            match record {
                Stored::Audit(event) => state.audit.push(event),
                other => state.apply(other),
            }
        }
        state.audit.sort_by_key(|e| e.at);
        state
    }

    /// Adds or replaces a record.
    pub fn apply(&mut self, record: Stored) {
        match record {
            Stored::Profile(id, r) => self.profile = Some((id, r)),
            Stored::BackupSettings(id, r) => self.backup_settings = Some((id, r)),
            Stored::Drafts(id, r) => self.drafts = Some((id, r)),
            Stored::Group(r) => drop(self.groups.insert(r.id, r)),
            Stored::Member(r) => drop(self.members.insert(r.id, r)),
            Stored::Membership(r) => drop(self.memberships.insert(r.id, r)),
            Stored::Agreement(r) => drop(self.agreements.insert(r.id, r)),
            Stored::Signature(r) => drop(self.signatures.insert(r.id, r)),
            Stored::Session(r) => drop(self.sessions.insert(r.id, r)),
            Stored::Note(r) => drop(self.notes.insert(r.id, r)),
            Stored::Incident(r) => drop(self.incidents.insert(r.id, r)),
            Stored::Administration(r) => drop(self.administrations.insert(r.id, r)),
            Stored::Audit(r) => {
                // New events are the newest; only an out-of-order clock needs the search.
                if self.audit.last().is_none_or(|last| last.at <= r.at) {
                    self.audit.push(r);
                } else {
                    let at = self.audit.partition_point(|e| e.at <= r.at);
                    self.audit.insert(at, r);
                }
            }
        }
    }

    /// The kind of the record that holds `id`, if any (audit events included).
    pub fn kind_of(&self, id: RecordId) -> Option<RecordKind> {
        let single = |held: Option<RecordId>| held == Some(id);
        let held = |kind: RecordKind| match kind {
            RecordKind::Profile => single(self.profile.as_ref().map(|(held, _)| *held)),
            RecordKind::BackupSettings => {
                single(self.backup_settings.as_ref().map(|(held, _)| *held))
            }
            RecordKind::Drafts => single(self.drafts.as_ref().map(|(held, _)| *held)),
            RecordKind::Group => self.groups.contains_key(&GroupId(id)),
            RecordKind::Member => self.members.contains_key(&MemberId(id)),
            RecordKind::Membership => self.memberships.contains_key(&MembershipId(id)),
            RecordKind::Agreement => self.agreements.contains_key(&AgreementId(id)),
            RecordKind::Signature => self.signatures.contains_key(&SignatureId(id)),
            RecordKind::Session => self.sessions.contains_key(&SessionId(id)),
            RecordKind::Note => self.notes.contains_key(&NoteId(id)),
            RecordKind::Incident => self.incidents.contains_key(&IncidentId(id)),
            RecordKind::Audit => self.audit.iter().any(|e| e.id.0 == id),
            RecordKind::Administration => self.administrations.contains_key(&AdministrationId(id)),
        };
        RecordKind::ALL.into_iter().find(|kind| held(*kind))
    }

    /// Removes a record (audit events, and the single records, are never removed).
    pub fn remove(&mut self, removal: Removal) {
        match removal {
            Removal::Group(id) => drop(self.groups.remove(&id)),
            Removal::Member(id) => drop(self.members.remove(&id)),
            Removal::Membership(id) => drop(self.memberships.remove(&id)),
            Removal::Agreement(id) => drop(self.agreements.remove(&id)),
            Removal::Signature(id) => drop(self.signatures.remove(&id)),
            Removal::Session(id) => drop(self.sessions.remove(&id)),
            Removal::Note(id) => drop(self.notes.remove(&id)),
            Removal::Incident(id) => drop(self.incidents.remove(&id)),
            Removal::Administration(id) => drop(self.administrations.remove(&id)),
        }
    }
}
