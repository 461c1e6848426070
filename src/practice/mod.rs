//! The practice: groups, members, memberships, agreements, signatures, sessions, notes,
//! incidents and the audit trail (DESIGN §3), kept in the vault and decoded in memory.
//!
//! Layers: [`model`] (what each record holds), [`validate`] and [`rules`] (what makes a record
//! valid), [`agreement`] (content hash, signature states), [`state`] (the decoded records) and
//! [`Practice`] with its operations in [`roster`], [`signing`] and [`sessions`] — every change
//! one atomic vault batch with exactly one audit event — and [`search`] over all of it.

pub mod agreement;
pub mod ids;
pub mod model;
pub mod unlocked;
pub mod roster;
pub mod rules;
pub mod search;
pub mod sessions;
pub mod signing;
pub mod state;
pub mod template;
pub mod validate;

pub use ids::*;
pub use model::*;
pub use unlocked::{Practice, PracticeError, PracticeResult};
pub use roster::{DeleteOutcome, PurgeReport};
pub use search::{Found, Hit, MemberHit, NoteHit, SearchIndex, SearchResults};
pub use signing::{AgreementSaved, SignRequest};
pub use validate::Invalid;
