// The unlock screen: the passphrase, or — when it is forgotten — the recovery code and a new
// passphrase. Each failure says what it means and what to do (wrong passphrase, vault open in
// another window, damaged or altered vault, too many wrong tries in a row: wait). It says when the last automatic backup did not
// work, and leads to restoring from a backup (a damaged vault, or a new computer).

import * as ipc from '../ipc.js';
import { h, replace } from '../lib/dom.js';
import { field, saveStatus, showFieldError, clearErrors, waitBeforeRetry } from '../lib/ui.js';
import { strengthMeter } from '../lib/strength.js';
import { backupAlertLead } from '../lib/backups.js';
import { renderRestore, showRestoredSheet } from '../lib/restore-flow.js';

/** Errors that are about the vault, not the typed passphrase: shown as a notice, not beside the field. */
const VAULT_PROBLEMS = new Set(['already_open', 'header_damaged', 'header_tampered', 'records_missing', 'unsupported_version', 'kdf_out_of_bounds', 'record_damaged', 'io', 'store', 'disk_full']);

/** Renders the unlock screen into `root`. */
export function renderUnlock(root, status) {
  document.title = 'Unlock — Holdspace';
  if (status.restored_sheet_waiting) {
    showRestoredSheet(root, () => renderUnlock(root, { ...status, restored_sheet_waiting: false }));
    return;
  }
  const passphrase = field({ label: 'Passphrase', name: 'passphrase', kind: 'password', required: true, attrs: { autocomplete: 'current-password', 'data-autofocus': true } });
  const input = passphrase.querySelector('input');
  const state = saveStatus();
  const notice = h('div', { class: 'notice-slot' });
  const submit = h('button', { type: 'submit', class: 'primary', 'data-testid': 'unlock' }, 'Unlock');
  const form = h('form', { class: 'auth-form', novalidate: true }, passphrase, h('div', { class: 'form-actions' }, submit, state.node));
  if (status.open_elsewhere) showNotice(notice, alreadyOpen());
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    replace(notice);
    if (!input.value) {
      showFieldError(form, { message: 'Type your passphrase.' }, 'passphrase');
      return;
    }
    state.saving('Unlocking…');
    submit.disabled = true;
    try {
      await ipc.unlock(input.value);
      input.value = '';
      globalThis.location.reload();
    } catch (error) {
      submit.disabled = false;
      state.clear();
      if (error.code === 'too_many_tries') {
        waitBeforeRetry(form, submit, error, 'passphrase');
        input.value = '';
        input.focus();
      } else if (VAULT_PROBLEMS.has(error.code)) {
        showNotice(notice, h('p', {}, error.message));
      } else {
        showFieldError(form, error, 'passphrase');
        input.select();
      }
    }
  });
  const forgot = h('button', { type: 'button', class: 'text-button', 'data-testid': 'forgot', onclick: () => renderRecover(root, status) }, 'Forgot your passphrase? Use your recovery code');
  const restore = h('button', { type: 'button', class: 'text-button', 'data-testid': 'restore-open', onclick: () => renderRestore(root, { mode: 'unlock', status }) }, 'Restore from a backup…');
  replace(root, h('div', { class: 'auth' },
    h('div', { class: 'auth-card' },
      h('p', { class: 'auth-brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, 'H'), 'Holdspace'),
      h('h1', {}, 'Unlock your records'),
      h('p', {}, 'Your records are encrypted on this computer. Type your passphrase to open them.'),
      status.backup_alert ? backupAlert(status.backup_alert) : null,
      notice,
      form,
      h('div', { class: 'auth-links' }, forgot, restore),
      h('p', { class: 'fine-print' }, 'Vault folder: ', h('code', {}, status.vault_dir)))));
  input.focus();
}

/** The last automatic backup did not work: said plainly, and it stays. */
function backupAlert({ at, message }) {
  return h('div', { class: 'notice notice-danger', role: 'alert', 'data-testid': 'backup-alert' },
    h('p', {}, h('strong', {}, backupAlertLead(at)), ' ', message),
    h('p', {}, 'Unlock, then open Settings → Backups to back up now. If Holdspace stayed open when you closed it, that was so you would see this: closing it again quits without a backup.'));
}

function alreadyOpen() {
  return [
    h('p', {}, 'This vault is already open in another Holdspace window or program. Switch to that window, or close it, then try again here.'),
    h('button', { type: 'button', class: 'secondary', onclick: () => globalThis.location.reload() }, 'Try again'),
  ];
}

function showNotice(slot, children) {
  replace(slot, h('div', { class: 'notice notice-danger', role: 'alert' }, children));
}

/** Recovery: the code, then a new passphrase (with the strength meter). */
function renderRecover(root, status) {
  const code = field({ label: 'Recovery code', name: 'code', required: true, hint: '32 letters and digits, as on your recovery sheet. Spaces and dashes don\'t matter.', attrs: { autocomplete: 'off', spellcheck: 'false', 'data-autofocus': true } });
  const passphrase = field({ label: 'New passphrase', name: 'passphrase', kind: 'password', required: true, attrs: { autocomplete: 'new-password' } });
  const confirmation = field({ label: 'Type it again', name: 'confirmation', kind: 'password', required: true, attrs: { autocomplete: 'new-password' } });
  const meter = strengthMeter(passphrase.querySelector('input'));
  const state = saveStatus();
  const notice = h('div', { class: 'notice-slot' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Set new passphrase and unlock');
  const form = h('form', { class: 'auth-form', novalidate: true }, code, passphrase, meter, confirmation, h('div', { class: 'form-actions' }, submit, state.node));
  const value = (f) => f.querySelector('input').value;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    replace(notice);
    state.saving('Checking the code…');
    submit.disabled = true;
    try {
      await ipc.recover(value(code), value(passphrase), value(confirmation));
      globalThis.location.reload();
    } catch (error) {
      submit.disabled = false;
      state.clear();
      if (error.code === 'too_many_tries') return waitBeforeRetry(form, submit, error, 'code');
      const field = { wrong_recovery_code: 'code', malformed_recovery_code: 'code' }[error.code] ?? error.field;
      if (!showFieldError(form, error, field)) showNotice(notice, h('p', {}, error.message));
    }
  });
  replace(root, h('div', { class: 'auth' },
    h('div', { class: 'auth-card' },
      h('h1', {}, 'Unlock with your recovery code'),
      h('p', {}, 'Type the code from your recovery sheet and choose a new passphrase. Your old passphrase stops working; the recovery code keeps working.'),
      notice,
      form,
      h('button', { type: 'button', class: 'text-button', onclick: () => renderUnlock(root, status) }, 'Back to the passphrase'))));
  code.querySelector('input').focus();
}
