// Members list (/members): every member, narrowed as the practitioner types (name, email,
// phone — accent-insensitive) and by group, "needs signature" and "show archived". Each row is
// built once, when first shown, and at most a page of matching rows is in the table at a time,
// so typing stays quick with thousands of members.

import * as ipc from '../ipc.js';
import { h, append, replace } from '../lib/dom.js';
import { pageHeader, emptyState, badge, button, freshId, takeNotice } from '../lib/ui.js';
import { matchesFilter, count } from '../lib/format.js';
import { membershipBadge } from '../lib/labels.js';
import { go } from '../lib/router.js';

/** Rows shown at first and added by each "Show more". */
const PAGE_ROWS = 200;

const COLUMNS = [
  { label: 'Name', cell: nameCell },
  { label: 'Pronouns', cell: (m) => m.pronouns || '—', className: 'whole-words' },
  { label: 'Groups', cell: groupsCell },
  { label: 'Signature', cell: (m) => (m.needs_signature ? badge({ text: 'Needs signature', tone: 'warning' }) : h('span', { class: 'muted' }, '—')) },
  { label: 'Contact', cell: contactCell },
];

/** Renders the member list into `page`. */
export async function render(page, params) {
  const members = await ipc.listMembers();
  page.append(pageHeader('Members', 'Everyone you have screened, placed or seen in a group. Open a member for their record.',
    button('New member', () => go('/members/new'), 'primary', { 'data-testid': 'new-member' })));
  append(page, [takeNotice()]);
  if (members.length === 0) {
    page.append(emptyState('No members yet',
      'A member is one person you work with: their contact details, intake notes and goals. Add a member, then put them on a group\'s roster from their page.',
      button('Add your first member', () => go('/members/new'), 'primary')));
    return;
  }
  const controls = filterControls(members, params);
  const list = memberList(members);
  const shown = h('p', { class: 'list-count', role: 'status', 'aria-live': 'polite' });
  const nothing = h('div', { hidden: true }, emptyState('No members match',
    'Try fewer letters, another group, or turn on "Show archived" — archived members are hidden unless you ask for them.'));
  const apply = () => {
    const filter = readFilter(controls);
    const matching = list.show(filter);
    replace(shown, filterSummary(matching, members, filter));
    list.node.hidden = matching === 0;
    nothing.hidden = matching !== 0;
  };
  controls.form.addEventListener('input', apply);
  controls.form.addEventListener('change', apply);
  controls.form.addEventListener('submit', (e) => e.preventDefault());
  page.append(controls.form, shown, list.node, nothing);
  apply();
}

/** The search box and filters. */
function filterControls(members, params) {
  const searchId = freshId('in');
  const search = h('input', {
    id: searchId, type: 'search', name: 'search', placeholder: 'Name, email or phone',
    autocomplete: 'off', spellcheck: 'false', 'data-testid': 'member-search', 'data-autofocus': true,
  });
  const groupId = freshId('in');
  const group = h('select', { id: groupId, name: 'group' },
    h('option', { value: '' }, 'All groups'),
    groupsOf(members).map(([id, name]) => h('option', { value: id }, name)));
  if (params?.group) group.value = params.group;
  const needs = h('input', { type: 'checkbox', name: 'needs_signature', id: freshId('in') });
  const archived = h('input', { type: 'checkbox', name: 'archived', id: freshId('in') });
  const archivedCount = members.filter((m) => m.archived).length;
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter members' },
    h('div', { class: 'filter-search' }, h('label', { for: searchId, class: 'visually-hidden' }, 'Search members'), search),
    h('div', { class: 'filter-item' }, h('label', { for: groupId, class: 'visually-hidden' }, 'Group'), group),
    h('div', { class: 'check' }, needs, h('label', { for: needs.id }, 'Needs signature only')),
    h('div', { class: 'check' }, archived, h('label', { for: archived.id }, `Show archived (${archivedCount})`)));
  return { form, search, group, needs, archived };
}

/** Every group some member is in, by name: [[id, name], …]. */
function groupsOf(members) {
  const groups = new Map();
  for (const m of members) for (const g of m.groups) groups.set(g.id, g.name);
  return [...groups].sort((a, b) => a[1].localeCompare(b[1]));
}

function readFilter(controls) {
  return {
    query: controls.search.value,
    group: controls.group.value,
    needsSignature: controls.needs.checked,
    showArchived: controls.archived.checked,
  };
}

function matches(entry, filter) {
  const m = entry.member;
  return (filter.showArchived || !m.archived)
    && (!filter.needsSignature || m.needs_signature)
    && (!filter.group || m.groups.some((g) => g.id === filter.group))
    && matchesFilter(entry.haystack, filter.query);
}

function filterSummary(matching, members, filter) {
  const archived = members.filter((m) => m.archived).length;
  const scope = filter.showArchived ? members.length : members.length - archived;
  const hiddenArchived = !filter.showArchived && archived > 0 ? ` · ${archived} archived not shown` : '';
  const shown = matching === scope ? count(scope, 'member') : `Showing ${matching} of ${count(scope, 'member')}`;
  return `${shown}${hiddenArchived}`;
}

/**
 * The table and its "Show more" button. `show(filter)` puts the first page of matching rows in
 * the table (building each row the first time it is needed) and returns how many match.
 */
function memberList(members) {
  const entries = members.map((member) => ({
    member,
    tr: null,
    haystack: [member.display_name, member.legal_name, member.email, member.phone, member.phone.replace(/\D/g, '')].join(' '),
  }));
  const body = h('tbody');
  const more = h('div', { class: 'list-more', hidden: true });
  let matching = [];
  let limit = PAGE_ROWS;
  const fill = () => {
    replace(body, matching.slice(0, limit).map(rowFor));
    const rest = matching.length - limit;
    more.hidden = rest <= 0;
    if (rest > 0) {
      replace(more, h('span', { class: 'muted' }, `The first ${limit} are listed; type to narrow the list, or `),
        button(`Show ${Math.min(rest, PAGE_ROWS)} more`, () => { limit += PAGE_ROWS; fill(); }, 'secondary small'));
    }
  };
  const node = h('div', {},
    h('div', { class: 'table-wrap' }, h('table', { class: 'members-table' },
      h('caption', { class: 'visually-hidden' }, 'Members'),
      h('thead', {}, h('tr', {}, COLUMNS.map((c) => h('th', { scope: 'col', class: c.className }, c.label)))),
      body)),
    more);
  return {
    node,
    show(filter) {
      matching = entries.filter((entry) => matches(entry, filter));
      limit = PAGE_ROWS;
      fill();
      return matching.length;
    },
  };
}

/** The entry's row, built on first use: click or Enter opens the member. */
function rowFor(entry) {
  if (entry.tr) return entry.tr;
  const m = entry.member;
  const open = () => go(`/members/${m.id}`);
  const tr = h('tr', { class: 'clickable', tabindex: '0', 'data-testid': 'member-row', 'data-id': m.id },
    COLUMNS.map((c) => h('td', { class: c.className }, c.cell(m))));
  tr.addEventListener('click', (e) => { if (!e.target.closest('a, button, input, select, textarea')) open(); });
  tr.addEventListener('keydown', (e) => { if (e.key === 'Enter' && e.target === tr) open(); });
  entry.tr = tr;
  return tr;
}

function nameCell(m) {
  return h('div', { class: 'name-cell' },
    h('strong', { class: 'sensitive' }, m.display_name),
    m.display_name !== m.legal_name ? h('span', { class: 'muted sensitive' }, m.legal_name) : null,
    m.archived ? badge({ text: 'Archived', tone: 'neutral' }) : null);
}

function groupsCell(m) {
  if (m.groups.length === 0) return h('span', { class: 'muted' }, 'Not in a group');
  return h('ul', { class: 'chip-list' }, m.groups.map((g) => h('li', {}, h('span', {}, g.name), ' ', badge(membershipBadge(g.status)))));
}

function contactCell(m) {
  if (!m.email && !m.phone) return h('span', { class: 'muted' }, '—');
  return h('div', { class: 'contact-cell sensitive' },
    m.email ? h('span', {}, m.email) : null,
    m.phone ? h('span', {}, m.phone) : null);
}
