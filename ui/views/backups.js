// Backups (/settings/backups): making a backup now; where backups go and when (the folder,
// backing up on lock, how many are kept); the backups in the folder; and what needs attention
// (the last backup failed, the folder can't be used, no backup key). A copy with its own
// passphrase is backup-copy.js; restoring is restore.js.

import * as ipc from '../ipc.js';
import { h, link, replace } from '../lib/dom.js';
import { pageHeader, section, field, pathField, saveStatus, submit, clearErrors, showFieldError, button, emptyState, table, notice } from '../lib/ui.js';
import { go } from '../lib/router.js';
import { count, formatMoment } from '../lib/format.js';
import { readableSize, countsSummary, retentionSentence, keepProblems, backedUpText, lastBackupLine, NOT_THIS_VAULT } from '../lib/backups.js';
import { showBackupAlert } from '../lib/banners.js';
import { copySection } from '../lib/backup-copy.js';
import { showView } from '../lib/view.js';

/** Renders the backups screen into `page`. */
export async function render(page) {
  const parts = {
    notices: h('div', { class: 'notice-slot' }),
    lastBackup: h('p', { 'data-testid': 'last-backup' }),
    list: h('div', { 'data-testid': 'backup-list' }),
  };
  await showView(page, { load: () => ipc.backupOverview(), draw, redraw: drawOverview, state: { parts } });
  refreshBanner();
}

/** The page: its sections, then what depends on the overview. */
function draw(view) {
  const { page, parts, data: overview } = view;
  const show = (fresh) => view.show(fresh);
  replace(page,
    h('p', { class: 'breadcrumb' }, link('/settings', 'Settings')),
    pageHeader('Backups', 'Encrypted copies of your whole practice, in a folder you choose.',
      button('Restore from a backup…', () => go('/settings/restore'), 'secondary', { 'data-testid': 'restore-open' })),
    parts.notices,
    settingsSection(overview, show),
    backUpSection(parts.lastBackup, show),
    section('Backups in the folder', parts.list),
    copySection());
  drawOverview(view);
}

/** Fills in everything that depends on the overview; the forms keep what is typed in them. */
function drawOverview(view) {
  const { parts, data: overview } = view;
  replace(parts.notices, overviewNotices(overview, (fresh) => view.show(fresh)));
  replace(parts.lastBackup, lastBackupLine(overview));
  replace(parts.list, backupList(overview));
}

/** The shell's banner follows app_status: it goes once a backup has worked. */
function refreshBanner() {
  ipc.appStatus().then((status) => showBackupAlert(status.backup_alert ?? null)).catch(() => {});
}

// ——— What needs attention ———

function overviewNotices(overview, show) {
  return [
    overview.last_failure ? failureNotice(overview.last_failure) : null,
    overview.folder_problem ? notice([[h('strong', {}, 'The backup folder can\'t be used right now. '), overview.folder_problem.message]], 'warning') : null,
    overview.has_backup_key && overview.signs_backups ? null : backupKeyForm(overview, show),
  ];
}

function failureNotice({ at, message }) {
  const node = notice([
    [h('strong', {}, `The last backup did not work${at ? ` (${formatMoment(at)})` : ''}.`), ' ', message],
    'Your records are safe in the vault. Once the problem is fixed, back up now to be sure you have a fresh copy.',
  ], 'danger');
  node.setAttribute('data-testid', 'backup-failure');
  return node;
}

/**
 * A vault created before backups has no backup key; one created before backups were signed
 * cannot sign them. Typing the recovery code once sets both up.
 */
function backupKeyForm(overview, show) {
  const status = saveStatus();
  const code = field({ label: 'Recovery code', name: 'code', kind: 'password', required: true, attrs: { autocomplete: 'off', 'data-testid': 'backup-key-code' } });
  const form = h('form', { class: 'stack narrow', novalidate: true, 'aria-label': 'Set up the backup key' },
    overview.has_backup_key
      ? h('p', {}, h('strong', {}, 'Your backups are not signed yet. '), 'Holdspace now signs every backup it makes, so that a restore can tell a backup of yours from one someone else made with your public backup key. This vault was set up before that; type the recovery code from your recovery sheet once to turn it on.')
      : h('p', {}, h('strong', {}, 'Holdspace can\'t make backups of this vault yet. '), 'Backups are encrypted to the backup key, which comes from your recovery code, and this vault was created before Holdspace stored one. Type the recovery code from your recovery sheet once to set it up.'),
    code,
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'primary', 'data-testid': 'store-backup-key' }, overview.has_backup_key ? 'Sign my backups' : 'Set up backups'),
      status.node));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const typed = form.elements.code.value;
    if (!typed) {
      showFieldError(form, { field: 'code', message: 'Type the recovery code from your recovery sheet.' });
      return;
    }
    const fresh = await submit(form, status, async () => {
      try {
        return await ipc.storeBackupKey(typed);
      } catch (error) {
        if (!error.field) error.field = 'code';
        throw error;
      }
    });
    if (fresh) show(fresh);
  });
  return h('div', { class: 'notice notice-warning', 'data-testid': 'backup-key-notice' }, form);
}

// ——— Making a backup ———

function backUpSection(lastBackup, show) {
  const status = saveStatus();
  const result = h('p', { class: 'hint', role: 'status', 'data-testid': 'backup-result' });
  const start = button('Back up now', () => backUpNow({ start, status, result, show }), 'primary', { 'data-testid': 'back-up-now' });
  return section('Make a backup',
    h('p', {}, 'Each backup is one file in your backup folder, encrypted to the backup key on your recovery sheet: with that sheet, and only with it, a backup can be opened — on this computer or another.'),
    lastBackup,
    h('div', { class: 'form-actions' }, start, status.node),
    result);
}

async function backUpNow({ start, status, result, show }) {
  start.disabled = true;
  replace(result);
  status.saving('Backing up — this takes a few seconds…');
  try {
    const made = await ipc.backUpNow();
    status.saved('Backed up');
    replace(result, backedUpText(made));
  } catch (error) {
    status.failed(error.message, '');
  } finally {
    start.disabled = false;
  }
  const fresh = await ipc.backupOverview().catch(() => null);
  if (fresh) show(fresh);
  refreshBanner();
}

// ——— Where and when ———

function settingsSection(overview, show) {
  const status = saveStatus();
  // A chosen folder takes effect at once: the form is saved as it stands, so "Back up now"
  // uses the folder shown.
  const folder = pathField({
    label: 'Backup folder', name: 'folder', value: overview.folder, empty: 'No folder chosen yet',
    chooseLabel: 'Choose folder…', choose: () => ipc.chooseFolder('backups'),
    hint: 'Best on an external drive, or in a folder that is copied to another place, so the backups outlive this computer. Choosing one saves it.',
    onChange: () => form.requestSubmit(),
    testIds: { path: 'backup-folder', choose: 'choose-backup-folder' },
  });
  const rule = h('p', { class: 'hint', 'aria-live': 'polite' }, retentionSentence(overview.keep_recent, overview.keep_monthly));
  const form = h('form', { class: 'stack', novalidate: true, 'aria-label': 'Backup settings' },
    folder.node,
    field({ label: 'Back up automatically when Holdspace locks or closes', name: 'on_lock', kind: 'checkbox', value: overview.on_lock, attrs: { 'data-testid': 'backup-on-lock' } }),
    h('div', { class: 'form-grid' },
      keepField('Backups to keep', 'keep_recent', overview.keep_recent, 'Keep the last 1 to 100 backups.', { min: '1', max: '100', 'data-testid': 'keep-recent' }),
      keepField('Months to keep one a month', 'keep_monthly', overview.keep_monthly, 'And one a month for 0 to 120 months (0: none).', { min: '0', max: '120', 'data-testid': 'keep-monthly' })),
    rule,
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'primary', 'data-testid': 'save-backup-settings' }, 'Save'),
      status.node));
  form.addEventListener('input', () => showRule(form, rule));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const settings = readSettings(form, folder.value());
    if (!checkKeep(form, settings)) return;
    const fresh = await submit(form, status, () => ipc.saveBackupSettings(settings));
    if (fresh) show(fresh);
  });
  return section('Where and when', form);
}

function keepField(label, name, value, hint, attrs) {
  return field({ label, name, kind: 'number', value, hint, attrs: { step: '1', inputmode: 'numeric', ...attrs } });
}

function readSettings(form, folder) {
  const e = form.elements;
  return {
    folder,
    on_lock: e.on_lock.checked,
    keep_recent: Number(e.keep_recent.value),
    keep_monthly: Number(e.keep_monthly.value),
  };
}

/** Says the keep rule as typed, once both numbers make sense. */
function showRule(form, rule) {
  const settings = readSettings(form, null);
  if (keepProblems(settings).length === 0) rule.textContent = retentionSentence(settings.keep_recent, settings.keep_monthly);
}

function checkKeep(form, settings) {
  clearErrors(form);
  const problems = keepProblems(settings);
  for (const problem of problems.reverse()) showFieldError(form, problem);
  return problems.length === 0;
}

// ——— The backups in the folder ———

function backupList(overview) {
  if (!overview.folder) {
    return emptyState('No backup folder yet',
      'A backup folder holds encrypted copies of your practice. Choose one under "Where and when", save, then back up now.');
  }
  if (overview.folder_problem) {
    return emptyState('The backups can\'t be listed right now', 'Holdspace can\'t look in the backup folder (see the note at the top). Once it can, the backups in it appear here.');
  }
  if (overview.backups.length === 0) {
    const automatic = overview.on_lock ? ' After that, Holdspace also makes one when it locks or closes.' : '';
    return emptyState('No backups in this folder yet', `"Back up now" makes the first one.${automatic}`);
  }
  return [
    h('p', { class: 'list-count' }, `${count(overview.backups.length, 'backup')}, newest first, in `, h('code', { class: 'path' }, overview.folder)),
    table([
      { label: 'When', cell: whenCell },
      { label: 'Size', cell: (b) => readableSize(b.bytes), className: 'nowrap' },
      { label: 'What it holds', cell: (b) => (b.counts ? countsSummary(b.counts) : h('span', { class: 'muted' }, NOT_THIS_VAULT)) },
    ], overview.backups, { caption: 'Backups in the folder, newest first' }),
  ];
}

function whenCell(backup) {
  return h('div', { class: 'cell-stack' },
    formatMoment(backup.created_at) || '—',
    h('span', { class: 'cell-note muted' }, backup.file_name));
}
