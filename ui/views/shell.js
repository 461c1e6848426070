// The practitioner's frame: the sidebar (practice name, sections, the Lock button always in
// view), global search (Ctrl/Cmd+K) and the content area where each view renders. Keyboard:
// Ctrl/Cmd+K searches, Ctrl/Cmd+Shift+L locks, Esc closes search. It shows the banners
// (lib/banners.js) the app's status asks for when it opens.

import * as ipc from '../ipc.js';
import { h, link, replace } from '../lib/dom.js';
import { openSearch } from '../lib/search.js';
import { showBackupAlert, showClientVisitNotice, showDraftsNotice, showHistoryAlert, showUnlockNotice } from '../lib/banners.js';
import { flushUnsaved } from '../lib/unsaved.js';

const SECTIONS = [
  ['home', '/home', 'Home'],
  ['groups', '/groups', 'Groups'],
  ['members', '/members', 'Members'],
  ['incidents', '/incidents', 'Incidents'],
  ['audit', '/audit', 'Audit log'],
  ['settings', '/settings', 'Settings'],
];

/** Renders the frame into `root` (`status` from app_status); returns {content, setSection}. */
export function renderShell(root, status = {}) {
  const practiceName = h('p', { class: 'practice-name' }, 'Holdspace');
  const links = new Map(SECTIONS.map(([id, route, label]) => [id, link(route, label, { class: 'nav-link', 'data-testid': `nav-${id}` })]));
  const lockButton = h('button', {
    type: 'button', class: 'lock-button', 'data-testid': 'lock',
    'aria-keyshortcuts': 'Control+Shift+L', onclick: () => lockNow(root),
  }, 'Lock', h('kbd', {}, 'Ctrl+Shift+L'));
  const searchButton = h('button', {
    type: 'button', class: 'search-button', 'data-testid': 'search-open',
    'aria-keyshortcuts': 'Control+K', onclick: () => openSearch(),
  }, 'Search', h('kbd', {}, 'Ctrl+K'));
  const privacy = h('button', {
    type: 'button', class: 'privacy-toggle', 'aria-pressed': 'false',
    onclick: () => {
      const on = document.body.classList.toggle('privacy-screen');
      privacy.setAttribute('aria-pressed', on ? 'true' : 'false');
    },
  }, 'Privacy screen');
  const content = h('main', { id: 'content', class: 'content', tabindex: '-1' });
  const sidebar = h('nav', { class: 'sidebar', 'aria-label': 'Holdspace' },
    h('div', { class: 'brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, 'H'), practiceName),
    searchButton,
    h('ul', { class: 'nav-list' }, [...links.values()].map((a) => h('li', {}, a))),
    h('div', { class: 'sidebar-foot' }, privacy, lockButton));
  const skip = h('a', { class: 'skip-link' }, 'Skip to content');
  skip.href = '#content';
  skip.addEventListener('click', (e) => { e.preventDefault(); content.focus(); });
  replace(root, skip, h('div', { class: 'frame' }, sidebar, content));
  root.removeAttribute('aria-live');
  showBackupAlert(status.backup_alert ?? null);
  // One banner for the last client visit: what it came to, with any wrong tries to end it.
  showClientVisitNotice(status.client_visit_ended ?? null);
  showUnlockNotice(status.unlock_attempts ?? null);
  showHistoryAlert(status.history_alert ?? null);
  showDraftsNotice(status.drafts ?? []);
  document.addEventListener('holdspace-drafts-changed', async () => {
    const now = await ipc.appStatus().catch(() => null);
    if (now) showDraftsNotice(now.drafts ?? []);
  });

  if (status.practice_name) practiceName.textContent = status.practice_name;

  document.addEventListener('keydown', (e) => {
    const mod = e.ctrlKey || e.metaKey;
    if (mod && !e.shiftKey && e.key.toLowerCase() === 'k') {
      e.preventDefault();
      openSearch();
    } else if (mod && e.shiftKey && e.key.toLowerCase() === 'l') {
      e.preventDefault();
      lockNow(root);
    }
  });

  return {
    content,
    setSection(section) {
      for (const [id, a] of links) {
        if (id === section) a.setAttribute('aria-current', 'page');
        else a.removeAttribute('aria-current');
      }
    },
  };
}

/**
 * Locks: the records leave the screen at once (the automatic backup can take a few seconds
 * in a large practice), then the shell locks and the page reloads to the unlock screen.
 */
async function lockNow(root) {
  await flushUnsaved();
  document.title = 'Locking — Holdspace';
  replace(root, h('div', { class: 'auth' },
    h('div', { class: 'auth-card', role: 'status', 'data-testid': 'locking' },
      h('p', { class: 'auth-brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, 'H'), 'Holdspace'),
      h('h1', {}, 'Locking…'),
      h('p', {}, 'Your records are closed. If anything changed, Holdspace is making a backup first.'))));
  ipc.lock();
}
