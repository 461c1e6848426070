//! Client mode's screens: what a client sees of their group's current agreement and of the
//! questionnaires chosen for the visit, and what they do there — acknowledge each clause, mark
//! what they want to talk about, sign, and answer each questionnaire one question at a time.
//! [`client_view`] is the whole of what client mode may show; the visit itself, how it begins
//! and ends, is `crate::visit`'s.
//!
//! Policy: the view holds the practice heading, the group's name, the agreement, the
//! questionnaires' own wording, and the signer's own names and answers — never another
//! member, a note, a score, a band, a safety flag, or a record id beyond the visit's own.

use holdspace::practice::measures::{self, AnswerOption, FollowUp};
use holdspace::practice::{
    Administration, AdministrationId, AnsweredBy, Clause, Invalid, Practice, SignRequest,
    SignatureMethod,
};
use serde::Serialize;
use time::OffsetDateTime;

use crate::error::{not_found, AppError};
use crate::ipc::SecretArg;
use crate::session::AppSession;
pub use crate::visit::{leave, start, ClientVisit, VisitPlan};

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
    /// True when the visit includes reading and signing the agreement; without it the
    /// agreement's fields below are empty.
    pub has_agreement: bool,
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
    /// The questionnaires to answer, in order.
    pub questionnaires: Vec<ClientQuestionnaire>,
}

/// A questionnaire as the client sees it: its wording and their own answers, nothing more.
#[derive(Clone, Debug, Serialize)]
pub struct ClientQuestionnaire {
    /// Its short name.
    pub name: String,
    /// Its full title.
    pub title: String,
    /// The question every item answers.
    pub stem: String,
    /// The questions, in order.
    pub items: Vec<String>,
    /// The answer options, the same for every question.
    pub options: Vec<AnswerOption>,
    /// The last question, asked once a problem was reported.
    pub follow_up: Option<FollowUp>,
    /// Whether the last question is asked, given the answers so far.
    pub follow_up_asked: bool,
    /// Their answers so far, one per question.
    pub answers: Vec<Option<u8>>,
    /// Their answer to the last question, as an index into its options.
    pub follow_up_answer: Option<u8>,
    /// Who made it, and on what terms it may be reproduced.
    pub source: String,
    /// True once they finished it (it is saved and can no longer change).
    pub done: bool,
}

/// What the client sees for `visit`.
pub fn client_view(practice: &Practice, visit: &ClientVisit) -> Result<ClientView, AppError> {
    let state = practice.state();
    let member = state
        .members
        .get(&visit.member)
        .ok_or_else(|| not_found("member", visit.member))?;
    let agreement = match visit.agreement {
        Some(id) => Some(
            state
                .agreements
                .get(&id)
                .ok_or_else(|| not_found("agreement", id))?,
        ),
        None => None,
    };
    let profile = practice.profile();
    Ok(ClientView {
        practice_name: profile.practice_name,
        practitioner_name: profile.practitioner_name,
        credentials: profile.credentials,
        contact_line: profile.contact_line,
        group_name: super::group_name(practice, visit.group),
        signer_legal_name: member.legal_name.clone(),
        signer_display_name: member.display_name().to_owned(),
        has_agreement: agreement.is_some(),
        version: agreement.map_or(0, |a| a.number),
        title: agreement.map_or_else(String::new, |a| a.text.title.clone()),
        introduction: agreement.map_or_else(String::new, |a| a.text.introduction.clone()),
        clauses: agreement.map_or_else(Vec::new, |a| a.text.clauses.clone()),
        acknowledged: visit.acknowledged.clone(),
        discuss: visit.discuss.clone(),
        signed_at: visit.signed_at,
        now: practice.now(),
        questionnaires: visit
            .questionnaires
            .iter()
            .filter_map(client_questionnaire)
            .collect(),
    })
}

fn client_questionnaire(q: &crate::visit::VisitQuestionnaire) -> Option<ClientQuestionnaire> {
    let definition = measures::find(&q.measure)?;
    Some(ClientQuestionnaire {
        name: definition.name.clone(),
        title: definition.title.clone(),
        stem: definition.stem.clone(),
        items: definition.items.iter().map(|i| i.text.clone()).collect(),
        options: definition.options.clone(),
        follow_up: definition.follow_up.clone(),
        follow_up_asked: measures::follow_up_asked(definition, &q.answers.items),
        answers: q.answers.items.clone(),
        follow_up_answer: q.answers.follow_up,
        source: definition.source.clone(),
        done: q.recorded.is_some(),
    })
}

/// Sets the answer to question `question` of the visit's questionnaire `questionnaire`
/// (`None` clears it); the question after the last item is the follow-up question. Refused
/// once that questionnaire is finished, and for an answer that is none of the options.
pub fn answer(
    visit: &mut ClientVisit,
    questionnaire: usize,
    question: usize,
    answer: Option<u8>,
) -> Result<(), AppError> {
    let q = visit
        .questionnaires
        .get_mut(questionnaire)
        .ok_or_else(|| Invalid::new("questionnaire", "there is no such questionnaire"))?;
    if q.recorded.is_some() {
        return Err(Invalid::new("questionnaire", "is already finished and saved").into());
    }
    let definition = measures::find(&q.measure)
        .ok_or_else(|| Invalid::new("questionnaire", "there is no such questionnaire"))?;
    let items = definition.items.len();
    let fits = match (question, answer) {
        (_, None) => true,
        (n, Some(points)) if n < items => definition.is_option(points),
        (n, Some(index)) => n == items && definition.is_follow_up_option(index),
    };
    if !fits || question > items {
        return Err(Invalid::new("answer", "is not one of this question's answers").into());
    }
    match q.answers.items.get_mut(question) {
        Some(slot) => *slot = answer,
        None => q.answers.follow_up = answer,
    }
    Ok(())
}

/// Saves the visit's questionnaire `questionnaire` as the client answered it, dated today, for
/// the visit's group (questions left unanswered stay so, and are scored as the measure says).
/// The client is shown no score; a safety flag is the practitioner's, recorded with the save.
pub fn finish(
    practice: &mut Practice,
    visit: &mut ClientVisit,
    questionnaire: usize,
) -> Result<(), AppError> {
    let q = visit
        .questionnaires
        .get_mut(questionnaire)
        .ok_or_else(|| Invalid::new("questionnaire", "there is no such questionnaire"))?;
    if q.recorded.is_some() {
        return Ok(());
    }
    let definition = measures::find(&q.measure)
        .ok_or_else(|| Invalid::new("questionnaire", "there is no such questionnaire"))?;
    let mut answers = q.answers.clone();
    if !measures::follow_up_asked(definition, &answers.items) {
        answers.follow_up = None;
    }
    let answered = Administration {
        id: AdministrationId::random(),
        member: visit.member,
        group: Some(visit.group),
        measure: definition.id.clone(),
        version: definition.version,
        answers,
        taken_on: practice.today(),
        answered_by: AnsweredBy::Client,
        safety_reviewed_at: None,
    };
    let scored = practice.record_administration(answered)?;
    q.recorded = Some(scored.administration.id);
    Ok(())
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
    let Some(agreement) = visit.agreement else {
        return Err(Invalid::new("agreement", "this visit has no agreement to sign").into());
    };
    if !visit.acknowledged.iter().all(|a| *a) {
        return Err(holdspace::practice::Invalid::new(
            "acknowledged",
            "every clause needs \"I understand\" before signing",
        )
        .into());
    }
    let request = SignRequest {
        member: visit.member,
        agreement,
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
