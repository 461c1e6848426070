// A row's actions behind one button: "Actions ▾" opens a short menu under it (above it when
// the window has no room below). It follows the WAI-ARIA menu button pattern: Enter, Space or
// Down opens it on the first item, Up on the last; arrows, Home and End move; Escape closes it
// and gives the focus back to its button; Tab, a click elsewhere or scrolling closes it. The
// menu is placed against the window (position: fixed), so no table or scrolling box clips it.

import { h } from './dom.js';
import { freshId } from './ui.js';

/**
 * A menu button. `items`: [{label, onSelect, danger, attrs}] (null entries are skipped);
 * `attrs` go on the button (a data-testid), `name` is read out with its label ("Actions for
 * Zoë Ångström").
 */
export function menuButton(label, items, { name = '', attrs = {} } = {}) {
  const menuId = freshId('menu');
  const button = h('button', {
    type: 'button', class: 'menu-button secondary small', 'aria-haspopup': 'menu', 'aria-expanded': 'false',
    'aria-controls': menuId, 'aria-label': name ? `${label} for ${name}` : label, ...attrs,
  }, label, h('span', { class: 'menu-caret', 'aria-hidden': 'true' }, '▾'));
  const entries = items.filter(Boolean).map((item) => h('button', {
    type: 'button', role: 'menuitem', tabindex: '-1', class: item.danger ? 'menu-item danger-text' : 'menu-item', ...(item.attrs ?? {}),
    onclick: () => { close(false); item.onSelect(); },
  }, item.label));
  const menu = h('div', { class: 'menu', role: 'menu', id: menuId, hidden: true, 'aria-label': button.getAttribute('aria-label') }, entries);

  const isOpen = () => !menu.hidden;
  const onOutside = (event) => {
    if (!menu.contains(event.target) && !button.contains(event.target)) close(false);
  };
  const onAway = () => close(false);
  function open(focusIndex) {
    if (!isOpen()) {
      menu.hidden = false;
      button.setAttribute('aria-expanded', 'true');
      place(button, menu);
      document.addEventListener('pointerdown', onOutside, true);
      globalThis.addEventListener('scroll', onAway, true);
      globalThis.addEventListener('resize', onAway);
    }
    entries.at(focusIndex)?.focus();
  }
  function close(returnFocus) {
    if (!isOpen()) return;
    menu.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    document.removeEventListener('pointerdown', onOutside, true);
    globalThis.removeEventListener('scroll', onAway, true);
    globalThis.removeEventListener('resize', onAway);
    if (returnFocus) button.focus();
  }

  button.addEventListener('click', () => (isOpen() ? close(true) : open(0)));
  button.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown') { event.preventDefault(); open(0); }
    if (event.key === 'ArrowUp') { event.preventDefault(); open(-1); }
  });
  menu.addEventListener('keydown', (event) => {
    const at = entries.indexOf(document.activeElement);
    const moves = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: -1 };
    if (event.key in moves) {
      event.preventDefault();
      entries.at(moves[event.key] % entries.length)?.focus();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close(true);
    } else if (event.key === 'Tab') {
      close(false);
    }
  });
  return h('div', { class: 'menu-holder' }, button, menu);
}

/** Puts `menu` under `button`, right edges aligned, or above it when there is no room below. */
function place(button, menu) {
  const anchor = button.getBoundingClientRect();
  const height = menu.offsetHeight;
  const below = anchor.bottom + 4;
  const top = below + height > globalThis.innerHeight - 8 ? Math.max(8, anchor.top - 4 - height) : below;
  menu.style.top = `${Math.round(top)}px`;
  menu.style.left = `${Math.round(Math.max(8, anchor.right - menu.offsetWidth))}px`;
}
