// The audit log (/audit): the vault's append-only record of unlocks, exports, signatures and
// every change, newest first, filterable by action, record kind and dates. Read-only.

import * as ipc from '../ipc.js';
import { h, replace } from '../lib/dom.js';
import { pageHeader, emptyState, table, field, problem } from '../lib/ui.js';
import { formatMoment, count } from '../lib/format.js';
import { label, AUDIT_ACTIONS, RECORD_KINDS } from '../lib/labels.js';
import { showView } from '../lib/view.js';

/** Renders the audit log into `page`: the filters, and the events they select. */
export async function render(page) {
  const form = filterForm();
  const results = h('div', { class: 'audit-results', 'aria-live': 'polite' });
  const view = await showView(page, {
    load: () => loadEvents(results, form),
    draw: (v) => {
      replace(page, pageHeader('Audit log',
        'Every unlock, lock, export, signature and change to a record, newest first. Holdspace adds to this log itself; no one — you included — can edit or delete an entry.'),
      form, results);
      drawEvents(v);
    },
    redraw: drawEvents,
    state: { results },
  });
  form.addEventListener('change', () => view.refresh());
  form.addEventListener('submit', (e) => { e.preventDefault(); view.refresh(); });
}

/** The events the filters in `form` select, with the results marked busy meanwhile. */
async function loadEvents(results, form) {
  results.setAttribute('aria-busy', 'true');
  return ipc.auditLog(readFilter(form));
}

/** The history check, the count and the table — or why the events could not be read. */
function drawEvents(view) {
  const { results, data: log, notice } = view;
  results.removeAttribute('aria-busy');
  if (notice) replace(results, problem({ message: notice.text }));
  else replace(results, historyVerdict(log.history), summary(log), eventTable(log));
}

function filterForm() {
  return h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter the audit log' },
    field({ label: 'Action', name: 'action', kind: 'select', options: [['', 'All actions'], ...Object.entries(AUDIT_ACTIONS)] }),
    field({ label: 'Record', name: 'subject_kind', kind: 'select', options: [['', 'All records'], ...Object.entries(RECORD_KINDS)] }),
    field({ label: 'From', name: 'from', kind: 'date' }),
    field({ label: 'To', name: 'to', kind: 'date' }),
    h('button', { type: 'button', class: 'text-button', onclick: (e) => { e.target.form.reset(); e.target.form.dispatchEvent(new Event('change')); } }, 'Clear filters'));
}

function readFilter(form) {
  const value = (name) => form.elements[name].value || null;
  // A date that cannot be read says so beside its field, and filters nothing meanwhile.
  const day = (name) => (/^\d{4}-\d{2}-\d{2}$/.test(value(name) ?? '') ? value(name) : null);
  return { action: value('action'), subject_kind: value('subject_kind'), from: day('from'), to: day('to') };
}

/** The verdict of the history check made at unlock: unbroken, or each problem it found. */
function historyVerdict(history) {
  if (!history) return null;
  if (history.verified) {
    return h('p', { class: 'notice notice-info', 'data-testid': 'history-verdict' },
      h('strong', {}, 'History verified. '),
      `${count(history.audit_events, 'audit event')}, unbroken: every record is as Holdspace last wrote it.`);
  }
  return h('div', { class: 'notice notice-danger', 'data-testid': 'history-verdict' },
    h('p', {}, h('strong', {}, 'History not verified. '), 'When this vault was unlocked, Holdspace found:'),
    h('ul', {}, history.problems.map((text) => h('li', {}, `${text}.`))));
}

function summary(log) {
  if (log.total === 0) return null;
  const text = log.total > log.events.length
    ? `Showing the newest ${log.events.length} of ${log.total.toLocaleString()} events. Narrow the filters to see older ones.`
    : count(log.total, 'event');
  return h('p', { class: 'list-count' }, text);
}

function eventTable(log) {
  if (log.events.length === 0) {
    return emptyState('No events match', 'Try another action or record kind, or widen the dates. Every unlock, export and change is recorded here as it happens.');
  }
  const node = table([
    { label: 'When', cell: (e) => formatMoment(e.at), className: 'nowrap' },
    { label: 'Action', cell: (e) => h('strong', {}, label(AUDIT_ACTIONS, e.action)), className: 'whole-words' },
    { label: 'Record', cell: recordCell, className: 'whole-words' },
    { label: 'Detail', cell: (e) => e.detail || h('span', { class: 'muted' }, '—') },
  ], log.events, { caption: 'Audit events' });
  for (const tr of node.querySelectorAll('tbody > tr')) tr.setAttribute('data-testid', 'audit-row');
  return node;
}

function recordCell(e) {
  if (!e.subject_kind) return h('span', { class: 'muted' }, '—');
  const kind = label(RECORD_KINDS, e.subject_kind);
  if (!e.subject_name) return kind;
  const nameClass = e.subject_kind === 'member' ? 'sensitive' : null;
  return h('span', {}, `${kind}: `, h('span', { class: nameClass }, e.subject_name));
}
