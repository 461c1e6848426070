// A group's page (/groups/ID?tab=…): the header with kind, status and schedule, and four tabs —
// the roster (add, change status, remove, paper signatures, start client mode), sessions, the
// agreement with its versions and signers (withdraw a signature, print the handout), and
// incidents. Tabs switch in place.

import * as ipc from '../ipc.js';
import { h, link, replace } from '../lib/dom.js';
import {
  pageHeader, section, emptyState, badge, table, button, tabs, dialog, dialogForm, confirm,
  field, freshId, takeNoticeText,
} from '../lib/ui.js';
import { formatDate, formatMoment, count, today, matchesFilter } from '../lib/format.js';
import {
  label, GROUP_KINDS, MEMBERSHIP_STATUSES, FINAL_MEMBERSHIP_STATUSES, SIGNATURE_METHODS, INCIDENT_KINDS,
  WEEKDAYS, FREQUENCIES, signatureBadge, membershipBadge, incidentBadge, groupStatusBadge,
} from '../lib/labels.js';
import { go } from '../lib/router.js';
import { showView } from '../lib/view.js';
import { startClientMode } from '../lib/client-start.js';
import { printHandout } from '../lib/print-documents.js';
import { menuButton } from '../lib/menu.js';

const TABS = ['roster', 'sessions', 'agreement', 'questionnaires', 'incidents'];

/** Renders group `params.id` into `page`, on the tab named by `params.tab`. */
export async function render(page, params) {
  page.classList.add('group-page');
  await showView(page, {
    load: () => ipc.groupPage(params.id),
    draw,
    state: { id: params.id, tab: TABS.includes(params.tab) ? params.tab : 'roster', notice: takeNoticeText() },
    afterRefresh: (view) => view.page.querySelector(`#tab-${view.tab}`)?.focus(),
  });
}

function draw(view) {
  const { group } = view.data.summary;
  view.tabsSlot = h('div', {});
  replace(view.page,
    h('p', { class: 'breadcrumb' }, link('/groups', '← Groups')),
    pageHeader(group.name, describe(group),
      button('Edit group', () => go(`/groups/${group.id}/edit`), 'secondary'),
      button('Record a session', () => go(`/groups/${group.id}/sessions/new`), 'primary', { 'data-testid': 'record-session' })),
    facts(view.data.summary),
    view.tabsSlot);
  drawTabs(view);
}

/** "Process group · Running · Thursdays at 18:00, 90 minutes, weekly". */
function describe(group) {
  return [label(GROUP_KINDS, group.kind), scheduleText(group.schedule) ?? 'No regular schedule']
    .filter(Boolean).join(' · ');
}

export function scheduleText(schedule) {
  if (!schedule) return null;
  const day = label(WEEKDAYS, schedule.weekday);
  const often = schedule.frequency === 'weekly' ? 'every week' : 'every two weeks';
  return `${day}s at ${schedule.start}, ${schedule.length_minutes} minutes, ${often}`;
}

function facts(summary) {
  const { group } = summary;
  const where = group.location.trim().toLowerCase() === 'video' ? 'By video' : group.location;
  const dates = group.start_date || group.end_date
    ? `${group.start_date ? formatDate(group.start_date) : 'open start'} – ${group.end_date ? formatDate(group.end_date) : 'ongoing'}`
    : null;
  const items = [
    badge(groupStatusBadge(group.status)),
    `${summary.active} active${group.capacity ? ` of ${group.capacity}` : ''}${summary.waiting ? `, ${summary.waiting} waiting` : ''}`,
    group.enrollment === 'open' ? 'Enrollment open' : 'Enrollment closed',
    where || null,
    dates,
    group.co_facilitator ? `With ${group.co_facilitator}` : null,
  ].filter(Boolean);
  return h('div', { class: 'group-facts' },
    h('ul', { class: 'facts-line' }, items.map((item) => h('li', {}, item))),
    group.focus ? h('p', { class: 'group-focus' }, group.focus) : null);
}

function drawTabs(view) {
  const { data } = view;
  const open = data.incidents.filter((i) => !i.incident.resolved_on).length;
  const current = data.agreement[0]?.version;
  const items = [
    { id: 'roster', label: `Roster (${data.roster.length})`, render: () => rosterTab(view) },
    { id: 'sessions', label: `Sessions (${data.sessions.length})`, render: () => sessionsTab(view) },
    { id: 'agreement', label: current ? `Agreement (v${current.number})` : 'Agreement', render: () => agreementTab(view) },
    { id: 'questionnaires', label: 'Questionnaires', render: () => questionnairesTab(view) },
    { id: 'incidents', label: open ? `Incidents (${open} open)` : `Incidents (${data.incidents.length})`, render: () => incidentsTab(view) },
  ];
  const notice = view.notice
    ? h('div', { class: `notice notice-row notice-${view.notice.tone}`, role: view.notice.tone === 'danger' ? 'alert' : 'status' },
      h('p', {}, view.notice.text),
      h('button', { type: 'button', class: 'text-button', onclick: () => { view.notice = null; drawTabs(view); } }, 'Dismiss'))
    : null;
  replace(view.tabsSlot, notice, tabs(items, view.tab, (id) => selectTab(view, id)));
}

function selectTab(view, id) {
  view.tab = id;
  globalThis.history.replaceState(null, '', `#/groups/${view.id}?tab=${id}`);
  drawTabs(view);
  view.tabsSlot.querySelector(`#tab-${id}`)?.focus();
}

// ——— Roster ———

function rosterTab(view) {
  const { roster, candidates } = view.data;
  const add = button('Add member', () => addMember(view), 'secondary', { 'data-testid': 'add-member' });
  const head = h('div', { class: 'tab-head' },
    h('p', { class: 'muted' }, 'Everyone who is, was or will be in this group. Past sessions keep their attendance when someone leaves.'),
    add);
  if (roster.length === 0) {
    return h('div', {}, head, emptyState('No members yet',
      candidates.length
        ? 'Add members from your practice to this group. Each one signs the group\'s agreement before or at their first session.'
        : 'Add people on the Members page first, then put them on this group\'s roster.',
      candidates.length ? null : link(`/members/new?group=${view.id}`, 'Add a new member to this group')));
  }
  const hasAgreement = view.data.agreement.length > 0;
  const wrap = table([
    { label: 'Member', className: 'keep-words member-cell', cell: (r) => h('span', { class: 'sensitive' }, link(`/members/${r.membership.member}`, r.display_name)) },
    { label: 'Status', cell: (r) => badge(membershipBadge(r.membership.status)) },
    { label: 'Agreement', cell: (r) => agreementCell(r) },
    { label: 'Joined', className: 'nowrap', cell: (r) => (r.membership.joined ? shortDate(r.membership.joined) : h('span', { class: 'muted' }, '—')) },
    { label: 'Left', className: 'nowrap', cell: leftCell },
    { label: 'Actions', className: 'actions-cell', cell: (r) => rosterActions(view, r, hasAgreement) },
  ], roster, { caption: 'Roster' });
  for (const tr of wrap.querySelectorAll('tbody tr')) tr.setAttribute('data-testid', 'roster-row');
  return h('div', {}, head, wrap);
}

/** "14 Apr 2026": a date without its weekday, for narrow columns. */
function shortDate(iso) {
  return formatDate(iso).replace(/^\S+ /, '');
}

function leftCell(r) {
  if (!r.membership.left) return h('span', { class: 'muted' }, '—');
  return h('span', {}, shortDate(r.membership.left),
    r.membership.reason ? h('span', { class: 'muted sensitive cell-note' }, r.membership.reason) : null);
}

function agreementCell(entry) {
  const state = signatureBadge(entry.signature);
  const talk = entry.discuss_headings.length
    ? h('span', { class: 'cell-note' }, `Wants to talk about: ${entry.discuss_headings.join('; ')}`)
    : null;
  return h('div', { class: 'cell-stack' }, badge(entry.is_final ? { ...state, tone: 'neutral' } : state), talk);
}

/** One menu per row: signing (in client mode or on paper), the member's place, removal. */
function rosterActions(view, entry, hasAgreement) {
  const member = entry.membership.member;
  return menuButton('Actions', [
    entry.is_final ? null : { label: 'Client mode…', onSelect: () => handOver(view, entry, { agreement: agreementStep(entry, hasAgreement) }), attrs: { 'data-testid': `start-client-mode-${member}` } },
    hasAgreement && entry.needs_signature ? { label: 'Record a paper signature…', onSelect: () => paperSignature(view, entry), attrs: { 'data-testid': `paper-signature-${member}` } } : null,
    { label: 'Change status…', onSelect: () => changeStatus(view, entry), attrs: { 'data-testid': `change-status-${member}` } },
    { label: 'Remove from group…', onSelect: () => removeMember(view, entry), danger: true, attrs: { 'data-testid': `remove-${member}` } },
  ], { name: entry.display_name, attrs: { 'data-testid': `roster-actions-${member}` } });
}

/** Where `entry`'s member stands with the agreement step: 'none', 'signed' or 'to_sign'. */
function agreementStep(entry, hasAgreement) {
  if (!hasAgreement) return 'none';
  return entry.signature?.state === 'signed' ? 'signed' : 'to_sign';
}

/**
 * Hands the computer to `entry`'s member: this group's agreement, questionnaires, or both.
 * `plan` is what the start dialog offers first ({agreement, measures}).
 */
async function handOver(view, entry, plan) {
  const error = await startClientMode({
    memberId: entry.membership.member, groupId: view.id, name: entry.display_name,
    returnTo: `/groups/${view.id}`, ...plan,
  });
  if (error) {
    view.notice = { tone: 'danger', text: `Client mode did not start. ${error.message}` };
    drawTabs(view);
  }
}

function statusOptions() {
  return Object.entries(MEMBERSHIP_STATUSES);
}

async function addMember(view) {
  const { candidates, summary } = view.data;
  const newMember = () => go(`/members/new?group=${view.id}`);
  const added = await dialog(`Add members to ${summary.group.name}`, (close) => {
    if (candidates.length === 0) {
      return h('div', {},
        h('p', {}, 'Everyone in your practice is already on this roster. Add a new member to the practice and to this group in one step.'),
        h('div', { class: 'dialog-actions' },
          h('button', { type: 'button', class: 'secondary', onclick: () => close(null) }, 'Close'),
          h('button', { type: 'button', class: 'primary', 'data-testid': 'new-member-for-group', onclick: () => { close(null); newMember(); } }, 'New member')));
    }
    const who = candidateChoice(candidates);
    const joined = field({ label: 'Joined', name: 'joined', kind: 'date', value: today(), hint: 'First day as an active member. Needed for active members.' });
    const status = field({ label: 'Status', name: 'status', kind: 'select', value: 'active', options: statusOptions().filter(([v]) => !FINAL_MEMBERSHIP_STATUSES.has(v)), hint: 'For everyone chosen. Waitlisted or screened members are not yet in the room.' });
    const elsewhere = h('p', { class: 'hint' }, 'Not in your practice yet? ',
      h('button', { type: 'button', class: 'text-button', 'data-testid': 'new-member-for-group', onclick: () => { close(null); newMember(); } }, 'Add a new member to this group'));
    return dialogForm(close, [who, status, joined, elsewhere], 'Add to group', async (form) => {
      const members = [...form.querySelectorAll('[name="member"]:checked')].map((box) => box.value);
      if (members.length === 0) throw { field: 'member', message: 'Choose at least one person to add.' };
      const get = (name) => form.querySelector(`[name="${name}"]`).value;
      return ipc.addToGroup(view.id, members, get('status'), get('joined') || null);
    }, { 'data-testid': 'add-member-confirm' });
  }, { wide: true });
  if (added) {
    const names = added.map((m) => candidates.find((c) => c.id === m.member)?.name ?? 'A member');
    const as = label(MEMBERSHIP_STATUSES, added[0].status).toLowerCase();
    await view.refresh({ tone: 'info', text: `${listNames(names)} ${names.length === 1 ? 'is' : 'are'} on the roster as ${as}.` });
  }
}

/** Tick boxes for the people not on the roster, with a filter once there are many. */
function candidateChoice(candidates) {
  const errorId = freshId('err');
  const boxes = candidates.map((c) => {
    const id = freshId('cand');
    return h('li', { 'data-testid': 'candidate' },
      h('input', { type: 'checkbox', id, name: 'member', value: c.id, 'aria-describedby': errorId }),
      h('label', { for: id, class: 'sensitive' }, c.name));
  });
  const list = h('ul', { class: 'choice-list' }, boxes);
  const filter = candidates.length > 8
    ? h('input', { type: 'search', class: 'choice-filter', placeholder: 'Find by name', 'aria-label': 'Find a member by name', autocomplete: 'off',
      oninput: (e) => {
        for (const [i, box] of boxes.entries()) box.hidden = !matchesFilter(candidates[i].name, e.target.value);
      } })
    : null;
  const labelId = freshId('who');
  return h('div', { class: 'field member-choices', 'data-field': 'member', role: 'group', 'aria-labelledby': labelId },
    h('span', { class: 'field-label', id: labelId }, 'Who joins'),
    filter, list,
    h('p', { class: 'field-error', id: errorId, role: 'alert' }));
}

/** "Ana, Bo and Zoë". */
function listNames(names) {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

async function changeStatus(view, entry) {
  const m = entry.membership;
  const toAsk = m.status === 'active' ? await unansweredBeforeLeaving(m.id) : [];
  let askFirst = false;
  const saved = await dialog(`Change ${entry.display_name}'s place in the group`, (close) => {
    const status = field({ label: 'Status', name: 'status', kind: 'select', value: m.status, options: statusOptions() });
    const joined = field({ label: 'Joined', name: 'joined', kind: 'date', value: m.joined ?? '' });
    const left = field({ label: 'Left', name: 'left', kind: 'date', value: m.left ?? '', hint: 'Last day, for completed or withdrawn members.' });
    const reason = field({ label: 'Reason or note', name: 'reason', value: m.reason, hint: 'Optional, e.g. "moved away" or "finished the programme".', attrs: { autocomplete: 'off' } });
    const leaving = toAsk.length === 0 ? null
      : leavingNotice(entry, toAsk, () => { askFirst = true; close(null); });
    const statusInput = status.querySelector('select');
    const leftInput = left.querySelector('input');
    const syncLeft = () => {
      const final = FINAL_MEMBERSHIP_STATUSES.has(statusInput.value);
      left.hidden = !final;
      if (leaving) leaving.hidden = !final;
      if (final && !leftInput.value) leftInput.value = today();
      if (!final) leftInput.value = '';
    };
    statusInput.addEventListener('change', syncLeft);
    syncLeft();
    return dialogForm(close, [status, joined, left, leaving, reason], 'Save', (form) => {
      const get = (name) => form.querySelector(`[name="${name}"]`).value;
      return ipc.updateMembership({
        ...m, status: get('status'), joined: get('joined') || null, left: get('left') || null, reason: get('reason').trim(),
      });
    });
  });
  if (askFirst) {
    await handOver(view, entry, { agreement: 'none', measures: toAsk.map((u) => u.measure) });
    return;
  }
  if (saved) await view.refresh({ tone: 'info', text: `${entry.display_name} is now ${label(MEMBERSHIP_STATUSES, saved.status).toLowerCase()}.` });
}

/** The group's questionnaires an active member has not answered lately, or none if asking fails. */
async function unansweredBeforeLeaving(membership) {
  try {
    return await ipc.unansweredBeforeLeaving(membership);
  } catch {
    return [];
  }
}

/**
 * Shown while a leaving status is chosen: which of the group's questionnaires the member has
 * not answered in the last two weeks, and a way to ask them before recording that they leave.
 */
function leavingNotice(entry, toAsk, askFirst) {
  const asked = toAsk.map((u) => (u.last_answered
    ? `${u.measure_name} (last on ${formatDate(u.last_answered)})`
    : `${u.measure_name} (never in this group)`));
  return h('div', { class: 'notice notice-info', role: 'status', 'data-testid': 'leaving-questionnaires' },
    h('p', {}, `Before ${entry.display_name} leaves: an ending is when this group’s questionnaires count most. Not answered in the last two weeks: ${listNames(asked)}.`),
    h('p', {}, button('Ask in client mode first…', askFirst, 'secondary', { 'data-testid': 'ask-before-leaving' })));
}

async function removeMember(view, entry) {
  const group = view.data.summary.group.name;
  const ok = await confirm({
    title: `Remove ${entry.display_name} from ${group}?`,
    body: [
      `${entry.display_name} will be taken off this group's roster. Their member record stays in Holdspace.`,
      'If they have attendance or notes in this group, Holdspace keeps them on the roster — mark them completed or withdrawn instead.',
    ],
    confirmLabel: 'Remove from group',
    danger: true,
  });
  if (!ok) return;
  try {
    await ipc.removeFromGroup(entry.membership.id);
    await view.refresh({ tone: 'info', text: `${entry.display_name} was removed from ${group}.` });
  } catch (error) {
    view.notice = { tone: 'danger', text: error.message };
    drawTabs(view);
  }
}

async function paperSignature(view, entry) {
  const current = view.data.agreement[0].version;
  const signed = await dialog('Record a paper signature', (close) => {
    const typed = field({
      label: 'Full name as written on the paper copy', name: 'typed_name', value: '', required: true,
      hint: `Records that ${entry.display_name} signed a paper copy of version ${current.number} ("${current.text.title}") and that the copy is on file.`,
      attrs: { autocomplete: 'off', class: 'sensitive' },
    });
    return dialogForm(close, [typed], 'Record signature', (form) => {
      const name = form.querySelector('[name="typed_name"]').value.trim();
      if (!name) throw { field: 'typed_name', message: 'Type the name exactly as it is written on the paper copy.' };
      return ipc.recordPaperSignature(entry.membership.member, view.id, name);
    }, { 'data-testid': 'paper-signature-confirm' });
  });
  if (signed) await view.refresh({ tone: 'info', text: `Paper signature recorded for ${entry.display_name} (version ${current.number}).` });
}

// ——— Sessions ———

function sessionsTab(view) {
  const { sessions, summary } = view.data;
  if (sessions.length === 0) {
    return emptyState('No sessions yet',
      'After each meeting, record the session: attendance with one click per member, a note on the group, and a note per member.',
      button('Record a session', () => go(`/groups/${summary.group.id}/sessions/new`), 'primary'));
  }
  return table([
    { label: 'No.', cell: (s) => String(s.number), className: 'num' },
    { label: 'Date', cell: (s) => formatDate(s.date) },
    { label: 'Time', cell: (s) => s.start ?? h('span', { class: 'muted' }, '—') },
    { label: 'Topic', cell: (s) => s.topic || h('span', { class: 'muted' }, 'No topic') },
    { label: 'Attended', cell: (s) => (s.recorded ? `${s.attended} of ${s.recorded}` : h('span', { class: 'muted' }, 'Not recorded')) },
  ], sessions, { onOpen: (s) => go(`/sessions/${s.id}`), caption: 'Sessions, newest first' });
}

// ——— Agreement ———


function agreementTab(view) {
  const { agreement, summary } = view.data;
  const edit = button('Edit agreement', () => go(`/groups/${summary.group.id}/agreement`), 'secondary', { 'data-testid': 'edit-agreement' });
  if (agreement.length === 0) {
    return emptyState('No agreement yet', 'The agreement holds the group\'s ground rules in plain language. Members sign it before they join.', edit);
  }
  const [current, ...older] = agreement;
  const handout = button('Print ground-rules handout', () => printHandout(summary.group.name, current.version), 'secondary', { 'data-testid': 'print-handout' });
  return h('div', {},
    section(`Current: version ${current.version.number} — ${current.version.text.title}`,
      h('div', { class: 'tab-head' }, versionFacts(current.version), h('div', { class: 'row' }, handout, edit)),
      signerList(view, current, true)),
    older.length ? h('h2', { class: 'history-heading' }, 'Earlier versions') : null,
    older.map((row) => section(`Version ${row.version.number} — ${row.version.text.title}`,
      versionFacts(row.version),
      signerList(view, row, false))));
}

function versionFacts(version) {
  return h('p', { class: 'muted' },
    `Effective ${formatDate(version.effective_date)} · ${count(version.text.clauses.length, 'rule')} · each signature proves this exact wording (fingerprint `,
    h('code', { title: version.content_hash }, version.content_hash.slice(0, 12)), ')');
}

function signerList(view, row, isCurrent) {
  const { version, signers } = row;
  if (signers.length === 0) {
    return h('p', { class: 'muted' }, isCurrent ? 'Nobody has signed this version yet. Members sign in client mode, or you record a paper copy from the roster.' : 'Nobody signed this version.');
  }
  return h('div', {},
    h('h3', { class: 'signers-heading' }, `Signatures (${signers.length})`),
    h('ul', { class: 'list-plain' }, signers.map((s) => signerItem(view, s, version))));
}

function signerItem(view, signer, version) {
  return h('li', { class: 'signer' },
    h('span', { class: 'sensitive signer-name' }, link(`/members/${signer.member}`, signer.display_name)),
    h('span', { class: 'muted' }, formatMoment(signer.signed_at)),
    h('span', {}, label(SIGNATURE_METHODS, signer.method)),
    signer.withdrawn ? badge({ text: 'Withdrawn', tone: 'neutral' }) : badge({ text: 'Signed', tone: 'success' }),
    signer.withdrawal_reason ? h('span', { class: 'muted sensitive' }, `“${signer.withdrawal_reason}”`) : null,
    headingsLine('Wants to talk about', signer.discuss, version),
    headingsLine('Talked about', signer.talked_about, version),
    signer.withdrawn ? null : h('span', { class: 'push-right' },
      button('Withdraw', () => withdraw(view, signer, version), 'text-button danger-text')));
}

/** "Wants to talk about: Confidentiality; Phones", or nothing when no rule is named. */
function headingsLine(lead, clauses, version) {
  const headings = clauses.map((i) => version.text.clauses[i]?.heading).filter(Boolean);
  return headings.length ? h('span', { class: 'muted' }, `${lead}: ${headings.join('; ')}`) : null;
}

async function withdraw(view, signer, version) {
  const done = await dialog(`Withdraw ${signer.display_name}'s signature?`, (close) => {
    const reason = field({ label: 'Reason', name: 'reason', value: '', hint: 'For example "asked to reconsider clause 4" or "signed by mistake".', attrs: { autocomplete: 'off' } });
    return dialogForm(close, [
      h('p', {}, `The signature of version ${version.number} stays on record, marked withdrawn. ${signer.display_name} will need to sign the agreement again.`),
      reason,
    ], 'Withdraw signature', (form) => ipc.withdrawSignature(signer.signature, form.querySelector('[name="reason"]').value.trim()));
  });
  if (done) await view.refresh({ tone: 'info', text: `${signer.display_name}'s signature of version ${version.number} was withdrawn.` });
}

// ——— Incidents ———

// ——— Questionnaires ———

/** The group's plan, then per measure and day: how many answered, the median, each band's count. */
function questionnairesTab(view) {
  const { measures, summary, plan_names: names } = view.data;
  const plan = summary.group.measures;
  const head = h('div', { class: 'tab-head' },
    h('p', { class: 'muted' }, plan ? `Members answer the ${names.join(' and the ')} ${cadenceWords(plan.cadence)}. Home lists who is due.` : 'No questionnaires are planned for this group. Edit the group to choose them and when they are due.'),
    button('Edit group', () => go(`/groups/${summary.group.id}/edit`), 'secondary'));
  if (measures.length === 0) {
    return h('div', {}, head, emptyState('No questionnaires answered yet', 'Each member\'s PHQ-9 and GAD-7 scores are on their own page; here the group\'s median and how many fell in each band, each time they were given.'));
  }
  return h('div', {}, head, measures.map((m) => h('div', { class: 'measure', 'data-testid': `group-measure-${m.measure}` },
    h('h2', {}, m.name),
    table([
      { label: 'Date', cell: (o) => formatDate(o.taken_on), className: 'nowrap' },
      { label: 'Answered', cell: (o) => String(o.answered) },
      { label: 'Median', cell: (o) => (o.median === null ? '—' : String(o.median)) },
      ...m.bands.map((band, i) => ({ label: band.label, cell: (o) => String(o.per_band[i]) })),
      { label: 'No total', cell: (o) => String(o.without_total) },
    ], [...m.occasions].reverse(), { caption: `${m.name} in this group: median and count per band, newest first`, wide: true }))));
}

/** "every 4 sessions" / "when they join and near the group's end". */
export function cadenceWords(cadence) {
  if (cadence?.kind === 'every_sessions') return `when they join, then every ${cadence.sessions === 1 ? 'session' : `${cadence.sessions} sessions`} they attend`;
  return 'when they join and in the group\'s last two weeks';
}

function incidentsTab(view) {
  const { incidents, summary } = view.data;
  const report = button('Report incident', () => go(`/incidents/new?group=${summary.group.id}`), 'secondary', { 'data-testid': 'report-incident' });
  const head = h('div', { class: 'tab-head' },
    h('p', { class: 'muted' }, 'Ground-rule concerns and privacy breaches in this group, and what was done about them.'),
    report);
  if (incidents.length === 0) {
    return h('div', {}, head, emptyState('No incidents', 'When a ground rule is broken — a confidentiality breach, harassment, a safety concern — record what happened and the action taken.'));
  }
  return h('div', {}, head, table([
    { label: 'Date', cell: (r) => formatDate(r.incident.date) },
    { label: 'Kind', cell: (r) => label(INCIDENT_KINDS, r.incident.kind) },
    { label: 'Session', cell: (r) => r.session_label ?? h('span', { class: 'muted' }, '—') },
    { label: 'Members', cell: (r) => (r.member_names.length ? h('span', { class: 'sensitive' }, r.member_names.join(', ')) : h('span', { class: 'muted' }, '—')) },
    { label: 'Status', cell: (r) => badge(incidentBadge(r.incident)) },
  ], incidents, { onOpen: (r) => go(`/incidents/${r.incident.id}`), caption: 'Incidents' }));
}
