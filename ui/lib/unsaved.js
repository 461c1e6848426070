// Unsaved changes on the page shown. Policy:
// - A page with a form says which of its fields differ from what was last saved: each such
//   field is marked, and the page shows "Unsaved changes" until they are saved or discarded.
// - What is unsaved is held by the shell, in memory, at each pause in typing, so that any lock
//   (button, shortcut, idle time, a restore, closing the window) seals it into the vault as a
//   draft. Never in web storage or anywhere else on this side.
// - A draft kept at a lock comes back in its page's form, marked as not saved, with Save and
//   Discard; either answer settles it (audited by the shell).
// - Leaving a page with unsaved changes — the sidebar, a breadcrumb, Back, a search result,
//   closing the window — asks first: save, discard, or stay.

import * as ipc from '../ipc.js';
import { h, replace } from './dom.js';
import { dialog } from './ui.js';
import { formatMoment } from './format.js';

/** How long typing must pause before the shell is told what is unsaved. */
export const HOLD_AFTER_MS = 400;

/** The tracker of the page shown, or null. */
let current = null;

/**
 * The fields of `now` whose values differ from `baseline` (both {key: string}), as
 * {key: value}; a key missing from `baseline` counts as empty.
 */
export function changedFields(baseline, now) {
  const changed = {};
  for (const [key, value] of Object.entries(now)) {
    if (value !== (baseline[key] ?? '')) changed[key] = value;
  }
  return changed;
}

/** The key a field is tracked by: its `data-draft-key`, else its name. */
function keyOf(element) {
  return element.getAttribute('data-draft-key') || element.name;
}

/** The tracked fields under `root`: named inputs, text areas and selects. */
function fieldsUnder(root) {
  return [...root.querySelectorAll('input[name], textarea[name], select[name], [data-draft-key]')]
    .filter((el) => el.type !== 'hidden' && el.type !== 'file' && el.type !== 'password' && keyOf(el));
}

function valueOf(element) {
  if (element.type === 'checkbox' || element.type === 'radio') return element.checked ? 'on' : '';
  return element.value ?? '';
}

/**
 * Tracks the unsaved changes of the page shown (replacing the previous page's tracker):
 * - `place`: the page's address ("/sessions/ID"); `title`: its name, for the banner and the
 *   audit trail (never what was typed);
 * - `root`: what holds the fields; `marker`: where "Unsaved changes" shows (default: the top
 *   of `root`);
 * - `save()`: saves everything the page shows; resolves true when it all saved;
 * - `extra` (optional): {read() → {key: value}, apply(values)} for state that is not a field
 *   (attendance chosen with buttons); with `fields: false`, the page's whole state is
 *   `extra` (an agreement's clauses, added, moved and removed).
 * Returns the tracker: call `changed()` after a change made without an input event, and
 * `saved()` once the page has saved.
 */
export function trackChanges({ place, title, root, marker = null, save, extra = null, fields = true }) {
  const read = () => {
    const values = {};
    if (fields) for (const el of fieldsUnder(root)) values[keyOf(el)] = valueOf(el);
    return { ...values, ...(extra ? extra.read() : {}) };
  };
  const badge = h('p', { class: 'unsaved-marker', role: 'status', 'data-testid': 'unsaved-marker', hidden: true },
    'Unsaved changes');
  const draftSlot = h('div', { class: 'draft-slot' });
  (marker ?? root).prepend(draftSlot, badge);
  let timer = null;
  const tracker = {
    place, title, root, baseline: read(), draftShown: false,
    dirty() { return Object.keys(changedFields(this.baseline, read())).length > 0; },
    changed() {
      mark(root, this.baseline, read(), badge);
      clearTimeout(timer);
      timer = setTimeout(() => { timer = null; hold(this); }, HOLD_AFTER_MS);
    },
    /** The fields `keys` were saved on their own (one note of several): no longer unsaved. */
    savedPart(keys) {
      const now = read();
      for (const key of keys) this.baseline[key] = now[key] ?? '';
      this.changed();
    },
    /** Whether `key` differs from what was saved. */
    isUnsaved(key) {
      return key in changedFields(this.baseline, read());
    },
    /** The page saved everything it shows. */
    async saved() {
      this.baseline = read();
      await this.settle(true);
    },
    /** The practitioner threw the changes away: the fields show what was saved again. */
    async discard() {
      apply(root, this.baseline, extra);
      await this.settle(false);
    },
    /** Nothing is unsaved any more; a kept draft shown here is settled (`saved` or not). */
    async settle(saved) {
      clearTimeout(timer);
      timer = null;
      mark(root, this.baseline, this.baseline, badge);
      await ipc.forgetUnsaved(place).catch(() => {});
      if (!this.draftShown) return;
      this.draftShown = false;
      replace(draftSlot);
      await ipc.settleDraft(place, saved).catch(() => {});
      document.dispatchEvent(new CustomEvent('holdspace-drafts-changed'));
    },
    save,
    read,
    /** Tells the shell now what a pause in typing would have told it. */
    async flush() {
      if (timer === null) return;
      clearTimeout(timer);
      timer = null;
      await hold(this);
    },
  };
  root.addEventListener('input', () => tracker.changed());
  root.addEventListener('change', () => tracker.changed());
  current = tracker;
  showKeptDraft(tracker, draftSlot, extra);
  return tracker;
}

/** Tells the shell what the page holds unsaved now (or that it holds nothing). */
async function hold(tracker) {
  const changed = changedFields(tracker.baseline, tracker.read());
  try {
    if (Object.keys(changed).length) await ipc.holdUnsaved(tracker.place, tracker.title, changed);
    else await ipc.forgetUnsaved(tracker.place);
  } catch {
    // The page keeps its text whatever the shell answers; the marker still shows it unsaved.
  }
}

/** Marks each changed field, and shows the page's marker while anything is changed. */
function mark(root, baseline, now, badge) {
  const changed = changedFields(baseline, now);
  for (const el of fieldsUnder(root)) {
    const unsaved = keyOf(el) in changed;
    el.classList.toggle('unsaved', unsaved);
    el.closest('.field')?.classList.toggle('field-unsaved', unsaved);
  }
  badge.hidden = Object.keys(changed).length === 0;
}

/** Puts `values` ({key: value}) into the fields under `root` (and `extra`). */
function apply(root, values, extra) {
  for (const el of fieldsUnder(root)) {
    const key = keyOf(el);
    if (!(key in values)) continue;
    if (el.type === 'checkbox' || el.type === 'radio') el.checked = values[key] === 'on';
    else el.value = values[key];
  }
  if (extra) extra.apply(values);
}

/** If a draft was kept for this page at a lock, puts it in the form, marked as not saved. */
async function showKeptDraft(tracker, slot, extra) {
  let kept;
  try {
    kept = await ipc.draft(tracker.place);
  } catch {
    return;
  }
  if (!kept || current !== tracker) return;
  apply(tracker.root, kept.fields, extra);
  tracker.draftShown = true;
  const saveButton = h('button', {
    type: 'button', class: 'primary', 'data-testid': 'draft-save',
    onclick: async () => { await tracker.save(); },
  }, 'Save it');
  const discardButton = h('button', {
    type: 'button', class: 'secondary', 'data-testid': 'draft-discard',
    onclick: async () => { await tracker.discard(); },
  }, 'Discard the draft');
  replace(slot, h('div', { class: 'notice notice-warning draft-notice', role: 'status', 'data-testid': 'draft-notice' },
    h('p', {}, h('strong', {}, 'Draft — not saved. '),
      `Holdspace kept these unsaved changes when it locked (last typed ${formatMoment(kept.kept_at)}). The marked fields are not saved yet.`),
    h('div', { class: 'row' }, saveButton, discardButton)));
  tracker.changed();
}

/** Before a lock: the shell learns what is unsaved now, so the lock keeps all of it. */
export async function flushUnsaved() {
  await current?.flush();
}

/** Forgets the page shown (a page without a form replaces it). */
export function untrack() {
  current = null;
}

/**
 * Before leaving the page shown: true when it may be left — nothing unsaved, or the
 * practitioner saved or discarded it; false to stay. `leaving` names where to, for the words.
 */
export async function mayLeave(leaving = 'leave this page') {
  const tracker = current;
  if (!tracker || !tracker.dirty()) return true;
  const choice = await dialog('Save your changes?', (close) => h('div', {},
    h('p', {}, `You have unsaved changes on this page (${tracker.title}). Save them before you ${leaving}?`),
    h('div', { class: 'dialog-actions' },
      h('button', { type: 'button', class: 'secondary', 'data-testid': 'unsaved-stay', onclick: () => close('stay') }, 'Stay on this page'),
      h('button', { type: 'button', class: 'danger', 'data-testid': 'unsaved-discard', onclick: () => close('discard') }, 'Discard changes'),
      h('button', { type: 'button', class: 'primary', 'data-testid': 'unsaved-save', onclick: () => close('save') }, 'Save changes'))));
  if (choice === 'save') return (await tracker.save()) === true && !tracker.dirty();
  if (choice === 'discard') {
    await tracker.discard();
    return true;
  }
  return false;
}

/** Closing the window with unsaved changes asks first, then closes (the shell locks). */
globalThis.document?.addEventListener('holdspace-close-requested', async () => {
  if (await mayLeave('close Holdspace')) await ipc.closeWindow().catch(() => {});
});
