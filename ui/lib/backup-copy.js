// The backups page's "copy with its own passphrase" section: a backup saved where the
// practitioner chooses, protected by a passphrase they choose now instead of the backup key —
// for a copy that must open without the recovery sheet. Such copies are never removed by the
// keep rule. The passphrase fields are cleared as soon as the copy is made or refused.

import * as ipc from '../ipc.js';
import { h, replace } from './dom.js';
import { section, pathField, saveStatus, submit, clearErrors, showFieldError } from './ui.js';
import { newPassphraseFields } from './new-passphrase.js';
import { readableSize, countsSummary } from './backups.js';
import { formatMoment } from './format.js';

/** The section, for the backups page. */
export function copySection() {
  const folder = pathField({
    label: 'Save it in', name: 'folder', empty: 'No folder chosen yet', chooseLabel: 'Choose folder…',
    choose: () => ipc.chooseFolder('copy'),
    testIds: { path: 'copy-folder', choose: 'choose-copy-folder' },
  });
  const secret = newPassphraseFields({ label: 'A passphrase for this copy', testIds: { passphrase: 'copy-passphrase', confirmation: 'copy-confirmation' } });
  const status = saveStatus();
  const result = h('p', { class: 'hint', role: 'status', 'data-testid': 'copy-result' });
  const form = h('form', { class: 'stack', novalidate: true, 'aria-label': 'Save a copy with its own passphrase' },
    folder.node, ...secret.nodes,
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'secondary', 'data-testid': 'save-copy' }, 'Save protected copy'),
      status.node),
    result);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    replace(result);
    clearErrors(form);
    if (!folder.value()) {
      // Said before anything is sent, so the passphrase typed so far stays.
      showFieldError(form, { field: 'folder', message: 'Choose a folder with "Choose folder…".' });
      return;
    }
    const saved = await submit(form, status, async () => {
      try {
        const { passphrase, confirmation } = secret.read();
        return await ipc.saveProtectedCopy(folder.value(), passphrase, confirmation);
      } finally {
        secret.clear();
      }
    });
    if (saved) replace(result, savedText(saved));
  });
  return section('A copy with its own passphrase',
    h('p', {}, 'For a copy that has to open without your recovery sheet — to keep in a safe place, or to hand over when you close your practice. It opens with the passphrase you choose here and nothing else; the keep rule never removes it. Anyone with the file and the passphrase can read every record.'),
    form);
}

function savedText(saved) {
  return `Saved ${saved.file_name} (${readableSize(saved.bytes)}, ${formatMoment(saved.created_at)}): ${countsSummary(saved.counts)}.`;
}
