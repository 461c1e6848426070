// Unit tests for the UI's logic modules (pure functions), run by `node --test tests/ui/`.
// Views are exercised end to end (e2e/); what is tested here is what views rely on.

import test from 'node:test';
import assert from 'node:assert/strict';

import { match, ROUTES } from '../../ui/lib/router.js';
import { formatDate, formatMoment, relativeDay, count, initials, matchesFilter, today, daysBetween, readableSession } from '../../ui/lib/format.js';
import { label, signatureBadge, membershipBadge, incidentBadge, groupStatusBadge, GROUP_KINDS, AUDIT_ACTIONS } from '../../ui/lib/labels.js';
import { shouldReport, REPORT_EVERY_MS } from '../../ui/lib/activity.js';
import { strengthVerdict } from '../../ui/lib/strength.js';
import { changedFields } from '../../ui/lib/unsaved.js';
import { hitLine } from '../../ui/lib/search.js';

test('routes match their views and capture ids and query', () => {
  const id = '7f1c2d3e-0000-4000-8000-000000000001';
  for (const [hash, view, params] of [
    ['', 'home', {}],
    ['#/home', 'home', {}],
    ['#/groups', 'groups', {}],
    ['#/groups/new', 'group-form', {}],
    [`#/groups/${id}`, 'group', { id }],
    [`#/groups/${id}?tab=sessions`, 'group', { id, tab: 'sessions' }],
    [`#/groups/${id}/edit`, 'group-form', { id }],
    [`#/groups/${id}/agreement`, 'agreement', { id }],
    [`#/groups/${id}/sessions/new`, 'session', { id }],
    [`#/sessions/${id}`, 'session', { id }],
    ['#/members/new', 'member-form', {}],
    [`#/members/${id}`, 'member', { id }],
    [`#/incidents/new?group=${id}&session=s1`, 'incident-form', { group: id, session: 's1' }],
    ['#/audit', 'audit', {}],
    ['#/settings', 'settings', {}],
    ['#/settings/backups', 'backups', {}],
    ['#/settings/restore', 'restore', {}],
    ['#/no/such/place', 'home', {}],
  ]) {
    const route = match(hash);
    assert.equal(route.view, view, hash);
    assert.deepEqual(route.params, params, hash);
  }
});

test('a window title names the kind of page, never whose it is', () => {
  const id = 'Quillonette Zebracanary';
  assert.equal(match(`#/members/${encodeURIComponent(id)}`).title, 'Member');
  assert.equal(match('#/groups/g1/sessions/new').title, 'New session');
  assert.equal(match('#/no/such/place').title, 'Home');
  for (const [pattern, , , title] of ROUTES) {
    assert.match(title, /^[A-Z][a-z]+( [a-z]+)?$/, pattern);
  }
});

test('backups and restore live under Settings in the sidebar', () => {
  assert.equal(match('#/settings/backups').section, 'settings');
  assert.equal(match('#/settings/restore').section, 'settings');
});

test('every route names a view module that exists', async () => {
  const { existsSync } = await import('node:fs');
  for (const [, view] of ROUTES) {
    assert.ok(existsSync(new URL(`../../ui/views/${view}.js`, import.meta.url)), `ui/views/${view}.js`);
  }
});

test('dates read the way people say them', () => {
  assert.equal(formatDate('2026-11-26'), 'Thu 26 Nov 2026');
  assert.equal(formatDate('2024-02-29'), 'Thu 29 Feb 2024');
  assert.equal(formatDate('nonsense'), '');
  assert.equal(formatDate(null), '');
  assert.equal(formatMoment('not a time'), '');
  assert.match(formatMoment('2026-11-26T14:05:00Z'), /^26 Nov 2026, \d\d:\d\d$|^2[567] Nov 2026, \d\d:\d\d$/);
  assert.equal(today(new Date(2026, 0, 5)), '2026-01-05');
  assert.equal(daysBetween('2026-12-31', '2027-01-02'), 2);
});

test('relative days', () => {
  for (const [date, expected] of [
    ['2026-11-26', 'Today'], ['2026-11-27', 'Tomorrow'], ['2026-11-25', 'Yesterday'],
    ['2026-11-30', 'In 4 days'], ['2026-11-20', '6 days ago'],
  ]) assert.equal(relativeDay(date, '2026-11-26'), expected, date);
});

test('counts, initials and list filters', () => {
  assert.equal(count(1, 'member'), '1 member');
  assert.equal(count(3, 'member'), '3 members');
  assert.equal(count(2, 'person', 'people'), '2 people');
  assert.equal(initials('Ada  Lovelace'), 'A.L.');
  assert.equal(initials('élodie'), 'É.');
  assert.equal(initials(''), '—');
  assert.ok(matchesFilter('Zoë Ångström', 'zoe ang'));
  assert.ok(matchesFilter('anything', '   '));
  assert.ok(!matchesFilter('Ada', 'bob'));
  assert.ok(matchesFilter('<img src=x onerror=alert(1)>', 'onerror'), 'markup is just text');
});

test('labels and badges say the status in words', () => {
  assert.equal(label(GROUP_KINDS, 'psychoeducational'), 'Psychoeducational group');
  assert.equal(label(AUDIT_ACTIONS, 'client_mode_entered'), 'Client mode started');
  assert.equal(label({}, 'some_new_value'), 'some new value');
  assert.equal(label(GROUP_KINDS, null), '');
  assert.deepEqual(signatureBadge({ state: 'signed', version: 2 }), { text: 'Signed v2', tone: 'success' });
  assert.equal(signatureBadge({ state: 'needs_resigning', signed_version: 1 }).text, 'Needs re-signing');
  assert.equal(signatureBadge({ state: 'needs_signature' }).text, 'Needs signature');
  assert.equal(signatureBadge({ state: 'no_agreement' }).text, 'No agreement');
  assert.equal(membershipBadge('waitlisted').text, 'Waitlisted');
  assert.equal(incidentBadge({ resolved_on: null }).text, 'Open incident');
  assert.equal(incidentBadge({ resolved_on: '2026-01-01' }).text, 'Resolved');
});

test('activity is reported at most every few seconds', () => {
  assert.ok(shouldReport(0, REPORT_EVERY_MS));
  assert.ok(!shouldReport(1000, 1000 + REPORT_EVERY_MS - 1));
  assert.ok(shouldReport(1000, 1000 + REPORT_EVERY_MS));
});

test('the meter calls a passphrase strong only when the passphrase rule accepts it', () => {
  assert.deepEqual([0, 1, 2, 3, 4].map((score) => strengthVerdict({ score, acceptable: false })), [
    'Very weak — not strong enough yet.', 'Weak — not strong enough yet.', 'Fair — not strong enough yet.',
    'Almost there — not strong enough yet.', 'Almost there — not strong enough yet.',
  ]);
  assert.equal(strengthVerdict({ score: 4, acceptable: true }), 'Strong — good enough to protect your records.');
  assert.equal(strengthVerdict({ score: undefined, acceptable: false }), 'Very weak — not strong enough yet.');
  for (const verdict of [0, 1, 2, 3, 4].map((score) => strengthVerdict({ score, acceptable: false }))) {
    assert.ok(!/strong —|good enough/i.test(verdict), verdict);
  }
});

test('only fields that differ from what was saved are unsaved', () => {
  const saved = { legal_name: 'Zoë', notes: 'Ελένη\u00a0spoke', group_note: '' };
  assert.deepEqual(changedFields(saved, { ...saved }), {});
  assert.deepEqual(changedFields(saved, { ...saved, notes: 'Ελένη spoke' }), { notes: 'Ελένη spoke' }, 'a non-breaking space is a change');
  assert.deepEqual(changedFields(saved, { ...saved, 'note:m1:progress:0': '' }), {}, 'a new empty field is not a change');
  assert.deepEqual(changedFields(saved, { ...saved, 'note:m1:progress:0': '🌿' }), { 'note:m1:progress:0': '🌿' });
});

test('a session named by its ISO date reads the way people say it', () => {
  assert.equal(readableSession('Session 3, 2026-09-10'), 'Session 3, Thu 10 Sep 2026');
  assert.equal(readableSession('Ταυτότητα — 2026-12-03'), 'Ταυτότητα — Thu 3 Dec 2026');
  assert.equal(readableSession('Opening night'), 'Opening night');
});

test("a group's status is a badge in words", () => {
  assert.deepEqual(groupStatusBadge('running'), { text: 'Running', tone: 'accent' });
  assert.deepEqual(groupStatusBadge('forming'), { text: 'Forming', tone: 'neutral' });
  assert.equal(groupStatusBadge('ended').text, 'Ended');
});

test('a search hit names its record once, with the date in the app style', () => {
  const note = { name: 'Çağrı\u00a0İnce', date: '2026-09-10', kind: 'psychotherapy', title: 'Çağrı\u00a0İnce, 2026-09-10, psychotherapy note' };
  assert.equal(hitLine('notes', note), 'Çağrı\u00a0İnce · Thu 10 Sep 2026 · psychotherapy note');
  assert.equal(hitLine('notes', { ...note, kind: 'progress' }), 'Çağrı\u00a0İnce · Thu 10 Sep 2026 · progress note');
  assert.equal(hitLine('sessions', { name: 'Ελληνική ομάδα', date: '2026-12-03' }), 'Ελληνική ομάδα · Thu 3 Dec 2026');
  assert.equal(hitLine('members', { name: '김민준 🌿' }), '김민준 🌿');
  for (const line of [hitLine('notes', note), hitLine('incidents', { name: 'G', date: '2026-01-02' })]) {
    assert.ok(!/\d{4}-\d{2}-\d{2}/.test(line), line);
  }
});
