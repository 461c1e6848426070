// The passphrase strength meter: asks the shell (zxcvbn, in Rust) once the practitioner has
// typed the passphrase and moves on (the field's change event), and shows a labelled bar, what
// makes it weak, and how to improve it. It never sends the passphrase while it is being typed:
// each half-typed passphrase sent would be one more copy of it in memory.

import { passphraseStrength } from '../ipc.js';
import { h, replace } from './dom.js';

const EMPTY = 'Type a passphrase: four or more unrelated words work well.';
const TYPED = 'Its strength is checked when you move to the next field.';

/**
 * What the meter says of a passphrase: {score (zxcvbn, 0–4), acceptable (the one passphrase
 * rule's verdict)}. Only a passphrase the rule accepts is called strong, so the meter can never
 * praise one that will be refused.
 */
export function strengthVerdict({ score, acceptable }) {
  if (acceptable) return 'Strong — good enough to protect your records.';
  const word = ['Very weak', 'Weak', 'Fair', 'Almost there'][Math.min(Math.max(score ?? 0, 0), 3)];
  return `${word} — not strong enough yet.`;
}

/** Builds the meter for `input`; `onChange(acceptable)` hears each assessment. */
export function strengthMeter(input, onChange = () => {}) {
  const bar = h('div', { class: 'meter', role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': '4', 'aria-valuenow': '0', 'aria-label': 'Passphrase strength' },
    [0, 1, 2, 3].map(() => h('span', { class: 'meter-segment' })));
  const word = h('p', { class: 'meter-word', 'aria-live': 'polite' }, EMPTY);
  const advice = h('ul', { class: 'meter-advice' });
  let asked = 0;
  // While typing: no verdict, and the last one no longer holds.
  const unchecked = () => {
    asked++;
    bar.setAttribute('aria-valuenow', '0');
    bar.dataset.state = '0';
    replace(word, input.value ? TYPED : EMPTY);
    replace(advice);
    onChange(false);
  };
  const update = async () => {
    const mine = ++asked;
    const value = input.value;
    if (!value) {
      unchecked();
      return;
    }
    let strength;
    try {
      strength = await passphraseStrength(value);
    } catch {
      return;
    }
    if (mine !== asked) return;
    bar.setAttribute('aria-valuenow', String(strength.score));
    bar.dataset.state = String(strength.score);
    replace(word, strengthVerdict(strength));
    replace(advice, [strength.warning, ...strength.suggestions].filter(Boolean).map((t) => h('li', {}, t)));
    onChange(strength.acceptable);
  };
  input.addEventListener('input', unchecked);
  input.addEventListener('change', update);
  return h('div', { class: 'strength' }, bar, word, advice);
}
