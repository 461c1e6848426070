// First run: create the vault. A passphrase with its confirmation and a strength meter, then
// the recovery code, shown once, with a printable recovery sheet and an "I have stored it"
// confirmation before the app opens.

import * as ipc from '../ipc.js';
import { h, replace } from '../lib/dom.js';
import { field, saveStatus, showFieldError, clearErrors } from '../lib/ui.js';
import { strengthMeter } from '../lib/strength.js';
import { formatDate, today } from '../lib/format.js';

/** Renders the create-vault screen into `root`. */
export function renderSetup(root, status) {
  const passphrase = field({ label: 'Passphrase', name: 'passphrase', kind: 'password', required: true, attrs: { autocomplete: 'new-password', autofocus: true } });
  const confirmation = field({ label: 'Type it again', name: 'confirmation', kind: 'password', required: true, attrs: { autocomplete: 'new-password' } });
  const input = passphrase.querySelector('input');
  const meter = strengthMeter(input);
  const state = saveStatus();
  const create = h('button', { type: 'submit', class: 'primary', 'data-testid': 'create-vault' }, 'Create my vault');
  const form = h('form', { class: 'auth-form', novalidate: true },
    passphrase, meter, confirmation,
    h('div', { class: 'form-actions' }, create, state.node));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    state.saving('Creating your vault — this takes a few seconds…');
    create.disabled = true;
    try {
      const sheet = await ipc.createVault(input.value, confirmation.querySelector('input').value);
      showRecoveryCode(root, sheet, status.vault_dir);
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
      h('p', { class: 'fine-print' }, 'Vault folder: ', h('code', {}, status.vault_dir)))));
}

/** The one-time recovery code with its printable sheet. */
function showRecoveryCode(root, { recovery_code: code, backup_identity: identity }, vaultDir) {
  const stored = h('input', { type: 'checkbox', id: 'stored', 'data-testid': 'stored-code' });
  const go = h('button', { type: 'button', class: 'primary', disabled: true, 'data-testid': 'continue', onclick: () => globalThis.location.reload() }, 'Open Holdspace');
  stored.addEventListener('change', () => { go.disabled = !stored.checked; });
  const printProblem = h('p', { class: 'field-error', role: 'alert' });
  const print = h('button', { type: 'button', class: 'secondary', onclick: () => ipc.printPage().catch((e) => { printProblem.textContent = e.message; }) }, 'Print recovery sheet');
  replace(root, h('div', { class: 'auth' },
    h('div', { class: 'auth-card wide screen-only' },
      h('h1', { tabindex: '-1' }, 'Your recovery code'),
      h('p', {}, 'If you ever forget your passphrase, this code is the only way to open your vault. It is shown this once and stored nowhere.'),
      h('p', { class: 'recovery-code', 'data-testid': 'recovery-code' }, code),
      h('ul', {},
        h('li', {}, 'Print the recovery sheet, or write the code down exactly.'),
        h('li', {}, 'Keep it somewhere safe and away from this computer — with your professional will, if you have one.'),
        h('li', {}, 'Anyone who has this code and this computer can open your records.')),
      h('div', { class: 'form-actions' }, print, printProblem),
      h('div', { class: 'check confirm-stored' }, stored, h('label', { for: 'stored' }, 'I have stored my recovery code somewhere safe')),
      h('div', { class: 'form-actions' }, go)),
    recoverySheet(code, identity, vaultDir)));
  root.querySelector('h1').focus();
}

/** The sheet that prints (hidden on screen). */
function recoverySheet(code, identity, vaultDir) {
  return h('article', { class: 'print-only recovery-sheet' },
    h('h1', {}, 'Holdspace recovery sheet'),
    h('p', {}, `Created ${formatDate(today())}.`),
    h('p', {}, 'Recovery code:'),
    h('p', { class: 'recovery-code' }, code),
    h('p', {}, 'Vault folder on the computer: ', vaultDir),
    h('h2', {}, 'How to use this sheet'),
    h('ol', {},
      h('li', {}, 'Open Holdspace on the computer that holds the vault.'),
      h('li', {}, 'On the unlock screen, choose "Forgot your passphrase? Use your recovery code".'),
      h('li', {}, 'Type the code above and choose a new passphrase.')),
    h('h2', {}, 'Opening a backup'),
    h('p', {}, 'Backups made with the vault\'s backup key are standard age files, and this sheet opens them — with Holdspace (restore, with the recovery code above) or without it, with the free age tool:'),
    h('ol', {},
      h('li', {}, 'Copy the backup key below, exactly, as the only line of a text file named identity.txt.'),
      h('li', {}, 'Run: age -d -i identity.txt BACKUP.age > practice.json'),
      h('li', {}, 'practice.json is the whole practice in Holdspace\'s open JSON format (not encrypted: keep it safe).')),
    h('p', {}, 'Backup key (secret, like the recovery code):'),
    h('p', { class: 'backup-identity' }, identity),
    h('p', {}, 'Keep this sheet safe and apart from the computer. Anyone with this sheet and the computer can open the records. The code never changes when the passphrase does.'));
}
