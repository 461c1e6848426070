// Handing the computer to a client (the practitioner's side of client mode): the confirmation,
// the start command, where to come back to afterwards, and the reload that leaves no
// practitioner page in memory while the client reads.

import * as ipc from '../ipc.js';
import { confirm } from './ui.js';

/** Where the practitioner returns after client mode (kept for the reload). */
export const RETURN_KEY = 'holdspace.returnTo';

/** The client's own display choices, reset for each new client. */
export const TEXT_SIZE_KEY = 'holdspace.clientTextSize';
export const CONTRAST_KEY = 'holdspace.clientContrast';

/**
 * Asks, then starts client mode for `memberId` in `groupId` and reloads into it; `returnTo`
 * is the route to come back to. Resolves with null when cancelled or started, or with the
 * shell's error (for the caller to show) when it could not start.
 */
export async function startClientMode({ memberId, groupId, name, returnTo }) {
  const ok = await confirm({
    title: 'Start client mode?',
    body: [
      `Hand the computer to ${name}? They will see only this group's agreement until you enter your passphrase.`,
      'They can read each ground rule, mark what they would like to talk about, and sign.',
    ],
    confirmLabel: 'Start client mode',
    confirmAttrs: { 'data-testid': 'start-client-mode-confirm' },
  });
  if (!ok) return null;
  try {
    await ipc.startClientMode(memberId, groupId);
  } catch (error) {
    return error;
  }
  globalThis.sessionStorage.setItem(RETURN_KEY, returnTo);
  globalThis.sessionStorage.removeItem(TEXT_SIZE_KEY);
  globalThis.sessionStorage.removeItem(CONTRAST_KEY);
  globalThis.location.reload();
  return null;
}

/** After client mode ends: back to the remembered route, on a freshly loaded page. */
export function returnFromClientMode() {
  const route = globalThis.sessionStorage.getItem(RETURN_KEY);
  globalThis.sessionStorage.removeItem(RETURN_KEY);
  if (route) globalThis.location.hash = `#${route}`;
  globalThis.location.reload();
}
