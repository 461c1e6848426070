// Groups: the list of every group with its kind, status, roster counts, last session,
// agreement version and who still has to sign; a row opens the group's page.

import * as ipc from '../ipc.js';
import { h } from '../lib/dom.js';
import { pageHeader, emptyState, badge, table, button } from '../lib/ui.js';
import { formatDate } from '../lib/format.js';
import { label, GROUP_KINDS, GROUP_STATUSES, groupStatusBadge } from '../lib/labels.js';
import { go } from '../lib/router.js';

/** Renders the list of groups into `page`. */
export async function render(page) {
  const groups = await ipc.listGroups();
  const newGroup = button('New group', () => go('/groups/new'), 'primary', { 'data-testid': 'new-group' });
  page.append(pageHeader('Groups', 'Every group you run: who is in it, when it last met, and who still has to sign its ground rules.', newGroup));
  if (groups.length === 0) {
    page.append(emptyState('No groups yet',
      'A group holds its members, sessions and ground rules. Create your first group.',
      button('Create your first group', () => go('/groups/new'), 'primary')));
    return;
  }
  page.append(groupTable(groups));
}

/** {text, tone} for a group's status. */
function groupTable(groups) {
  return table([
    { label: 'Group', cell: (g) => h('strong', {}, g.group.name) },
    { label: 'Kind', className: 'keep-words', cell: (g) => label(GROUP_KINDS, g.group.kind).replace(/ group$/, '') },
    { label: 'Status', cell: (g) => badge(groupStatusBadge(g.group.status)) },
    { label: 'Members', className: 'keep-words', cell: membersCell },
    { label: 'Last session', className: 'nowrap', cell: (g) => (g.last_session ? formatDate(g.last_session) : h('span', { class: 'muted' }, 'None yet')) },
    { label: 'Agreement', className: 'nowrap', cell: (g) => (g.agreement_version ? `Version ${g.agreement_version}` : h('span', { class: 'muted' }, 'None')) },
    { label: 'To sign', className: 'nowrap', cell: (g) => (g.signatures_due ? badge({ text: `${g.signatures_due} to sign`, tone: 'warning' }) : h('span', { class: 'muted' }, 'All signed')) },
  ], groups, { onOpen: (g) => go(`/groups/${g.group.id}`), caption: 'Groups' });
}

function membersCell(g) {
  const capacity = g.group.capacity ? ` of ${g.group.capacity}` : '';
  return h('span', {},
    `${g.active} active${capacity}`,
    g.waiting ? h('span', { class: 'muted' }, ` · ${g.waiting} waiting`) : null);
}
