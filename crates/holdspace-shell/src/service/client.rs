//! Client mode's screens: what a client sees of their group's current agreement, and what
//! they do there — acknowledge each clause, mark what they want to talk about, and sign.
//! [`client_view`] is the whole of what client mode may show; the visit itself, how it begins
//! and ends, is `crate::visit`'s.
//!
//! Policy: the view holds the practice heading, the group's name, the agreement, and the
//! signer's own names — never another member, a note or a record id beyond the visit's own.

use holdspace::practice::{Clause, Practice, SignRequest, SignatureMethod};
use serde::Serialize;
use time::OffsetDateTime;

use crate::error::{not_found, AppError};
use crate::ipc::SecretArg;
use crate::session::AppSession;
pub use crate::visit::{leave, start, ClientVisit};

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

/// [`sign`], answering with the moment of signing as RFC 3339 text, as the page shows it.
pub fn sign_for_page(
    practice: &mut Practice,
    visit: &mut ClientVisit,
    typed_name: &str,
) -> Result<String, AppError> {
    let at = sign(practice, visit, typed_name)?;
    Ok(at
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default())
}

/// Ends client mode with the practitioner's passphrase: the full check of [`leave`], with its
/// waits after wrong tries.
pub fn leave_client_mode(session: &AppSession, passphrase: &SecretArg) -> Result<(), AppError> {
    session.leave_client_mode(&passphrase.passphrase()?)
}
