//! Client mode's commands: start it (the practitioner, from a roster or a member's page), then
//! the only ones the window answers while a client has the computer — read, acknowledge, mark,
//! sign, answer a question, finish a questionnaire, leave.

use holdspace::practice::{GroupId, MemberId};
use tauri::State;

use super::{reply, CommandResult, SecretArg};
use crate::service::client::{self, ClientView, VisitPlan};
use crate::session::AppSession;

/// Hands the computer to `member` of `group` for what `plan` holds: the group's current
/// agreement to read and sign, questionnaires to answer, or both (the agreement alone when no
/// plan is given).
#[tauri::command(rename_all = "snake_case")]
pub async fn start_client_mode(
    session: State<'_, AppSession>,
    member: MemberId,
    group: GroupId,
    plan: Option<VisitPlan>,
) -> CommandResult<()> {
    let plan = plan.unwrap_or_else(VisitPlan::agreement_only);
    reply(session.start_client_mode(|p| client::start(p, member, group, &plan)))
}

/// What the client sees.
#[tauri::command(rename_all = "snake_case")]
pub async fn client_view(session: State<'_, AppSession>) -> CommandResult<ClientView> {
    reply(session.with_client(|p, visit| client::client_view(p, visit)))
}

/// "I understand" for one clause.
#[tauri::command(rename_all = "snake_case")]
pub async fn client_acknowledge(
    session: State<'_, AppSession>,
    clause: usize,
    understood: bool,
) -> CommandResult<()> {
    reply(session.with_client(|_, visit| client::acknowledge(visit, clause, understood)))
}

/// "I'd like to talk about this" for one clause.
#[tauri::command(rename_all = "snake_case")]
pub async fn client_mark(
    session: State<'_, AppSession>,
    clause: usize,
    discuss: bool,
) -> CommandResult<()> {
    reply(session.with_client(|_, visit| client::mark(visit, clause, discuss)))
}

/// Signs with the typed full name; returns the moment of signing.
#[tauri::command(rename_all = "snake_case")]
pub async fn client_sign(
    session: State<'_, AppSession>,
    typed_name: String,
) -> CommandResult<String> {
    reply(session.with_client(|p, visit| client::sign_for_page(p, visit, &typed_name)))
}
/// Answers (or clears, with no answer) one question of one of the visit's questionnaires.
#[tauri::command(rename_all = "snake_case")]
pub async fn client_answer(
    session: State<'_, AppSession>,
    questionnaire: usize,
    question: usize,
    answer: Option<u8>,
) -> CommandResult<()> {
    reply(session.with_client(|_, visit| client::answer(visit, questionnaire, question, answer)))
}

/// Saves one of the visit's questionnaires as answered.
#[tauri::command(rename_all = "snake_case")]
pub async fn client_finish_questionnaire(
    session: State<'_, AppSession>,
    questionnaire: usize,
) -> CommandResult<()> {
    reply(session.with_client(|p, visit| client::finish(p, visit, questionnaire)))
}

/// Ends client mode with the practitioner's passphrase (a full check).
#[tauri::command(rename_all = "snake_case")]
pub async fn leave_client_mode(
    session: State<'_, AppSession>,
    passphrase: SecretArg,
) -> CommandResult<()> {
    reply(client::leave_client_mode(&session, &passphrase))
}

/// Forgets the notice about wrong tries to end the last client-mode visit.
#[tauri::command(rename_all = "snake_case")]
pub async fn dismiss_client_exit_notice(session: State<'_, AppSession>) -> CommandResult<()> {
    session.dismiss_client_exit_notice();
    Ok(())
}
