//! The practice: groups, members, memberships, agreements, signatures, sessions, notes,
//! incidents, answered questionnaires and the audit trail (listed field by field in
//! `docs/practice-json.md`), kept in the vault and decoded in memory.
//!
//! Layers: [`model`] (what each record holds), [`validate`] and [`rules`] (what makes a record
//! valid), [`agreement`] (content hash, signature states), [`measures`] (questionnaires as
//! data, and their scoring), [`state`] (the decoded records) and [`Practice`] with its
//! operations in [`roster`], [`signing`], [`discussion`], [`sessions`], [`outcomes`] and
//! [`measure_due`] — every change one atomic vault batch with its audit events. [`search`] indexes all of it in
//! memory; [`member_record`](mod@member_record) produces a member's record for the right of
//! access; [`transfer`] reads and writes the open JSON format. `demo` makes synthetic
//! practices for the CLI, the tests and the benchmarks: it exists only with the `demo` feature
//! (and in the core's own tests), so the desktop app is built without it.

pub mod agreement;
pub mod consistency;
pub mod credentials;
#[cfg(any(test, feature = "demo"))]
pub mod demo;
pub mod discussion;
pub mod drafts;
pub mod history;
pub mod ids;
pub mod index_slot;
pub mod kind;
pub mod measure_due;
pub mod measures;
pub mod member_record;
pub mod model;
pub mod moment;
pub mod outcomes;
pub mod queries;
pub mod roster;
pub mod rules;
pub mod search;
pub mod sessions;
pub mod signing;
pub mod state;
pub mod template;
pub mod transfer;
pub mod unlocked;
pub mod validate;

pub use credentials::recover;
pub use discussion::ToDiscuss;
pub use drafts::{Draft, Drafts, Settled};
pub use history::HistoryVerdict;
pub use ids::*;
pub use kind::{RecordKind, Removal};
pub use measure_due::{DueReason, MeasureDue, UnansweredBeforeLeaving};
pub use member_record::{member_record, render_html, MemberRecord};
pub use model::*;
pub use outcomes::{GroupMeasure, Occasion, SafetyAlert, Scored};
pub use queries::{AuditFilter, MemberOverview, RosterEntry, SignatureDue};
pub use roster::{DeleteOutcome, PurgeReport};
pub use search::{Found, Hit, MemberHit, NoteHit, SearchIndex, SearchResults};
pub use signing::{AgreementSaved, SignRequest};
pub use transfer::{Counts, ImportReport, PracticeJson};
pub use unlocked::{Practice, PracticeError, PracticeResult, VaultFacts};
pub use validate::Invalid;
