//! A client's visit in client mode: which member and group it is about, what it holds (the
//! group's agreement to read and sign, questionnaires to answer, or both), what the client has
//! done so far, how it begins, what a lock keeps of it, and how the practitioner ends it.
//!
//! Policy: [`ClientVisit`] is the whole of what client mode may touch. Beginning one is
//! audited, and so is every try to end it. Ending it needs the full passphrase check
//! (Argon2id), never a cached comparison, and wrong passphrases earn growing waits
//! (`crate::throttle`), every one of them audited. Unsigned progress survives a lock as a
//! draft, never in the page.

use std::time::Instant;

use holdspace::practice::measures::{self, Answers};
use holdspace::practice::{
    AdministrationId, AgreementId, AuditAction, GroupId, Invalid, MemberId, Practice, Settled,
};
use holdspace::{Passphrase, VaultError};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::error::{not_found, AppError};
use crate::throttle::{WrongTries, WrongTriesSummary};

/// The one member, group, agreement version and questionnaires a client-mode session is
/// about, and what the client has done so far (kept in Rust, so reloading the page loses
/// nothing).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientVisit {
    /// Who reads and signs.
    pub member: MemberId,
    /// Their group.
    pub group: GroupId,
    /// The version to read and sign (the group's current one when the visit began), when the
    /// visit includes the agreement.
    pub agreement: Option<AgreementId>,
    /// "I understand", per clause.
    pub acknowledged: Vec<bool>,
    /// "I'd like to talk about this", per clause.
    pub discuss: Vec<bool>,
    /// When they signed, once they have.
    pub signed_at: Option<OffsetDateTime>,
    /// The questionnaires to answer, in order.
    pub questionnaires: Vec<VisitQuestionnaire>,
}

/// A questionnaire a client answers during a visit: their answers so far, and the record
/// once they finished it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisitQuestionnaire {
    /// The measure's id.
    pub measure: String,
    /// The answers so far (`None` for a question not answered, or skipped).
    pub answers: Answers,
    /// The saved answers, once the client finished.
    pub recorded: Option<AdministrationId>,
}

/// What the practitioner hands the computer over for: the group's agreement, questionnaires
/// (by measure id, in the order to answer them), or both.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VisitPlan {
    /// Read and sign the group's current agreement.
    pub agreement: bool,
    /// The questionnaires to answer.
    #[serde(default)]
    pub measures: Vec<String>,
}

impl VisitPlan {
    /// The agreement alone (what client mode was before questionnaires).
    pub fn agreement_only() -> Self {
        Self {
            agreement: true,
            measures: Vec::new(),
        }
    }
}

/// Begins a visit for `member` in `group` with what `plan` holds; records it in the audit
/// trail. The member must be on the roster now (not completed or withdrawn); the agreement,
/// when chosen, must be one they have not signed yet; every questionnaire must be one this
/// build knows, each once; and the plan must hold something.
pub fn start(
    practice: &mut Practice,
    member: MemberId,
    group: GroupId,
    plan: &VisitPlan,
) -> Result<ClientVisit, AppError> {
    let state = practice.state();
    let person = state
        .members
        .get(&member)
        .ok_or_else(|| not_found("member", member))?;
    if person.archived {
        return Err(not_found("member", member));
    }
    if !plan.agreement && plan.measures.is_empty() {
        return Err(Invalid::new("plan", "choose the agreement, a questionnaire, or both").into());
    }
    let questionnaires = questionnaires(&plan.measures)?;
    let (agreement, clauses) = if plan.agreement {
        let version = practice
            .current_agreement(group)
            .ok_or_else(|| not_found("agreement", group))?;
        // The same rule as a paper signature: on the roster now, and not signed this version.
        practice.may_sign(member, version)?;
        (Some(version.id), version.text.clauses.len())
    } else {
        if !practice.on_roster_now(member, group) {
            return Err(Invalid::new(
                "member",
                "is not on this group's roster now (their membership is completed or withdrawn)",
            )
            .into());
        }
        (None, 0)
    };
    let mut visit = ClientVisit {
        member,
        group,
        agreement,
        acknowledged: vec![false; clauses],
        discuss: vec![false; clauses],
        signed_at: None,
        questionnaires,
    };
    resume_progress(practice, &mut visit)?;
    for q in &mut visit.questionnaires {
        resume_answers(practice, member, q)?;
    }
    practice.record(AuditAction::ClientModeEntered, &plan_detail(&visit))?;
    Ok(visit)
}

/// The questionnaires of a plan, unanswered; refused for an unknown or repeated measure.
fn questionnaires(ids: &[String]) -> Result<Vec<VisitQuestionnaire>, AppError> {
    if let Some((i, reason)) = measures::unknown_or_repeated(ids) {
        return Err(Invalid::new(format!("measures[{i}]"), reason).into());
    }
    Ok(ids
        .iter()
        .filter_map(|id| measures::find(id))
        .map(|definition| VisitQuestionnaire {
            measure: definition.id.clone(),
            answers: Answers {
                items: vec![None; definition.items.len()],
                follow_up: None,
            },
            recorded: None,
        })
        .collect())
}

/// The audit detail of a visit's start: what it holds, never whose.
fn plan_detail(visit: &ClientVisit) -> String {
    let mut parts: Vec<String> = Vec::new();
    if visit.agreement.is_some() {
        parts.push("agreement".into());
    }
    parts.extend(
        visit.questionnaires.iter().map(|q| {
            measures::find(&q.measure).map_or_else(|| q.measure.clone(), |m| m.name.clone())
        }),
    );
    parts.join(", ")
}

/// Where a visit's unsigned progress is kept as a draft: one per member and agreement version
/// (a visit without the agreement keeps none).
fn progress_place(visit: &ClientVisit) -> Option<String> {
    visit
        .agreement
        .map(|agreement| format!("/client/{}/{}", visit.member, agreement))
}

/// Before a lock ends a visit: what the client acknowledged or marked to talk about, if they
/// have not signed, and the answers of each questionnaire they have not finished, are held as
/// unsaved, so the lock keeps them as drafts and the next visit of the same member for the
/// same version or questionnaire starts where this one stopped.
pub fn hold_progress(practice: &mut Practice, visit: &ClientVisit) {
    hold_reading(practice, visit);
    for q in visit.questionnaires.iter().filter(|q| q.recorded.is_none()) {
        hold_answers(practice, visit.member, q);
    }
}

/// Where a questionnaire's unfinished answers are kept: one draft per member and measure.
fn answers_place(member: MemberId, measure: &str) -> String {
    format!("/client/{member}/questionnaire/{measure}")
}

fn hold_answers(practice: &mut Practice, member: MemberId, q: &VisitQuestionnaire) {
    let mut fields: std::collections::BTreeMap<String, String> = q
        .answers
        .items
        .iter()
        .enumerate()
        .filter_map(|(i, a)| a.map(|points| (format!("item:{i}"), points.to_string())))
        .collect();
    if let Some(index) = q.answers.follow_up {
        fields.insert("follow_up".into(), index.to_string());
    }
    if fields.is_empty() {
        return;
    }
    let name = measures::find(&q.measure).map_or(q.measure.as_str(), |m| m.name.as_str());
    let title = format!(
        "{}'s {name} answers in client mode",
        practice.display_name(member)
    );
    // Bounded and well-formed by construction; a refusal would only lose the answers.
    let _ = practice.hold_unsaved(&answers_place(member, &q.measure), &title, fields);
}

/// Takes up a questionnaire's kept answers, settling its draft; an answer that is not one of
/// the questionnaire's options is left out.
fn resume_answers(
    practice: &mut Practice,
    member: MemberId,
    q: &mut VisitQuestionnaire,
) -> Result<(), AppError> {
    let place = answers_place(member, &q.measure);
    let Some(kept) = practice.draft(&place).cloned() else {
        return Ok(());
    };
    let Some(definition) = measures::find(&q.measure) else {
        return Ok(());
    };
    for (key, value) in &kept.fields {
        let Ok(number) = value.parse::<u8>() else {
            continue;
        };
        if key == "follow_up" {
            let fits = definition.is_follow_up_option(number);
            q.answers.follow_up = q.answers.follow_up.or(fits.then_some(number));
            continue;
        }
        let slot = key
            .strip_prefix("item:")
            .and_then(|i| i.parse::<usize>().ok())
            .and_then(|i| q.answers.items.get_mut(i));
        if let Some(slot) = slot {
            if definition.is_option(number) {
                *slot = Some(number);
            }
        }
    }
    practice.settle_draft(&place, Settled::Resumed)?;
    Ok(())
}

fn hold_reading(practice: &mut Practice, visit: &ClientVisit) {
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
    let Some(place) = progress_place(visit) else {
        return;
    };
    if visit.signed_at.is_some() || fields.is_empty() {
        return;
    }
    let title = format!(
        "{}'s reading in client mode",
        practice.display_name(visit.member)
    );
    // Bounded and well-formed by construction; a refusal would only lose the ticks.
    let _ = practice.hold_unsaved(&place, &title, fields);
}

/// Takes up a visit's kept progress (see [`hold_progress`]), settling its draft.
fn resume_progress(practice: &mut Practice, visit: &mut ClientVisit) -> Result<(), AppError> {
    let Some(place) = progress_place(visit) else {
        return Ok(());
    };
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
    /// True when the visit included the agreement.
    pub had_agreement: bool,
    /// The version they signed in this visit, if they did.
    pub signed_version: Option<u32>,
    /// The headings of the rules they marked to talk about (signed or not).
    pub discuss_headings: Vec<String>,
    /// The questionnaires the client finished, by short name.
    pub questionnaires: Vec<String>,
    /// True when a questionnaire the client finished has a safety flag: the practitioner is
    /// taken to it before anything else.
    pub safety_review: bool,
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
    let version = visit.agreement.and_then(|a| state.agreements.get(&a));
    let recorded: Vec<AdministrationId> = visit
        .questionnaires
        .iter()
        .filter_map(|q| q.recorded)
        .collect();
    let safety_review = practice
        .safety_alerts_of(visit.member)
        .iter()
        .any(|alert| recorded.contains(&alert.administration));
    let questionnaires = visit
        .questionnaires
        .iter()
        .filter(|q| q.recorded.is_some())
        .filter_map(|q| measures::find(&q.measure).map(|m| m.name.clone()))
        .collect();
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
        had_agreement: visit.agreement.is_some(),
        signed_version: visit.signed_at.and_then(|_| version.map(|v| v.number)),
        discuss_headings,
        questionnaires,
        safety_review,
        wrong_tries,
    }
}
