// The one-time recovery code: shown on screen with its printable recovery sheet, and an
// "I have stored it" confirmation before going on. Used when a vault is created (setup.js)
// and when one is restored from a backup (restore.js), which gives the vault a new code.
// The code and backup key live only in the DOM built here, never in a variable that outlives it.

import * as ipc from '../ipc.js';
import { h, replace } from './dom.js';
import { formatDate, today } from './format.js';

const FIRST_INTRO = ['If you ever forget your passphrase, this code is the only way to open your vault. It is shown this once and stored nowhere.'];

/**
 * Replaces `root` with the recovery code on a full-screen card (and its sheet, which prints).
 * Options: see recoveryCodeView.
 */
export function showRecoveryCode(root, sheet, options) {
  replace(root, h('div', { class: 'auth' }, recoveryCodeView(sheet, { cardClass: 'auth-card wide', ...options })));
  root.querySelector('h1').focus();
}

/**
 * The screen card and the print-only sheet, as [card, sheet]. Options: vaultDir (printed on
 * the sheet), title, intro (paragraphs), extra (a node before the confirmation), sheetNote
 * (a line printed on the sheet), continueLabel, continueTestId, onContinue, cardClass.
 */
export function recoveryCodeView({ recovery_code: code, backup_identity: identity }, {
  vaultDir, title = 'Your recovery code', intro = FIRST_INTRO, extra = null, sheetNote = null,
  continueLabel = 'Open Holdspace', continueTestId = 'continue', onContinue, cardClass = 'card',
}) {
  const card = h('div', { class: `${cardClass} screen-only recovery-card` },
    h('h1', { tabindex: '-1' }, title),
    intro.map((text) => h('p', {}, text)),
    h('p', { class: 'recovery-code', 'data-testid': 'recovery-code' }, code),
    h('ul', {},
      h('li', {}, 'Print the recovery sheet, or write the code down exactly.'),
      h('li', {}, 'Keep it somewhere safe and away from this computer — with your professional will, if you have one.'),
      h('li', {}, 'Anyone who has this code and this computer can open your records.')),
    printButton(),
    extra,
    storedGate(continueLabel, continueTestId, onContinue));
  return [card, recoverySheet(code, identity, vaultDir, sheetNote)];
}

/** "Print recovery sheet", with the reason beside it when the print dialog fails. */
function printButton() {
  const printProblem = h('p', { class: 'field-error', role: 'alert' });
  const print = h('button', { type: 'button', class: 'secondary', onclick: () => ipc.printPage().catch((e) => { printProblem.textContent = e.message; }) }, 'Print recovery sheet');
  return h('div', { class: 'form-actions' }, print, printProblem);
}

/** The "I have stored it" checkbox; the continue button works only once it is ticked. */
function storedGate(continueLabel, continueTestId, onContinue) {
  const stored = h('input', { type: 'checkbox', id: 'stored', 'data-testid': 'stored-code' });
  const go = h('button', { type: 'button', class: 'primary', disabled: true, 'data-testid': continueTestId, onclick: () => onContinue() }, continueLabel);
  stored.addEventListener('change', () => { go.disabled = !stored.checked; });
  return [
    h('div', { class: 'check confirm-stored' }, stored, h('label', { for: 'stored' }, 'I have stored my recovery code somewhere safe')),
    h('div', { class: 'form-actions' }, go),
  ];
}

/** The sheet that prints (hidden on screen). */
function recoverySheet(code, identity, vaultDir, note) {
  return h('article', { class: 'print-only recovery-sheet' },
    h('h1', {}, 'Holdspace recovery sheet'),
    h('p', {}, `Created ${formatDate(today())}.`),
    note ? h('p', {}, note) : null,
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
      h('li', {}, 'Run: age -d -i identity.txt BACKUP.age > backup.json'),
      h('li', {}, 'backup.json holds the whole practice (under "practice") in Holdspace\'s open JSON format, not encrypted: keep it safe.')),
    h('p', {}, 'Backup key (secret, like the recovery code):'),
    h('p', { class: 'backup-identity' }, identity),
    h('p', {}, 'Keep this sheet safe and apart from the computer. Anyone with this sheet and the computer can open the records. The code never changes when the passphrase does.'));
}
