// Incidents list (/incidents): ground-rule concerns and privacy breaches, open ones first,
// each with its group, the members involved and whether it is resolved.

import * as ipc from '../ipc.js';
import { h, append } from '../lib/dom.js';
import { pageHeader, emptyState, badge, table, button, takeNotice } from '../lib/ui.js';
import { formatDate, count, readableSession } from '../lib/format.js';
import { label, INCIDENT_KINDS, incidentBadge } from '../lib/labels.js';
import { go } from '../lib/router.js';

/** Renders the incident list into `page`. */
export async function render(page) {
  const rows = await ipc.listIncidents();
  const open = rows.filter((r) => !r.incident.resolved_on).length;
  page.append(pageHeader('Incidents',
    'Ground-rule concerns and privacy breaches: what happened, who was involved, and what you did about it.',
    button('Report incident', () => go('/incidents/new'), 'primary', { 'data-testid': 'report-incident' })));
  append(page, [takeNotice()]);
  if (rows.length === 0) {
    page.append(emptyState('No incidents recorded',
      'When a ground rule is broken — a confidentiality breach, harassment, a safety concern — report it here. You can name the session and the members involved, note the action you took, and mark it resolved later.',
      button('Report an incident', () => go('/incidents/new'), 'secondary')));
    return;
  }
  page.append(h('p', { class: 'list-count' }, `${count(rows.length, 'incident')} · ${open} open`));
  page.append(table([
    { label: 'Date', cell: (r) => formatDate(r.incident.date), className: 'nowrap' },
    { label: 'Kind', cell: (r) => h('strong', {}, label(INCIDENT_KINDS, r.incident.kind)), className: 'whole-words' },
    { label: 'Group', cell: groupCell },
    { label: 'Members', cell: membersCell },
    { label: 'Status', cell: statusCell, className: 'nowrap' },
  ], rows, { onOpen: (r) => go(`/incidents/${r.incident.id}`), caption: 'Incidents' }));
  for (const tr of page.querySelectorAll('tbody > tr')) tr.setAttribute('data-testid', 'incident-row');
}

function groupCell(r) {
  return h('div', { class: 'stack-tight' },
    h('span', {}, r.group_name),
    r.session_label ? h('span', { class: 'muted' }, readableSession(r.session_label)) : null);
}

function membersCell(r) {
  if (r.member_names.length === 0) return h('span', { class: 'muted' }, 'None named');
  return h('span', { class: 'sensitive' }, r.member_names.join(', '));
}

function statusCell(r) {
  return h('div', { class: 'stack-tight' },
    badge(incidentBadge(r.incident)),
    r.incident.resolved_on ? h('span', { class: 'muted' }, formatDate(r.incident.resolved_on)) : null);
}
