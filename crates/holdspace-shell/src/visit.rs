//! A client's visit in client mode: which member, group and agreement version it is about,
//! what the client has done so far, how it begins, what a lock keeps of it, and how the
//! practitioner ends it.
//!
//! Policy: [`ClientVisit`] is the whole of what client mode may touch. Beginning one is
//! audited, and so is every try to end it. Ending it needs the full passphrase check
//! (Argon2id), never a cached comparison, and wrong passphrases earn growing waits
//! (`crate::throttle`), every one of them audited. Unsigned progress survives a lock as a
//! draft, never in the page.

use std::time::Instant;

use holdspace::practice::{AgreementId, AuditAction, GroupId, MemberId, Practice, Settled};
use holdspace::{Passphrase, VaultError};
use serde::Serialize;
use time::OffsetDateTime;

use crate::error::{not_found, AppError};
use crate::throttle::{WrongTries, WrongTriesSummary};

/// The one member, group and agreement version a client-mode session is about, and what the
/// client has done so far (kept in Rust, so reloading the page loses nothing).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientVisit {
    /// Who reads and signs.
    pub member: MemberId,
    /// Their group.
    pub group: GroupId,
    /// The version shown (the group's current one when the visit began).
    pub agreement: AgreementId,
    /// "I understand", per clause.
    pub acknowledged: Vec<bool>,
    /// "I'd like to talk about this", per clause.
    pub discuss: Vec<bool>,
    /// When they signed, once they have.
    pub signed_at: Option<OffsetDateTime>,
}

/// Begins a visit for `member` in `group` (who must be on the roster, not completed or
/// withdrawn, and the group must have an agreement); records it in the audit trail.
pub fn start(
    practice: &mut Practice,
    member: MemberId,
    group: GroupId,
) -> Result<ClientVisit, AppError> {
    let state = practice.state();
    let person = state
        .members
        .get(&member)
        .ok_or_else(|| not_found("member", member))?;
    if person.archived {
        return Err(not_found("member", member));
    }
    let agreement = practice
        .current_agreement(group)
        .ok_or_else(|| not_found("agreement", group))?;
    // The same rule as a paper signature: on the roster now, and not signed this version yet.
    practice.may_sign(member, agreement)?;
    let clauses = agreement.text.clauses.len();
    let visit = ClientVisit {
        member,
        group,
        agreement: agreement.id,
        acknowledged: vec![false; clauses],
        discuss: vec![false; clauses],
        signed_at: None,
    };
    let mut visit = visit;
    resume_progress(practice, &mut visit)?;
    practice.record(AuditAction::ClientModeEntered, "")?;
    Ok(visit)
}

/// Where a visit's unsigned progress is kept as a draft: one per member and agreement version.
fn progress_place(visit: &ClientVisit) -> String {
    format!("/client/{}/{}", visit.member, visit.agreement)
}

/// Before a lock ends a visit: what the client acknowledged or marked to talk about, if they
/// have not signed, is held as unsaved, so the lock keeps it as a draft and the next visit of
/// the same member for the same version starts where this one stopped.
pub fn hold_progress(practice: &mut Practice, visit: &ClientVisit) {
    let flags = |name: &str, values: &[bool]| {
        values
            .iter()
            .enumerate()
            .filter(|(_, on)| **on)
            .map(|(i, _)| (format!("{name}:{i}"), "on".to_owned()))
            .collect::<Vec<_>>()
    };
    let mut fields: std::collections::BTreeMap<String, String> =
        flags("acknowledged", &visit.acknowledged)
            .into_iter()
            .collect();
    fields.extend(flags("discuss", &visit.discuss));
    if visit.signed_at.is_some() || fields.is_empty() {
        return;
    }
    let title = format!(
        "{}'s reading in client mode",
        practice.display_name(visit.member)
    );
    // Bounded and well-formed by construction; a refusal would only lose the ticks.
    let _ = practice.hold_unsaved(&progress_place(visit), &title, fields);
}

/// Takes up a visit's kept progress (see [`hold_progress`]), settling its draft.
fn resume_progress(practice: &mut Practice, visit: &mut ClientVisit) -> Result<(), AppError> {
    let place = progress_place(visit);
    let Some(kept) = practice.draft(&place).cloned() else {
        return Ok(());
    };
    for (key, value) in &kept.fields {
        let Some((name, index)) = key.split_once(':') else {
            continue;
        };
        let Ok(index) = index.parse::<usize>() else {
            continue;
        };
        let flags = match name {
            "acknowledged" => &mut visit.acknowledged,
            "discuss" => &mut visit.discuss,
            _ => continue,
        };
        if let Some(flag) = flags.get_mut(index) {
            *flag = value == "on";
        }
    }
    practice.settle_draft(&place, Settled::Resumed)?;
    Ok(())
}

/// Ends client mode after checking the full passphrase; records it in the audit trail, with
/// the visit's wrong tries if there were any. During a wait earned by wrong passphrases the
/// try is refused before any key derivation (and counted). A wrong passphrase is recorded as
/// its own event (the count, never the text) and may start a wait.
pub fn leave(
    practice: &mut Practice,
    passphrase: &Passphrase,
    attempts: &mut WrongTries,
    now: Instant,
) -> Result<(), AppError> {
    if let Some(wait) = attempts.waiting(now) {
        attempts.refused();
        return Err(AppError::ClientExitWaiting {
            seconds: wait.as_secs_f64().ceil() as u64,
        });
    }
    match practice.confirm_passphrase(passphrase) {
        Ok(()) => {
            let detail = attempts
                .summary()
                .map(|s| format!("after {}", s.counts("passphrase(s)")))
                .unwrap_or_default();
            practice.record(AuditAction::ClientModeLeft, &detail)?;
            Ok(())
        }
        Err(VaultError::WrongPassphrase) => {
            let count = attempts.wrong(now, practice.now());
            let detail = format!("wrong passphrase {count} of this visit");
            practice.record(AuditAction::ClientModeExitFailed, &detail)?;
            Err(VaultError::WrongPassphrase.into())
        }
        Err(other) => Err(other.into()),
    }
}

/// What the practitioner is told when a visit ends: who it was, whether they signed, and the
/// rules they asked to talk about, by heading. Kept in the Rust process until dismissed or
/// locked, never in the page's storage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VisitEnded {
    /// The member, for a link to their page.
    pub member: MemberId,
    /// The name they are shown by.
    pub display_name: String,
    /// The group, for a link to its roster.
    pub group: GroupId,
    /// The group's name.
    pub group_name: String,
    /// The version they signed in this visit, if they did.
    pub signed_version: Option<u32>,
    /// The headings of the rules they marked to talk about (signed or not).
    pub discuss_headings: Vec<String>,
    /// Wrong passphrases typed to end the visit, if any.
    pub wrong_tries: Option<WrongTriesSummary>,
}

/// What `visit` came to, with the `wrong_tries` to end it, for the practitioner's notice.
pub fn ended(
    practice: &Practice,
    visit: &ClientVisit,
    wrong_tries: Option<WrongTriesSummary>,
) -> VisitEnded {
    let state = practice.state();
    let version = state.agreements.get(&visit.agreement);
    let discuss_headings = version
        .map(|v| {
            v.text
                .clauses
                .iter()
                .zip(&visit.discuss)
                .filter(|(_, marked)| **marked)
                .map(|(clause, _)| clause.heading.clone())
                .collect()
        })
        .unwrap_or_default();
    VisitEnded {
        member: visit.member,
        display_name: practice.display_name(visit.member),
        group: visit.group,
        group_name: state
            .groups
            .get(&visit.group)
            .map(|g| g.name.clone())
            .unwrap_or_default(),
        signed_version: visit.signed_at.and_then(|_| version.map(|v| v.number)),
        discuss_headings,
        wrong_tries,
    }
}
