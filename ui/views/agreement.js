// The agreement editor (/groups/ID/agreement): title, introduction and ordered clauses, with
// keyboard-usable reordering, a preview exactly as a client will see it, and saving — which
// replaces an unsigned version, or publishes version N+1 (naming who must re-sign) once signed.

import * as ipc from '../ipc.js';
import { h, link, replace } from '../lib/dom.js';
import {
  pageHeader, field, saveStatus, clearErrors, showFieldError, confirm, dialog, tabs, button,
} from '../lib/ui.js';
import { formatDate, count } from '../lib/format.js';
import { trackChanges } from '../lib/unsaved.js';
import { showView } from '../lib/view.js';
import { readingView, clauseCard } from '../lib/client-reading.js';
import { signStep } from '../lib/client-sign.js';

/** Renders the agreement editor for group `params.id` into `page`. */
export async function render(page, params) {
  await showView(page, {
    load: async (view) => {
      const data = await ipc.agreementPage(params.id);
      edit(view, data);
      return data;
    },
    draw,
    state: { tab: 'edit', result: null },
  });
}

/** Starts editing `data`'s current version afresh (on load, and after a save). */
function edit(view, data) {
  view.original = JSON.stringify(data.current.text);
  view.text = structuredClone(data.current.text);
}


function nextNumber(view) {
  return view.data.current.number + 1;
}

function saveLabel(view) {
  return view.data.signed ? `Publish version ${nextNumber(view)}` : 'Save changes';
}

function draw(view) {
  const { data } = view;
  const { current } = data;
  const description = data.signed
    ? `Version ${current.number}, effective ${formatDate(current.effective_date)}, has been signed, so it stays as it is. Your edits become version ${nextNumber(view)}.`
    : `Version ${current.number}, effective ${formatDate(current.effective_date)}. Nobody has signed it yet, so saving replaces it.`;
  view.status = saveStatus();
  view.tabsSlot = h('div', {});
  view.form = h('form', { class: 'agreement-form', novalidate: true },
    view.tabsSlot,
    h('div', { class: 'form-actions sticky-actions' },
      h('button', { type: 'submit', class: 'primary', 'data-testid': 'publish-agreement' }, saveLabel(view)),
      link(`/groups/${data.group.id}?tab=agreement`, 'Back to the group'),
      view.status.node));
  view.form.addEventListener('submit', (event) => {
    event.preventDefault();
    save(view);
  });
  view.changes = trackChanges({
    place: `/groups/${data.group.id}/agreement`,
    title: `Agreement of ${data.group.name}`,
    root: view.form,
    fields: false,
    save: () => save(view),
    extra: {
      read: () => ({ agreement: JSON.stringify(view.text) }),
      apply: (values) => {
        if (!values.agreement) return;
        try {
          view.text = JSON.parse(values.agreement);
        } catch {
          return;
        }
        drawTabs(view);
      },
    },
  });
  replace(view.page,
    h('p', { class: 'breadcrumb' }, link(`/groups/${data.group.id}?tab=agreement`, `← ${data.group.name}`)),
    pageHeader(`Agreement — ${data.group.name}`, description),
    resultNotice(view),
    data.signed ? resigningNotice(data) : null,
    view.form);
  drawTabs(view);
}

function resigningNotice(data) {
  const names = data.would_need_resigning;
  if (names.length === 0) return null;
  return h('div', { class: 'notice notice-warning' },
    h('p', {}, `${count(names.length, 'member')} signed version ${data.current.number}. Publishing a new version asks ${names.length === 1 ? 'them' : 'each of them'} to sign again: `,
      h('span', { class: 'sensitive' }, names.map((n) => n.name).join(', ')), '.'));
}

function resultNotice(view) {
  const result = view.result;
  if (!result) return null;
  const { saved, needs_resigning: names } = result;
  const text = saved.unchanged
    ? `Nothing changed: version ${saved.version.number} already reads exactly like this, so no new version was published.`
    : saved.published_new_version
      ? `Version ${saved.version.number} is published and is now the group's agreement.`
      : `Saved. Version ${saved.version.number} now reads as shown below.`;
  const node = h('div', { class: 'notice notice-info', role: 'status', tabindex: '-1', 'data-testid': 'agreement-result' },
    h('p', {}, '✓ ', text),
    names.length
      ? h('p', {}, `These members need to re-sign: `, h('span', { class: 'sensitive' }, names.map((n) => n.name).join(', ')), '. ',
        link(`/groups/${view.data.group.id}?tab=roster`, 'See the roster'), ' to record paper signatures, or have them sign in client mode.')
      : null);
  view.resultNode = node;
  return node;
}

function drawTabs(view) {
  const items = [
    { id: 'edit', label: 'Edit the text', render: () => editor(view) },
    { id: 'preview', label: 'Preview as a client sees it', render: () => preview(view) },
  ];
  replace(view.tabsSlot, tabs(items, view.tab, (id) => {
    view.tab = id;
    drawTabs(view);
    view.tabsSlot.querySelector(`#tab-${id}`)?.focus();
  }));
}

// ——— Editing ———

function editor(view) {
  const { text } = view;
  const title = field({ label: 'Title', name: 'title', value: text.title, required: true, hint: 'What the client reads first, e.g. "Our group agreement".', attrs: { autocomplete: 'off' } });
  title.querySelector('input').addEventListener('input', (e) => { text.title = e.target.value; });
  const intro = field({ label: 'Introduction', name: 'introduction', kind: 'textarea', value: text.introduction, hint: 'A few plain sentences on why the group has ground rules.', attrs: { rows: 4 } });
  intro.querySelector('textarea').addEventListener('input', (e) => { text.introduction = e.target.value; });
  view.clauseList = h('ol', { class: 'clause-list', 'aria-label': 'Clauses' });
  drawClauses(view);
  return h('div', { class: 'stack' },
    title,
    intro,
    h('div', { class: 'field', 'data-field': 'clauses' },
      h('h2', { class: 'clauses-heading' }, 'Clauses'),
      h('p', { class: 'hint' }, 'One ground rule each, in the order a client reads them. Short headings and plain words (reading age 12–13) work best.'),
      h('p', { class: 'field-error', role: 'alert' })),
    view.clauseList,
    h('div', {}, button('Add a clause', () => addClause(view), 'secondary', { 'data-testid': 'add-clause' })));
}

function drawClauses(view) {
  const { clauses } = view.text;
  replace(view.clauseList, clauses.map((clause, i) => clauseEditor(view, clause, i, clauses.length)));
}

function clauseEditor(view, clause, index, total) {
  const heading = field({ label: 'Heading', name: `clauses[${index}].heading`, value: clause.heading, required: true, attrs: { autocomplete: 'off' } });
  heading.querySelector('input').addEventListener('input', (e) => { clause.heading = e.target.value; });
  const text = field({ label: 'What it says', name: `clauses[${index}].text`, kind: 'textarea', value: clause.text, required: true, attrs: { rows: 3 } });
  text.querySelector('textarea').addEventListener('input', (e) => { clause.text = e.target.value; });
  const name = clause.heading.trim() ? `clause ${index + 1}, ${clause.heading.trim()}` : `clause ${index + 1}`;
  return h('li', { class: 'clause-editor', 'data-testid': 'clause-editor' },
    h('div', { class: 'clause-editor-head' },
      h('span', { class: 'clause-number' }, `Clause ${index + 1} of ${total}`),
      h('div', { class: 'row' },
        button('Move up', () => moveClause(view, index, -1), 'text-button', { disabled: index === 0, 'aria-label': `Move ${name} up`, 'data-kind': 'up' }),
        button('Move down', () => moveClause(view, index, 1), 'text-button', { disabled: index === total - 1, 'aria-label': `Move ${name} down`, 'data-kind': 'down' }),
        button('Remove', () => removeClause(view, index), 'text-button danger-text', { 'aria-label': `Remove ${name}` }))),
    heading,
    text);
}

/** Moves a clause and keeps focus on the same control of the moved clause. */
function moveClause(view, index, step) {
  const { clauses } = view.text;
  const target = index + step;
  if (target < 0 || target >= clauses.length) return;
  [clauses[index], clauses[target]] = [clauses[target], clauses[index]];
  drawClauses(view);
  view.changes.changed();
  const item = view.clauseList.children[target];
  const same = item.querySelector(`button[data-kind="${step < 0 ? 'up' : 'down'}"]`);
  const other = item.querySelector(`button[data-kind="${step < 0 ? 'down' : 'up'}"]`);
  (same && !same.disabled ? same : other)?.focus();
}

function addClause(view) {
  view.text.clauses.push({ heading: '', text: '' });
  drawClauses(view);
  view.changes.changed();
  view.clauseList.lastElementChild.querySelector('input')?.focus();
}

async function removeClause(view, index) {
  const clause = view.text.clauses[index];
  const heading = clause.heading.trim() || 'This clause';
  const ok = await confirm({
    title: `Remove clause ${index + 1}?`,
    body: `"${heading}" will be taken out of the agreement when you ${view.data.signed ? `publish version ${nextNumber(view)}` : 'save'}. Signed versions keep it.`,
    confirmLabel: 'Remove clause',
    danger: true,
  });
  if (!ok) return;
  view.text.clauses.splice(index, 1);
  drawClauses(view);
  view.changes.changed();
  const next = view.clauseList.children[Math.min(index, view.text.clauses.length - 1)];
  (next?.querySelector('input') ?? view.form.querySelector('[data-testid="add-clause"]'))?.focus();
}

// ——— Preview ———

/**
 * The agreement exactly as client mode shows it — the same reading view, cards, buttons and
 * signing step (lib/client-reading.js) in the client's type size — with nothing kept: the
 * buttons answer on this page only and the signing step signs nothing.
 */
function preview(view) {
  const { profile, group } = view.data;
  const { text } = view;
  const data = {
    ...profile, group_name: group.name, title: text.title || 'Untitled agreement',
    introduction: text.introduction, now: new Date().toISOString(),
    signer_legal_name: '', signer_display_name: '',
  };
  const acknowledged = text.clauses.map(() => false);
  const sign = signStep(data, { preview: true, onSigned: () => {}, focusNext: () => cards[acknowledged.indexOf(false)]?.acknowledge.focus() });
  const kept = async () => {};
  const cards = text.clauses.map((clause, index) => clauseCard({
    clause: { heading: clause.heading || 'Untitled rule', text: clause.text }, index, total: text.clauses.length,
    acknowledged: false, discuss: false, saveAcknowledged: kept, saveDiscuss: kept,
    onAcknowledged: (on) => { acknowledged[index] = on; sign.update(acknowledged.filter(Boolean).length, acknowledged.length); },
    onDiscuss: () => {}, onFailure: () => null,
  }));
  sign.update(0, acknowledged.length);
  return h('div', { class: 'stack' },
    profile.practice_name || profile.contact_line
      ? null
      : h('p', { class: 'notice notice-info' }, 'Your practice name and contact line appear at the top of the agreement. ', link('/settings', 'Add them in Settings'), '.'),
    h('p', { class: 'hint' }, 'This is what a client sees in client mode. The buttons work here, but nothing is kept or signed.'),
    h('div', { class: 'client-preview', role: 'region', 'aria-label': 'Preview of the agreement as a client sees it' },
      readingView(data, { cards, sign, heading: 'h2' })));
}

// ——— Saving ———

/** Saves or publishes the text; resolves true once it is saved. */
async function save(view) {
  const { status, form } = view;
  clearErrors(form);
  if (JSON.stringify(view.text) === view.original) {
    status.clear();
    status.node.className = 'save-status';
    status.node.textContent = 'Nothing has changed yet, so there is nothing to save.';
    await view.changes.saved();
    return true;
  }
  if (view.data.signed && !(await confirmPublish(view))) return false;
  const submitButton = form.querySelector('button[type=submit]');
  submitButton.disabled = true;
  status.saving(view.data.signed ? 'Publishing…' : 'Saving…');
  try {
    const result = await ipc.saveAgreement(view.data.group.id, view.text);
    await view.changes.saved();
    const fresh = await ipc.agreementPage(view.data.group.id);
    view.result = result;
    edit(view, fresh);
    view.show(fresh);
    view.resultNode?.focus();
    return true;
  } catch (error) {
    submitButton.disabled = false;
    showError(view, error);
    return false;
  }
}

function showError(view, error) {
  if (error.field && view.tab !== 'edit') {
    view.tab = 'edit';
    drawTabs(view);
  }
  const beside = showFieldError(view.form, error);
  view.status.failed(beside ? 'Please correct the field marked above.' : error.message);
}

function confirmPublish(view) {
  const next = nextNumber(view);
  const names = view.data.would_need_resigning;
  return dialog(`Publish version ${next}?`, (close) => h('div', {},
    h('p', {}, `Version ${view.data.current.number} has been signed, so it stays on record unchanged. Version ${next} becomes the group's agreement from today.`),
    names.length
      ? [h('p', {}, `${count(names.length, 'member')} will need to re-sign:`),
        h('ul', { class: 'resign-list sensitive' }, names.map((n) => h('li', {}, n.name)))]
      : h('p', {}, 'Nobody will need to re-sign: no live signature of the current version.'),
    h('div', { class: 'dialog-actions' },
      h('button', { type: 'button', class: 'secondary', onclick: () => close(false) }, 'Cancel'),
      h('button', { type: 'button', class: 'primary', 'data-testid': 'publish-confirm', onclick: () => close(true) }, `Publish version ${next}`))))
    .then((v) => v === true);
}
