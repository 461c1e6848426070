// A session (/groups/ID/sessions/new and /sessions/ID): number, date, time and topic;
// attendance with one click per member; the group note; and, once saved, each member's
// progress note and — kept visibly apart — their psychotherapy note. Every save says how it went:
// "Save changes" saves the session and every changed note, and says "Saved" only when all of
// it is; each note also has its own Save. Unsaved parts are marked (lib/unsaved.js).

import * as ipc from '../ipc.js';
import { h, link, replace } from '../lib/dom.js';
import {
  pageHeader, section, emptyState, badge, button, field, saveStatus, submit, confirm,
} from '../lib/ui.js';
import { formatDate } from '../lib/format.js';
import { go } from '../lib/router.js';
import { trackChanges } from '../lib/unsaved.js';
import { showView } from '../lib/view.js';
import { ATTENDANCE, MEMBERSHIP_STATUSES, label, incidentBadge, INCIDENT_KINDS } from '../lib/labels.js';

const PSYCHOTHERAPY_LABEL = 'Psychotherapy note — kept apart, never included in a member\'s record export';

/** Renders a new session (route /groups/ID/sessions/new) or a saved one (/sessions/ID). */
export async function render(page, params, route) {
  const isDraft = String(route?.path ?? '').startsWith('/groups/');
  await showView(page, {
    load: async (view) => {
      const data = isDraft ? await ipc.sessionDraft(params.id, params.date ?? null) : await ipc.sessionPage(params.id);
      view.attendance = { ...data.session.attendance };
      return data;
    },
    draw,
  });
}

/** The keys the session's own fields are tracked by (notes are tracked by their editors). */
const SESSION_KEYS = ['number', 'date', 'start', 'topic', 'group_note'];

function draw(view) {
  const { data } = view;
  const { session } = data;
  const title = data.is_new ? 'New session' : `Session ${session.number}`;
  const reportIncident = data.is_new
    ? button('Report an incident from this session', null, 'secondary', { disabled: true, title: 'Save the session first' })
    : button('Report an incident from this session', () => go(`/incidents/new?group=${session.group}&session=${session.id}`), 'secondary', { 'data-testid': 'report-incident' });
  replace(view.page,
    h('p', { class: 'breadcrumb' }, link(`/groups/${data.group.id}?tab=sessions`, `← ${data.group.name}`)),
    pageHeader(title, data.is_new
      ? `${data.group.name} · Record who came and how the group went.`
      : `${data.group.name} · ${formatDate(session.date)}${session.start ? ` at ${session.start}` : ''}${session.topic ? ` · ${session.topic}` : ''}`,
    reportIncident),
    sessionForm(view),
    notesSection(view),
    incidentsSection(data));
  view.changes = trackChanges({
    place: data.is_new ? `/groups/${data.group.id}/sessions/new` : `/sessions/${session.id}`,
    title: data.is_new ? `New session of ${data.group.name}` : `Session ${session.number} of ${data.group.name}`,
    root: view.page,
    marker: view.form,
    save: () => saveEverything(view),
    extra: {
      read: () => Object.fromEntries(view.data.members.map((m) => [`attendance:${m.id}`, view.attendance[m.id] ?? ''])),
      apply: (values) => {
        for (const m of view.data.members) {
          const value = values[`attendance:${m.id}`];
          if (value === undefined) continue;
          if (value) view.attendance[m.id] = value;
          else delete view.attendance[m.id];
        }
        drawAttendance(view);
      },
    },
  });
}

// ——— The session itself: details, attendance, group note ———

function sessionForm(view) {
  const { session } = view.data;
  const status = saveStatus();
  view.attendanceSlot = h('div', {});
  const dateField = field({ label: 'Date', name: 'date', kind: 'date', value: session.date, required: true });
  const form = h('form', { class: 'stack session-form', novalidate: true },
    section('Session',
      h('div', { class: 'form-grid session-details' },
        field({ label: 'Number', name: 'number', kind: 'number', value: session.number, required: true, attrs: { min: 1, step: 1, inputmode: 'numeric' } }),
        dateField,
        field({ label: 'Start time', name: 'start', kind: 'time', value: session.start ?? '', hint: 'Optional.' }),
        field({ label: 'Topic or skill', name: 'topic', value: session.topic, hint: 'Optional.', attrs: { autocomplete: 'off' } }))),
    section('Attendance', view.attendanceSlot),
    section('Group note',
      field({ label: 'How the group went as a whole', name: 'group_note', kind: 'textarea', value: session.group_note, hint: 'Themes, process, what to pick up next time. Avoid details about one member here — use their own notes below.', attrs: { rows: 6, 'data-testid': 'group-note', class: 'sensitive' } })),
    h('div', { class: 'form-actions sticky-actions' },
      h('button', { type: 'submit', class: 'primary', 'data-testid': 'save-session' }, view.data.is_new ? 'Save session' : 'Save changes'),
      status.node));
  drawAttendance(view);
  dateField.querySelector('input').addEventListener('change', (e) => refreshMembers(view, e.target.value));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    await saveEverything(view);
  });
  view.form = form;
  view.status = status;
  return form;
}

/**
 * Saves the session, then every note with unsaved text; says "Saved" only when all of it
 * is, and otherwise names what was not. Resolves true when nothing is left unsaved.
 */
async function saveEverything(view) {
  const { form, status } = view;
  const saved = await submit(form, status, () => ipc.saveSession(readSession(view, form)), { partOfMore: true });
  if (!saved) return false;
  view.changes.savedPart([...SESSION_KEYS, ...view.data.members.map((m) => `attendance:${m.id}`)]);
  const failed = [];
  for (const editor of view.noteEditors ?? []) {
    if (!view.changes.isUnsaved(editor.key)) continue;
    if (!(await editor.save())) failed.push(editor.who);
  }
  if (failed.length) {
    status.failed(`The session is saved, but ${failed.length === 1 ? 'one note was' : `${failed.length} notes were`} not: ${failed.join(', ')}. The reason is beside each note.`, '');
    return false;
  }
  await view.changes.saved();
  status.saved();
  afterSave(view, saved);
  return true;
}

/** The session record from the form and the attendance chosen. */
function readSession(view, form) {
  const get = (name) => form.querySelector(`[name="${name}"]`).value;
  const number = Number(get('number'));
  if (!Number.isInteger(number) || number < 1) throw { field: 'number', message: 'Give the session number, e.g. 12.' };
  if (!get('date')) throw { field: 'date', message: 'Give the date the group met.' };
  const members = new Set(view.data.members.map((m) => m.id));
  const attendance = Object.fromEntries(Object.entries(view.attendance).filter(([id]) => members.has(id)));
  return {
    ...view.data.session,
    number,
    date: get('date'),
    start: get('start') ? get('start').slice(0, 5) : null,
    topic: get('topic').trim(),
    group_note: get('group_note'),
    attendance,
  };
}

function afterSave(view, saved) {
  const wasNew = view.data.is_new;
  const sameMembers = sameIds(view.data.members, saved.members);
  view.data = { ...saved, notes: wasNew ? saved.notes : view.data.notes };
  view.attendance = { ...saved.session.attendance };
  if (wasNew) globalThis.history.replaceState(null, '', `#/sessions/${saved.session.id}`);
  if (!wasNew && sameMembers) return;
  draw(view);
  const status = view.form.querySelector('.save-status');
  replace(status, '✓ Saved');
  status.className = 'save-status saved';
  if (wasNew && saved.members.length) status.append(' — you can now write notes for each member below.');
  view.form.querySelector('[data-testid="save-session"]').focus();
}

function sameIds(a, b) {
  return a.length === b.length && a.every((m, i) => m.id === b[i].id);
}

/** A changed date changes who was in the group: ask the core who belonged on that day. */
async function refreshMembers(view, date) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return;
  try {
    const draft = await ipc.sessionDraft(view.data.group.id, date);
    const eligible = new Set(draft.members.map((m) => m.id));
    const dropped = Object.keys(view.attendance).filter((id) => !eligible.has(id));
    for (const id of dropped) delete view.attendance[id];
    view.data.members = draft.members;
    drawAttendance(view, dropped.length
      ? `${dropped.length === 1 ? 'One member was' : `${dropped.length} members were`} not in the group on ${formatDate(date)}, so their attendance was cleared.`
      : null);
  } catch (error) {
    drawAttendance(view, error.message);
  }
}

function drawAttendance(view, message = null) {
  const { members } = view.data;
  const notice = message ? h('p', { class: 'notice notice-warning', role: 'status' }, message) : null;
  if (members.length === 0) {
    replace(view.attendanceSlot, notice, emptyState('Nobody was in the group on this day',
      'Attendance lists the members whose time in the group covers the session\'s date. Add members on the group\'s roster with a joined date, or check the date.',
      link(`/groups/${view.data.group.id}?tab=roster`, 'Open the roster')));
    return;
  }
  const rows = members.map((m) => attendanceRow(view, m));
  const markAll = button('Mark everyone not yet marked as present', () => {
    for (const m of members) if (!view.attendance[m.id]) view.attendance[m.id] = 'present';
    drawAttendance(view);
    view.changes?.changed();
    view.attendanceSlot.querySelector('[data-testid="mark-all-attended"]')?.focus();
  }, 'text-button', { 'data-testid': 'mark-all-attended' });
  replace(view.attendanceSlot,
    notice,
    h('div', { class: 'attendance-head' },
      h('p', { class: 'muted' }, attendanceSummary(view)),
      markAll),
    h('div', { class: 'attendance' }, rows));
}

function attendanceSummary(view) {
  const marked = view.data.members.filter((m) => view.attendance[m.id]).length;
  const came = view.data.members.filter((m) => ['present', 'late'].includes(view.attendance[m.id])).length;
  return `${came} attended · ${marked} of ${view.data.members.length} marked. Click a choice again to clear it.`;
}

function attendanceRow(view, member) {
  const group = h('div', { class: 'segmented', role: 'group', 'aria-label': `Attendance for ${member.display_name}` });
  const buttons = Object.entries(ATTENDANCE).map(([value, text]) => h('button', {
    type: 'button',
    'aria-pressed': view.attendance[member.id] === value ? 'true' : 'false',
    'data-testid': `attendance-${member.id}-${value}`,
    'data-state': value,
    onclick: () => {
      if (view.attendance[member.id] === value) delete view.attendance[member.id];
      else view.attendance[member.id] = value;
      for (const b of buttons) b.setAttribute('aria-pressed', view.attendance[member.id] === b.getAttribute('data-state') ? 'true' : 'false');
      const summary = view.attendanceSlot.querySelector('.attendance-head .muted');
      if (summary) summary.textContent = attendanceSummary(view);
      view.changes?.changed();
    },
  }, text));
  group.append(...buttons);
  const status = member.status && member.status !== 'active'
    ? badge({ text: label(MEMBERSHIP_STATUSES, member.status), tone: 'neutral' })
    : null;
  return h('div', { class: 'attendance-row' },
    h('span', { class: 'who' }, h('span', { class: 'sensitive' }, member.display_name), ' ', status),
    group);
}

// ——— Notes per member ———

/** Keeps the page's copy of the notes current after a note is saved on its own. */
function rememberNote(view, note) {
  view.data.notes = [...view.data.notes.filter((n) => n.id !== note.id), note];
}

function notesSection(view) {
  const { data } = view;
  view.noteEditors = [];
  if (data.is_new) {
    return section('Notes for each member',
      h('p', { class: 'notice notice-info' }, 'Save the session first — notes for each member can be written once the session is saved.'));
  }
  if (data.members.length === 0) {
    return section('Notes for each member', h('p', { class: 'muted' }, 'Notes are written for members who were in the group on the session\'s day.'));
  }
  return section('Notes for each member',
    h('p', { class: 'muted' }, 'Each note saves on its own. Progress notes are part of the member\'s record; psychotherapy notes are kept apart.'),
    h('div', { class: 'member-notes' }, data.members.map((m) => memberNotes(view, m))));
}

function memberNotes(view, member) {
  const mine = (kind) => view.data.notes.filter((n) => n.member === member.id && n.kind === kind);
  const headingId = `notes-${member.id}`;
  return h('article', { class: 'member-note', 'aria-labelledby': headingId },
    h('h3', { id: headingId, class: 'sensitive' }, member.display_name),
    noteEditors(view, member, 'progress', mine('progress')),
    noteEditors(view, member, 'psychotherapy', mine('psychotherapy')));
}

function noteEditors(view, member, kind, notes) {
  const drafts = notes.length ? notes : [null];
  return drafts.map((note, index) => noteEditor(view, member, kind, note, index));
}

function noteEditor(view, member, kind, note, index) {
  const suffix = index ? `-${index + 1}` : '';
  const psychotherapy = kind === 'psychotherapy';
  const current = { note };
  const status = saveStatus();
  const key = `note:${member.id}:${kind}:${index}`;
  const box = field({
    label: psychotherapy ? PSYCHOTHERAPY_LABEL : 'Progress note — part of the member\'s record',
    name: `${kind}_note`,
    kind: 'textarea',
    value: note?.text ?? '',
    attrs: { rows: psychotherapy ? 3 : 4, 'data-testid': `${kind}-note-${member.id}${suffix}`, 'data-draft-key': key, class: 'sensitive' },
  });
  const textarea = box.querySelector('textarea');
  const remove = button('Delete note', () => deleteNote(view, member, kind, current, textarea, status, remove), 'text-button danger-text');
  remove.hidden = !note;
  /** Saves this note on its own; resolves true once saved. */
  const saveNote = async () => {
    const text = textarea.value;
    if (!current.note && text.trim() === '') {
      status.failed('Write the note first.');
      return false;
    }
    save.disabled = true;
    status.saving();
    try {
      current.note = await ipc.saveNote({ ...(current.note ? { id: current.note.id } : {}), session: view.data.session.id, member: member.id, kind, text });
      status.saved();
      remove.hidden = false;
      rememberNote(view, current.note);
      view.changes?.savedPart([key]);
      return true;
    } catch (error) {
      status.failed(error.message);
      return false;
    } finally {
      save.disabled = false;
    }
  };
  const save = button('Save note', saveNote, 'secondary', { 'data-testid': `save-note-${member.id}-${kind}${suffix}` });
  view.noteEditors.push({
    key,
    who: `${member.display_name}'s ${psychotherapy ? 'psychotherapy' : 'progress'} note`,
    save: () => saveNote(),
  });
  return h('div', { class: `note-box ${psychotherapy ? 'psychotherapy' : 'progress'}` },
    box,
    h('div', { class: 'note-actions' }, save, remove, status.node));
}

async function deleteNote(view, member, kind, current, textarea, status, remove) {
  if (!current.note) return;
  const what = kind === 'psychotherapy' ? 'psychotherapy note' : 'progress note';
  const ok = await confirm({
    title: `Delete this ${what}?`,
    body: `${member.display_name}'s ${what} for session ${view.data.session.number} will be erased from the vault. This can't be undone.`,
    confirmLabel: `Delete ${what}`,
    danger: true,
  });
  if (!ok) return;
  status.saving('Deleting…');
  try {
    await ipc.deleteNote(current.note.id);
    view.data.notes = view.data.notes.filter((n) => n.id !== current.note.id);
    current.note = null;
    textarea.value = '';
    view.changes?.savedPart([textarea.getAttribute('data-draft-key')]);
    remove.hidden = true;
    status.saved('Deleted');
    textarea.focus();
  } catch (error) {
    status.failed(error.message);
  }
}

// ——— Incidents raised from this session ———

function incidentsSection(data) {
  if (data.incidents.length === 0) return null;
  return section('Incidents from this session',
    h('ul', { class: 'list-plain' }, data.incidents.map((row) => h('li', {},
      badge(incidentBadge(row.incident)),
      link(`/incidents/${row.incident.id}`, label(INCIDENT_KINDS, row.incident.kind)),
      row.member_names.length ? h('span', { class: 'muted sensitive' }, row.member_names.join(', ')) : null))));
}
