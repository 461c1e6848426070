// Client mode's top bar: the calm progress line ("4 of 12 read"), the client's display
// choices (text size, high contrast — kept for the visit in sessionStorage, so a reload keeps
// them), and the small "Practitioner" button whose passphrase prompt ends client mode. Also the
// two ways client mode answers a failed command.

import * as ipc from '../ipc.js';
import { h } from './dom.js';
import { field, dialog, saveStatus, showFieldError, clearErrors, waitBeforeRetry } from './ui.js';
import { TEXT_SIZE_KEY, CONTRAST_KEY, returnFromClientMode } from './client-start.js';

/** Text size steps (body classes text-size-0 … text-size-3 set --client-scale). */
const TEXT_SIZES = 4;

/** Errors after which the page must start again (client mode ended, vault locked, signed). */
const START_AGAIN = new Set(['not_in_client_mode', 'locked', 'already_signed']);

/** Starts the page again when client mode is over; true when it did. */
export function startAgainIfOver(error) {
  if (!START_AGAIN.has(error?.code)) return false;
  globalThis.location.reload();
  return true;
}

/** A friendly failure line for the client, with the shell's sentence for the practitioner. */
export function notSaved(error) {
  return `That did not save. Please try again, or ask your therapist for help. (${error?.message ?? ''})`;
}

function storedTextSize() {
  const size = Number(globalThis.sessionStorage.getItem(TEXT_SIZE_KEY));
  return Number.isInteger(size) && size >= 0 && size < TEXT_SIZES ? size : 0;
}

function storedContrast() {
  return globalThis.sessionStorage.getItem(CONTRAST_KEY) === 'on';
}

/** Puts the stored text size and contrast on the body. */
export function applyDisplayChoices() {
  const { classList } = document.body;
  for (let i = 0; i < TEXT_SIZES; i += 1) classList.toggle(`text-size-${i}`, i === storedTextSize());
  classList.toggle('high-contrast', storedContrast());
}

/**
 * The bar; returns {node, setProgress(done, total, word) — "4 of 12 read", or with word
 * "answered" — or setProgress(null) to hide it}.
 */
export function clientBar() {
  const progressText = h('p', { class: 'client-progress', 'data-testid': 'client-progress', role: 'status' });
  const track = h('span', { class: 'progress-track', 'aria-hidden': 'true' }, h('span', { class: 'progress-fill' }));
  const progress = h('div', { class: 'client-progress-wrap' }, progressText, track);
  const node = h('header', { class: 'client-bar' },
    h('div', { class: 'client-bar-inner' },
      progress,
      h('div', { class: 'client-tools' }, textSizeControl(), contrastToggle(), practitionerButton())));
  return {
    node,
    setProgress(done, total, word = 'read') {
      progress.hidden = done === null;
      if (done === null) return;
      progressText.textContent = `${done} of ${total} ${word}`;
      track.style.setProperty('--progress', `${total ? Math.round((done / total) * 100) : 0}%`);
    },
  };
}

function textSizeControl() {
  const step = (delta) => {
    const next = Math.min(TEXT_SIZES - 1, Math.max(0, storedTextSize() + delta));
    globalThis.sessionStorage.setItem(TEXT_SIZE_KEY, String(next));
    applyDisplayChoices();
    sync();
  };
  const smaller = h('button', { type: 'button', class: 'client-tool', 'data-testid': 'text-smaller', onclick: () => step(-1) },
    h('span', { class: 'glyph glyph-small', 'aria-hidden': 'true' }, 'A'), 'Smaller');
  const larger = h('button', { type: 'button', class: 'client-tool', 'data-testid': 'text-larger', onclick: () => step(1) },
    h('span', { class: 'glyph glyph-large', 'aria-hidden': 'true' }, 'A'), 'Larger');
  const sync = () => {
    const size = storedTextSize();
    smaller.setAttribute('aria-disabled', size === 0 ? 'true' : 'false');
    larger.setAttribute('aria-disabled', size === TEXT_SIZES - 1 ? 'true' : 'false');
  };
  sync();
  return h('div', { class: 'tool-group', role: 'group', 'aria-labelledby': 'text-size-label' },
    h('span', { class: 'tool-label', id: 'text-size-label' }, 'Text size'), smaller, larger);
}

function contrastToggle() {
  const button = h('button', {
    type: 'button', class: 'client-tool', 'data-testid': 'high-contrast',
    'aria-pressed': storedContrast() ? 'true' : 'false',
  }, 'High contrast');
  button.addEventListener('click', () => {
    const on = !storedContrast();
    globalThis.sessionStorage.setItem(CONTRAST_KEY, on ? 'on' : 'off');
    applyDisplayChoices();
    button.setAttribute('aria-pressed', on ? 'true' : 'false');
  });
  return button;
}

function practitionerButton() {
  return h('button', {
    type: 'button', class: 'client-exit', 'data-testid': 'practitioner-exit',
    onclick: () => dialog('For your therapist', exitForm),
  }, 'Practitioner');
}

/** The passphrase prompt that ends client mode; a wrong passphrase stays, with its message. */
function exitForm(close) {
  const passphrase = field({
    label: 'Passphrase', name: 'passphrase', kind: 'password', required: true,
    attrs: { autocomplete: 'current-password', 'data-testid': 'exit-passphrase' },
  });
  const input = passphrase.querySelector('input');
  const status = saveStatus();
  const confirm = h('button', { type: 'submit', class: 'primary', 'data-testid': 'exit-confirm' }, 'End client mode');
  const form = h('form', { class: 'stack', novalidate: true },
    h('p', {}, 'Your therapist types their Holdspace passphrase here to end client mode. If you opened this by mistake, choose “Go back”.'),
    passphrase,
    h('div', { class: 'dialog-actions' },
      status.node,
      h('button', { type: 'button', class: 'secondary', onclick: () => close(null) }, 'Go back'),
      confirm));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    if (!input.value) {
      showFieldError(form, { message: 'Type your passphrase.' }, 'passphrase');
      return;
    }
    status.saving('Checking…');
    confirm.disabled = true;
    try {
      await ipc.leaveClientMode(input.value);
      input.value = '';
      // A safety question the client answered is the first thing the practitioner sees.
      const status = await ipc.appStatus().catch(() => null);
      returnFromClientMode(status?.client_visit_ended?.safety_review ? '/' : null);
    } catch (error) {
      confirm.disabled = false;
      status.clear();
      if (error.code === 'not_in_client_mode') return returnFromClientMode();
      if (error.code === 'locked') return globalThis.location.reload();
      if (error.code === 'client_exit_waiting') {
        waitBeforeRetry(form, confirm, error, 'passphrase');
        input.value = '';
        return;
      }
      // The shell's sentence suggests the recovery code, which is for the unlock screen.
      const shown = error.code === 'wrong_passphrase'
        ? { message: 'That passphrase isn\'t right. Check Caps Lock and try again; client mode stays on until it is.' }
        : error;
      showFieldError(form, shown, 'passphrase');
      input.select();
    }
  });
  return form;
}
