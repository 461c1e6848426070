//! Commands about the practice's records: one service call each, on the unlocked practice.

use holdspace::practice::measures::MeasureDefinition;
use holdspace::practice::{
    AdministrationId, AgreementText, DeleteOutcome, GroupId, Incident, Member, MemberId,
    MemberRecord, Membership, MembershipId, MembershipStatus, Note, NoteId, PracticeProfile,
    PurgeReport, Scored, SearchResults, SessionId, Signature, SignatureId, UnansweredBeforeLeaving,
};
use serde_json::Value;
use tauri::State;
use time::Date;

use super::{reply, CommandResult};
use crate::about;
use crate::service::agreements::{self, AgreementPage, Published};
use crate::service::groups::{self, GroupPage, GroupSummary};
use crate::service::home::{self, Home};
use crate::service::measures;
use crate::service::member_record;
use crate::service::members::{self, MemberPage, MemberRow};
use crate::service::records::{self, AuditPage, AuditQuery, IncidentChoice, IncidentRow};
use crate::service::sessions::{self, SessionPage};
use crate::service::settings::{self, Exported, Settings};
use crate::session::AppSession;

/// Hits per kind in global search.
const SEARCH_HITS_PER_KIND: usize = 8;

/// The home screen.
#[tauri::command(rename_all = "snake_case")]
pub async fn home(session: State<'_, AppSession>) -> CommandResult<Home> {
    reply(session.with_practice(|p| Ok(home::home(p))))
}

/// Global search, hits grouped by kind.
#[tauri::command(rename_all = "snake_case")]
pub async fn search(session: State<'_, AppSession>, query: String) -> CommandResult<SearchResults> {
    reply(session.with_practice(|p| Ok(p.search(&query, SEARCH_HITS_PER_KIND))))
}

/// Every group with its counts.
#[tauri::command(rename_all = "snake_case")]
pub async fn list_groups(session: State<'_, AppSession>) -> CommandResult<Vec<GroupSummary>> {
    reply(session.with_practice(|p| Ok(groups::group_summaries(p))))
}

/// A group's page.
#[tauri::command(rename_all = "snake_case")]
pub async fn group_page(session: State<'_, AppSession>, id: GroupId) -> CommandResult<GroupPage> {
    reply(session.with_practice(|p| groups::group_page(p, id)))
}

/// Creates or updates a group.
#[tauri::command(rename_all = "snake_case")]
pub async fn save_group(
    session: State<'_, AppSession>,
    group: Value,
) -> CommandResult<holdspace::practice::Group> {
    reply(session.with_practice(|p| groups::save_group(p, group)))
}

/// Adds one or more members to a group, all or none.
#[tauri::command(rename_all = "snake_case")]
pub async fn add_to_group(
    session: State<'_, AppSession>,
    group: GroupId,
    members: Vec<MemberId>,
    status: MembershipStatus,
    joined: Option<Date>,
) -> CommandResult<Vec<Membership>> {
    reply(session.with_practice(|p| groups::add_to_group(p, group, &members, status, joined)))
}

/// Saves a changed membership.
#[tauri::command(rename_all = "snake_case")]
pub async fn update_membership(
    session: State<'_, AppSession>,
    membership: Value,
) -> CommandResult<Membership> {
    reply(session.with_practice(|p| groups::update_membership(p, membership)))
}

/// The group's planned questionnaires a member has not answered lately, asked before
/// recording that they leave.
#[tauri::command(rename_all = "snake_case")]
pub async fn unanswered_before_leaving(
    session: State<'_, AppSession>,
    membership: MembershipId,
) -> CommandResult<Vec<UnansweredBeforeLeaving>> {
    reply(session.with_practice(|p| measures::unanswered_before_leaving(p, membership)))
}

/// Takes a member off a roster.
#[tauri::command(rename_all = "snake_case")]
pub async fn remove_from_group(
    session: State<'_, AppSession>,
    id: MembershipId,
) -> CommandResult<()> {
    reply(session.with_practice(|p| groups::remove_from_group(p, id)))
}

/// Every member.
#[tauri::command(rename_all = "snake_case")]
pub async fn list_members(session: State<'_, AppSession>) -> CommandResult<Vec<MemberRow>> {
    reply(session.with_practice(|p| Ok(members::list_members(p))))
}

/// A member's page.
#[tauri::command(rename_all = "snake_case")]
pub async fn member_page(
    session: State<'_, AppSession>,
    id: MemberId,
) -> CommandResult<MemberPage> {
    reply(session.with_practice(|p| members::member_page(p, id)))
}

/// Creates or updates a member.
#[tauri::command(rename_all = "snake_case")]
pub async fn save_member(session: State<'_, AppSession>, member: Value) -> CommandResult<Member> {
    reply(session.with_practice(|p| members::save_member(p, member)))
}

/// Deletes a member without history, or archives one with history.
#[tauri::command(rename_all = "snake_case")]
pub async fn delete_member(
    session: State<'_, AppSession>,
    id: MemberId,
) -> CommandResult<DeleteOutcome> {
    reply(session.with_practice(|p| members::delete_member(p, id)))
}

/// What purging a member would erase.
#[tauri::command(rename_all = "snake_case")]
pub async fn purge_preview(
    session: State<'_, AppSession>,
    id: MemberId,
) -> CommandResult<PurgeReport> {
    reply(session.with_practice(|p| members::purge_preview(p, id)))
}

/// Erases a member and everything about them, then from the vault's files (progress in
/// `rotation_progress`).
#[tauri::command(rename_all = "snake_case")]
pub async fn purge_member(
    session: State<'_, AppSession>,
    id: MemberId,
) -> CommandResult<PurgeReport> {
    reply(session.rewriting(|p, progress| members::purge_member(p, id, progress)))
}

/// A new session's draft for a group.
#[tauri::command(rename_all = "snake_case")]
pub async fn session_draft(
    session: State<'_, AppSession>,
    group: GroupId,
    date: Option<Date>,
) -> CommandResult<SessionPage> {
    reply(session.with_practice(|p| sessions::session_draft(p, group, date)))
}

/// A saved session's page.
#[tauri::command(rename_all = "snake_case")]
pub async fn session_page(
    session: State<'_, AppSession>,
    id: SessionId,
) -> CommandResult<SessionPage> {
    reply(session.with_practice(|p| sessions::session_page(p, id)))
}

/// Saves a session (attendance, topic, group note).
#[tauri::command(rename_all = "snake_case")]
pub async fn save_session(
    session: State<'_, AppSession>,
    record: Value,
) -> CommandResult<SessionPage> {
    reply(session.with_practice(|p| sessions::save_session(p, record)))
}

/// Saves a progress or psychotherapy note.
#[tauri::command(rename_all = "snake_case")]
pub async fn save_note(session: State<'_, AppSession>, note: Value) -> CommandResult<Note> {
    reply(session.with_practice(|p| sessions::save_note(p, note)))
}

/// Deletes a note.
#[tauri::command(rename_all = "snake_case")]
pub async fn delete_note(session: State<'_, AppSession>, id: NoteId) -> CommandResult<()> {
    reply(session.with_practice(|p| sessions::delete_note(p, id)))
}

/// The agreement editor's page.
#[tauri::command(rename_all = "snake_case")]
pub async fn agreement_page(
    session: State<'_, AppSession>,
    group: GroupId,
) -> CommandResult<AgreementPage> {
    reply(session.with_practice(|p| agreements::agreement_page(p, group)))
}

/// Saves or publishes the agreement text.
#[tauri::command(rename_all = "snake_case")]
pub async fn save_agreement(
    session: State<'_, AppSession>,
    group: GroupId,
    text: AgreementText,
) -> CommandResult<Published> {
    reply(session.with_practice(|p| agreements::save_agreement(p, group, text)))
}

/// Records a signature on paper.
#[tauri::command(rename_all = "snake_case")]
pub async fn record_paper_signature(
    session: State<'_, AppSession>,
    member: MemberId,
    group: GroupId,
    typed_name: String,
) -> CommandResult<Signature> {
    reply(
        session.with_practice(|p| agreements::record_paper_signature(p, member, group, typed_name)),
    )
}

/// Withdraws a signature.
#[tauri::command(rename_all = "snake_case")]
pub async fn withdraw_signature(
    session: State<'_, AppSession>,
    signature: SignatureId,
    reason: String,
) -> CommandResult<Signature> {
    reply(session.with_practice(|p| agreements::withdraw_signature(p, signature, &reason)))
}

/// Marks a rule a member asked about as talked about.
#[tauri::command(rename_all = "snake_case")]
pub async fn mark_talked_about(
    session: State<'_, AppSession>,
    signature: SignatureId,
    clause: usize,
) -> CommandResult<Signature> {
    reply(session.with_practice(|p| agreements::mark_talked_about(p, signature, clause)))
}

/// A member's own record as it would be handed over, for the practitioner to read first.
#[tauri::command(rename_all = "snake_case")]
pub async fn member_record_preview(
    session: State<'_, AppSession>,
    member: MemberId,
) -> CommandResult<MemberRecord> {
    reply(session.with_practice(|p| member_record::preview(p, member)))
}

/// Saves a member's own record as JSON into `folder` (the Documents folder when empty).
#[tauri::command(rename_all = "snake_case")]
pub async fn save_member_record(
    session: State<'_, AppSession>,
    member: MemberId,
    folder: Option<String>,
) -> CommandResult<Exported> {
    let folder = folder
        .map(|f| f.trim().to_owned())
        .filter(|f| !f.is_empty())
        .map_or_else(settings::default_export_dir, std::path::PathBuf::from);
    reply(session.with_practice(|p| member_record::save(p, member, &folder)))
}

/// A member's own record to print, recorded as printed.
#[tauri::command(rename_all = "snake_case")]
pub async fn member_record_printed(
    session: State<'_, AppSession>,
    member: MemberId,
) -> CommandResult<MemberRecord> {
    reply(session.with_practice(|p| member_record::printed(p, member)))
}

/// Every questionnaire this build knows, for the paper form.
#[tauri::command(rename_all = "snake_case")]
pub async fn measure_definitions(
    session: State<'_, AppSession>,
) -> CommandResult<Vec<MeasureDefinition>> {
    reply(session.with_practice(|_| Ok(measures::measure_definitions())))
}

/// Records a paper questionnaire the practitioner copied in.
#[tauri::command(rename_all = "snake_case")]
pub async fn record_paper_questionnaire(
    session: State<'_, AppSession>,
    form: Value,
) -> CommandResult<Scored> {
    reply(session.with_practice(|p| measures::record_paper_questionnaire(p, form)))
}

/// Marks a questionnaire's safety flag as reviewed.
#[tauri::command(rename_all = "snake_case")]
pub async fn review_safety_flag(
    session: State<'_, AppSession>,
    administration: AdministrationId,
) -> CommandResult<()> {
    reply(session.with_practice(|p| measures::review_safety_flag(p, administration)))
}

/// Deletes a questionnaire's answers entered in error.
#[tauri::command(rename_all = "snake_case")]
pub async fn delete_questionnaire(
    session: State<'_, AppSession>,
    administration: AdministrationId,
) -> CommandResult<()> {
    reply(session.with_practice(|p| measures::delete_questionnaire(p, administration)))
}

/// Every incident.
#[tauri::command(rename_all = "snake_case")]
pub async fn list_incidents(session: State<'_, AppSession>) -> CommandResult<Vec<IncidentRow>> {
    reply(session.with_practice(|p| Ok(records::list_incidents(p))))
}

/// Groups with their members and sessions, for the incident form.
#[tauri::command(rename_all = "snake_case")]
pub async fn incident_choices(
    session: State<'_, AppSession>,
) -> CommandResult<Vec<IncidentChoice>> {
    reply(session.with_practice(|p| Ok(records::incident_choices(p))))
}

/// Creates or updates an incident.
#[tauri::command(rename_all = "snake_case")]
pub async fn save_incident(
    session: State<'_, AppSession>,
    incident: Value,
) -> CommandResult<Incident> {
    reply(session.with_practice(|p| records::save_incident(p, incident)))
}

/// The audit log, filtered.
#[tauri::command(rename_all = "snake_case")]
pub async fn audit_log(
    session: State<'_, AppSession>,
    filter: AuditQuery,
) -> CommandResult<AuditPage> {
    reply(session.with_practice(|p| Ok(records::audit_log(p, filter))))
}

/// The settings screen.
#[tauri::command(rename_all = "snake_case")]
pub async fn settings(session: State<'_, AppSession>) -> CommandResult<Settings> {
    reply(session.with_practice(|p| Ok(settings::settings(p, about::APP_VERSION))))
}

/// The licences of every crate built into the app (About, in Settings).
#[tauri::command(rename_all = "snake_case")]
pub async fn licences() -> CommandResult<&'static about::Licences> {
    Ok(about::licences())
}

/// Saves the practice profile.
#[tauri::command(rename_all = "snake_case")]
pub async fn save_profile(
    session: State<'_, AppSession>,
    profile: PracticeProfile,
) -> CommandResult<()> {
    reply(session.with_practice(|p| settings::save_profile(p, profile)))
}
