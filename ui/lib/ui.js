// Building blocks every view shares: the page header, badges, empty states, tables, form
// fields with their error slots, the honest save status, and dialogs. All DOM goes through
// lib/dom.js (text only, never HTML).

import { h, append, replace } from './dom.js';
import { typedInput, refuseUnreadable } from './dates.js';

let uniqueId = 0;
/** A fresh element id ("f12"). */
export function freshId(prefix = 'f') {
  uniqueId += 1;
  return `${prefix}${uniqueId}`;
}

/** Page title, one line on what the page is for, and actions at the top right. */
export function pageHeader(title, description, ...actions) {
  return h('header', { class: 'page-header' },
    h('div', { class: 'page-heading' },
      h('h1', { id: 'page-title', tabindex: '-1' }, title),
      description ? h('p', { class: 'page-description' }, description) : null),
    h('div', { class: 'page-actions' }, ...actions));
}

/** A small labelled status badge ({text, tone}). */
export function badge({ text, tone = 'neutral' }) {
  return h('span', { class: `badge badge-${tone}` }, text);
}

/** An empty state that teaches what to do; `action` is an optional button or link. */
export function emptyState(title, explanation, action = null) {
  return h('div', { class: 'empty-state', role: 'note' },
    h('p', { class: 'empty-title' }, title),
    h('p', {}, explanation),
    action);
}

/** A section with a heading. */
export function section(title, ...children) {
  const id = freshId('s');
  return h('section', { class: 'card', 'aria-labelledby': id },
    h('h2', { id }, title),
    ...children);
}

/**
 * A table with a sticky header. `columns`: [{label, cell: row => node|string, className}].
 * `onOpen(row)` makes each row open its detail page by click or Enter. `wide` marks a table
 * that may scroll sideways: its frame is a labelled region the keyboard can reach and scroll.
 */
export function table(columns, rows, { onOpen = null, caption = null, wide = false } = {}) {
  const head = h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.className }, c.label))));
  const body = h('tbody', {}, rows.map((row) => {
    const tr = h('tr', {}, columns.map((c) => h('td', { class: c.className }, c.cell(row))));
    if (onOpen) {
      tr.classList.add('clickable');
      tr.tabIndex = 0;
      tr.addEventListener('click', (e) => {
        if (e.target.closest('a, button, input, select, textarea')) return;
        onOpen(row);
      });
      tr.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' && e.target === tr) onOpen(row);
      });
    }
    return tr;
  }));
  const frame = wide ? { tabindex: '0', role: 'region', 'aria-label': caption } : {};
  return h('div', { class: 'table-wrap', ...frame },
    h('table', {}, caption ? h('caption', { class: 'visually-hidden' }, caption) : null, head, body));
}

/**
 * A labelled form field with a hint and an error slot. kind: 'text' | 'email' | 'tel' |
 * 'date' | 'time' | 'number' | 'textarea' | 'select' | 'checkbox' | 'password'. Dates and
 * times are typed (lib/dates.js): read as people write them, shown in the app's date style.
 * `options` for select: [[value, label], …]. The input's name is `name`; errors from the shell
 * whose `field` equals `name` appear in the slot.
 */
export function field({ label, name, kind = 'text', value = '', hint = '', required = false, options = [], attrs = {} }) {
  const id = freshId('in');
  const hintId = hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ');
  let input;
  if (kind === 'textarea') {
    input = h('textarea', { id, name, rows: attrs.rows ?? 4, 'aria-describedby': describedBy, required, ...attrs });
    input.value = value ?? '';
  } else if (kind === 'select') {
    input = h('select', { id, name, 'aria-describedby': describedBy, required, ...attrs },
      options.map(([v, text]) => h('option', { value: v }, text)));
    input.value = value ?? '';
  } else if (kind === 'checkbox') {
    input = h('input', { id, name, type: 'checkbox', 'aria-describedby': describedBy, ...attrs });
    input.checked = Boolean(value);
  } else if (kind === 'date' || kind === 'time') {
    input = typedInput(kind, { id, name, value, attrs, 'aria-describedby': describedBy, required });
    document.addEventListener('submit', refuseUnreadable, true);
  } else {
    input = h('input', { id, name, type: kind, 'aria-describedby': describedBy, required, ...attrs });
    input.value = value ?? '';
  }
  const labelNode = h('label', { for: id }, label, required ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null);
  const wrapper = h('div', { class: `field field-${kind}`, 'data-field': name },
    kind === 'checkbox' ? h('div', { class: 'check' }, input, labelNode) : [labelNode, input],
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    h('p', { class: 'field-error', id: errorId, role: 'alert' }));
  return wrapper;
}

/**
 * A file or folder chosen with the system's picker, never typed: the label, the path as text,
 * a "Choose…" button, a hint and the error slot for the field `name`. `choose()` resolves with
 * a path, or null when cancelled; `onChange(path)` hears each choice. Returns {node, value}.
 */
export function pathField({ label, name, value = null, empty, chooseLabel, choose, hint = '', onChange = () => {}, testIds = {} }) {
  const id = freshId('pf');
  let path = value;
  const shown = h('code', { class: `path ${path ? '' : 'muted'}`.trim(), id: `${id}-path`, 'data-testid': testIds.path }, path ?? empty);
  const error = h('p', { class: 'field-error', id: `${id}-error`, role: 'alert' });
  const pick = async () => {
    error.textContent = '';
    try {
      const chosen = await choose();
      if (!chosen) return;
      path = chosen;
      shown.className = 'path';
      replace(shown, chosen);
      onChange(chosen);
    } catch (failure) {
      error.textContent = failure.message;
    }
  };
  const node = h('div', { class: 'field field-path', 'data-field': name, role: 'group', 'aria-labelledby': `${id}-label` },
    h('span', { class: 'field-label', id: `${id}-label` }, label),
    h('div', { class: 'path-row' }, shown,
      h('button', { type: 'button', class: 'secondary', 'aria-describedby': `${id}-path ${id}-error`, 'data-testid': testIds.choose, onclick: pick }, chooseLabel)),
    hint ? h('p', { class: 'hint' }, hint) : null,
    error);
  return { node, value: () => path };
}

/** Clears every field error in `form`. */
export function clearErrors(form) {
  for (const slot of form.querySelectorAll('.field-error')) slot.textContent = '';
  for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
}

/**
 * Shows a shell error beside its field when the form has that field (matching the name
 * exactly or as the last segment of a path like "members[3].email"); returns true if shown.
 */
export function showFieldError(form, error, field = error?.field) {
  if (!field) return false;
  const candidates = [field, field.split('.').pop(), field.replace(/\[\d+\]$/, '')];
  for (const name of candidates) {
    const wrapper = form.querySelector(`.field[data-field="${CSS.escape(name)}"]`);
    if (!wrapper) continue;
    wrapper.querySelector('.field-error').textContent = error.message;
    const input = wrapper.querySelector('input, select, textarea');
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    }
    return true;
  }
  return false;
}

/**
 * The save status next to a button: "Saving…", then "Saved" (fades) or the failure, which
 * stays until dismissed. Never says saved unless the shell said so.
 */
export function saveStatus() {
  const node = h('span', { class: 'save-status', role: 'status', 'aria-live': 'polite' });
  return {
    node,
    saving(text = 'Saving…') {
      node.className = 'save-status saving';
      replace(node, text);
    },
    saved(text = 'Saved') {
      node.className = 'save-status saved';
      replace(node, '✓ ', text);
      setTimeout(() => {
        if (node.classList.contains('saved')) node.classList.add('fade');
      }, 2500);
    },
    /** `aftermath` follows the message; pass '' when the message already says what happened. */
    failed(message, aftermath = 'Nothing was saved.') {
      node.className = 'save-status failed';
      const dismiss = h('button', { type: 'button', class: 'text-button', onclick: () => replace(node) }, 'Dismiss');
      replace(node, h('span', {}, message, aftermath ? ` ${aftermath} ` : ' '), dismiss);
    },
    clear() {
      node.className = 'save-status';
      replace(node);
    },
  };
}

/**
 * Runs `save` for a form: clears errors, shows "Saving…", then "Saved" or the error (beside
 * its field when it has one). Keeps what was typed on failure. Resolves with the result, or
 * null when it failed. With `partOfMore`, success leaves "Saving…" showing: the caller has
 * more to save and says "Saved" once all of it is.
 */
export async function submit(form, status, save, { partOfMore = false } = {}) {
  clearErrors(form);
  status.saving();
  const buttons = form.querySelectorAll('button[type=submit]');
  buttons.forEach((b) => { b.disabled = true; });
  try {
    const result = await save();
    if (!partOfMore) status.saved();
    return result;
  } catch (error) {
    const beside = showFieldError(form, error);
    status.failed(beside ? 'Please correct the field marked above.' : error.message);
    return null;
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
  }
}

/** A page-level message (loading failed etc.) that says what to do. */
export function problem(error) {
  return h('div', { class: 'problem', role: 'alert' },
    h('p', {}, error?.message ?? 'Something went wrong.'));
}

/**
 * A modal dialog. `build(close)` returns the body; resolves with what `close(value)` is
 * given (Esc or Cancel gives null). Focus moves into the dialog and returns afterwards.
 */
export function dialog(title, build, { wide = false } = {}) {
  return new Promise((resolve) => {
    const before = document.activeElement;
    const titleId = freshId('d');
    const node = h('dialog', { class: `dialog ${wide ? 'wide' : ''}`, 'aria-labelledby': titleId });
    let settled = false;
    const close = (value) => {
      if (settled) return;
      settled = true;
      node.close();
      node.remove();
      if (before && before.focus) before.focus();
      resolve(value);
    };
    node.addEventListener('cancel', (e) => { e.preventDefault(); close(null); });
    append(node, [h('h2', { id: titleId }, title), build(close)]);
    document.body.append(node);
    node.showModal();
    const first = node.querySelector('input, textarea, select, button.primary, button');
    if (first) first.focus();
  });
}

/** Asks once, naming exactly what will happen; resolves true when confirmed. */
export function confirm({ title, body, confirmLabel, danger = false, confirmAttrs = {} }) {
  return dialog(title, (close) => h('div', {},
    ...(Array.isArray(body) ? body : [body]).map((p) => h('p', {}, p)),
    h('div', { class: 'dialog-actions' },
      h('button', { type: 'button', class: 'secondary', onclick: () => close(false) }, 'Cancel'),
      h('button', { type: 'button', class: danger ? 'danger' : 'primary', onclick: () => close(true), ...confirmAttrs }, confirmLabel))))
    .then((v) => v === true);
}

/** A button. kind: 'primary' | 'secondary' | 'danger' | 'text-button'. */
export function button(label, onclick, kind = 'secondary', attrs = {}) {
  return h('button', { type: 'button', class: kind, onclick, ...attrs }, label);
}

/** Tabs over panels: [{id, label, render: () => node}]; `active` is the selected id. */
export function tabs(items, active, onSelect) {
  const list = h('div', { class: 'tabs', role: 'tablist' });
  const panel = h('div', { class: 'tab-panel', role: 'tabpanel' });
  const buttons = items.map((item) => {
    const b = h('button', {
      type: 'button', role: 'tab', id: `tab-${item.id}`,
      'aria-selected': item.id === active ? 'true' : 'false',
      tabindex: item.id === active ? '0' : '-1',
      onclick: () => onSelect(item.id),
    }, item.label);
    return b;
  });
  list.addEventListener('keydown', (e) => {
    const i = buttons.indexOf(document.activeElement);
    if (i < 0) return;
    const next = e.key === 'ArrowRight' ? (i + 1) % buttons.length : e.key === 'ArrowLeft' ? (i - 1 + buttons.length) % buttons.length : null;
    if (next !== null) {
      e.preventDefault();
      buttons[next].focus();
      onSelect(items[next].id);
    }
  });
  append(list, buttons);
  const current = items.find((i) => i.id === active) ?? items[0];
  panel.setAttribute('aria-labelledby', `tab-${current.id}`);
  append(panel, [current.render()]);
  return h('div', { class: 'tabbed' }, list, panel);
}

// A one-time notice carried to the next page (e.g. "Deleted" after leaving a deleted record).
let pendingNotice = null;

/** Remembers `text` to show on the next page that asks with takeNotice(). */
export function noticeForNextPage(text, tone = 'info') {
  pendingNotice = { text, tone };
}

/** The remembered notice as {text, tone} (once), or null: for a screen that draws its own. */
export function takeNoticeText() {
  const next = pendingNotice;
  pendingNotice = null;
  return next;
}

/** The remembered notice as a node (once), or null. */
export function takeNotice() {
  const next = takeNoticeText();
  return next ? notice(next.text, next.tone) : null;
}

/** A notice box. tone: 'info' | 'warning' | 'danger'. */
export function notice(text, tone = 'info') {
  return h('div', { class: `notice notice-${tone}`, role: tone === 'danger' ? 'alert' : 'status' },
    ...(Array.isArray(text) ? text : [text]).map((p) => h('p', {}, p)));
}

/**
 * A refusal that passes with time (`retry_after_seconds`: too many wrong tries): the shell's
 * sentence beside `fieldName` with how long is left, and `button` disabled until then (it
 * comes back by itself).
 */
export function waitBeforeRetry(form, button, error, fieldName) {
  const left = Math.max(1, Number(error.retry_after_seconds) || 1);
  const when = left === 1 ? 'in a second' : `in ${left} seconds`;
  // Calm, not red: whoever holds the computer is asked to wait, not told off.
  showFieldError(form, { message: `${error.message} You can try again ${when}.` }, fieldName);
  const slot = form.querySelector(`.field[data-field="${CSS.escape(fieldName)}"] .field-error`);
  slot?.classList.add('field-wait');
  button.disabled = true;
  setTimeout(() => {
    button.disabled = false;
    slot?.classList.remove('field-wait');
    clearErrors(form);
  }, left * 1000);
}

/**
 * A form inside a dialog: `fields`, then Cancel and a confirm button labelled `confirmLabel`.
 * Submitting runs `save(form)` with the usual saving status and field errors; the dialog closes
 * with its result once it succeeds, and stays open (errors shown) when it does not.
 */
export function dialogForm(close, fields, confirmLabel, save, confirmAttrs = {}) {
  const status = saveStatus();
  const form = h('form', { class: 'stack', novalidate: true }, ...fields,
    h('div', { class: 'dialog-actions' },
      status.node,
      h('button', { type: 'button', class: 'secondary', onclick: () => close(null) }, 'Cancel'),
      h('button', { type: 'submit', class: 'primary', ...confirmAttrs }, confirmLabel)));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const result = await submit(form, status, () => save(form));
    if (result !== null) close(result ?? true);
  });
  return form;
}
