// Client mode: the calm, full-window reading view a member sees on the practitioner's computer
// — the group's agreement with one card per ground rule ("I understand", "I'd like to talk
// about this"), a progress line, the signing step, then the thank-you screen; and the "How your
// information is kept" page. Nothing else: no sidebar, no search, no shortcuts, no other
// names. What the client has done lives in Rust, so a reload shows the same state.

import * as ipc from '../ipc.js';
import { h, replace } from '../lib/dom.js';
import { problem } from '../lib/ui.js';
import { shouldReport } from '../lib/activity.js';
import { clientBar, applyDisplayChoices, startAgainIfOver, notSaved } from '../lib/client-controls.js';
import { signStep, thanksScreen } from '../lib/client-sign.js';
import { infoScreen } from '../lib/client-info.js';

/** Renders client mode into `root`. */
export async function renderClient(root) {
  document.body.classList.add('client-mode');
  applyDisplayChoices();
  root.removeAttribute('aria-live');
  document.title = 'Your group agreement — Holdspace';
  let data;
  try {
    data = await ipc.clientView();
  } catch (error) {
    if (error.code === 'not_in_client_mode') return globalThis.location.reload();
    return replace(root, h('main', { class: 'client-main' }, h('h1', {}, 'Please ask your therapist'), problem(error)));
  }
  const visit = { data, main: h('main', { id: 'client-main', class: 'client-main', tabindex: '-1' }) };
  visit.bar = clientBar();
  replace(root, h('div', { class: 'client' }, visit.bar.node, visit.main));
  reportActivity();
  if (data.signed_at) showThanks(visit);
  else showReading(visit);
}

// ——— Reading ———

function showReading(visit) {
  const { data } = visit;
  visit.cards = data.clauses.map((clause, index) => clauseCard(visit, clause, index));
  visit.sign = signStep(data, {
    onSigned: () => signed(visit),
    focusNext: () => focusNextUnread(visit),
  });
  const openInfo = h('button', {
    type: 'button', class: 'secondary client-info-open', 'data-testid': 'client-info-open',
    onclick: () => showInfo(visit),
  }, 'How your information is kept');
  visit.reading = h('div', { class: 'client-reading' },
    letterhead(data),
    h('p', { class: 'client-group' }, data.group_name),
    h('h1', { tabindex: '-1' }, data.title),
    data.introduction ? h('p', { class: 'client-intro' }, data.introduction) : null,
    h('div', { class: 'client-howto' },
      h('p', {}, 'Please read each ground rule and press “I understand” when you have read it. If you would like to talk about a rule with your therapist, press “I’d like to talk about this”. Take as long as you need.'),
      h('p', {}, 'Wondering what happens to what you share? ', openInfo)),
    h('ol', { class: 'client-clauses' }, visit.cards.map((card) => h('li', {}, card.node))),
    visit.sign.node);
  replace(visit.main, visit.reading);
  visit.openInfo = openInfo;
  updateProgress(visit);
  visit.main.querySelector('h1').focus({ preventScroll: true });
}

/** The practice's heading: its name, the practitioner and the contact line. */
function letterhead(data) {
  const who = [data.practitioner_name, data.credentials].map((s) => s?.trim()).filter(Boolean).join(', ');
  return h('div', { class: 'client-letterhead' },
    data.practice_name ? h('p', { class: 'letterhead-practice' }, data.practice_name) : null,
    who ? h('p', {}, who) : null,
    data.contact_line ? h('p', { class: 'letterhead-contact' }, data.contact_line) : null);
}

/** One ground rule on its card, with its two controls. */
function clauseCard(visit, clause, index) {
  const { data } = visit;
  const headingId = `clause-${index + 1}-heading`;
  const error = h('p', { class: 'clause-error', role: 'alert' });
  const noteId = `clause-${index + 1}-note`;
  const note = h('p', { class: 'clause-discuss-note', id: noteId, hidden: !data.discuss[index] },
    'Your therapist will see that you would like to talk about this.');
  const acknowledge = toggle({
    label: 'I understand', testid: `ack-${index}`, kind: 'ack', describedBy: headingId,
    pressed: data.acknowledged[index], error,
    save: (on) => ipc.clientAcknowledge(index, on),
    saved: (on) => { data.acknowledged[index] = on; updateProgress(visit); },
  });
  const discuss = toggle({
    label: 'I’d like to talk about this', testid: `discuss-${index}`, kind: 'discuss', describedBy: headingId,
    pressed: data.discuss[index], error,
    save: (on) => ipc.clientMark(index, on),
    saved: (on) => { data.discuss[index] = on; note.hidden = !on; },
  });
  const node = h('article', { class: 'client-clause', 'data-testid': 'client-clause', 'aria-labelledby': headingId },
    h('p', { class: 'clause-count' }, `Ground rule ${index + 1} of ${data.clauses.length}`),
    h('h2', { id: headingId }, clause.heading),
    h('p', { class: 'clause-text' }, clause.text),
    h('div', { class: 'clause-actions' }, acknowledge, discuss),
    note, error);
  return { node, acknowledge };
}

/** A toggle button (aria-pressed) whose state changes only once the shell has saved it. */
function toggle({ label, testid, kind, describedBy, pressed, error, save, saved }) {
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
      if (!startAgainIfOver(failure)) error.textContent = notSaved(failure);
    } finally {
      button.removeAttribute('aria-busy');
    }
  });
  return button;
}

function updateProgress(visit) {
  const done = visit.data.acknowledged.filter(Boolean).length;
  const total = visit.data.clauses.length;
  visit.bar.setProgress(done, total);
  visit.sign.update(done, total);
}

/** Moves to the first ground rule not yet marked "I understand". */
function focusNextUnread(visit) {
  const index = visit.data.acknowledged.findIndex((a) => !a);
  const card = visit.cards[index];
  if (!card) return;
  card.node.scrollIntoView({ block: 'center' });
  card.acknowledge.focus({ preventScroll: true });
}

async function signed(visit) {
  try {
    visit.data = await ipc.clientView();
  } catch (error) {
    if (startAgainIfOver(error)) return;
    visit.data = { ...visit.data, signed_at: new Date().toISOString() };
  }
  showThanks(visit);
}

function showThanks(visit) {
  visit.bar.setProgress(null);
  replace(visit.main, thanksScreen(visit.data));
  globalThis.scrollTo(0, 0);
  visit.main.querySelector('h1').focus();
}

// ——— How your information is kept ———

function showInfo(visit) {
  const scrolled = globalThis.scrollY;
  const back = () => {
    document.removeEventListener('keydown', onEscape);
    replace(visit.main, visit.reading);
    globalThis.scrollTo(0, scrolled);
    visit.openInfo.focus({ preventScroll: true });
  };
  const onEscape = (event) => {
    if (event.key === 'Escape' && !document.querySelector('dialog[open]')) back();
  };
  document.addEventListener('keydown', onEscape);
  replace(visit.main, infoScreen(visit.data, back));
  globalThis.scrollTo(0, 0);
  visit.main.querySelector('h1').focus();
}

// ——— Activity ———

/** Least time between two activity reports while a client reads, in ms. */
const REPORT_EVERY_MS = 15000;

/**
 * Tells the shell the client is there (scrolling, keys, pointer) so the idle lock does not
 * interrupt someone who is reading. client_view is the one harmless command that counts.
 */
function reportActivity() {
  let last = Date.now();
  const report = () => {
    const now = Date.now();
    if (!shouldReport(last, now, REPORT_EVERY_MS)) return;
    last = now;
    ipc.clientView().catch((error) => startAgainIfOver(error));
  };
  for (const type of ['keydown', 'pointerdown', 'wheel', 'scroll', 'input']) {
    globalThis.addEventListener(type, report, { passive: true, capture: true });
  }
}
