// Words for backups and restore: file sizes, what a backup holds, the keep rule, the restore's
// progress phases, and one-line summaries. Pure (node --test); the views build the DOM.

import { count, formatMoment } from './format.js';

/** The kinds of record a backup counts, in reading order, with their words. */
const COUNT_WORDS = [
  ['groups', 'group'],
  ['members', 'member'],
  ['memberships', 'membership'],
  ['agreements', 'agreement'],
  ['signatures', 'signature'],
  ['sessions', 'session'],
  ['notes', 'note'],
  ['incidents', 'incident'],
  ['administrations', 'answered questionnaire'],
  ['audit', 'audit log entry', 'audit log entries'],
];

/** The kinds the one-line summary names (the rest are in the full list). */
const SUMMARY_KINDS = new Set(['groups', 'members', 'sessions']);

/** What a progress phase is doing, in words. */
const PHASE_WORDS = {
  reading: 'Reading the backup file',
  checking: 'Decrypting and checking every record',
  creating: 'Creating the new vault',
  writing: 'Writing the records',
  moving: 'Putting the restored vault in place',
};

/** Said for a backup whose counts are unknown (made elsewhere, or unreadable). */
export const NOT_THIS_VAULT = 'Not made by this vault';

/** 2_200_000 → "2.1 MB"; 1 → "1 byte"; 2048 → "2.0 KB". */
export function readableSize(bytes) {
  const n = Number(bytes) || 0;
  if (n < 1024) return count(n, 'byte');
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  return `${(n / (1024 * 1024 * 1024)).toFixed(1)} GB`;
}

/** "1 group", "1,500 notes": one count in words, with thousands separated. */
function countWords(n, singular, plural = `${singular}s`) {
  return `${Number(n).toLocaleString()} ${n === 1 ? singular : plural}`;
}

/** Every kind of record in `counts`, as lines: ["3 groups", "24 members", …]. */
export function countsLines(counts) {
  if (!counts) return [];
  return COUNT_WORDS.map(([kind, singular, plural]) => countWords(counts[kind] ?? 0, singular, plural));
}

/** "3 groups · 24 members · 180 sessions"; "An empty practice"; NOT_THIS_VAULT when unknown. */
export function countsSummary(counts) {
  if (!counts) return NOT_THIS_VAULT;
  if (COUNT_WORDS.every(([kind]) => !counts[kind])) return 'An empty practice';
  return COUNT_WORDS.filter(([kind]) => SUMMARY_KINDS.has(kind))
    .map(([kind, singular, plural]) => countWords(counts[kind] ?? 0, singular, plural))
    .join(' · ');
}

/** The words for a restore phase ("reading" → "Reading the backup file"). */
export function phaseWords(phase) {
  return PHASE_WORDS[phase] ?? 'Getting ready';
}

/**
 * What the progress bar shows for a restore_progress answer ({running, done, total, step}, the
 * shell's one progress shape): {words, value, max}; value and max are null when the total is
 * unknown (the bar then just moves). Null when nothing runs.
 */
export function progressDisplay(progress) {
  if (!progress?.running) return null;
  const total = Number(progress.total) || 0;
  const known = total > 0;
  return {
    words: phaseWords(progress.step),
    value: known ? Math.min(Math.max(Number(progress.done) || 0, 0), total) : null,
    max: known ? total : null,
  };
}

/** The keep rule in one sentence, for under the two number fields. */
export function retentionSentence(keepRecent, keepMonthly) {
  const recent = `Holdspace keeps the last ${count(keepRecent, 'backup')}`;
  const monthly = keepMonthly > 0 ? `, and one a month for ${count(keepMonthly, 'month')}` : '';
  return `${recent}${monthly}. Older backups in the folder are removed when a new one is made.`;
}

/** Problems with the keep rule, as shell-style errors [{field, message}] (empty when fine). */
export function keepProblems({ keep_recent: keepRecent, keep_monthly: keepMonthly }) {
  const problems = [];
  if (!Number.isInteger(keepRecent) || keepRecent < 1 || keepRecent > 100) {
    problems.push({ field: 'keep_recent', message: 'Keep a whole number of backups from 1 to 100.' });
  }
  if (!Number.isInteger(keepMonthly) || keepMonthly < 0 || keepMonthly > 120) {
    problems.push({ field: 'keep_monthly', message: 'Choose a whole number of months from 0 to 120 (0 keeps none by month).' });
  }
  return problems;
}

/** "Backed up: 26 Nov 2026, 14:05, 2.1 MB. 2 old backups removed by your keep rule." */
export function backedUpText({ created_at: createdAt, bytes, removed = 0 }) {
  const made = `Backed up: ${formatMoment(createdAt)}, ${readableSize(bytes)}.`;
  return removed > 0 ? `${made} ${count(removed, 'old backup')} removed by your keep rule.` : made;
}

/** "The automatic backup did not work (26 Nov 2026, 14:05):" — the lead of the alert. */
export function backupAlertLead(at) {
  const when = formatMoment(at);
  return `The automatic backup did not work${when ? ` (${when})` : ''}:`;
}

/** When the last backup was made, and whether anything has changed since. */
export function lastBackupLine({ last_backup_at: lastAt, changed_since_last: changed }) {
  if (!lastAt) return 'No backup has been made yet.';
  const since = changed ? 'Records have changed since then.' : 'Nothing has changed since then.';
  return `Last backup: ${formatMoment(lastAt)}. ${since}`;
}

/** One line on where backups stand, for the Settings page. */
export function overviewSummary(overview) {
  if (!overview.folder) return 'Not set up yet: no backup folder has been chosen.';
  const last = overview.last_backup_at
    ? `Last backup: ${formatMoment(overview.last_backup_at)}.`
    : 'No backup has been made yet.';
  const trouble = overview.last_failure ? ' The last backup did not work — open Backups to see why.' : '';
  const auto = overview.on_lock ? ' Automatic backups are on.' : ' Automatic backups are off.';
  return `${last}${trouble}${auto}`;
}
