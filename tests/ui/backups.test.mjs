// Unit tests for the words of backups and restore (ui/lib/backups.js): sizes, what a backup
// holds, the keep rule, the restore's progress, and the one-line summaries. Run by
// `node --test tests/ui/`.

import test from 'node:test';
import assert from 'node:assert/strict';

import {
  readableSize, countsLines, countsSummary, phaseWords, progressDisplay, retentionSentence,
  keepProblems, backedUpText, lastBackupLine, overviewSummary, backupAlertLead, NOT_THIS_VAULT,
} from '../../ui/lib/backups.js';

const COUNTS = { groups: 3, members: 24, memberships: 30, agreements: 3, signatures: 1, sessions: 180, notes: 1500, incidents: 0, administrations: 12, audit: 2400 };
const MOMENT = /\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d/;

test('sizes read in bytes, KB, MB and GB', () => {
  assert.equal(readableSize(0), '0 bytes');
  assert.equal(readableSize(1), '1 byte');
  assert.equal(readableSize(1023), '1023 bytes');
  assert.equal(readableSize(2048), '2.0 KB');
  assert.equal(readableSize(2.1 * 1024 * 1024), '2.1 MB');
  assert.equal(readableSize(3 * 1024 ** 3), '3.0 GB');
  assert.equal(readableSize(undefined), '0 bytes');
});

test('what a backup holds, in a line and in full', () => {
  assert.equal(countsSummary(COUNTS), '3 groups · 24 members · 180 sessions');
  assert.equal(countsSummary({ ...COUNTS, groups: 1, members: 1, sessions: 1 }), '1 group · 1 member · 1 session');
  assert.equal(countsSummary(null), NOT_THIS_VAULT);
  assert.equal(countsSummary({ groups: 0, members: 0, memberships: 0, agreements: 0, signatures: 0, sessions: 0, notes: 0, incidents: 0, audit: 0 }), 'An empty practice');
  const lines = countsLines(COUNTS);
  assert.equal(lines.length, 10);
  assert.ok(lines.includes('12 answered questionnaires'));
  // A backup made before questionnaires existed has no count for them: none.
  assert.ok(countsLines({ ...COUNTS, administrations: undefined }).includes('0 answered questionnaires'));
  assert.deepEqual(lines.slice(0, 4), ['3 groups', '24 members', '30 memberships', '3 agreements']);
  assert.ok(lines.includes('1 signature'));
  assert.ok(lines.includes('0 incidents'));
  assert.ok(lines.includes(`${(1500).toLocaleString()} notes`));
  assert.ok(lines.includes(`${(2400).toLocaleString()} audit log entries`));
  assert.deepEqual(countsLines(null), []);
});

test('each restore phase says what is happening', () => {
  assert.deepEqual(['reading', 'checking', 'creating', 'writing', 'moving'].map(phaseWords), [
    'Reading the backup file',
    'Decrypting and checking every record',
    'Creating the new vault',
    'Writing the records',
    'Putting the restored vault in place',
  ]);
  assert.equal(phaseWords(null), 'Getting ready');
});

test('the progress bar moves with the steps, or just moves when they are unknown', () => {
  assert.equal(progressDisplay({ running: false, step: null, done: 0, total: 0 }), null);
  assert.equal(progressDisplay(null), null);
  assert.deepEqual(progressDisplay({ running: true, step: 'writing', done: 4, total: 5 }), { words: 'Writing the records', value: 4, max: 5 });
  assert.deepEqual(progressDisplay({ running: true, step: 'reading', done: 0, total: 0 }), { words: 'Reading the backup file', value: null, max: null });
  assert.equal(progressDisplay({ running: true, step: 'writing', done: 140, total: 100 }).value, 100, 'never past the end');
});

test('the keep rule in words, and its limits', () => {
  assert.equal(retentionSentence(10, 12), 'Holdspace keeps the last 10 backups, and one a month for 12 months. Older backups in the folder are removed when a new one is made.');
  assert.equal(retentionSentence(1, 0), 'Holdspace keeps the last 1 backup. Older backups in the folder are removed when a new one is made.');
  assert.deepEqual(keepProblems({ keep_recent: 10, keep_monthly: 12 }), []);
  assert.deepEqual(keepProblems({ keep_recent: 1, keep_monthly: 0 }), []);
  assert.deepEqual(keepProblems({ keep_recent: 100, keep_monthly: 120 }), []);
  assert.deepEqual(keepProblems({ keep_recent: 0, keep_monthly: 121 }).map((p) => p.field), ['keep_recent', 'keep_monthly']);
  assert.deepEqual(keepProblems({ keep_recent: 2.5, keep_monthly: Number.NaN }).map((p) => p.field), ['keep_recent', 'keep_monthly']);
  assert.deepEqual(keepProblems({ keep_recent: 101, keep_monthly: -1 }).map((p) => p.field), ['keep_recent', 'keep_monthly']);
});

test('a backup made now says when, how big, and what the keep rule removed', () => {
  const made = { file_name: 'x.age', created_at: '2026-11-26T14:05:00Z', bytes: 2.1 * 1024 * 1024, counts: COUNTS, removed: 0 };
  assert.match(backedUpText(made), new RegExp(`^Backed up: ${MOMENT.source}, 2\\.1 MB\\.$`));
  assert.match(backedUpText({ ...made, removed: 2 }), / 2 old backups removed by your keep rule\.$/);
  assert.match(backedUpText({ ...made, removed: 1 }), / 1 old backup removed by your keep rule\.$/);
});

test('where backups stand, in one line', () => {
  assert.equal(lastBackupLine({ last_backup_at: null, changed_since_last: true }), 'No backup has been made yet.');
  assert.match(lastBackupLine({ last_backup_at: '2026-11-26T14:05:00Z', changed_since_last: true }), /^Last backup: .+\. Records have changed since then\.$/);
  assert.match(lastBackupLine({ last_backup_at: '2026-11-26T14:05:00Z', changed_since_last: false }), /Nothing has changed since then\.$/);
  assert.match(overviewSummary({ folder: null }), /no backup folder/);
  const base = { folder: '/b', on_lock: true, last_backup_at: '2026-11-26T14:05:00Z', last_failure: null };
  assert.match(overviewSummary(base), /^Last backup: .+\. Automatic backups are on\.$/);
  assert.match(overviewSummary({ ...base, on_lock: false, last_backup_at: null }), /^No backup has been made yet\. Automatic backups are off\.$/);
  assert.match(overviewSummary({ ...base, last_failure: { at: base.last_backup_at, code: 'x', message: 'm' } }), /did not work/);
});

test('the failed-backup alert names the moment when it has one', () => {
  assert.match(backupAlertLead('2026-11-26T18:00:00Z'), new RegExp(`^The automatic backup did not work \\(${MOMENT.source}\\):$`));
  assert.equal(backupAlertLead('not a time'), 'The automatic backup did not work:');
});
