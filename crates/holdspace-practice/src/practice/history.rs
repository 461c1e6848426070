//! The verdict on a practice's history, in the practitioner's words: what the vault's check of
//! its store against its sealed history ([`crate::ledger`]) found, with audit events named by
//! their place in the trail ("event 12 of 40").
//!
//! Policy: a problem is reported, never repaired behind the practitioner's back. The practice
//! records each unlock that finds one as an audit event ([`AuditAction::HistoryProblem`]), the
//! app and the CLI show the same sentences, and only the practitioner's acknowledgement
//! ([`Practice::accept_history`]) makes the vault take its store as it now is — itself an audit
//! event. Sentences carry record ids and kinds, never record content.

use std::collections::HashMap;

use serde::Serialize;

use super::kind::RecordKind;
use super::model::AuditAction;
use super::unlocked::{Practice, PracticeResult};
use crate::ledger::{Finding, Integrity};
use crate::record::RecordId;
use crate::vault::Vault;

/// The record kind of audit events in the store.
pub const AUDIT_KIND: &str = RecordKind::Audit.name();

/// The audit detail recorded when opening upgraded a format-1 vault.
pub const UPGRADED_DETAIL: &str =
    "the vault was upgraded to format 2: a sealed history of every change now shows any record deleted or put back to an older copy";

/// What the check of the history found, ready to show.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct HistoryVerdict {
    /// True when the store holds exactly what its history says.
    pub verified: bool,
    /// Audit events in the trail.
    pub audit_events: usize,
    /// One sentence per problem, most serious first (empty when verified).
    pub problems: Vec<String>,
}

impl HistoryVerdict {
    /// The verdict for `integrity`, naming audit events by their place in the trail.
    pub fn new(vault: &Vault, integrity: &Integrity, audit_events: usize) -> Self {
        let trail = if integrity.is_verified() {
            Vec::new()
        } else {
            vault.history_order(AUDIT_KIND)
        };
        let places: HashMap<RecordId, usize> = trail
            .iter()
            .enumerate()
            .map(|(at, id)| (*id, at + 1))
            .collect();
        let audit_place = |id: RecordId| {
            places
                .get(&id)
                .map(|at| format!("audit event {at} of {}", trail.len()))
        };
        Self {
            verified: integrity.is_verified(),
            audit_events,
            problems: integrity
                .findings
                .iter()
                .map(|finding| describe(&audit_place, finding))
                .collect(),
        }
    }

    /// One line: "history verified: N audit events, unbroken", or how many problems.
    pub fn summary(&self) -> String {
        if self.verified {
            format!(
                "history verified: {} audit event{}, unbroken",
                self.audit_events,
                if self.audit_events == 1 { "" } else { "s" }
            )
        } else {
            format!(
                "history NOT verified: {} problem{} found",
                self.problems.len(),
                if self.problems.len() == 1 { "" } else { "s" }
            )
        }
    }
}

/// The sentence for one finding; `audit_place` names an audit event's place in the trail.
fn describe(audit_place: &impl Fn(RecordId) -> Option<String>, finding: &Finding) -> String {
    match finding {
        Finding::Missing { id, kind, .. } => match (kind.as_str(), audit_place(*id)) {
            (AUDIT_KIND, Some(place)) => {
                format!("the audit trail is broken at {place}: that event was removed (record {id})")
            }
            _ => format!("a {kind} record was removed (record {id})"),
        },
        Finding::RolledBack {
            id,
            kind,
            expected,
            found,
        } => match (kind.as_str(), audit_place(*id)) {
            (AUDIT_KIND, Some(place)) => format!(
                "the audit trail is broken at {place}: that event was replaced by an older copy (record {id})"
            ),
            _ => format!(
                "a {kind} record was put back to an older copy of itself (record {id}: it holds change {found}, the history says change {expected})"
            ),
        },
        Finding::Unexpected { id, .. } => format!(
            "a record the history does not know is in the vault: a deleted record put back, or one not written here (record {id})"
        ),
        Finding::AheadOfHistory { id, .. } => format!(
            "record {id} is newer than the history: entries of the history were removed"
        ),
        Finding::HistoryGap { from, to } if from == to => format!(
            "change {from} is missing from the history: the record store was put back to an older copy, or the history was cut"
        ),
        Finding::HistoryGap { from, to } => format!(
            "changes {from} to {to} are missing from the history: the record store was put back to an older copy, or the history was cut"
        ),
        Finding::HistoryDamaged { revision } => {
            format!("the history's entry for change {revision} is damaged")
        }
        Finding::CheckpointUnreadable => {
            "the vault's history is missing or damaged, so changes before the last lock cannot be checked".into()
        }
        Finding::StoreOlderThanHeader { store, header } => format!(
            "the record store is older than the vault: it ends at change {store}, but the vault was locked after change {header}. An older copy of the store was put back"
        ),
        Finding::ForeignEntry => "the record store holds entries Holdspace did not write".into(),
    }
}

impl Practice {
    /// What the check made when this practice was opened found about its history (events
    /// numbered as the trail stood then, before the unlock's own events).
    pub fn history(&self) -> HistoryVerdict {
        self.verdict.clone()
    }

    /// Works out the verdict for the current integrity and trail.
    pub(super) fn judge_history(&mut self) {
        self.verdict = HistoryVerdict::new(&self.vault, &self.integrity, self.state.audit.len());
    }

    /// The practitioner has read the problems the history check found and accepts the vault
    /// as it is now: recorded in the audit trail with how many there were, then the vault's
    /// history is rebuilt from what the store holds, so the next check starts from here.
    /// Does nothing when nothing was found.
    pub fn accept_history(&mut self) -> PracticeResult<HistoryVerdict> {
        if self.integrity.is_verified() {
            return Ok(self.history());
        }
        let detail = format!(
            "the practitioner acknowledged {} problem(s) the history check found and accepted the vault as it is",
            self.integrity.findings.len()
        );
        self.record(AuditAction::HistoryAccepted, &detail)?;
        self.integrity = self.vault.accept_history()?;
        self.judge_history();
        Ok(self.history())
    }

    /// Records the unlock's findings in the audit trail: how many, and each sentence (ids
    /// and kinds only).
    pub(super) fn record_history_problems(&mut self) -> PracticeResult<()> {
        if self.integrity.is_verified() {
            return Ok(());
        }
        let verdict = self.history();
        let mut detail = verdict.summary();
        for problem in verdict.problems.iter().take(20) {
            detail.push_str("; ");
            detail.push_str(problem);
        }
        if verdict.problems.len() > 20 {
            detail.push_str(&format!("; and {} more", verdict.problems.len() - 20));
        }
        self.record(AuditAction::HistoryProblem, &detail)
    }
}
