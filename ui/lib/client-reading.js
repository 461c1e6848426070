// What a client reads in client mode, built once for two places: client mode itself, and the
// practitioner's "Preview as a client sees it" of an agreement. The letterhead (practice,
// practitioner, contact line), the group and the title, the introduction, how to read, one
// card per ground rule with its two buttons ("I understand", "I'd like to talk about this"),
// and the signing step. The caller says what a button does: client mode saves each press in
// Rust; the preview keeps it on the page only.

import { h } from './dom.js';

const HOW_TO_READ = 'Please read each ground rule and press “I understand” when you have read it. If you would like to talk about a rule with your therapist, press “I’d like to talk about this”. Take as long as you need.';

/**
 * The reading view: `data` is the client view ({practice_name, practitioner_name,
 * credentials, contact_line, group_name, title, introduction}), `cards` from clauseCard,
 * `sign` from signStep, `openInfo` the button to "How your information is kept" (or null).
 * `heading` is 'h1' in client mode, 'h2' inside a practitioner's page.
 */
export function readingView(data, { cards, sign, openInfo = null, heading = 'h1' }) {
  return h('div', { class: 'client-reading' },
    letterhead(data),
    h('p', { class: 'client-group' }, data.group_name),
    h(heading, { tabindex: '-1', class: 'client-title' }, data.title),
    data.introduction ? h('p', { class: 'client-intro' }, data.introduction) : null,
    h('div', { class: 'client-howto' },
      h('p', {}, HOW_TO_READ),
      openInfo ? h('p', {}, 'Wondering what happens to what you share? ', openInfo) : null),
    h('ol', { class: 'client-clauses' }, cards.map((card) => h('li', {}, card.node))),
    sign.node);
}

/** The practice's heading: its name, the practitioner and the contact line. */
function letterhead(data) {
  const who = [data.practitioner_name, data.credentials].map((s) => s?.trim()).filter(Boolean).join(', ');
  return h('div', { class: 'client-letterhead' },
    data.practice_name ? h('p', { class: 'letterhead-practice' }, data.practice_name) : null,
    who ? h('p', {}, who) : null,
    data.contact_line ? h('p', { class: 'letterhead-contact' }, data.contact_line) : null);
}

/**
 * One ground rule on its card, with its two buttons. `saveAcknowledged(on)` and
 * `saveDiscuss(on)` keep a press (a button changes only once it is kept);
 * `onAcknowledged(on)` and `onDiscuss(on)` hear it then; `onFailure(error)` gives the words
 * for a press that was not kept (or null to say nothing). Returns {node, acknowledge}.
 */
export function clauseCard({
  clause, index, total, acknowledged, discuss, saveAcknowledged, saveDiscuss,
  onAcknowledged, onDiscuss, onFailure,
}) {
  const headingId = `clause-${index + 1}-heading`;
  const error = h('p', { class: 'clause-error', role: 'alert' });
  const note = h('p', { class: 'clause-discuss-note', id: `clause-${index + 1}-note`, hidden: !discuss },
    'Your therapist will see that you would like to talk about this.');
  const acknowledge = toggle({
    label: 'I understand', testid: `ack-${index}`, kind: 'ack', describedBy: headingId,
    pressed: acknowledged, error, save: saveAcknowledged, saved: onAcknowledged, onFailure,
  });
  const talk = toggle({
    label: 'I’d like to talk about this', testid: `discuss-${index}`, kind: 'discuss', describedBy: headingId,
    pressed: discuss, error, save: saveDiscuss, onFailure,
    saved: (on) => { note.hidden = !on; onDiscuss(on); },
  });
  const node = h('article', { class: 'client-clause', 'data-testid': 'client-clause', 'aria-labelledby': headingId },
    h('p', { class: 'clause-count' }, `Ground rule ${index + 1} of ${total}`),
    h('h2', { id: headingId }, clause.heading),
    h('p', { class: 'clause-text' }, clause.text),
    h('div', { class: 'clause-actions' }, acknowledge, talk),
    note, error);
  return { node, acknowledge };
}

/** A toggle button (aria-pressed) whose state changes only once `save` has kept it. */
function toggle({ label, testid, kind, describedBy, pressed, error, save, saved, onFailure }) {
  const button = h('button', {
    type: 'button', class: `client-toggle toggle-${kind}`, 'aria-pressed': pressed ? 'true' : 'false',
    'aria-describedby': describedBy, 'data-testid': testid,
  }, h('span', { class: 'toggle-box', 'aria-hidden': 'true' }), h('span', { class: 'toggle-label' }, label));
  button.addEventListener('click', async () => {
    if (button.getAttribute('aria-busy') === 'true') return;
    const next = button.getAttribute('aria-pressed') !== 'true';
    button.setAttribute('aria-busy', 'true');
    try {
      await save(next);
      button.setAttribute('aria-pressed', next ? 'true' : 'false');
      error.textContent = '';
      saved(next);
    } catch (failure) {
      const words = onFailure(failure);
      if (words) error.textContent = words;
    } finally {
      button.removeAttribute('aria-busy');
    }
  });
  return button;
}
