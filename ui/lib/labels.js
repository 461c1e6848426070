// Words for the core's enum values, and the badge each status shows. Status is always a word
// (never colour alone, UI.md); `tone` picks the badge colour. Pure (node --test).

export const GROUP_KINDS = {
  process: 'Process group',
  psychoeducational: 'Psychoeducational group',
  skills: 'Skills group',
  support: 'Support group',
};

export const GROUP_STATUSES = { forming: 'Forming', running: 'Running', ended: 'Ended' };

export const MEMBERSHIP_STATUSES = {
  waitlisted: 'Waitlisted',
  screened: 'Screened',
  active: 'Active',
  completed: 'Completed',
  withdrawn: 'Withdrawn',
};

/**
 * The membership statuses that end a membership, as the core's `MembershipStatus::is_final`
 * says (a Rust test holds the two together). Results carry `is_final` for saved memberships;
 * this is for a status chosen in a form, before it is saved.
 */
export const FINAL_MEMBERSHIP_STATUSES = new Set(['completed', 'withdrawn']);

/** How a signature was given: one wording on screen and on paper. */
export const SIGNATURE_METHODS = {
  client_mode: 'In client mode, on the practitioner’s computer',
  paper_copy: 'On paper, with the signed copy on file',
};

export const ATTENDANCE = { present: 'Present', late: 'Late', excused: 'Excused', absent: 'Absent' };

export const INCIDENT_KINDS = {
  confidentiality_breach: 'Confidentiality breach',
  harassment: 'Harassment',
  discrimination: 'Discrimination',
  safety_risk: 'Safety or risk',
  other: 'Other',
};

export const WEEKDAYS = {
  monday: 'Monday', tuesday: 'Tuesday', wednesday: 'Wednesday', thursday: 'Thursday',
  friday: 'Friday', saturday: 'Saturday', sunday: 'Sunday',
};

export const FREQUENCIES = { weekly: 'Weekly', fortnightly: 'Every two weeks' };

export const AUDIT_ACTIONS = {
  unlock: 'Unlocked',
  lock: 'Locked',
  export: 'Exported',
  import: 'Imported',
  client_mode_entered: 'Client mode started',
  client_mode_left: 'Client mode ended',
  client_mode_exit_failed: 'Wrong passphrase to end client mode',
  unlock_refused: 'Wrong passphrases before unlocking',
  signature_captured: 'Signature captured',
  created: 'Created',
  changed: 'Changed',
  deleted: 'Deleted',
  purged: 'Purged',
  history_problem: 'History check found a problem',
  history_accepted: 'History problems acknowledged',
  draft_kept: 'Unsaved changes kept as a draft',
  draft_saved: 'Draft saved',
  draft_discarded: 'Draft discarded',
  passphrase_changed: 'Passphrase changed',
  passphrase_recovered: 'New passphrase set with the recovery code',
  recovery_code_replaced: 'New recovery code made',
  backup_made: 'Backup made',
  backup_failed: 'Backup failed',
  key_rotated: 'Encryption key rotated',
  backup_restored: 'Restored from a backup',
  safety_flagged: 'Safety question flagged for review',
};

export const RECORD_KINDS = {
  member: 'Member', group: 'Group', membership: 'Membership', agreement: 'Agreement',
  signature: 'Signature', session: 'Session', note: 'Note', incident: 'Incident',
  administration: 'Questionnaire', profile: 'Practice profile',
};

/** The label for `value` in `table`, or the value itself made readable. */
export function label(table, value) {
  if (value === null || value === undefined) return '';
  return table[value] ?? String(value).replace(/_/g, ' ');
}

/** {text, tone} for a signature state from the core ({state, version?, signed_version?}). */
export function signatureBadge(signature) {
  switch (signature?.state) {
    case 'signed':
      return { text: `Signed v${signature.version}`, tone: 'success' };
    case 'needs_resigning':
      return { text: 'Needs re-signing', tone: 'warning' };
    case 'needs_signature':
      return { text: 'Needs signature', tone: 'warning' };
    default:
      return { text: 'No agreement', tone: 'neutral' };
  }
}

/** {text, tone} for a membership status. */
export function membershipBadge(status) {
  const tone = { active: 'success', waitlisted: 'neutral', screened: 'neutral', completed: 'neutral', withdrawn: 'neutral' }[status] ?? 'neutral';
  return { text: label(MEMBERSHIP_STATUSES, status), tone };
}

/** {text, tone} for an incident. */
export function incidentBadge(incident) {
  return incident?.resolved_on
    ? { text: 'Resolved', tone: 'neutral' }
    : { text: 'Open incident', tone: 'danger' };
}

/** A group's status as a badge. */
export function groupStatusBadge(status) {
  const tone = { forming: 'neutral', running: 'accent', ended: 'neutral' }[status] ?? 'neutral';
  return { text: label(GROUP_STATUSES, status), tone };
}
