// Client mode's last steps: signing (the typed full name, a gentle note when it differs from
// the name on file — never a refusal — the date and time, and a confirm button that works only
// once every ground rule has "I understand"), and the thank-you screen that asks the client to
// hand the computer back.

import * as ipc from '../ipc.js';
import { h, replace } from './dom.js';
import { field, showFieldError, clearErrors } from './ui.js';
import { formatMoment } from './format.js';
import { startAgainIfOver, notSaved } from './client-controls.js';

/** A name folded for comparison: case, accents and extra spaces do not count. */
export function foldName(name) {
  return String(name ?? '').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** True when `typed` is one of `names` (ignoring case, accents and extra spaces). */
export function nameMatches(typed, names) {
  const folded = foldName(typed);
  return folded !== '' && names.some((name) => foldName(name) === folded);
}

const MISMATCH = 'This is a little different from the name your therapist has written down. That is all right — you can sign with the name you use, or check the spelling if you like.';

/**
 * The signing step. `onSigned()` runs once the shell has recorded the signature; `focusNext()`
 * takes the client to the next ground rule still to read. With `preview` (the practitioner's
 * preview of an agreement) it looks and answers the same but signs nothing and is no form.
 * Returns {node, update(done, total)}.
 */
export function signStep(data, { onSigned, focusNext, preview = false }) {
  const ready = h('p', { id: 'sign-ready', class: 'sign-ready' });
  const next = h('button', { type: 'button', class: 'secondary', onclick: focusNext }, 'Take me to the next one');
  const name = field({
    label: 'Your full name', name: preview ? '' : 'typed_name', hint: 'Typing your name here is your signature.',
    attrs: { autocomplete: 'off', spellcheck: 'false', 'data-testid': 'typed-name' },
  });
  const input = name.querySelector('input');
  const note = h('p', { class: 'name-note', role: 'status' });
  const moment = h('span', { class: 'sign-time' }, formatMoment(data.now));
  const sign = h('button', { type: preview ? 'button' : 'submit', class: 'primary client-sign-button', 'data-testid': 'client-sign', 'aria-describedby': 'sign-ready' }, 'Sign the agreement');
  const failure = h('p', { class: 'clause-error', role: 'alert' });
  const form = h(preview ? 'div' : 'form', { class: 'client-sign-form', novalidate: !preview },
    name, note,
    h('p', { class: 'sign-moment' }, 'Date and time: ', moment),
    h('div', { class: 'form-actions' }, sign), failure);
  const names = [data.signer_legal_name, data.signer_display_name];
  const checkName = () => { note.textContent = input.value.trim() && !nameMatches(input.value, names) ? MISMATCH : ''; };
  let typing = null;
  input.addEventListener('input', () => {
    clearTimeout(typing);
    if (nameMatches(input.value, names) || !input.value.trim()) checkName();
    else typing = setTimeout(checkName, 900);
  });
  input.addEventListener('change', checkName);
  const clock = setInterval(() => {
    if (!moment.isConnected) clearInterval(clock);
    else moment.textContent = formatMoment(new Date().toISOString());
  }, 20000);
  if (preview) {
    sign.addEventListener('click', () => {
      note.textContent = 'This is a preview: in client mode, this is where the client signs. Nothing was signed.';
    });
  }
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (sign.disabled) return;
    clearErrors(form);
    failure.textContent = '';
    const typed = input.value.trim();
    if (!typed) {
      showFieldError(form, { message: 'Please type your full name. It is your signature.' }, 'typed_name');
      return;
    }
    checkName();
    sign.disabled = true;
    try {
      await ipc.clientSign(typed);
      onSigned();
    } catch (error) {
      sign.disabled = false;
      if (startAgainIfOver(error)) return;
      if (!showFieldError(form, error)) failure.textContent = notSaved(error);
    }
  });
  const node = h('section', { class: 'client-sign', 'aria-labelledby': 'sign-heading' },
    h('h2', { id: 'sign-heading' }, 'Sign the agreement'),
    ready, next, form);
  return {
    node,
    update(done, total) {
      const left = total - done;
      sign.disabled = left > 0;
      next.hidden = left === 0;
      ready.textContent = left === 0
        ? 'You have read every ground rule. When you are ready, type your full name and press “Sign the agreement”.'
        : `Before you sign, please press “I understand” on every ground rule. ${left === 1 ? '1 rule is' : `${left} rules are`} still to go.`;
    },
  };
}

/** The thank-you screen, shown once the client has signed (and after any reload). */
export function thanksScreen(data) {
  const marked = data.clauses.filter((_, i) => data.discuss[i]);
  const answered = data.questionnaires.filter((q) => q.done).map((q) => q.name);
  const contact = [data.practitioner_name, data.contact_line].filter(Boolean).join(' · ');
  const node = h('div', { class: 'client-thanks', 'data-testid': 'client-thanks' });
  replace(node,
    h('h1', { tabindex: '-1' }, `Thank you, ${data.signer_display_name}.`),
    h('p', { class: 'thanks-lead' }, 'Please hand the computer back to your therapist.'),
    data.has_agreement && data.signed_at
      ? h('p', {}, `You signed “${data.title}” for ${data.group_name} on ${formatMoment(data.signed_at)}.`)
      : null,
    marked.length
      ? [h('p', {}, 'You said you would like to talk about:'),
        h('ul', { class: 'thanks-list' }, marked.map((c) => h('li', {}, c.heading))),
        h('p', {}, 'Your therapist will see this and can talk it over with you.')]
      : null,
    answered.length
      ? h('p', {}, `Your answers to the ${answered.join(' and the ')} are saved for your therapist, who will go over them with you.`)
      : null,
    contact
      ? h('div', { class: 'thanks-contact' },
        h('p', {}, 'If anything you answered or read is on your mind before then, you can reach your therapist:'),
        h('p', { class: 'contact-line' }, contact))
      : null);
  return node;
}
