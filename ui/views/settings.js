// Settings (/settings): the practice profile printed on agreements and the auto-lock time;
// security (the vault's facts, changing the passphrase, rotating the encryption key with a
// progress bar); where backups stand, leading to Backups (backups.js); exporting the whole
// practice as open, unencrypted JSON; and About: the app's version, the vault's format and
// folder, and the licences of the software built into Holdspace.

import * as ipc from '../ipc.js';
import { h, replace } from '../lib/dom.js';
import { pageHeader, section, field, saveStatus, submit, clearErrors, showFieldError, dialog, button } from '../lib/ui.js';
import { count } from '../lib/format.js';
import { strengthMeter } from '../lib/strength.js';
import { readableSize, overviewSummary } from '../lib/backups.js';
import { go } from '../lib/router.js';
import { recoveryCodeView } from '../lib/recovery-sheet.js';

/** Renders the settings screen into `page`. */
export async function render(page) {
  const settings = await ipc.settings();
  page.append(pageHeader('Settings', 'Your practice profile, the vault\'s security, backups, and exporting your records.'));
  page.append(profileSection(settings.profile), securitySection(settings, page), backupsSection(), exportSection(settings), aboutSection(settings));
}

// ——— Practice profile ———

function profileSection(profile) {
  const status = saveStatus();
  const form = h('form', { class: 'stack', novalidate: true, 'aria-label': 'Practice profile' },
    h('div', { class: 'form-grid' },
      field({ label: 'Your name', name: 'practitioner_name', value: profile.practitioner_name, hint: 'As printed on agreements.' }),
      field({ label: 'Credentials', name: 'credentials', value: profile.credentials, hint: 'For example: LCSW, Registered Psychotherapist.' }),
      field({ label: 'Practice name', name: 'practice_name', value: profile.practice_name }),
      field({ label: 'Auto-lock after (minutes)', name: 'auto_lock_minutes', kind: 'number', value: profile.auto_lock_minutes || 10,
        hint: 'Holdspace locks itself after this many idle minutes (1–240).', attrs: { min: '1', max: '240', step: '1', inputmode: 'numeric' } })),
    field({ label: 'Contact line', name: 'contact_line', value: profile.contact_line,
      hint: 'Printed at the top of every agreement: address, phone, email.' }),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'primary', 'data-testid': 'save-profile' }, 'Save profile'),
      status.node));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const profile = readProfile(form);
    if (!checkMinutes(form, profile.auto_lock_minutes)) return;
    const ok = await submit(form, status, async () => { await ipc.saveProfile(profile); return true; });
    if (ok) showPracticeName(profile.practice_name);
  });
  return section('Practice profile', h('p', { class: 'muted' }, 'What clients see on the agreements they sign, and how soon Holdspace locks when you step away.'), form);
}

function readProfile(form) {
  const e = form.elements;
  return {
    practitioner_name: e.practitioner_name.value.trim(),
    credentials: e.credentials.value.trim(),
    practice_name: e.practice_name.value.trim(),
    contact_line: e.contact_line.value.trim(),
    auto_lock_minutes: Number(e.auto_lock_minutes.value),
  };
}

function checkMinutes(form, minutes) {
  clearErrors(form);
  if (Number.isInteger(minutes) && minutes >= 1 && minutes <= 240) return true;
  showFieldError(form, { field: 'auto_lock_minutes', message: 'Choose a whole number of minutes from 1 to 240.' });
  return false;
}

/** Shows the new practice name in the sidebar at once. */
function showPracticeName(name) {
  const node = document.querySelector('.practice-name');
  if (node && name) node.textContent = name;
}

// ——— Security ———

function securitySection(settings, page) {
  const facts = h('dl', { class: 'facts' });
  fillFacts(facts, settings);
  return section('Security',
    h('p', { class: 'muted' }, 'Your records are encrypted on this computer. Only your passphrase — or your recovery code — opens them.'),
    facts,
    h('div', { class: 'subsection' }, h('h3', {}, 'Change passphrase'), passphraseForm()),
    h('div', { class: 'subsection' }, h('h3', {}, 'Rotate the encryption key'), rotation(facts, settings.key_epoch)),
    h('div', { class: 'subsection' }, h('h3', {}, 'A new recovery code'), newRecoveryCode(page, settings.vault_dir)));
}

/** "I lost my recovery sheet": a new code, after the passphrase; the old one stops working. */
function newRecoveryCode(page, vaultDir) {
  const problem = h('p', { class: 'field-error', role: 'alert' });
  const start = h('button', { type: 'button', class: 'secondary', 'data-testid': 'new-recovery-code' }, 'Make a new recovery code…');
  start.addEventListener('click', async () => {
    problem.textContent = '';
    const passphrase = await askPassphrase({
      title: 'Make a new recovery code',
      explanation: 'Type your passphrase to confirm. Your current recovery code stops opening this vault as soon as the new one is made.',
      confirmLabel: 'Make a new code', testId: 'confirm-new-recovery-code',
    });
    if (!passphrase) return;
    start.disabled = true;
    try {
      const sheet = await ipc.newRecoveryCode(passphrase);
      replace(page, recoveryCodeView(sheet, {
        vaultDir,
        title: 'Your new recovery code',
        intro: [
          'This is your new recovery code. Your old recovery code no longer opens this vault.',
          'New backups are made with the new code from now on. Backups made before today still open only with the old code: keep the old sheet as long as you keep those backups, and destroy it when you no longer need them.',
        ],
        sheetNote: 'Backups made before this sheet was printed open only with the previous recovery code.',
        continueLabel: 'Back to settings', continueTestId: 'new-code-done',
        onContinue: () => go('/settings'),
      }));
      page.querySelector('h1').focus();
    } catch (error) {
      problem.textContent = error.message;
      start.disabled = false;
    }
  });
  return h('div', { class: 'stack' },
    h('p', {}, 'If your recovery sheet is lost, or someone else may have seen it, make a new recovery code. The old one stops opening this vault at once. Your passphrase stays the same.'),
    h('div', { class: 'row' }, start), problem);
}

function fillFacts(facts, settings) {
  replace(facts,
    h('dt', {}, 'Vault folder'), h('dd', {}, h('code', {}, settings.vault_dir)),
    h('dt', {}, 'Records'), h('dd', {}, settings.records.toLocaleString()),
    h('dt', {}, 'Key derivation'), h('dd', {}, `Argon2id, ${settings.kdf_memory_mib} MiB memory, ${count(settings.kdf_iterations, 'pass', 'passes')}`),
    h('dt', {}, 'Key epoch'), h('dd', {}, `${settings.key_epoch} — ${rotations(settings.key_epoch)}`));
}

/** The epoch is 1 when the vault is created and grows by one with each rotation. */
function rotations(epoch) {
  return epoch <= 1 ? 'the key has never been rotated' : `the key has been rotated ${count(epoch - 1, 'time')}`;
}

function passphraseForm() {
  const status = saveStatus();
  const fresh = field({ label: 'New passphrase', name: 'passphrase', kind: 'password', required: true, attrs: { autocomplete: 'new-password' } });
  const freshInput = fresh.querySelector('input');
  fresh.append(strengthMeter(freshInput));
  const form = h('form', { class: 'stack narrow', novalidate: true, 'aria-label': 'Change passphrase' },
    h('p', { class: 'muted' }, 'You will use the new passphrase from the next unlock. Your recovery code keeps working.'),
    field({ label: 'Current passphrase', name: 'current', kind: 'password', required: true, attrs: { autocomplete: 'current-password' } }),
    fresh,
    field({ label: 'Type the new passphrase again', name: 'confirmation', kind: 'password', required: true, attrs: { autocomplete: 'new-password' } }),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'primary', 'data-testid': 'change-passphrase' }, 'Change passphrase'),
      status.node));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const e = form.elements;
    if (!checkPassphrases(form)) return;
    const ok = await submit(form, status, async () => {
      try {
        await ipc.changePassphrase(e.current.value, e.passphrase.value, e.confirmation.value);
      } catch (error) {
        if (error.code === 'wrong_passphrase' && !error.field) error.field = 'current';
        throw error;
      }
      return true;
    });
    if (ok) {
      form.reset();
      freshInput.dispatchEvent(new Event('input'));
      status.saved('Passphrase changed — use the new one next time you unlock');
    }
  });
  return form;
}

function checkPassphrases(form) {
  clearErrors(form);
  const e = form.elements;
  const problems = [
    ['current', !e.current.value, 'Type your current passphrase.'],
    ['passphrase', !e.passphrase.value, 'Choose a new passphrase.'],
    ['confirmation', e.passphrase.value !== e.confirmation.value, 'This doesn\'t match the new passphrase.'],
  ].filter(([, bad]) => bad);
  for (const [name, , message] of problems.reverse()) showFieldError(form, { field: name, message });
  return problems.length === 0;
}

function rotation(facts, startingEpoch) {
  let epoch = startingEpoch;
  const bar = h('progress', { max: '1', value: '0' });
  const words = h('p', { class: 'hint', 'aria-live': 'polite' });
  const progress = h('div', { class: 'rotation-progress', hidden: true }, bar, words);
  const result = h('div', { 'aria-live': 'polite' });
  const start = h('button', { type: 'button', class: 'secondary', 'data-testid': 'rotate-key' }, 'Rotate the encryption key…');
  start.addEventListener('click', async () => {
    const passphrase = await askPassphrase({
      title: 'Rotate the encryption key',
      explanation: 'Type your passphrase to confirm. Every record will be re-encrypted under a new key.',
      confirmLabel: 'Rotate key', testId: 'confirm-rotate',
    });
    if (!passphrase) return;
    start.disabled = true;
    replace(result);
    progress.hidden = false;
    const outcome = await rotateWithProgress(passphrase, bar, words);
    const after = await ipc.settings().catch(() => null);
    const committed = after ? after.key_epoch > epoch : outcome.ok;
    if (after) {
      fillFacts(facts, after);
      epoch = after.key_epoch;
    }
    progress.hidden = true;
    start.disabled = false;
    replace(result, rotationResult(outcome, committed));
  });
  return h('div', { class: 'stack' },
    h('p', {}, 'Re-encrypts every record under a brand-new key and retires the old one. Do this if you think a copy of the vault folder may have got out, or on a regular schedule. Your passphrase and recovery code stay the same.'),
    h('p', { class: 'muted' }, 'It takes a moment for a large practice; Holdspace waits until it finishes, and nothing changes unless every record was re-encrypted.'),
    h('div', { class: 'row' }, start),
    progress, result);
}

/** Asks for the passphrase in a dialog; resolves with it, or null. */
function askPassphrase({ title, explanation, confirmLabel, testId }) {
  return dialog(title, (close) => {
    const form = h('form', { class: 'stack', novalidate: true },
      h('p', {}, explanation),
      field({ label: 'Passphrase', name: 'passphrase', kind: 'password', required: true, attrs: { autocomplete: 'current-password' } }),
      h('div', { class: 'dialog-actions' },
        button('Cancel', () => close(null), 'secondary'),
        h('button', { type: 'submit', class: 'primary', 'data-testid': testId }, confirmLabel)));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const value = form.elements.passphrase.value;
      if (value) close(value);
      else showFieldError(form, { field: 'passphrase', message: 'Type your passphrase.' });
    });
    return form;
  });
}

/** Runs the rotation, polling its progress every 200 ms; resolves with {ok, total, error}. */
async function rotateWithProgress(passphrase, bar, words) {
  words.textContent = 'Checking the passphrase…';
  bar.removeAttribute('value');
  const timer = setInterval(async () => {
    try {
      const p = await ipc.rotationProgress();
      if (p.running && p.total > 0) {
        bar.max = p.total;
        bar.value = p.done;
        words.textContent = `${p.done.toLocaleString()} of ${p.total.toLocaleString()} records re-encrypted`;
      }
    } catch {
      // The next poll tries again; the rotation's own result is what counts.
    }
  }, 200);
  try {
    await ipc.rotateKey(passphrase);
    const final = await ipc.rotationProgress().catch(() => null);
    return { ok: true, total: final?.total ?? 0 };
  } catch (error) {
    return { ok: false, error };
  } finally {
    clearInterval(timer);
  }
}

/** Says what the rotation did: done, not done, or done with a problem afterwards. */
function rotationResult(outcome, committed) {
  if (outcome.ok) {
    const all = outcome.total ? ` All ${outcome.total.toLocaleString()} records were re-encrypted.` : '';
    return h('div', { class: 'notice notice-info', role: 'status', 'data-testid': 'rotation-result' },
      h('p', {}, `Done — the vault now uses a new key.${all} Your passphrase and recovery code are unchanged.`));
  }
  const after = committed
    ? 'The new key is in place and your records are safe, but Holdspace could not tidy up afterwards.'
    : 'Nothing was changed: the vault still uses its old key. You can try again.';
  return h('div', { class: 'notice notice-danger', role: 'alert', 'data-testid': 'rotation-result' },
    h('p', {}, outcome.error.message), h('p', {}, after));
}

// ——— Backups ———

function backupsSection() {
  const summary = h('p', { 'aria-live': 'polite', 'data-testid': 'backup-summary' }, 'Looking at your backups…');
  ipc.backupOverview()
    .then((overview) => replace(summary, overviewSummary(overview)))
    .catch((error) => replace(summary, error.message));
  return section('Backups',
    h('p', {}, 'Encrypted copies of the whole practice in a folder you choose — made when you ask and, if you like, each time Holdspace locks or closes. A backup restores your practice if this computer is lost or the vault is damaged.'),
    summary,
    h('div', { class: 'row' }, button('Open backups', () => go('/settings/backups'), 'secondary', { 'data-testid': 'open-backups' })));
}

// ——— Export ———

function exportSection(settings) {
  const status = saveStatus();
  const result = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'stack', novalidate: true, 'aria-label': 'Export practice' },
    field({ label: 'Folder', name: 'folder', value: settings.export_dir, hint: 'A new file named for the date and time is written here; nothing is overwritten.', attrs: { spellcheck: 'false' } }),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'primary', 'data-testid': 'export' }, 'Export practice'),
      status.node),
    result);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    replace(result);
    const exported = await submit(form, status, () => ipc.exportPractice(form.elements.folder.value.trim()));
    if (exported) {
      status.saved('Exported');
      replace(result, h('div', { class: 'notice notice-warning', role: 'status' },
        h('p', {}, 'Written to ', h('code', { class: 'export-path', 'data-testid': 'export-path' }, exported.path), ` (${readableSize(exported.bytes)}).`),
        h('p', {}, 'This file is not encrypted. Move it somewhere safe, and delete it when you no longer need it.')));
    }
  });
  return section('Export',
    h('p', {}, 'Writes the whole practice — members, groups, agreements, signatures, sessions, notes, incidents and the audit log — to one file in Holdspace\'s open JSON format, readable by other software.'),
    h('div', { class: 'notice notice-warning' }, h('p', {}, h('strong', {}, 'The export is not encrypted.'),
      ' Anyone who opens the file can read every record, psychotherapy notes included. Keep it somewhere safe and delete it when you are done.')),
    form);
}

// ——— About ———

function aboutSection(settings) {
  const licences = h('div', { 'aria-live': 'polite' });
  const show = button('Show the licences', async () => {
    show.disabled = true;
    replace(licences, h('p', {}, 'Reading the licences…'));
    try {
      replace(licences, licenceList(await ipc.licences()));
      show.remove();
    } catch (error) {
      show.disabled = false;
      replace(licences, h('p', {}, error.message));
    }
  }, 'secondary', { 'data-testid': 'show-licences' });
  return section('About Holdspace',
    h('dl', { class: 'facts', 'data-testid': 'about' },
      h('dt', {}, 'Version'), h('dd', {}, settings.app_version),
      h('dt', {}, 'Vault format'), h('dd', {}, `Version ${settings.vault_format}`),
      h('dt', {}, 'Vault folder'), h('dd', {}, h('code', {}, settings.vault_dir))),
    h('p', {}, 'Holdspace is built from open-source software. Each part keeps its own licence; the list is made from the parts the app is built with, when it is built.'),
    h('div', { class: 'row' }, show),
    licences);
}

/** Every component with its licence, then each licence text once, in disclosures. */
function licenceList({ components, texts }) {
  const users = texts.map(() => []);
  for (const c of components) for (const i of c.texts) users[i]?.push(c.name);
  return h('div', { class: 'stack', 'data-testid': 'licences' },
    h('p', {}, `${count(components.length, 'component')} built into this app:`),
    h('ul', { class: 'licence-list' },
      components.map((c) => h('li', {}, h('strong', {}, c.name), ` ${c.version} — ${c.licence || 'see its licence text below'}`))),
    h('h3', {}, 'Licence texts'),
    texts.map((text, i) => h('details', { class: 'licence-text' },
      h('summary', {}, `${firstLine(text)} — ${shortList(users[i])}`),
      h('pre', {}, text))));
}

/** The first line of a licence text with something in it. */
function firstLine(text) {
  return text.split('\n').map((l) => l.trim()).find(Boolean) ?? 'Licence';
}

/** "a, b, c and 4 more". */
function shortList(names) {
  const unique = [...new Set(names)];
  if (unique.length <= 3) return unique.join(', ');
  return `${unique.slice(0, 3).join(', ')} and ${unique.length - 3} more`;
}
