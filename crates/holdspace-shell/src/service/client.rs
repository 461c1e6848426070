//! Client mode: a member reads their group's current agreement on the practitioner's computer,
//! acknowledges each clause, marks what they want to talk about, and signs — and sees nothing
//! else. [`ClientVisit`] is the whole of what client mode may touch; [`client_view`] is the
//! whole of what it may show.
//!
//! Policy: the view holds the practice heading, the group's name, the agreement, and the
//! signer's own names — never another member, a note or a record id beyond the visit's own.
//! Leaving needs the full passphrase check (Argon2id), never a cached comparison, and wrong
//! passphrases earn growing waits (`crate::throttle`), every one of them audited.

use holdspace::practice::{
    AgreementId, AuditAction, Clause, GroupId, MemberId, Practice, Settled, SignRequest,
    SignatureMethod,
};
use std::time::Instant;

use holdspace::{Passphrase, VaultError};
use serde::Serialize;
use time::OffsetDateTime;

use super::groups::not_found;
use crate::error::AppError;
use crate::throttle::WrongTries;

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

/// Everything client mode shows.
#[derive(Clone, Debug, Serialize)]
pub struct ClientView {
    /// The practice's name.
    pub practice_name: String,
    /// The practitioner's name.
    pub practitioner_name: String,
    /// Their credentials.
    pub credentials: String,
    /// The contact line printed on agreements.
    pub contact_line: String,
    /// The group's name.
    pub group_name: String,
    /// The signer's legal name (to point out a typed-name mismatch gently).
    pub signer_legal_name: String,
    /// The signer's preferred name (for the greeting), or the legal name.
    pub signer_display_name: String,
    /// The version's number.
    pub version: u32,
    /// The agreement's title.
    pub title: String,
    /// Its introduction.
    pub introduction: String,
    /// Its clauses, in order.
    pub clauses: Vec<Clause>,
    /// "I understand", per clause.
    pub acknowledged: Vec<bool>,
    /// "I'd like to talk about this", per clause.
    pub discuss: Vec<bool>,
    /// When the client signed, once they have.
    #[serde(with = "time::serde::rfc3339::option")]
    pub signed_at: Option<OffsetDateTime>,
    /// Now, as this computer tells it (shown beside the signature).
    #[serde(with = "time::serde::rfc3339")]
    pub now: OffsetDateTime,
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

/// What the client sees for `visit`.
pub fn client_view(practice: &Practice, visit: &ClientVisit) -> Result<ClientView, AppError> {
    let state = practice.state();
    let member = state
        .members
        .get(&visit.member)
        .ok_or_else(|| not_found("member", visit.member))?;
    let agreement = state
        .agreements
        .get(&visit.agreement)
        .ok_or_else(|| not_found("agreement", visit.agreement))?;
    let profile = practice.profile();
    Ok(ClientView {
        practice_name: profile.practice_name,
        practitioner_name: profile.practitioner_name,
        credentials: profile.credentials,
        contact_line: profile.contact_line,
        group_name: super::group_name(practice, visit.group),
        signer_legal_name: member.legal_name.clone(),
        signer_display_name: member.display_name().to_owned(),
        version: agreement.number,
        title: agreement.text.title.clone(),
        introduction: agreement.text.introduction.clone(),
        clauses: agreement.text.clauses.clone(),
        acknowledged: visit.acknowledged.clone(),
        discuss: visit.discuss.clone(),
        signed_at: visit.signed_at,
        now: practice.now(),
    })
}

/// Sets clause `clause`'s "I understand" (until the visit is signed).
pub fn acknowledge(
    visit: &mut ClientVisit,
    clause: usize,
    understood: bool,
) -> Result<(), AppError> {
    set_flag(visit, clause, understood, |v| &mut v.acknowledged)
}

/// Sets clause `clause`'s "I'd like to talk about this" (until the visit is signed).
pub fn mark(visit: &mut ClientVisit, clause: usize, discuss: bool) -> Result<(), AppError> {
    set_flag(visit, clause, discuss, |v| &mut v.discuss)
}

fn set_flag(
    visit: &mut ClientVisit,
    clause: usize,
    value: bool,
    flags: impl FnOnce(&mut ClientVisit) -> &mut Vec<bool>,
) -> Result<(), AppError> {
    if visit.signed_at.is_some() {
        return Err(AppError::AlreadySigned);
    }
    let slot = flags(visit)
        .get_mut(clause)
        .ok_or_else(|| holdspace::practice::Invalid::new("clause", "there is no such clause"))?;
    *slot = value;
    Ok(())
}

/// Signs the visit's agreement with the typed name; every clause must be acknowledged.
pub fn sign(
    practice: &mut Practice,
    visit: &mut ClientVisit,
    typed_name: &str,
) -> Result<OffsetDateTime, AppError> {
    if visit.signed_at.is_some() {
        return Err(AppError::AlreadySigned);
    }
    if !visit.acknowledged.iter().all(|a| *a) {
        return Err(holdspace::practice::Invalid::new(
            "acknowledged",
            "every clause needs \"I understand\" before signing",
        )
        .into());
    }
    let request = SignRequest {
        member: visit.member,
        agreement: visit.agreement,
        typed_name: typed_name.trim().to_owned(),
        method: SignatureMethod::ClientMode,
        acknowledged: visit.acknowledged.clone(),
        discuss: visit
            .discuss
            .iter()
            .enumerate()
            .filter(|(_, d)| **d)
            .map(|(i, _)| i)
            .collect(),
    };
    let signature = practice.sign(request)?;
    visit.signed_at = Some(signature.signed_at);
    Ok(signature.signed_at)
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
    match practice.vault().confirm_passphrase(passphrase) {
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
