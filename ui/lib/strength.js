// The passphrase strength meter: asks the shell (zxcvbn, in Rust) as the practitioner types,
// and shows a labelled bar, what makes it weak, and how to improve it.

import { passphraseStrength } from '../ipc.js';
import { h, replace } from './dom.js';

/** The word for a zxcvbn score (0–4). */
export function strengthWord(score) {
  return ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'][score] ?? 'Very weak';
}

/** Builds the meter for `input`; `onChange(acceptable)` hears each assessment. */
export function strengthMeter(input, onChange = () => {}) {
  const bar = h('div', { class: 'meter', role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': '4', 'aria-valuenow': '0', 'aria-label': 'Passphrase strength' },
    [0, 1, 2, 3].map(() => h('span', { class: 'meter-segment' })));
  const word = h('p', { class: 'meter-word', 'aria-live': 'polite' }, 'Type a passphrase: four or more unrelated words work well.');
  const advice = h('ul', { class: 'meter-advice' });
  let timer = null;
  let asked = 0;
  const update = async () => {
    const mine = ++asked;
    const value = input.value;
    if (!value) {
      bar.dataset.state = '0';
      replace(word, 'Type a passphrase: four or more unrelated words work well.');
      replace(advice);
      onChange(false);
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
    replace(word, `${strengthWord(strength.score)}${strength.acceptable ? ' — good enough to protect your records.' : ' — not strong enough yet.'}`);
    replace(advice, [strength.warning, ...strength.suggestions].filter(Boolean).map((t) => h('li', {}, t)));
    onChange(strength.acceptable);
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(update, 120);
  });
  return h('div', { class: 'strength' }, bar, word, advice);
}
