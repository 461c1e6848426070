// Restoring from a backup, step by step: (1) choose the backup file and say how it is protected
// (the recovery code, or the backup's own passphrase), then open it and check every record;
// (2) choose where it goes; (3) give the restored vault a passphrase; (4) store its new
// recovery code. Three places use it: Settings → Backups (/settings/restore, unlocked: into a
// new folder, or replacing the vault), first run (no vault yet) and the unlock screen (a
// damaged vault, or a new computer), where the restored vault becomes the one Holdspace uses.
// The routed view (views/restore.js) and the two locked screens all start it from here.

import * as ipc from '../ipc.js';
import { h, link, replace } from './dom.js';
import { pageHeader, section, field, pathField, showFieldError, clearErrors, button, notice, freshId, waitBeforeRetry } from './ui.js';
import { go } from './router.js';
import { formatMoment } from './format.js';
import { countsLines, progressDisplay } from './backups.js';
import { newPassphraseFields } from './new-passphrase.js';
import { showRecoveryCode, recoveryCodeView } from './recovery-sheet.js';

/** How often the progress is asked for while the shell works, in ms. */
const POLL_MS = 250;

const LOCKED_INTRO = {
  first_run: 'Bring your practice to this computer from a backup. The restored practice becomes this computer\'s vault, with a passphrase you choose now and a new recovery code.',
  unlock: 'If this vault is damaged, or this is a new computer, restore your practice from a backup. The vault here is set aside — kept, not deleted — and Holdspace uses the restored one.',
};

const CANCEL_LABEL = {
  first_run: 'Cancel, and create a new vault instead',
  unlock: 'Cancel, and go back to unlocking',
};

const PROTECTION = { backup_key: 'The backup key (your recovery code)', passphrase: 'Its own passphrase' };

/** Errors about the secret typed for the backup, shown beside it. */
const SECRET_ERRORS = new Set(['backup_wrong_passphrase', 'backup_wrong_key', 'malformed_recovery_code', 'backup_needs_passphrase', 'backup_needs_recovery_code']);
/** Errors about the file itself, shown beside it. */
const FILE_ERRORS = new Set(['not_a_backup', 'not_a_file', 'backup_inconsistent', 'backup_damaged', 'backup_file_missing', 'backup_unsupported']);
/** Restore errors that belong beside a field the shell does not name. */
const RESTORE_FIELDS = { replace_not_confirmed: 'replace_confirmed', folder_not_empty: 'folder', current_secret_needed: 'current', current_secret_wrong: 'current' };

/** Before unlocking, into `root`: mode "first_run" (no vault yet) or "unlock" (replacing it). */
export function renderRestore(root, { mode, status }) {
  const flow = h('div', { class: 'restore-flow' });
  const cancel = h('button', { type: 'button', class: 'text-button', 'data-testid': 'restore-cancel', onclick: () => globalThis.location.reload() }, CANCEL_LABEL[mode]);
  replace(root, h('div', { class: 'auth' },
    h('div', { class: 'auth-card wide' },
      h('p', { class: 'auth-brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, 'H'), 'Holdspace'),
      h('h1', { tabindex: '-1' }, 'Restore from a backup'),
      h('p', {}, LOCKED_INTRO[mode]),
      flow,
      cancel)));
  startFlow(flow, { mode, status, appRoot: root, setBusy: (busy) => { cancel.disabled = busy; } });
  root.querySelector('h1').focus();
}

/**
 * Starts the flow in `flow`. `context`: {mode: 'settings' | 'first_run' | 'unlock', status,
 * page, appRoot, setBusy(busy)} — where it runs, and how to keep its surroundings still while
 * the shell works.
 */
export function startFlow(flow, context) {
  replace(flow, openStep(context, (opened) => chooseStep(flow, context, opened)));
}

function chooseStep(flow, context, opened) {
  const summary = openedCard(opened, () => startFlow(flow, context));
  replace(flow, summary, restoreForm(context, opened, (result) => finish(context, result)));
  const heading = summary.querySelector('h2');
  heading.tabIndex = -1;
  heading.focus();
}

// ——— Step 1: open and check the backup ———

function openStep(context, onOpened) {
  const file = pathField({
    label: 'Backup file', name: 'path', empty: 'No file chosen yet', chooseLabel: 'Choose backup file…',
    choose: () => ipc.chooseBackupFile(), hint: 'A backup is one file whose name ends in .age.',
    testIds: { path: 'restore-file-path', choose: 'restore-file' },
  });
  const secret = secretChoice();
  const problem = h('div', { class: 'notice-slot' });
  const progress = progressView();
  const check = h('button', { type: 'submit', class: 'primary', 'data-testid': 'restore-check' }, 'Open and check');
  const form = h('form', { class: 'stack', novalidate: true, 'aria-label': 'Open a backup' },
    file.node, secret.node, problem, progress.node, h('div', { class: 'form-actions' }, check));
  const open = async (asFound) => {
    clearErrors(form);
    replace(problem);
    if (!checkOpen(form, file.value(), secret)) return;
    check.disabled = true;
    context.setBusy(true);
    try {
      const opened = await withProgress(progress, () => ipc.inspectBackup(file.value(), secret.kind(), secret.input().value, asFound));
      secret.input().value = '';
      onOpened(opened);
    } catch (error) {
      if (error.code === 'backup_inconsistent' && !asFound) {
        replace(problem, notice([
          error.message,
          ['So that nothing is ever lost, it can be opened as it is, keeping every record; the problems are listed next. ',
            h('button', { type: 'button', class: 'secondary', 'data-testid': 'restore-as-found', onclick: () => open(true) }, 'Open it as it is')],
        ], 'warning'));
      } else {
        showOpenError(form, problem, error);
      }
    } finally {
      check.disabled = false;
      context.setBusy(false);
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    open(false);
  });
  return section('1. The backup',
    h('p', {}, 'Holdspace decrypts the whole backup and checks every record in it before anything is restored.'),
    form);
}

/** How the backup is protected (a choice) and the secret for it, asked the right way. */
function secretChoice() {
  let kind = 'recovery_code';
  const slot = h('div', {}, secretField(kind));
  const choice = radioGroup({
    legend: 'How is this backup protected?', name: 'secret_kind', value: kind,
    onChange: (next) => {
      kind = next;
      replace(slot, secretField(next));
    },
    choices: [
      ['recovery_code', 'My recovery code — automatic backups', 'restore-kind-recovery-code'],
      ['passphrase', 'The passphrase I gave this backup', 'restore-kind-passphrase'],
    ],
  });
  return { node: h('div', { class: 'stack' }, choice.node, slot), kind: () => kind, input: () => slot.querySelector('input') };
}

function secretField(kind) {
  if (kind === 'passphrase') {
    return field({ label: 'The backup\'s passphrase', name: 'secret', kind: 'password', required: true, attrs: { autocomplete: 'off', 'data-testid': 'restore-secret' } });
  }
  return field({ label: 'Recovery code', name: 'secret', required: true,
    hint: 'From the recovery sheet of the vault that made the backup: 32 letters and digits. Spaces and dashes don\'t matter.',
    attrs: { autocomplete: 'off', spellcheck: 'false', 'data-testid': 'restore-secret' } });
}

function checkOpen(form, path, secret) {
  const missingSecret = !secret.input().value;
  if (missingSecret) {
    const message = secret.kind() === 'passphrase' ? 'Type the passphrase you gave this backup.' : 'Type your recovery code.';
    showFieldError(form, { message }, 'secret');
  }
  if (!path) showFieldError(form, { message: 'Choose the backup file first.' }, 'path');
  return Boolean(path) && !missingSecret;
}

function showOpenError(form, problem, error) {
  const beside = SECRET_ERRORS.has(error.code) ? 'secret' : FILE_ERRORS.has(error.code) ? 'path' : error.field;
  if (!showFieldError(form, error, beside)) replace(problem, notice(error.message, 'danger'));
}

/** What the opened backup is: when it was made, how it is protected, what it holds. */
function openedCard(opened, restart) {
  return section('1. The backup',
    h('p', {}, h('strong', {}, 'Opened and checked. '), 'Every record in it was decrypted and checked. Nothing has been changed yet.'),
    h('dl', { class: 'facts', 'data-testid': 'restore-summary' },
      h('dt', {}, 'File'), h('dd', {}, h('code', { class: 'path' }, opened.file_name)),
      h('dt', {}, 'Made on'), h('dd', {}, formatMoment(opened.created_at)),
      h('dt', {}, 'Protected by'), h('dd', {}, PROTECTION[opened.protection] ?? opened.protection),
      h('dt', {}, 'What it holds'), h('dd', {}, countsLines(opened.counts).join(' · ')),
      h('dt', {}, 'Made by'), h('dd', { 'data-testid': 'restore-authenticity' }, sentenceCase(opened.authenticity_text))),
    opened.needs_vouching
      ? notice([[h('strong', {}, 'Not signed by this practice. '), 'Anyone who knows the vault\'s public backup key can make a backup like this one, so Holdspace cannot tell who made it. Backups made before Holdspace signed them look the same. Restore it only if you know where it came from.']], 'warning')
      : null,
    findingsNotice(opened.findings ?? []),
    h('button', { type: 'button', class: 'text-button', onclick: restart }, 'Open a different backup'));
}

/** The rules an as-found backup breaks: said before anything is restored. */
function findingsNotice(findings) {
  if (findings.length === 0) return null;
  const shown = findings.slice(0, 20);
  return h('div', { class: 'notice notice-warning', role: 'status' },
    h('p', {}, h('strong', {}, `Opened as it is, with ${findings.length === 1 ? 'one problem' : `${findings.length} problems`}. `),
      'Everything is kept. The restored vault refuses changes to these records, and makes no backups, until they are put right:'),
    h('ul', { 'data-testid': 'restore-findings' }, shown.map((f) => h('li', {}, h('code', {}, f.field), ': ', f.reason))),
    findings.length > shown.length ? h('p', {}, `…and ${findings.length - shown.length} more.`) : null);
}

// ——— Steps 2 and 3: where, and the new passphrase ———

function restoreForm(context, opened, onRestored) {
  const where = targetChoice(context);
  const vouch = opened.needs_vouching
    ? field({ label: 'I know where this backup came from: restore it although this practice did not sign it', name: 'allow_unsigned', kind: 'checkbox', attrs: { 'data-testid': 'restore-allow-unsigned' } })
    : null;
  const passphrase = newPassphraseFields({ label: 'New passphrase', testIds: { passphrase: 'restore-passphrase', confirmation: 'restore-confirmation' } });
  const problem = h('div', { class: 'notice-slot' });
  const progress = progressView('Stay on this page until the restore finishes: the restored vault\'s recovery code is shown once, at the end.');
  const start = h('button', { type: 'submit', class: 'primary', 'data-testid': 'restore-start' }, 'Restore');
  const form = h('form', { class: 'stack', novalidate: true, 'aria-label': 'Restore the backup' },
    section('2. Where to restore', where.node, vouch),
    section('3. A passphrase for the restored vault',
      h('p', {}, 'The restored vault gets its own passphrase now, and a new recovery code next. Four or more unrelated words are strong and easy to type.'),
      h('div', { class: 'stack' }, passphrase.nodes)),
    problem, progress.node,
    h('div', { class: 'form-actions' }, start,
      context.mode === 'settings' ? button('Cancel', () => go('/settings/backups'), 'secondary') : null));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    replace(problem);
    const choice = { ...where.read(), allowUnsigned: Boolean(vouch?.querySelector('input').checked) };
    if (!checkTarget(form, choice)) return;
    if (vouch && !choice.allowUnsigned) {
      showFieldError(form, { message: 'Tick this only if you know where the backup came from.' }, 'allow_unsigned');
      return;
    }
    start.disabled = true;
    context.setBusy(true);
    try {
      const result = await withProgress(progress, () => ipc.restoreBackup({ ...choice, ...passphrase.read() }));
      passphrase.clear();
      where.clear();
      onRestored(result);
    } catch (error) {
      showRestoreError(form, problem, error);
    } finally {
      start.disabled = false;
      context.setBusy(false);
    }
  });
  return form;
}

/** The choice of where the backup goes, for the mode: {node, read() → {target, folder, …}}. */
function targetChoice(context) {
  if (context.mode === 'first_run') return firstRunTarget(context.status.vault_dir);
  if (context.mode === 'unlock') return replaceTarget(context.status.vault_dir);
  return settingsTarget();
}

function firstRunTarget(vaultDir) {
  return {
    node: h('p', {}, 'The restored practice becomes this computer\'s vault, in ', h('code', { class: 'path' }, vaultDir), '.'),
    read: () => ({ target: 'app_vault', folder: null, replaceConfirmed: false, current: null, needsConfirmation: false }),
    clear: () => {},
  };
}

function replaceTarget(vaultDir) {
  const replacing = replaceConfirmation({ vaultDir });
  return {
    node: replacing.node,
    read: () => ({ target: 'app_vault', folder: null, replaceConfirmed: replacing.checked(), current: replacing.current(), needsConfirmation: true }),
    clear: replacing.clear,
  };
}

function settingsTarget() {
  const folder = pathField({
    label: 'Folder for the restored vault', name: 'folder', empty: 'No folder chosen yet', chooseLabel: 'Choose folder…',
    choose: () => ipc.chooseFolder('restore_target'),
    hint: 'A new or empty folder. The restored vault is made there; your current vault stays as it is, and Holdspace goes on using it.',
    testIds: { path: 'restore-folder', choose: 'restore-choose-folder' },
  });
  const replacing = replaceConfirmation({ locksAfter: true });
  const panels = { other_folder: folder.node, app_vault: replacing.node };
  const showPanel = (target) => {
    for (const [name, panel] of Object.entries(panels)) panel.hidden = name !== target;
  };
  const choice = radioGroup({
    legend: 'Where should the restored practice go?', name: 'target', value: 'other_folder', onChange: showPanel,
    choices: [
      ['other_folder', 'Into a new folder — your current vault stays as it is', 'restore-target-other_folder'],
      ['app_vault', 'Replace the vault Holdspace uses now', 'restore-target-app_vault'],
    ],
  });
  showPanel('other_folder');
  return {
    node: h('div', { class: 'stack' }, choice.node, folder.node, replacing.node),
    read: () => {
      const target = choice.value();
      const replacesVault = target === 'app_vault';
      return {
        target, folder: replacesVault ? null : folder.value(), replaceConfirmed: replacesVault && replacing.checked(),
        current: replacesVault ? replacing.current() : null, needsConfirmation: replacesVault,
      };
    },
    clear: replacing.clear,
  };
}

/**
 * What replacing the vault does, said once, with what it needs: the "I understand" box and
 * the current vault's passphrase or recovery code, which proves the vault is yours.
 */
function replaceConfirmation({ vaultDir = null, locksAfter = false }) {
  const box = field({ label: 'I understand', name: 'replace_confirmed', kind: 'checkbox', attrs: { 'data-testid': 'restore-confirm' } });
  const current = field({
    label: 'The current vault\'s passphrase or recovery code', name: 'current', kind: 'password',
    hint: 'Only the person whose vault this is may replace it. If the vault is damaged and nothing opens it any more, leave this empty.',
    attrs: { autocomplete: 'off', 'data-testid': 'restore-current' },
  });
  const currentInput = current.querySelector('input');
  const warning = notice([
    [h('strong', {}, 'The vault Holdspace uses now will be set aside. '), 'It is locked and moved to a folder next to it — kept, not deleted — and Holdspace uses the restored vault from then on.'],
    vaultDir ? ['The vault now: ', h('code', { class: 'path' }, vaultDir)] : null,
    'Anything recorded after this backup was made is not in the restored vault.',
    locksAfter ? 'Holdspace locks when the restore is done; then you unlock the restored vault with its new passphrase.' : null,
  ].filter(Boolean), 'warning');
  return {
    node: h('div', { class: 'stack' }, warning, current, box),
    checked: () => box.querySelector('input').checked,
    current: () => currentInput.value,
    clear: () => { currentInput.value = ''; },
  };
}

function checkTarget(form, choice) {
  if (choice.needsConfirmation && !choice.replaceConfirmed) {
    showFieldError(form, { message: 'Tick "I understand" to replace the vault.' }, 'replace_confirmed');
    return false;
  }
  if (choice.target === 'other_folder' && !choice.folder) {
    showFieldError(form, { message: 'Choose a folder for the restored vault.' }, 'folder');
    return false;
  }
  return true;
}

function showRestoreError(form, problem, error) {
  if (error.code === 'too_many_tries') {
    waitBeforeRetry(form, form.querySelector('[data-testid=restore-start]'), error, 'current');
    return;
  }
  if (error.code === 'no_backup_inspected') {
    replace(problem, notice([error.message, 'Choose "Open a different backup" above and open the backup again.'], 'danger'));
    return;
  }
  if (!showFieldError(form, error, RESTORE_FIELDS[error.code] ?? error.field)) replace(problem, notice(error.message, 'danger'));
}

// ——— Step 4: the new recovery code ———

function finish(context, result) {
  if (result.target === 'app_vault') {
    // The app is locked now. This page showed the old vault's records, so the shell ends
    // it, and the fresh page shows the sheet (showRestoredSheet, from the unlock screen).
    ipc.showAfresh();
    return;
  }
  const sheet = restoredSheetOptions(result);
  replace(context.page, recoveryCodeView(result, { ...sheet, continueLabel: 'Done', onContinue: () => showDone(context.page, result) }));
  context.page.querySelector('h1').focus();
}

/**
 * Shows the recovery sheet of the vault just restored over the app's own, kept by the shell
 * until that vault is first unlocked (so a reload shows it again); then `onContinue`.
 */
export async function showRestoredSheet(root, onContinue) {
  let result = null;
  try {
    result = await ipc.restoredSheet();
  } catch {
    result = null;
  }
  if (!result) {
    onContinue();
    return;
  }
  const restored = { ...result, target: 'app_vault' };
  showRecoveryCode(root, restored, { ...restoredSheetOptions(restored), continueLabel: 'Continue to unlock', onContinue });
}

function restoredSheetOptions(result) {
  const locked = result.target === 'app_vault'
    ? 'Holdspace is locked now. Next, unlock the restored vault with the passphrase you just chose.'
    : null;
  return {
    vaultDir: result.vault_dir,
    title: 'The restored vault\'s recovery code',
    intro: [
      'The restore is done. This is the recovery code for the restored vault. It is new: the recovery code you had before does not open this vault.',
      'If you ever forget the new passphrase, this code is the only way in. It is shown this once and stored nowhere. Keep your old recovery sheet too, as long as you keep backups made before today: they still open only with it.',
      locked,
    ].filter(Boolean),
    extra: keptNotice(result.previous_vault_kept_at),
    sheetNote: 'This vault was restored from a backup, and this is its own recovery code. Older backups open with the recovery sheet of the vault that made them.',
    continueTestId: 'restore-continue',
  };
}

function keptNotice(keptAt) {
  if (!keptAt) return null;
  return notice([['The vault Holdspace used before was set aside, not deleted. It is kept in ', h('code', { class: 'path' }, keptAt), '.']], 'info');
}

/** After a restore into another folder: where it went, and that nothing else changed. */
function showDone(page, result) {
  replace(page,
    h('p', { class: 'breadcrumb' }, link('/settings/backups', 'Backups')),
    pageHeader('Restore finished', 'The backup is a vault again, in the folder you chose.'),
    h('div', { class: 'notice notice-info', role: 'status', 'data-testid': 'restore-done' },
      h('p', {}, 'The practice was restored into ', h('code', { class: 'path' }, result.vault_dir), '.'),
      h('p', {}, 'Your current vault is unchanged, and Holdspace goes on using it.'),
      result.previous_vault_kept_at ? h('p', {}, 'The vault used before was kept in ', h('code', { class: 'path' }, result.previous_vault_kept_at), '.') : null,
      h('p', {}, 'To work in the restored vault, start Holdspace with that folder: ', h('code', { class: 'path' }, `holdspace --vault "${result.vault_dir}"`))),
    h('div', { class: 'row' }, button('Back to backups', () => go('/settings/backups'), 'primary')));
  page.querySelector('h1').focus();
}

// ——— Shared pieces ———

/** Radio buttons in a fieldset: choices [[value, label, testId]]; {node, value()}. */
function radioGroup({ legend, name, value, choices, onChange }) {
  let current = value;
  const rows = choices.map(([choiceValue, label, testId]) => {
    const id = freshId('r');
    const input = h('input', { type: 'radio', id, name, value: choiceValue, checked: choiceValue === value, 'data-testid': testId,
      onchange: () => { current = choiceValue; onChange(choiceValue); } });
    return h('div', { class: 'check' }, input, h('label', { for: id }, label));
  });
  return {
    node: h('fieldset', { class: 'choices' }, h('legend', {}, legend), rows),
    value: () => current,
  };
}

/** A progress bar with words (and an optional note under them), hidden until work starts. */
function progressView(note = null) {
  const wordsId = freshId('pw');
  const bar = h('progress', { max: '1', 'aria-labelledby': wordsId });
  const words = h('p', { class: 'hint', id: wordsId, 'aria-live': 'polite' });
  const node = h('div', { class: 'task-progress', hidden: true, 'data-testid': 'restore-progress' }, bar, words,
    note ? h('p', { class: 'hint' }, note) : null);
  return {
    node,
    start() {
      node.hidden = false;
      bar.removeAttribute('value');
      words.textContent = 'Getting ready';
    },
    show(progress) {
      const shown = progressDisplay(progress);
      if (!shown) return;
      words.textContent = shown.words;
      if (shown.max === null) {
        bar.removeAttribute('value');
      } else {
        bar.max = shown.max;
        bar.value = shown.value;
      }
    },
    stop() {
      node.hidden = true;
    },
  };
}

/** Runs `work()` while asking the shell for its progress every POLL_MS; settles as work does. */
async function withProgress(progress, work) {
  progress.start();
  const timer = setInterval(async () => {
    try {
      progress.show(await ipc.restoreProgress());
    } catch {
      // The next poll tries again; the work's own result is what counts.
    }
  }, POLL_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
    progress.stop();
  }
}

/** `text` with its first letter capitalised and a full stop at the end. */
function sentenceCase(text) {
  if (!text) return '';
  const capitalised = text.charAt(0).toUpperCase() + text.slice(1);
  return capitalised.endsWith('.') ? capitalised : `${capitalised}.`;
}
