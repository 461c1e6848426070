// The incident form (/incidents/new, prefilled by ?group=&session=, and /incidents/:id): when,
// which group and session, who was involved, what kind, what happened, what was done, and when
// it was resolved. Choosing a group offers that group's sessions and roster.

import * as ipc from '../ipc.js';
import { h, link, replace } from '../lib/dom.js';
import {
  pageHeader, section, field, emptyState, button, badge, saveStatus, submit, clearErrors,
  showFieldError, freshId, noticeForNextPage,
} from '../lib/ui.js';
import { formatDate, readableSession, today } from '../lib/format.js';
import { trackChanges } from '../lib/unsaved.js';
import { label, INCIDENT_KINDS, incidentBadge } from '../lib/labels.js';
import { go } from '../lib/router.js';

/** Renders the new-incident or edit-incident form into `page`. */
export async function render(page, params) {
  const [choices, existing] = await Promise.all([ipc.incidentChoices(), params.id ? findIncident(params.id) : null]);
  page.append(h('p', { class: 'breadcrumb' }, link('/incidents', 'Incidents')));
  if (existing) {
    page.append(pageHeader(`${label(INCIDENT_KINDS, existing.kind)} — ${formatDate(existing.date)}`,
      h('span', { class: 'row' }, badge(incidentBadge(existing)), 'Update what was done, and record the day it was resolved.')));
  } else {
    page.append(pageHeader('Report incident', 'A ground-rule concern or privacy breach. Record it while it is fresh; you can add the action taken and resolve it later.'));
  }
  if (choices.length === 0) {
    page.append(emptyState('No groups yet', 'An incident belongs to a group. Create a group first, then report incidents from here or from a session.',
      button('New group', () => go('/groups/new'), 'primary')));
    return;
  }
  page.append(incidentForm(choices, existing ?? draftFrom(params, choices)));
}

async function findIncident(id) {
  const row = (await ipc.listIncidents()).find((r) => r.incident.id === id);
  if (!row) throw new Error('That incident is no longer in the vault; it may have been deleted. Go back to the incident list.');
  return row.incident;
}

/** A new incident, prefilled from the query (?group=G&session=S). */
function draftFrom(params, choices) {
  const group = choices.some((c) => c.group.id === params.group) ? params.group : choices[0].group.id;
  return { date: today(), group, session: params.session || null, members: [], kind: '', what_happened: '', action_taken: '', resolved_on: null };
}

function incidentForm(choices, incident) {
  const status = saveStatus();
  const byGroup = new Map(choices.map((c) => [c.group.id, c]));
  const sessionSlot = h('div', { class: 'span-2' });
  const membersSlot = h('div', { class: 'wide' });
  const groupField = field({ label: 'Group', name: 'group', kind: 'select', required: true, value: incident.group, options: choices.map((c) => [c.group.id, c.group.name]) });
  groupField.classList.add('span-2');
  const form = h('form', { class: 'stack', novalidate: true, 'aria-label': 'Incident' },
    section('What happened',
      h('div', { class: 'form-grid incident-grid' },
        groupField,
        field({ label: 'Date', name: 'date', kind: 'date', required: true, value: incident.date, attrs: { max: today() } }),
        sessionSlot,
        field({ label: 'Kind', name: 'kind', kind: 'select', required: true, value: incident.kind,
          options: [['', 'Choose…'], ...Object.entries(INCIDENT_KINDS)] }),
        membersSlot),
      h('div', { class: 'stack spaced-top' },
        field({ label: 'What happened', name: 'what_happened', kind: 'textarea', required: true, value: incident.what_happened,
          hint: 'Facts, in plain words: what was said or done, and by whom.', attrs: { rows: 5 } }))),
    section('What was done',
      h('div', { class: 'stack' },
        field({ label: 'Action taken', name: 'action_taken', kind: 'textarea', value: incident.action_taken,
          hint: 'For example: spoke with the member, reviewed the ground rules with the group.', attrs: { rows: 4 } }),
        h('div', { class: 'form-grid' },
          field({ label: 'Resolved on', name: 'resolved_on', kind: 'date', value: incident.resolved_on ?? '',
            hint: 'Leave empty while the incident is still open.', attrs: { max: today() } })))),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'primary', 'data-testid': 'save-incident' }, incident.id ? 'Save changes' : 'Save incident'),
      button('Cancel', async () => { await changes.discard(); go('/incidents'); }, 'secondary'),
      status.node));
  const groupSelect = groupField.querySelector('select');
  const fillGroup = (selected) => {
    const choice = byGroup.get(groupSelect.value);
    replace(sessionSlot, sessionField(choice, selected.session));
    replace(membersSlot, membersField(choice, selected.members));
  };
  groupSelect.addEventListener('change', () => fillGroup({ session: null, members: checkedMembers(form) }));
  fillGroup(incident);
  const save = async () => {
    if (!checkLocally(form)) return null;
    const saved = await submit(form, status, () => ipc.saveIncident(readIncident(form, incident)));
    if (saved) await changes.saved();
    return saved;
  };
  const changes = trackChanges({
    place: incident.id ? `/incidents/${incident.id}` : '/incidents/new',
    title: incident.id ? `Incident of ${formatDate(incident.date)}` : 'New incident',
    root: form,
    save: async () => Boolean(await save()),
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const saved = await save();
    if (saved) {
      noticeForNextPage(saved.resolved_on ? 'Incident saved and marked resolved.' : 'Incident saved. It stays open until you record the day it was resolved.');
      go('/incidents');
    }
  });
  return form;
}

function sessionField(choice, session) {
  const options = [['', 'Not in a session'], ...choice.sessions.map((s) => [s.id, readableSession(s.name)])];
  const value = choice.sessions.some((s) => s.id === session) ? session : '';
  return field({ label: 'Session', name: 'session', kind: 'select', value, options,
    hint: choice.sessions.length ? 'Optional: the session where it happened.' : 'This group has no recorded sessions.' });
}

/** Checkboxes for everyone ever on the group's roster; works with showFieldError. */
function membersField(choice, checked) {
  const legendId = freshId('lg');
  const boxes = choice.members.map((m) => {
    const id = freshId('in');
    return h('div', { class: 'check' },
      h('input', { type: 'checkbox', id, name: 'members', value: m.id, checked: checked.includes(m.id), 'data-draft-key': `member:${m.id}` }),
      h('label', { for: id, class: 'sensitive' }, m.name));
  });
  return h('fieldset', { class: 'field member-checks', 'data-field': 'members', 'aria-labelledby': legendId },
    h('legend', { id: legendId }, 'Members involved'),
    boxes.length ? h('div', { class: 'check-grid' }, boxes) : h('p', { class: 'hint' }, 'No one has been on this group\'s roster yet.'),
    h('p', { class: 'hint' }, 'Optional. Only name people who were involved.'),
    h('p', { class: 'field-error', role: 'alert' }));
}

function checkedMembers(form) {
  return [...form.querySelectorAll('input[name=members]:checked')].map((i) => i.value);
}

/** Catches the required fields before asking the shell. */
function checkLocally(form) {
  clearErrors(form);
  const e = form.elements;
  const missing = [
    ['date', !e.date.value, 'Choose the day it happened.'],
    ['kind', !e.kind.value, 'Choose what kind of incident this is.'],
    ['what_happened', !e.what_happened.value.trim(), 'Describe what happened.'],
  ].filter(([, bad]) => bad);
  for (const [name, , message] of missing.reverse()) showFieldError(form, { field: name, message });
  return missing.length === 0;
}

/** The whole incident record from the form (id kept when editing). */
function readIncident(form, incident) {
  const e = form.elements;
  const record = {
    date: e.date.value,
    group: e.group.value,
    session: e.session.value || null,
    members: checkedMembers(form),
    kind: e.kind.value,
    what_happened: e.what_happened.value.trim(),
    action_taken: e.action_taken.value.trim(),
    resolved_on: e.resolved_on.value || null,
  };
  if (incident.id) record.id = incident.id;
  return record;
}
