// The one file that talks to the Tauri shell. Every command the app has is a function here;
// views import these and never see Tauri. A failed command rejects with an IpcError carrying
// the shell's {code, message, field} — message is a sentence for the practitioner.
//
// Argument names are snake_case, as the Rust commands declare them. Records travel as the
// core's JSON (dates "YYYY-MM-DD", times "HH:MM", ids as UUID strings).

/** A command's failure, as the shell reports it. */
export class IpcError extends Error {
  constructor({ code, message, field, retry_after_seconds: retryAfter }) {
    super(message);
    this.code = code;
    this.field = field ?? null;
    // For a refusal that passes with time (too many wrong tries): seconds until the next try.
    this.retry_after_seconds = retryAfter ?? null;
  }
}

const UNREACHABLE = {
  code: 'no_shell',
  message: 'Holdspace could not reach its own engine. Close the window and open Holdspace again.',
};

const MALFORMED = {
  code: 'malformed_request',
  message: 'Holdspace could not understand this request. Go back and open the page again.',
};

/** Calls a command; resolves with its value or rejects with an IpcError. */
export async function call(command, args = {}) {
  const internals = globalThis.__TAURI_INTERNALS__;
  if (!internals) throw new IpcError(UNREACHABLE);
  try {
    return await internals.invoke(command, args);
  } catch (error) {
    if (error && typeof error === 'object' && typeof error.code === 'string') {
      throw new IpcError(error);
    }
    // Tauri itself refused the call (e.g. an id in the address is not an id).
    throw new IpcError(MALFORMED);
  }
}

// The vault and the session.
export const appStatus = () => call('app_status');
export const passphraseStrength = (passphrase) => call('passphrase_strength', { passphrase });
/** Resolves with {recovery_code, backup_identity} for the recovery sheet (show them once). */
export const createVault = (passphrase, confirmation) => call('create_vault', { passphrase, confirmation });
export const unlock = (passphrase) => call('unlock', { passphrase });
export const recover = (code, passphrase, confirmation) => call('recover', { code, passphrase, confirmation });
/**
 * Shows the page afresh, after a restore has locked the app: the shell ends the web process
 * that showed the records and loads the page in a new one (or, where it cannot, reloads
 * it). If the shell cannot be asked, the page reloads itself.
 */
export async function showAfresh() {
  try {
    await call('show_afresh');
  } catch {
    globalThis.location.reload();
  }
}
/**
 * Locks. The shell then shows the page afresh, as showAfresh does, whether or not the lock
 * was recorded; if the shell cannot be asked, the page reloads itself. Either way no
 * JavaScript state survives.
 */
export async function lock() {
  try {
    await call('lock');
  } catch {
    globalThis.location.reload();
  }
}
/** Forgets the notice about wrong secrets typed at the locked app before this unlock. */
export const dismissUnlockNotice = () => call('dismiss_unlock_notice');
export const acceptHistory = () => call('accept_history');
export const touch = () => call('touch');
export const changePassphrase = (current, passphrase, confirmation) =>
  call('change_passphrase', { current, passphrase, confirmation });
export const rotateKey = (passphrase) => call('rotate_key', { passphrase });
/** Resolves with the new recovery sheet {recovery_code, backup_identity}, shown once. */
export const newRecoveryCode = (passphrase) => call('new_recovery_code', { passphrase });
export const rotationProgress = () => call('rotation_progress');
export const exportPractice = (folder) => call('export_practice', { folder: folder || null });

// Backups and restore. Dates are RFC 3339; counts are {groups, members, …, audit}.
/** Resolves with the backup settings, where backups stand, and the backups in the folder. */
export const backupOverview = () => call('backup_overview');
/** Saves {folder, on_lock, keep_recent, keep_monthly}; resolves with the fresh overview. */
export const saveBackupSettings = (settings) => call('save_backup_settings', { settings });
/** Stores the backup key and signing key from the recovery code; resolves with the overview. */
export const storeBackupKey = (code) => call('store_backup_key', { code });
/** Resolves with {file_name, created_at, bytes, counts, removed}. */
export const backUpNow = () => call('back_up_now');
/** A copy protected by its own passphrase (not the backup key), saved into `folder`. */
export const saveProtectedCopy = (folder, passphrase, confirmation) =>
  call('save_protected_copy', { folder, passphrase, confirmation });
/** Opens the system's folder picker ("backups" or "restore_target"); resolves with a path, or null when cancelled. */
export const chooseFolder = (purpose) => call('choose_folder', { purpose });
/** Opens the system's file picker for a backup (.age); resolves with a path, or null when cancelled. */
export const chooseBackupFile = () => call('choose_backup_file');
/**
 * Decrypts and checks a whole backup, which the shell keeps for the restore step. secretKind:
 * "recovery_code" or "passphrase". Resolves with {file_name, created_at, counts, protection}.
 */
export const inspectBackup = (path, secretKind, secret, asFound = false) =>
  call('inspect_backup', { path, secret_kind: secretKind, secret, as_found: asFound });
/**
 * Restores the inspected backup into a new vault with a new passphrase. target: "app_vault"
 * or "other_folder" (with `folder`); replacing the vault the app uses needs `replaceConfirmed`
 * and `current`, that vault's passphrase or recovery code. Resolves with {recovery_code, backup_identity, vault_dir,
 * previous_vault_kept_at, target}; after an "app_vault" restore the app is locked.
 */
export const restoreBackup = ({ target, folder, replaceConfirmed, current, passphrase, confirmation, allowUnsigned }) =>
  call('restore_backup', {
    target, folder: folder || null, replace_confirmed: Boolean(replaceConfirmed), current: current || null, passphrase, confirmation,
    allow_unsigned: Boolean(allowUnsigned),
  });
/**
 * Resolves with the recovery sheet of a vault just restored over the app's own
 * ({recovery_code, backup_identity, vault_dir, previous_vault_kept_at}) while the app is
 * locked and that vault has not been unlocked yet; null otherwise.
 */
export const restoredSheet = () => call('restored_sheet');
/** Resolves with {running, phase, step, steps} while inspect_backup or restore_backup works. */
export const restoreProgress = () => call('restore_progress');

// The practice.
export const home = () => call('home');
export const search = (query) => call('search', { query });
export const listGroups = () => call('list_groups');
export const groupPage = (id) => call('group_page', { id });
/** Creates a group when `group.id` is absent, else updates it. */
export const saveGroup = (group) => call('save_group', { group });
export const addToGroup = (group, members, status, joined) =>
  call('add_to_group', { group, members, status, joined: joined || null });
export const updateMembership = (membership) => call('update_membership', { membership });
export const unansweredBeforeLeaving = (membership) => call('unanswered_before_leaving', { membership });
export const removeFromGroup = (id) => call('remove_from_group', { id });
export const listMembers = () => call('list_members');
export const memberPage = (id) => call('member_page', { id });
export const saveMember = (member) => call('save_member', { member });
/** Resolves with "deleted" or "archived". */
export const deleteMember = (id) => call('delete_member', { id });
export const purgePreview = (id) => call('purge_preview', { id });
export const purgeMember = (id) => call('purge_member', { id });
export const sessionDraft = (group, date) => call('session_draft', { group, date: date || null });
export const sessionPage = (id) => call('session_page', { id });
/** Saves a session record; resolves with its refreshed page. */
export const saveSession = (record) => call('save_session', { record });
export const saveNote = (note) => call('save_note', { note });
export const deleteNote = (id) => call('delete_note', { id });
export const agreementPage = (group) => call('agreement_page', { group });
export const saveAgreement = (group, text) => call('save_agreement', { group, text });
export const recordPaperSignature = (member, group, typedName) =>
  call('record_paper_signature', { member, group, typed_name: typedName });
export const withdrawSignature = (signature, reason) => call('withdraw_signature', { signature, reason });
export const markTalkedAbout = (signature, clause) => call('mark_talked_about', { signature, clause });
export const memberRecordPreview = (member) => call('member_record_preview', { member });
export const saveMemberRecord = (member, folder) => call('save_member_record', { member, folder });
export const memberRecordPrinted = (member) => call('member_record_printed', { member });
export const measureDefinitions = () => call('measure_definitions');
export const recordPaperQuestionnaire = (form) => call('record_paper_questionnaire', { form });
export const reviewSafetyFlag = (administration) => call('review_safety_flag', { administration });
export const deleteQuestionnaire = (administration) => call('delete_questionnaire', { administration });
export const listIncidents = () => call('list_incidents');
export const incidentChoices = () => call('incident_choices');
export const saveIncident = (incident) => call('save_incident', { incident });
export const auditLog = (filter) => call('audit_log', { filter });
export const settings = () => call('settings');
/**
 * Resolves with the licences of every crate built into the app:
 * {components: [{name, version, licence, repository, texts: [index]}], texts: [string]}.
 */
export const licences = () => call('licences');
export const saveProfile = (profile) => call('save_profile', { profile });
/** Opens the system print dialog for this window (its "Print to File" saves a PDF). */
export const printPage = () => call('print_page');

// Client mode: the practitioner hands the computer to one member. While it is active, only
// the client_* commands and leave_client_mode answer; every other one fails with code
// "client_mode".
export const startClientMode = (member, group, plan = { agreement: true, measures: [] }) => call('start_client_mode', { member, group, plan });
export const clientView = () => call('client_view');
export const clientAcknowledge = (clause, understood) => call('client_acknowledge', { clause, understood });
export const clientMark = (clause, discuss) => call('client_mark', { clause, discuss });
/** Resolves with the moment of signing (RFC 3339). */
export const clientSign = (typedName) => call('client_sign', { typed_name: typedName });
export const clientAnswer = (questionnaire, question, answer) => call('client_answer', { questionnaire, question, answer });
export const clientFinishQuestionnaire = (questionnaire) => call('client_finish_questionnaire', { questionnaire });
export const leaveClientMode = (passphrase) => call('leave_client_mode', { passphrase });
/** Forgets the notice about wrong passphrases typed to end the last client-mode visit. */
export const dismissClientExitNotice = () => call('dismiss_client_exit_notice');

// Unsaved changes and drafts (sealed in the vault at a lock; never in web storage).
/** Holds a page's unsaved changes ({field: value}) in the shell; none forgets them. */
export const holdUnsaved = (place, title, fields) => call('hold_unsaved', { place, title, fields });
export const forgetUnsaved = (place) => call('forget_unsaved', { place });
/** Resolves with the draft kept for `place` ({place, title, fields, kept_at}) or null. */
export const draft = (place) => call('draft', { place });
export const settleDraft = (place, saved) => call('settle_draft', { place, saved });
/** Closes the window (locking first), once the page has answered for its unsaved changes. */
export const closeWindow = () => call('close_window');
