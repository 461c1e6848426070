//! Typed ids for practice records, so a member id can never be passed where a group id is
//! meant. Each wraps the vault's opaque [`RecordId`] and serialises as its UUID string.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::record::RecordId;

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub RecordId);

        impl $name {
            /// A fresh random id.
            pub fn random() -> Self {
                Self(RecordId::random())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map(Self)
            }
        }
    };
}

typed_id!(
    /// A group.
    GroupId
);
typed_id!(
    /// A member (client).
    MemberId
);
typed_id!(
    /// A member's place in a group.
    MembershipId
);
typed_id!(
    /// One numbered version of a group's agreement.
    AgreementId
);
typed_id!(
    /// A signature on an agreement version.
    SignatureId
);
typed_id!(
    /// A group session.
    SessionId
);
typed_id!(
    /// A per-member note written for a session.
    NoteId
);
typed_id!(
    /// A ground-rule concern or privacy breach.
    IncidentId
);
typed_id!(
    /// A questionnaire a member answered once.
    AdministrationId
);
typed_id!(
    /// An entry in the audit trail.
    AuditId
);
