// The group form: creating a group (/groups/new) and editing one (/groups/ID/edit) — name,
// kind, focus, co-facilitator, an optional regular schedule, where it meets, dates, capacity,
// enrollment, status, and the outcome questionnaires its members answer and when. Errors appear
// beside their field; a save opens the group's page.

import * as ipc from '../ipc.js';
import { h, link } from '../lib/dom.js';
import { pageHeader, section, field, saveStatus, submit, freshId } from '../lib/ui.js';
import { GROUP_KINDS, GROUP_STATUSES, WEEKDAYS, FREQUENCIES } from '../lib/labels.js';
import { go } from '../lib/router.js';
import { trackChanges } from '../lib/unsaved.js';

const VIDEO = 'video';

const NEW_GROUP = {
  name: '', kind: 'process', focus: '', co_facilitator: null, schedule: null, location: '',
  start_date: null, end_date: null, capacity: 8, enrollment: 'open', status: 'forming', measures: null,
};

/** A new plan's cadence: every four sessions attended. */
const DEFAULT_SESSIONS = 4;

const DEFAULT_SCHEDULE = { weekday: 'thursday', start: '18:00', length_minutes: 90, frequency: 'weekly' };

/** Renders the create or edit form into `page`. */
export async function render(page, params) {
  const editing = Boolean(params.id);
  const group = editing ? (await ipc.groupPage(params.id)).summary.group : { ...NEW_GROUP };
  const definitions = await ipc.measureDefinitions();
  const back = editing ? link(`/groups/${group.id}`, `← ${group.name}`) : link('/groups', '← Groups');
  page.append(h('p', { class: 'breadcrumb' }, back));
  page.append(editing
    ? pageHeader(`Edit ${group.name}`, 'Change how this group is described and when it meets. Past sessions stay as they are.')
    : pageHeader('New group', 'A group holds its members, sessions and ground rules. It starts with a plain-language agreement you can edit.'));
  page.append(groupForm(group, editing, definitions));
}

/** Options for a select from a labels table. */
function choices(table) {
  return Object.entries(table);
}

function optionalValue(input) {
  const text = input.value.trim();
  return text === '' ? null : text;
}

function groupForm(group, editing, definitions) {
  const schedule = group.schedule ?? DEFAULT_SCHEDULE;
  const byVideo = group.location.trim().toLowerCase() === VIDEO;
  const status = saveStatus();
  const form = h('form', { class: 'stack', novalidate: true },
    section('About the group',
      h('div', { class: 'form-grid' },
        field({ label: 'Name', name: 'name', value: group.name, required: true, hint: 'For example "Thursday grief group". Members see it on the agreement.', attrs: { 'data-autofocus': true, autocomplete: 'off' } }),
        field({ label: 'Kind', name: 'kind', kind: 'select', value: group.kind, options: choices(GROUP_KINDS) }),
        field({ label: 'Status', name: 'status', kind: 'select', value: group.status, options: choices(GROUP_STATUSES), hint: 'Forming while you recruit and screen; running once it meets.' }),
        field({ label: 'Focus', name: 'focus', kind: 'textarea', value: group.focus, hint: 'What the group works on, in a sentence or two.', attrs: { rows: 3 } }),
        field({ label: 'Co-facilitator', name: 'co_facilitator', value: group.co_facilitator ?? '', hint: 'Optional.', attrs: { autocomplete: 'off' } }))),
    scheduleSection(group.schedule !== null, schedule, group.location, byVideo),
    section('Dates and membership',
      h('div', { class: 'form-grid' },
        field({ label: 'Start date', name: 'start_date', kind: 'date', value: group.start_date ?? '', hint: 'Optional.' }),
        field({ label: 'End date', name: 'end_date', kind: 'date', value: group.end_date ?? '', hint: 'Optional; leave empty for an ongoing group.' }),
        field({ label: 'Capacity', name: 'capacity', kind: 'number', value: group.capacity ?? '', hint: 'Most members at once (1–100). Optional.', attrs: { min: 1, max: 100, step: 1, inputmode: 'numeric' } }),
        field({ label: 'Enrollment', name: 'enrollment', kind: 'select', value: group.enrollment, options: [['open', 'Open'], ['closed', 'Closed']], hint: 'Open: members may join at any time. Closed: fixed once the group starts.' }))),
    planSection(group.measures, definitions),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'primary', 'data-testid': 'save-group' }, editing ? 'Save changes' : 'Create group'),
      h('button', {
        type: 'button', class: 'secondary',
        onclick: async () => { await changes.discard(); go(editing ? `/groups/${group.id}` : '/groups'); },
      }, 'Cancel'),
      status.node));
  form.querySelector('[data-field="focus"]').classList.add('wide');
  const save = async () => {
    const saved = await submit(form, status, () => ipc.saveGroup(readGroup(form, group)));
    if (saved) await changes.saved();
    return saved;
  };
  const changes = trackChanges({
    place: editing ? `/groups/${group.id}/edit` : '/groups/new',
    title: editing ? `Edit ${group.name}` : 'New group',
    root: form,
    save: async () => Boolean(await save()),
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const saved = await save();
    if (saved) go(`/groups/${saved.id}`);
  });
  return form;
}

function scheduleSection(hasSchedule, schedule, location, byVideo) {
  const details = h('div', { class: 'form-grid schedule-details' },
    field({ label: 'Day', name: 'schedule.weekday', kind: 'select', value: schedule.weekday, options: choices(WEEKDAYS) }),
    field({ label: 'Start time', name: 'schedule.start', kind: 'time', value: schedule.start, hint: '24-hour clock, e.g. 18:00.' }),
    field({ label: 'Length (minutes)', name: 'schedule.length_minutes', kind: 'number', value: schedule.length_minutes, hint: 'Between 15 and 480.', attrs: { min: 15, max: 480, step: 5, inputmode: 'numeric' } }),
    field({ label: 'How often', name: 'schedule.frequency', kind: 'select', value: schedule.frequency, options: choices(FREQUENCIES) }));
  details.hidden = !hasSchedule;
  const toggle = field({ label: 'Meets on a regular schedule', name: 'has_schedule', kind: 'checkbox', value: hasSchedule, hint: 'Upcoming sessions appear on the home screen.' });
  toggle.querySelector('input').addEventListener('change', (e) => { details.hidden = !e.target.checked; });
  const place = field({ label: 'Location', name: 'location', value: byVideo ? '' : location, hint: 'A room or address.', attrs: { autocomplete: 'off' } });
  place.hidden = byVideo;
  const video = field({ label: 'Meets by video', name: 'by_video', kind: 'checkbox', value: byVideo });
  video.querySelector('input').addEventListener('change', (e) => { place.hidden = e.target.checked; });
  return section('When and where', h('div', { class: 'stack' }, toggle, details, video, place));
}

/** Which questionnaires members answer, and when; none chosen means none. */
function planSection(plan, definitions) {
  const chosen = new Set(plan?.measures ?? []);
  const boxes = definitions.map((d) => {
    const id = freshId('measure');
    return h('div', { class: 'check' },
      h('input', { type: 'checkbox', id, name: 'plan.measure', value: d.id, checked: chosen.has(d.id), 'data-testid': `group-plan-${d.id}` }),
      h('label', { for: id }, d.name, h('span', { class: 'muted' }, ` — ${d.about}`)));
  });
  const cadence = plan?.cadence ?? { kind: 'every_sessions', sessions: DEFAULT_SESSIONS };
  const sessions = field({ label: 'Every how many sessions', name: 'measures.cadence.sessions', kind: 'number', value: cadence.sessions ?? DEFAULT_SESSIONS, hint: 'Sessions they attend between two answerings (1–52).', attrs: { min: 1, max: 52, step: 1, inputmode: 'numeric' } });
  const when = field({ label: 'When', name: 'plan.cadence', kind: 'select', value: cadence.kind,
    options: [['every_sessions', 'When they join, then every few sessions'], ['start_and_end', 'When they join, and in the group’s last two weeks']] });
  const select = when.querySelector('select');
  const sync = () => { sessions.hidden = select.value !== 'every_sessions'; };
  select.addEventListener('change', sync);
  sync();
  return section('Outcome questionnaires', h('div', { class: 'stack field', 'data-field': 'measures.measures' },
    h('p', { class: 'hint' }, 'Members answer these privately in client mode, or on paper. Home lists who is due; each member\'s page charts their scores.'),
    boxes, h('div', { class: 'form-grid' }, when, sessions),
    h('p', { class: 'field-error', role: 'alert' })));
}

function readPlan(form, get) {
  const measures = [...form.querySelectorAll('input[name="plan.measure"]:checked')].map((input) => input.value);
  if (measures.length === 0) return null;
  if (get('plan.cadence').value !== 'every_sessions') return { measures, cadence: { kind: 'start_and_end' } };
  const sessions = readNumber(get('measures.cadence.sessions'), 'measures.cadence.sessions', 'Give a whole number of sessions, like 4.');
  return { measures, cadence: { kind: 'every_sessions', sessions: sessions ?? DEFAULT_SESSIONS } };
}

/** The group record from the form, keeping the id of an existing group. */
function readGroup(form, original) {
  const get = (name) => form.querySelector(`[name="${name}"]`);
  const co = optionalValue(get('co_facilitator'));
  const group = {
    ...(original.id ? { id: original.id } : {}),
    name: get('name').value.trim(),
    kind: get('kind').value,
    focus: get('focus').value,
    co_facilitator: co,
    schedule: get('has_schedule').checked ? readSchedule(get) : null,
    location: get('by_video').checked ? VIDEO : get('location').value.trim(),
    start_date: optionalValue(get('start_date')),
    end_date: optionalValue(get('end_date')),
    capacity: readNumber(get('capacity'), 'capacity', 'Capacity must be a whole number, like 8.'),
    enrollment: get('enrollment').value,
    status: get('status').value,
    measures: readPlan(form, get),
  };
  if (!group.name) throw { field: 'name', message: 'Give the group a name.' };
  return group;
}

function readSchedule(get) {
  const start = get('schedule.start').value;
  if (!/^\d{2}:\d{2}/.test(start)) throw { field: 'schedule.start', message: 'Give the start time, e.g. 18:00.' };
  const length = readNumber(get('schedule.length_minutes'), 'schedule.length_minutes', 'Give the length in minutes, e.g. 90.');
  if (length === null) throw { field: 'schedule.length_minutes', message: 'Give the length in minutes, e.g. 90.' };
  return {
    weekday: get('schedule.weekday').value,
    start: start.slice(0, 5),
    length_minutes: length,
    frequency: get('schedule.frequency').value,
  };
}

/** A whole number from a number input, null when empty; throws a field error when not a number. */
function readNumber(input, name, message) {
  if (input.validity?.badInput) throw { field: name, message };
  const text = input.value.trim();
  if (text === '') return null;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw { field: name, message };
  return n;
}
