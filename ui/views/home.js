// Home: what a practitioner checks before a group — first any questionnaire safety question
// to review, then sessions coming up, the groups at a glance, who must sign or re-sign, the
// rules members asked to talk about, and open incidents.

import * as ipc from '../ipc.js';
import { h, link, append, replace } from '../lib/dom.js';
import { pageHeader, section, emptyState, badge, table, button, notice, takeNotice } from '../lib/ui.js';
import { formatDate, formatMoment, relativeDay, count } from '../lib/format.js';
import { label, GROUP_KINDS, GROUP_STATUSES, INCIDENT_KINDS, signatureBadge } from '../lib/labels.js';
import { go } from '../lib/router.js';
import { showView } from '../lib/view.js';
import { safetyAlertList } from '../lib/questionnaires.js';

/** Renders the home screen into `page`. */
export async function render(page) {
  await showView(page, { load: () => ipc.home(), draw });
}

/** The whole page from `view.data`; `view.notice` (after an action) on top. */
function draw(view) {
  const { data: home, page } = view;
  const greeting = home.practitioner_name ? `Welcome back, ${home.practitioner_name}` : 'Welcome to Holdspace';
  replace(page, pageHeader(greeting, home.practice_name ? `${home.practice_name} · ${formatDate(home.today)}` : formatDate(home.today),
    button('New group', () => go('/groups/new'), 'secondary'),
    button('New member', () => go('/members/new'), 'primary')));
  append(page, [view.notice ? notice(view.notice.text, view.notice.tone) : takeNotice()]);
  // A questionnaire's safety question comes before anything else on the first screen.
  append(page, [safetyAlertList(home.safety_alerts, (alert, error) => view.refresh(error
    ? { tone: 'danger', text: error.message }
    : { tone: 'info', text: `${alert.display_name}'s ${alert.measure_name} question ${alert.item} is marked as reviewed.` }),
  { withName: true, link })]);
  if (home.damaged_records > 0) {
    page.append(h('div', { class: 'notice notice-danger', role: 'alert' },
      h('p', {}, `${count(home.damaged_records, 'record')} in the vault could not be read and ${home.damaged_records === 1 ? 'is' : 'are'} left out. Everything else is safe. Restore from a backup to recover ${home.damaged_records === 1 ? 'it' : 'them'}.`)));
  }
  if (home.groups.length === 0 && home.member_count === 0) {
    page.append(firstSteps());
    return;
  }
  append(page, [
    h('div', { class: 'grid-2' }, upcoming(home), signaturesDue(home)),
    toDiscuss(view),
    measuresDue(home),
    groupsAtAGlance(home),
    openIncidents(home),
  ]);
}

function firstSteps() {
  return section('Getting started',
    h('ol', { class: 'stack' },
      h('li', {}, link('/settings', 'Fill in your practice profile'), ' — your name and contact line appear on every agreement clients sign.'),
      h('li', {}, link('/groups/new', 'Create your first group'), ' — a group holds its members, sessions and ground rules. It starts with a plain-language agreement you can edit.'),
      h('li', {}, link('/members/new', 'Add members'), ' and put them on the group\'s roster.')));
}

function upcoming(home) {
  if (home.upcoming.length === 0) {
    return section('Coming up', emptyState('Nothing in the next two weeks', 'Give a group a weekly schedule and its sessions appear here.'));
  }
  return section('Coming up',
    h('ul', { class: 'list-plain' }, home.upcoming.slice(0, 8).map((u) => h('li', { class: 'split' },
      h('div', {},
        h('div', {}, h('strong', {}, relativeDay(u.date, home.today)), ' · ', link(`/groups/${u.group}`, u.group_name)),
        h('div', { class: 'muted small-text' }, `${formatDate(u.date)}${u.start ? `, ${u.start}` : ''}`)),
      u.session
        ? link(`/sessions/${u.session}`, 'Open session')
        : (u.date === home.today ? link(`/groups/${u.group}/sessions/new`, 'Record session') : null)))));
}

function signaturesDue(home) {
  if (home.signatures_due.length === 0) {
    return section('Signatures', emptyState('Everyone has signed', 'Members who still need to sign — or re-sign a new version of a group\'s agreement — appear here.'));
  }
  return section(`Signatures due (${home.signatures_due.length})`,
    h('ul', { class: 'list-plain' }, home.signatures_due.slice(0, 10).map((d) => h('li', { class: 'split' },
      h('div', {},
        h('div', { class: 'sensitive' }, link(`/members/${d.member}`, d.display_name)),
        h('div', { class: 'muted small-text' }, d.group_name)),
      badge(signatureBadge(d.state))))),
    home.signatures_due.length > 10 ? h('p', { class: 'hint' }, `and ${home.signatures_due.length - 10} more — see each group's roster.`) : null);
}

/** The rules members asked to talk about when they signed, until each is talked about. */
function toDiscuss(view) {
  const list = view.data.to_discuss;
  if (list.length === 0) return null;
  return section(`To talk about (${list.length})`,
    h('p', { class: 'hint' }, 'Rules members asked to talk about when they signed. Mark each once you have talked it through.'),
    h('ul', { class: 'list-plain', 'data-testid': 'to-discuss' }, list.map((item) => h('li', { class: 'split' },
      h('div', {},
        h('div', {}, h('span', { class: 'sensitive' }, link(`/members/${item.member}`, item.display_name)), ' · ', h('strong', {}, item.heading)),
        h('div', { class: 'muted small-text' }, `${item.group_name} · asked ${formatMoment(item.asked_at)}`)),
      button('Talked about', () => markTalkedAbout(view, item), 'secondary', {
        'data-testid': `talked-about-${item.signature}-${item.clause}`,
        'aria-label': `Mark “${item.heading}” as talked about with ${item.display_name}`,
      })))));
}

/** Members due a questionnaire by their group's plan, one line per member and group. */
function measuresDue(home) {
  const rows = new Map();
  for (const due of home.measures_due) {
    const key = `${due.member}/${due.group}`;
    if (!rows.has(key)) rows.set(key, { ...due, items: [] });
    rows.get(key).items.push(`${due.measure_name} (${dueWords(due.reason)})`);
  }
  if (rows.size === 0) return null;
  return section(`Questionnaires due (${rows.size})`,
    h('p', { class: 'hint' }, 'From each group\'s plan. Start client mode from their page, or enter a paper copy there.'),
    h('ul', { class: 'list-plain', 'data-testid': 'measures-due' }, [...rows.values()].map((row) => h('li', { class: 'split' },
      h('div', {},
        h('div', {}, h('span', { class: 'sensitive' }, link(`/members/${row.member}`, row.display_name)), ' · ', row.group_name),
        h('div', { class: 'muted small-text' }, row.items.join(' · ')))))));
}

/** Why a questionnaire is due, in words. */
function dueWords(reason) {
  if (reason.kind === 'starting') return 'first time';
  if (reason.kind === 'sessions') return `${count(reason.attended, 'session')} since the last`;
  return `the group ends ${formatDate(reason.on)}`;
}

async function markTalkedAbout(view, item) {
  try {
    await ipc.markTalkedAbout(item.signature, item.clause);
    await view.refresh({ tone: 'info', text: `“${item.heading}” is marked as talked about with ${item.display_name}.` });
  } catch (error) {
    await view.refresh({ tone: 'danger', text: error.message });
  }
}

function groupsAtAGlance(home) {
  if (home.groups.length === 0) {
    return section('Groups', emptyState('No groups yet', 'A group holds its members, sessions and ground rules. Create your first group.', button('New group', () => go('/groups/new'), 'primary')));
  }
  return section('Groups',
    table([
      { label: 'Group', cell: (g) => h('strong', {}, g.group.name) },
      { label: 'Kind', cell: (g) => label(GROUP_KINDS, g.group.kind) },
      { label: 'Status', cell: (g) => badge({ text: label(GROUP_STATUSES, g.group.status), tone: g.group.status === 'running' ? 'accent' : 'neutral' }) },
      { label: 'Members', cell: (g) => `${g.active} active${g.group.capacity ? ` of ${g.group.capacity}` : ''}${g.waiting ? `, ${g.waiting} waiting` : ''}` },
      { label: 'To sign', cell: (g) => (g.signatures_due ? badge({ text: `${g.signatures_due} to sign`, tone: 'warning' }) : '—') },
    ], home.groups, { onOpen: (g) => go(`/groups/${g.group.id}`), caption: 'Groups' }));
}

function openIncidents(home) {
  if (home.open_incidents.length === 0) return null;
  return section(`Open incidents (${home.open_incidents.length})`,
    h('ul', { class: 'list-plain' }, home.open_incidents.map((row) => h('li', {},
      badge({ text: 'Open incident', tone: 'danger' }),
      link(`/incidents/${row.incident.id}`, label(INCIDENT_KINDS, row.incident.kind)),
      h('span', { class: 'muted' }, `${row.group_name} · ${formatDate(row.incident.date)}`)))));
}
