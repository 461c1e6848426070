// Global search (Ctrl/Cmd+K): a dialog that shows grouped hits — members, groups, sessions,
// notes, incidents — as the practitioner types. Enter or a click opens the record. A hit names
// its record once, with the date in the app's date style; the snippet shows the matching text
// unless it only repeats that name.

import * as ipc from '../ipc.js';
import { h, replace } from './dom.js';
import { dialog } from './ui.js';
import { go } from './router.js';
import { formatDate } from './format.js';

/** [result key, heading, route for a hit]. Notes open their session. */
const KINDS = [
  ['members', 'Members', (hit) => `/members/${hit.id}`],
  ['groups', 'Groups', (hit) => `/groups/${hit.id}`],
  ['sessions', 'Sessions', (hit) => `/sessions/${hit.id}`],
  ['notes', 'Notes', (hit) => `/sessions/${hit.session}`],
  ['incidents', 'Incidents', (hit) => `/incidents/${hit.id}`],
];

let open = false;

/** Opens the search dialog (once). */
export function openSearch() {
  if (open) return;
  open = true;
  dialog('Search', (close) => {
    const input = h('input', { type: 'search', 'aria-label': 'Search members, groups, sessions, notes and incidents', placeholder: 'Search members, groups, notes…', autocomplete: 'off', spellcheck: 'false', 'data-testid': 'search-input' });
    const results = h('div', { class: 'search-results', 'aria-live': 'polite' },
      h('p', { class: 'muted' }, 'Type a name, a word from a note, a topic…'));
    let asked = 0;
    let timer = null;
    const run = async () => {
      const query = input.value.trim();
      const mine = ++asked;
      if (!query) {
        replace(results, h('p', { class: 'muted' }, 'Type a name, a word from a note, a topic…'));
        return;
      }
      let found;
      try {
        found = await ipc.search(query);
      } catch (error) {
        replace(results, h('p', { role: 'alert' }, error.message));
        return;
      }
      if (mine !== asked) return;
      replace(results, renderHits(found, query, close));
    };
    input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(run, 80); });
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        results.querySelector('.search-hit')?.click();
      } else if (e.key === 'ArrowDown') {
        e.preventDefault();
        results.querySelector('.search-hit')?.focus();
      } else if (e.key === 'Escape') {
        // A search field's own Escape only empties it; here Escape closes, as everywhere.
        e.preventDefault();
        close(null);
      }
    });
    results.addEventListener('keydown', (e) => {
      const hits = [...results.querySelectorAll('.search-hit')];
      const i = hits.indexOf(document.activeElement);
      if (e.key === 'ArrowDown' && i >= 0 && i < hits.length - 1) { e.preventDefault(); hits[i + 1].focus(); }
      if (e.key === 'ArrowUp') { e.preventDefault(); (i > 0 ? hits[i - 1] : input).focus(); }
    });
    return h('div', { class: 'search' }, input, results);
  }, { wide: true }).then(() => { open = false; });
}

const NOTE_KINDS = { progress: 'progress note', psychotherapy: 'psychotherapy note' };

/** A hit's line: "Ana López · Thu 10 Sep 2026 · progress note", dates as everywhere else. */
export function hitLine(key, hit) {
  const parts = [hit.name];
  if (hit.date) parts.push(formatDate(hit.date));
  if (key === 'notes') parts.push(NOTE_KINDS[hit.kind] ?? 'note');
  return parts.join(' · ');
}

function renderHits(found, query, close) {
  const groups = KINDS.map(([key, heading, route]) => {
    const kind = found[key];
    if (!kind || kind.hits.length === 0) return null;
    const more = kind.total > kind.hits.length ? h('p', { class: 'hint' }, `${kind.total - kind.hits.length} more — refine the search to see them.`) : null;
    return h('div', { class: 'search-group' },
      h('h3', {}, `${heading} (${kind.total})`),
      kind.hits.map((hit) => h('button', {
        type: 'button', class: 'search-hit',
        onclick: () => { close(null); go(route(hit)); },
      }, h('span', { class: 'sensitive' }, hitLine(key, hit)),
      hit.snippet && hit.snippet !== hit.name ? h('span', { class: 'snippet sensitive' }, hit.snippet) : null)),
      more);
  }).filter(Boolean);
  return groups.length ? groups : h('p', { class: 'muted' }, `Nothing matches “${query}”.`);
}
