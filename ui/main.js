// Starts the app: asks the shell where things stand, then shows first-run setup, the unlock
// screen, the client-mode reading view (when a client has the computer: nothing else at all),
// or the practitioner's app with its sidebar and the view for the current location.
// Locking (by button, shortcut or idle time) makes the shell load this page again in a new
// web process, so every view starts fresh and nothing the old page showed stays in memory;
// what a page held unsaved is sealed by the shell as a draft first (lib/unsaved.js).

import * as ipc from './ipc.js';
import { focusMarked, h, replace } from './lib/dom.js';
import { match } from './lib/router.js';
import { problem } from './lib/ui.js';
import { watchActivity } from './lib/activity.js';
import { mayLeave, untrack } from './lib/unsaved.js';
import { renderShell } from './views/shell.js';

const root = document.getElementById('app');

async function start() {
  let status;
  try {
    status = await ipc.appStatus();
  } catch (error) {
    if (error.code === 'client_mode') {
      // No shell, no router, no shortcuts, no activity reports: only the client's view.
      const { renderClient } = await import('./views/client.js');
      await renderClient(root);
      return;
    }
    replace(root, problem(error));
    return;
  }
  if (!status.vault_exists) {
    const { renderSetup } = await import('./views/setup.js');
    renderSetup(root, status);
    afterPaint(() => ipc.touch().catch(() => {}));
  } else if (!status.unlocked) {
    const { renderUnlock } = await import('./views/unlock.js');
    renderUnlock(root, status);
    afterPaint(() => ipc.touch().catch(() => {}));
  } else {
    watchActivity();
    const shell = renderShell(root, status);
    globalThis.addEventListener('hashchange', async (event) => {
      // Leaving a page with unsaved changes asks first; staying puts its address back.
      const wanted = globalThis.location.hash;
      if (!(await mayLeave())) {
        globalThis.history.replaceState(null, '', new URL(event.oldURL).hash || '#/home');
        return;
      }
      if (globalThis.location.hash !== wanted) return;
      await showRoute(shell);
    });
    await showRoute(shell);
  }
}

/** Runs `f` once the browser has painted the current DOM (two animation frames). */
function afterPaint(f) {
  requestAnimationFrame(() => requestAnimationFrame(f));
}

let generation = 0;

/** Renders the view for the current location into the shell's content area. */
async function showRoute(shell) {
  const route = match(globalThis.location.hash);
  const mine = ++generation;
  shell.setSection(route.section);
  let module;
  try {
    module = await import(`./views/${route.view}.js`);
  } catch {
    replace(shell.content, problem({ message: 'This page could not be opened. Go back and try again.' }));
    return;
  }
  const page = h('div', { class: 'page' });
  untrack();
  try {
    await module.render(page, route.params, route);
  } catch (error) {
    replace(page, problem(error));
  }
  if (mine !== generation) return;
  replace(shell.content, page);
  shell.content.scrollTop = 0;
  document.title = `${route.title} — Holdspace`;
  const title = page.querySelector('h1');
  if (!shell.content.contains(document.activeElement) || document.activeElement === document.body) {
    if (!focusMarked(page)) title?.focus({ preventScroll: true });
  }
}

start();
