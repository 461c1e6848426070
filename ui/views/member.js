// A member's page (/members/:id): their details, groups and signature states, signatures and
// the rules they asked to talk about (marked once talked about), attendance, progress notes,
// psychotherapy notes (kept visibly apart), incidents, questionnaires (safety flags first, a
// chart and table per measure, paper entry) — and the actions: edit, add to group,
// start client mode, print a signed copy, delete (archives when there is history), restore,
// and erase permanently (purge, with a preview of what goes).

import * as ipc from '../ipc.js';
import { h, link, append, replace } from '../lib/dom.js';
import {
  pageHeader, section, emptyState, badge, table, button, field, dialog, confirm, saveStatus,
  submit, notice, noticeForNextPage, takeNotice,
} from '../lib/ui.js';
import { formatDate, formatMoment, today, count } from '../lib/format.js';
import {
  label, MEMBERSHIP_STATUSES, FINAL_MEMBERSHIP_STATUSES, SIGNATURE_METHODS, ATTENDANCE, INCIDENT_KINDS,
  signatureBadge, membershipBadge, incidentBadge,
} from '../lib/labels.js';
import { go } from '../lib/router.js';
import { showView } from '../lib/view.js';
import { startClientMode } from '../lib/client-start.js';
import { printSignedCopy } from '../lib/print-documents.js';
import { questionnairesSection, memberSafetyAlerts } from '../lib/questionnaires.js';
import { handOverRecord } from '../lib/member-record.js';


/** Renders member `params.id` into `page`. */
export async function render(page, params) {
  await showView(page, { load: () => ipc.memberPage(params.id), draw });
}

/** The whole page from `view.data`; `view.notice` (after an action) on top. */
function draw(view) {
  const { data, page } = view;
  const again = (text, tone = 'info') => view.refresh(text && { text, tone });
  const { member } = data.overview;
  replace(page, h('p', { class: 'breadcrumb' }, link('/members', 'Members')));
  page.append(header(data, again));
  append(page, [view.notice ? notice(view.notice.text, view.notice.tone) : takeNotice(), memberSafetyAlerts(data, again)]);
  if (member.archived) {
    page.append(notice(['Archived — kept because they have signatures, notes or attendance, and hidden from daily lists.',
      'Restore them to bring them back, or erase them permanently if you must remove every trace.'], 'warning'));
  }
  append(page, [h('div', { class: 'grid-2 align-start section-gap' }, details(member), groups(data, again)),
    signatures(data, again), questionnairesSection(data, again), attendance(data), progressNotes(data),
    psychotherapyNotes(data), incidents(data)]);
}

function header(data, again) {
  const { member } = data.overview;
  const description = h('span', { class: 'member-facts' },
    member.pronouns ? h('span', {}, member.pronouns) : null,
    member.preferred_name && member.preferred_name !== member.legal_name
      ? h('span', {}, 'Legal name: ', h('span', { class: 'sensitive' }, member.legal_name)) : null,
    member.archived ? badge({ text: 'Archived', tone: 'neutral' }) : null,
    data.overview.open_incidents ? badge({ text: count(data.overview.open_incidents, 'open incident'), tone: 'danger' }) : null);
  const actions = member.archived
    ? [button('Restore', () => restore(data.overview, again), 'secondary'),
      button('Erase permanently…', () => purge(data.overview), 'danger', { 'data-testid': 'purge-member' })]
    : [button('Member’s own record', () => handOverRecord(member.id, data.overview.display_name, again), 'secondary', { 'data-testid': 'member-own-record' }),
      button('Delete…', () => remove(data, again), 'secondary', { 'data-testid': 'delete-member' }),
      button('Add to group', () => addToGroup(data, again), 'secondary', { 'data-testid': 'add-to-group' })];
  const node = pageHeader(data.overview.display_name, description,
    ...actions,
    button('Edit', () => go(`/members/${member.id}/edit`), 'primary', { 'data-testid': 'edit-member' }));
  node.querySelector('h1').classList.add('sensitive');
  return node;
}

// ——— Sections ———

function details(member) {
  const facts = [
    ['Legal name', member.legal_name, true],
    ['Preferred name', member.preferred_name, true],
    ['Pronouns', member.pronouns],
    ['Date of birth', formatDate(member.date_of_birth)],
    ['Phone', member.phone, true],
    ['Email', member.email, true],
    ['Emergency contact', member.emergency_contact, true],
    ['Individual therapist', member.individual_therapist],
    ['Referral source', member.referral_source],
    ['Intake notes', member.intake_notes],
    ['Goals', member.goals],
  ];
  return section('Contact and details', h('dl', { class: 'facts' }, facts.map(([term, value, sensitive]) => [
    h('dt', {}, term),
    value ? h('dd', { class: sensitive ? 'sensitive' : null }, value) : h('dd', { class: 'muted' }, 'Not recorded'),
  ])));
}

function groups(data, again) {
  const rows = data.overview.groups;
  if (rows.length === 0) {
    return section('Groups', emptyState('Not in a group yet',
      'Use "Add to group" above to put them on a roster — waitlisted, screened or active. Past sessions never change when people join or leave.'));
  }
  return section('Groups', h('ul', { class: 'list-plain' }, rows.map((g) => h('li', {},
    link(`/groups/${g.membership.group}`, g.group_name),
    badge(membershipBadge(g.membership.status)),
    badge(signatureBadge(g.signature)),
    h('span', { class: 'muted' }, membershipDates(g.membership)),
    clientModeButton(data, g, again)))));
}

/** "Start client mode" for a group they are in now: its agreement, questionnaires, or both. */
function clientModeButton(data, entry, again) {
  if (entry.is_final || data.overview.member.archived) return null;
  const { member } = data.overview;
  return button('Start client mode', async () => {
    const error = await startClientMode({
      memberId: member.id, groupId: entry.membership.group, name: data.overview.display_name,
      returnTo: `/members/${member.id}`, agreement: agreementState(entry.signature),
    });
    if (error) await again(`Client mode did not start. ${error.message}`, 'danger');
  }, 'secondary small', { 'data-testid': `start-client-mode-${entry.membership.group}` });
}

/** What the agreement offers client mode: 'to_sign', 'signed' or 'none'. */
function agreementState(signature) {
  if (signature?.state === 'signed') return 'signed';
  return signature?.state === 'no_agreement' || !signature ? 'none' : 'to_sign';
}

function membershipDates(ms) {
  const parts = [];
  if (ms.joined) parts.push(`joined ${formatDate(ms.joined)}`);
  if (ms.left) parts.push(`left ${formatDate(ms.left)}`);
  if (ms.reason) parts.push(ms.reason);
  return parts.join(' · ');
}

function signatures(data, again) {
  const { signatures: list } = data.overview;
  const groupNames = new Map(data.overview.groups.map((g) => [g.membership.group, g.group_name]));
  const body = list.length === 0
    ? emptyState('No signatures yet', 'When they sign a group\'s agreement — in client mode on this computer, or on paper — it is recorded here.')
    : table([
      { label: 'Group', cell: (s) => groupNames.get(s.group) ?? '—' },
      { label: 'Version', cell: (s) => `v${s.version_number}` },
      { label: 'Signed', cell: (s) => formatMoment(s.signed_at), className: 'nowrap' },
      { label: 'Typed name', cell: (s) => h('span', { class: 'sensitive' }, s.typed_name) },
      { label: 'Method', cell: (s) => label(SIGNATURE_METHODS, s.method) },
      { label: 'Status', cell: (s) => h('div', { class: 'cell-stack' }, signatureStatus(s),
        button('Print signed copy', () => printCopy(s, groupNames.get(s.group) ?? ''), 'text-button', { 'data-testid': `print-signed-copy-${s.id}` })) },
    ], list, { caption: 'Signatures' });
  return section('Signatures', body, discuss(data, again));
}

/**
 * Prints the signed copy: the text of the very version signed, found by its id (two versions
 * can have the same words, and so the same hash, under different numbers).
 */
async function printCopy(signature, groupName) {
  try {
    const page = await ipc.groupPage(signature.group);
    const row = page.agreement.find((a) => a.version.id === signature.agreement);
    if (!row) throw new Error('The signed version of this agreement could not be found, so no copy was printed.');
    await printSignedCopy(groupName || page.summary.group.name, row.version, signature);
  } catch (error) {
    await dialog('Could not print the signed copy', (close) => h('div', {}, h('p', {}, error.message),
      h('div', { class: 'dialog-actions' }, button('Close', () => close(null), 'primary'))));
  }
}

function signatureStatus(s) {
  if (!s.withdrawal) return badge({ text: 'In force', tone: 'success' });
  return h('div', { class: 'stack-tight' },
    badge({ text: 'Withdrawn', tone: 'neutral' }),
    h('span', { class: 'muted' }, formatMoment(s.withdrawal.at)),
    s.withdrawal.reason ? h('span', {}, s.withdrawal.reason) : null);
}

function discuss(data, again) {
  if (data.discuss.length === 0) return null;
  return h('div', { class: 'subsection' },
    h('h3', {}, 'Rules they asked to talk about'),
    h('ul', { class: 'list-plain', 'data-testid': 'member-discuss' }, data.discuss.map((d) => h('li', { class: 'split' },
      h('div', {},
        h('strong', {}, d.heading), ' ',
        h('span', { class: 'muted' }, `${d.group_name}, agreement v${d.version}`)),
      d.talked_about
        ? h('span', { class: 'muted' }, `Talked about ${formatMoment(d.talked_about)}`)
        : button('Talked about', () => markTalkedAbout(d, again), 'secondary', {
          'data-testid': `talked-about-${d.signature}-${d.clause}`,
          'aria-label': `Mark “${d.heading}” as talked about`,
        })))));
}

async function markTalkedAbout(row, again) {
  try {
    await ipc.markTalkedAbout(row.signature, row.clause);
    await again(`“${row.heading}” is marked as talked about.`);
  } catch (error) {
    await again(error.message, 'danger');
  }
}

function attendance(data) {
  const o = data.overview;
  if (data.attendance.length === 0) {
    return section('Attendance', emptyState('No sessions recorded', 'Attendance appears here once you record a session of one of their groups.'));
  }
  const rate = o.attendance_rate === null ? '' : ` (${Math.round(o.attendance_rate * 100)}%)`;
  return section('Attendance',
    h('p', { class: 'attendance-rate' }, h('strong', {}, `Attended ${o.sessions_attended} of ${count(o.sessions_recorded, 'recorded session')}${rate}`),
      h('span', { class: 'muted' }, ' — present or late counts as attended.')),
    table([
      { label: 'Date', cell: (a) => formatDate(a.date), className: 'nowrap' },
      { label: 'Group', cell: (a) => a.group_name },
      { label: 'Session', cell: (a) => link(`/sessions/${a.session}`, `Session ${a.number}`) },
      { label: 'Attendance', cell: (a) => attendanceWord(a.attendance) },
    ], data.attendance, { onOpen: (a) => go(`/sessions/${a.session}`), caption: 'Attendance' }));
}

function attendanceWord(value) {
  const tone = { present: 'success', late: 'accent', excused: 'neutral', absent: 'warning' }[value] ?? 'neutral';
  return badge({ text: label(ATTENDANCE, value), tone });
}

/** Notes, newest first; beyond the first few, older ones wait behind a "Show" button. */
function noteList(notes, className, shown = 3) {
  const note = (n) => h('article', { class: className },
    h('p', { class: 'note-meta' }, link(`/sessions/${n.session}`, formatDate(n.date)), h('span', { class: 'muted' }, ` · ${n.group_name}`)),
    h('p', { class: 'note-text' }, n.text));
  const list = h('div', { class: 'stack' }, notes.slice(0, shown).map(note));
  if (notes.length > shown) {
    const more = button(`Show ${count(notes.length - shown, 'older note')}`, () => {
      more.replaceWith(...notes.slice(shown).map(note));
    }, 'secondary small');
    list.append(more);
  }
  return list;
}

function progressNotes(data) {
  return section('Progress notes', data.progress_notes.length === 0
    ? emptyState('No progress notes', 'Write a progress note for them from a session\'s page; it is part of their record.')
    : noteList(data.progress_notes, 'note-box'));
}

function psychotherapyNotes(data) {
  const notes = data.psychotherapy_notes;
  return h('section', { class: 'card psychotherapy-section', 'aria-label': 'Psychotherapy notes' },
    h('h2', {}, 'Psychotherapy notes'),
    h('p', { class: 'psychotherapy-label' }, 'Psychotherapy notes — kept apart; never included in a record export.'),
    notes.length === 0
      ? h('p', { class: 'muted' }, 'None. Your own process notes from a session go here, separate from the record.')
      : noteList(notes, 'note-box psychotherapy'));
}

function incidents(data) {
  if (data.incidents.length === 0) return null;
  return section('Incidents', h('ul', { class: 'list-plain' }, data.incidents.map((row) => h('li', {},
    badge(incidentBadge(row.incident)),
    link(`/incidents/${row.incident.id}`, label(INCIDENT_KINDS, row.incident.kind)),
    h('span', { class: 'muted' }, `${row.group_name} · ${formatDate(row.incident.date)}`)))));
}

// ——— Actions ———

function hasHistory(data) {
  const { overview } = data;
  return overview.signatures.length > 0 || overview.sessions_recorded > 0
    || overview.progress_notes + overview.psychotherapy_notes > 0 || data.measures.length > 0;
}

async function remove(data, again) {
  const { overview } = data;
  const name = overview.display_name;
  const archive = hasHistory(data);
  const ok = await confirm({
    title: archive ? `Archive ${name}?` : `Delete ${name}?`,
    body: archive
      ? [`${name} has history — ${historySummary(overview)} — so they will be archived, not deleted.`,
        'Archiving hides them from daily lists and keeps everything. You can restore them later.']
      : [`${name} has no signatures, notes or attendance, so they will be deleted, with ${count(overview.groups.length, 'group membership', 'group memberships')}.`,
        'This can\'t be undone.'],
    confirmLabel: archive ? 'Archive member' : 'Delete member',
    danger: !archive,
  });
  if (!ok) return;
  try {
    const outcome = await ipc.deleteMember(overview.member.id);
    if (outcome === 'deleted') {
      noticeForNextPage(`${name} was deleted.`);
      go('/members');
    } else {
      await again(`${name} has history, so they were archived rather than deleted. Everything is kept.`);
    }
  } catch (error) {
    await again(error.message, 'danger');
  }
}

function historySummary(o) {
  const parts = [];
  if (o.signatures.length) parts.push(count(o.signatures.length, 'signature'));
  if (o.sessions_recorded) parts.push(`attendance at ${count(o.sessions_recorded, 'session')}`);
  const notes = o.progress_notes + o.psychotherapy_notes;
  if (notes) parts.push(count(notes, 'note'));
  return parts.join(', ');
}

async function restore({ member, display_name: name }, again) {
  try {
    await ipc.saveMember({ ...member, archived: false });
    await again(`${name} is restored and shows in daily lists again.`);
  } catch (error) {
    await again(error.message, 'danger');
  }
}

async function purge({ member, display_name: name }) {
  let preview;
  try {
    preview = await ipc.purgePreview(member.id);
  } catch (error) {
    await dialog('Could not prepare the erase', (close) => h('div', {}, h('p', {}, error.message),
      h('div', { class: 'dialog-actions' }, button('Close', () => close(null), 'primary'))));
    return;
  }
  const erased = await dialog(`Erase ${name} permanently?`, (close) => purgeBody(name, preview, member, close));
  if (erased) {
    const files = erased.erased
      ? ' Nothing of them is left in the vault\'s files.'
      : ' They will be erased from the vault\'s files at the next lock after you unlock with your passphrase (Holdspace was unlocked with the recovery code).';
    noticeForNextPage(`${name} was erased permanently: ${purgeSummary(erased)}.${files}`);
    go('/members');
  }
}

function purgeBody(name, preview, member, close) {
  const status = saveStatus();
  const erase = h('button', { type: 'button', class: 'danger', 'data-testid': 'confirm-purge' }, 'Erase permanently');
  const bar = h('progress', { max: '1', hidden: true, 'aria-label': 'Erasing from the vault\'s files' });
  erase.addEventListener('click', async () => {
    erase.disabled = true;
    status.saving('Erasing…');
    const timer = setInterval(async () => {
      const p = await ipc.rotationProgress().catch(() => null);
      if (p?.running && p.total > 0) {
        bar.hidden = false;
        bar.max = p.total;
        bar.value = p.done;
        status.saving(`Erasing from the vault's files… ${Math.floor((100 * p.done) / p.total)}%`);
      }
    }, 200);
    try {
      close(await ipc.purgeMember(member.id));
    } catch (error) {
      status.failed(error.message);
      erase.disabled = false;
    } finally {
      clearInterval(timer);
      bar.hidden = true;
    }
  });
  return h('div', {},
    h('p', {}, `This removes ${name} and everything about them from the vault. It can't be undone, and restoring an older backup is the only way back.`),
    h('ul', { class: 'purge-counts' },
      h('li', {}, 'Their member record'),
      h('li', {}, count(preview.memberships, 'group membership', 'group memberships')),
      h('li', {}, count(preview.signatures, 'signature')),
      h('li', {}, count(preview.notes, 'note'), ' (progress and psychotherapy)'),
      h('li', {}, count(preview.administrations ?? 0, 'questionnaire'), ' they answered'),
      h('li', {}, `Their attendance at ${count(preview.attendance_entries, 'session')} (the sessions stay)`),
      h('li', {}, `Their name on ${count(preview.incidents, 'incident')} (the incidents stay)`)),
    h('p', {}, 'Holdspace then re-encrypts the vault under a new key into fresh files and removes the old ones, so no copy of what was erased is left in the vault. This takes a moment in a large practice. The audit log keeps a line saying a member was erased. Backups made before still hold them until they are removed.'),
    bar,
    h('div', { class: 'dialog-actions' },
      status.node,
      h('button', { type: 'button', class: 'secondary', onclick: () => close(null) }, 'Cancel'),
      erase));
}

function purgeSummary(report) {
  return [count(report.signatures, 'signature'), count(report.notes, 'note'),
    `${count(report.attendance_entries, 'attendance entry', 'attendance entries')}`].join(', ');
}

async function addToGroup(data, again) {
  const choices = data.other_groups;
  const name = data.overview.display_name;
  const added = await dialog(`Add ${name} to a group`, (close) => (choices.length === 0
    ? h('div', {},
      h('p', {}, data.overview.groups.length === 0
        ? 'There are no groups yet. Create a group first; then add members to its roster.'
        : 'They are already on the roster of every group.'),
      h('div', { class: 'dialog-actions' }, button('Close', () => close(null), 'primary')))
    : addForm(data, choices, close)));
  if (added) await again(`${name} was added to ${added.groupName} as ${label(MEMBERSHIP_STATUSES, added.status).toLowerCase()}.`);
}

function addForm(data, choices, close) {
  const status = saveStatus();
  const form = h('form', { class: 'stack', novalidate: true },
    field({ label: 'Group', name: 'group', kind: 'select', options: choices.map((g) => [g.id, g.name]), value: choices[0].id }),
    field({ label: 'Status', name: 'status', kind: 'select', value: 'active',
      options: Object.entries(MEMBERSHIP_STATUSES).filter(([v]) => !FINAL_MEMBERSHIP_STATUSES.has(v)) }),
    field({ label: 'Joined', name: 'joined', kind: 'date', value: today(), hint: 'Their first session as an active member. Leave empty while waitlisted or screened.' }),
    h('div', { class: 'dialog-actions' },
      status.node,
      h('button', { type: 'button', class: 'secondary', onclick: () => close(null) }, 'Cancel'),
      h('button', { type: 'submit', class: 'primary', 'data-testid': 'confirm-add-to-group' }, 'Add to group')));
  form.elements.status.addEventListener('change', () => {
    const e = form.elements;
    if (e.status.value !== 'active') e.joined.value = '';
    else if (!e.joined.value) e.joined.value = today();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const e = form.elements;
    const group = e.group.value;
    const joined = e.joined.value || null;
    const result = await submit(form, status, () => ipc.addToGroup(group, [data.overview.member.id], e.status.value, joined));
    if (result) close({ groupName: choices.find((g) => g.id === group)?.name ?? 'the group', status: e.status.value });
  });
  return form;
}
