// First run: create the vault. A passphrase with its confirmation and a strength meter, then
// the recovery code, shown once, with a printable recovery sheet and an "I have stored it"
// confirmation before the app opens. Or, instead, restore the practice from a backup.

import * as ipc from '../ipc.js';
import { focusMarked, h, replace } from '../lib/dom.js';
import { saveStatus, showFieldError, clearErrors } from '../lib/ui.js';
import { newPassphraseFields } from '../lib/new-passphrase.js';
import { showRecoveryCode } from '../lib/recovery-sheet.js';
import { renderRestore } from '../lib/restore-flow.js';

/** Renders the create-vault screen into `root`. */
export function renderSetup(root, status) {
  document.title = 'Create your vault — Holdspace';
  const passphrase = newPassphraseFields({ autofocus: true });
  const state = saveStatus();
  const create = h('button', { type: 'submit', class: 'primary', 'data-testid': 'create-vault' }, 'Create my vault');
  const form = h('form', { class: 'auth-form', novalidate: true },
    passphrase.nodes,
    h('div', { class: 'form-actions' }, create, state.node));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    state.saving('Creating your vault — this takes a few seconds…');
    create.disabled = true;
    try {
      const typed = passphrase.read();
      const sheet = await ipc.createVault(typed.passphrase, typed.confirmation);
      showRecoveryCode(root, sheet, { vaultDir: status.vault_dir, onContinue: () => globalThis.location.reload() });
    } catch (error) {
      create.disabled = false;
      const beside = showFieldError(form, error);
      state.failed(beside ? 'Please correct the field marked above.' : error.message);
    }
  });
  replace(root, h('div', { class: 'auth' },
    h('div', { class: 'auth-card' },
      h('p', { class: 'auth-brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, 'H'), 'Holdspace'),
      h('h1', {}, 'Create your vault'),
      h('p', {}, 'Everything you keep in Holdspace — groups, members, sessions, notes and signed agreements — is encrypted on this computer under a passphrase only you know. Nothing is ever sent anywhere.'),
      h('p', { class: 'hint' }, 'Choose a passphrase you will remember but others could not guess: four or more unrelated words are strong and easy to type. If it is lost, only the recovery code you get next can open the vault.'),
      form,
      h('button', { type: 'button', class: 'text-button', 'data-testid': 'restore-instead', onclick: () => renderRestore(root, { mode: 'first_run', status }) }, 'Restore from a backup instead'),
      h('p', { class: 'fine-print' }, 'Vault folder: ', h('code', {}, status.vault_dir)))));
  focusMarked(root);
}
