//! The kinds of record a practice stores, and the records a change removes, as types.
//!
//! Policy: [`RecordKind`] is the one list of kinds. Its names are the kind names sealed inside
//! every record's ciphertext since format 1 (`"member"`, `"backup_settings"`, …), so every
//! stored vault and the v1 fixture still open; a name this build does not know is damage, never
//! silently skipped. A change removes records as [`Removal`]s, which carry their kind in their
//! type, so a kind cannot be misspelt and a removal cannot name a kind that is never removed.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::ids::*;
use crate::record::RecordId;

/// What a record is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// The practice profile (one record).
    Profile,
    /// The backup settings (one record).
    BackupSettings,
    /// Unsaved changes kept at a lock (one record).
    Drafts,
    /// A group.
    Group,
    /// A member.
    Member,
    /// A member's place on a group's roster.
    Membership,
    /// A version of a group's agreement.
    Agreement,
    /// A member's signature of an agreement version.
    Signature,
    /// A group session.
    Session,
    /// A note of a session.
    Note,
    /// An incident.
    Incident,
    /// An audit event.
    Audit,
    /// An outcome questionnaire a member answered.
    Administration,
}

impl RecordKind {
    /// Every kind.
    pub const ALL: [Self; 13] = [
        Self::Profile,
        Self::BackupSettings,
        Self::Drafts,
        Self::Group,
        Self::Member,
        Self::Membership,
        Self::Agreement,
        Self::Signature,
        Self::Session,
        Self::Note,
        Self::Incident,
        Self::Audit,
        Self::Administration,
    ];

    /// The kind's name inside the ciphertext (the same as its serde name).
    pub const fn name(self) -> &'static str {
        match self {
            Self::Profile => "profile",
            Self::BackupSettings => "backup_settings",
            Self::Drafts => "drafts",
            Self::Group => "group",
            Self::Member => "member",
            Self::Membership => "membership",
            Self::Agreement => "agreement",
            Self::Signature => "signature",
            Self::Session => "session",
            Self::Note => "note",
            Self::Incident => "incident",
            Self::Audit => "audit",
            Self::Administration => "administration",
        }
    }

    /// The kind a stored name names, if this build knows it.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.name() == name)
    }
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A record a change removes. Profiles, backup settings, drafts and audit events are never
/// removed, so they have no removal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Removal {
    #[allow(missing_docs)]
    Group(GroupId),
    #[allow(missing_docs)]
    Member(MemberId),
    #[allow(missing_docs)]
    Membership(MembershipId),
    #[allow(missing_docs)]
    Agreement(AgreementId),
    #[allow(missing_docs)]
    Signature(SignatureId),
    #[allow(missing_docs)]
    Session(SessionId),
    #[allow(missing_docs)]
    Note(NoteId),
    #[allow(missing_docs)]
    Incident(IncidentId),
    #[allow(missing_docs)]
    Administration(AdministrationId),
}

impl Removal {
    /// The kind of the record removed.
    pub fn kind(self) -> RecordKind {
        match self {
            Self::Group(_) => RecordKind::Group,
            Self::Member(_) => RecordKind::Member,
            Self::Membership(_) => RecordKind::Membership,
            Self::Agreement(_) => RecordKind::Agreement,
            Self::Signature(_) => RecordKind::Signature,
            Self::Session(_) => RecordKind::Session,
            Self::Note(_) => RecordKind::Note,
            Self::Incident(_) => RecordKind::Incident,
            Self::Administration(_) => RecordKind::Administration,
        }
    }

    /// The vault record id of the record removed.
    pub fn record_id(self) -> RecordId {
        match self {
            Self::Group(id) => id.0,
            Self::Member(id) => id.0,
            Self::Membership(id) => id.0,
            Self::Agreement(id) => id.0,
            Self::Signature(id) => id.0,
            Self::Session(id) => id.0,
            Self::Note(id) => id.0,
            Self::Incident(id) => id.0,
            Self::Administration(id) => id.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_name_is_the_serde_name_and_reads_back() {
        for kind in RecordKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.name()));
            assert_eq!(serde_json::from_str::<RecordKind>(&json).unwrap(), kind);
            assert_eq!(RecordKind::from_name(kind.name()), Some(kind));
        }
    }

    #[test]
    fn the_names_are_those_every_stored_vault_holds() {
        let names: Vec<&str> = RecordKind::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(
            names,
            [
                "profile",
                "backup_settings",
                "drafts",
                "group",
                "member",
                "membership",
                "agreement",
                "signature",
                "session",
                "note",
                "incident",
                "audit",
                "administration"
            ]
        );
    }

    #[test]
    fn an_unknown_or_misspelt_name_is_no_kind() {
        for name in [
            "",
            "Member",
            "members",
            "backup-settings",
            "audit_event",
            "grоup",
        ] {
            assert_eq!(RecordKind::from_name(name), None, "{name:?}");
        }
    }
}
