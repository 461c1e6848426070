// Handing the computer to a client (the practitioner's side of client mode): choosing what the
// visit holds (the agreement, questionnaires, or both), the start command, where to come back
// to afterwards, and the reload that leaves no practitioner page in memory while the client
// reads.

import * as ipc from '../ipc.js';
import { h } from './dom.js';
import { dialog, freshId } from './ui.js';

/** Where the practitioner returns after client mode (kept for the reload). */
export const RETURN_KEY = 'holdspace.returnTo';

/** The client's own display choices, reset for each new client. */
export const TEXT_SIZE_KEY = 'holdspace.clientTextSize';
export const CONTRAST_KEY = 'holdspace.clientContrast';

/**
 * Asks what the visit holds — the group's agreement to read and sign (`agreement`: 'to_sign',
 * 'signed' or 'none'), questionnaires, or both — then starts client mode for `memberId` in
 * `groupId` and reloads into it; `returnTo` is the route to come back to. Resolves with null
 * when cancelled or started, or with the shell's error (for the caller to show).
 */
export async function startClientMode({ memberId, groupId, name, returnTo, agreement = 'to_sign', measures = [] }) {
  let definitions;
  try {
    definitions = await ipc.measureDefinitions();
  } catch (error) {
    return error;
  }
  const plan = await dialog('Start client mode?', (close) => planForm({ name, agreement, measures, definitions, close }));
  if (!plan) return null;
  try {
    await ipc.startClientMode(memberId, groupId, plan);
  } catch (error) {
    return error;
  }
  globalThis.sessionStorage.setItem(RETURN_KEY, returnTo);
  globalThis.sessionStorage.removeItem(TEXT_SIZE_KEY);
  globalThis.sessionStorage.removeItem(CONTRAST_KEY);
  globalThis.location.reload();
  return null;
}

/** The choices: the agreement (when there is one to sign) and each questionnaire (`measures` ticked). */
function planForm({ name, agreement, measures, definitions, close }) {
  const error = h('p', { class: 'field-error', role: 'alert' });
  const choice = (label, hint, attrs) => {
    const id = freshId('plan');
    return h('div', { class: 'check' },
      h('input', { type: 'checkbox', id, ...attrs }),
      h('label', { for: id }, label, hint ? h('span', { class: 'muted' }, ` — ${hint}`) : null));
  };
  const agreementChoice = agreement === 'none' ? null : choice('Read and sign the group’s agreement',
    agreement === 'signed' ? 'they have signed the current version' : '',
    { name: 'agreement', checked: agreement === 'to_sign', disabled: agreement === 'signed', 'data-testid': 'plan-agreement' });
  const measureChoices = definitions.map((d) => choice(`Answer the ${d.name}`, d.about,
    { name: 'measure', value: d.id, checked: measures.includes(d.id), 'data-testid': `plan-${d.id}` }));
  const form = h('form', { class: 'stack', novalidate: true },
    h('p', {}, `Hand the computer to ${name}? They will see only what you choose here, one step after another, until you enter your passphrase.`),
    h('fieldset', { class: 'stack' }, h('legend', {}, 'What they will do'), agreementChoice, measureChoices),
    h('p', { class: 'hint' }, 'Questionnaires are shown one question at a time. They never see a score; you see the answers, and anything that needs your attention first, when you take the computer back.'),
    error,
    h('div', { class: 'dialog-actions' },
      h('button', { type: 'button', class: 'secondary', onclick: () => close(null) }, 'Cancel'),
      h('button', { type: 'submit', class: 'primary', 'data-testid': 'start-client-mode-confirm' }, 'Start client mode')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const plan = {
      agreement: Boolean(form.querySelector('input[name=agreement]:checked')),
      measures: [...form.querySelectorAll('input[name=measure]:checked')].map((input) => input.value),
    };
    if (!plan.agreement && plan.measures.length === 0) {
      error.textContent = 'Choose the agreement, a questionnaire, or both.';
      return;
    }
    close(plan);
  });
  return form;
}

/**
 * After client mode ends: back to the remembered route (or to `instead`, when given), on a
 * freshly loaded page.
 */
export function returnFromClientMode(instead = null) {
  const route = instead ?? globalThis.sessionStorage.getItem(RETURN_KEY);
  globalThis.sessionStorage.removeItem(RETURN_KEY);
  if (route) globalThis.location.hash = `#${route}`;
  globalThis.location.reload();
}
