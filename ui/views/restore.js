// Settings → Backups → Restore (/settings/restore, unlocked): the restore flow
// (lib/restore-flow.js) under the page's own header, into a new folder or replacing the vault.

import { h, link } from '../lib/dom.js';
import { pageHeader } from '../lib/ui.js';
import { startFlow } from '../lib/restore-flow.js';

/** Routed (/settings/restore), while unlocked. */
export async function render(page) {
  const flow = h('div', { class: 'restore-flow' });
  page.append(
    h('p', { class: 'breadcrumb' }, link('/settings/backups', 'Backups')),
    pageHeader('Restore from a backup', 'Open a backup, check every record in it, and make it a vault again. Nothing changes until the last step.'),
    flow);
  startFlow(flow, { mode: 'settings', page, appRoot: document.getElementById('app'), setBusy: () => {} });
}
