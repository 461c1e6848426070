// Client mode: the calm, full-window view a member sees on the practitioner's computer — the
// group's agreement with one card per ground rule ("I understand", "I'd like to talk about
// this"), a progress line and the signing step, when the visit includes it; then each chosen
// questionnaire one question per screen; then the thank-you screen with the practitioner's
// contact line; and the "How your information is kept" page. Nothing else: no sidebar, no
// search, no shortcuts, no other names, no scores. What the client has done lives in Rust, so
// a reload shows the same state.

import * as ipc from '../ipc.js';
import { h, replace } from '../lib/dom.js';
import { problem } from '../lib/ui.js';
import { shouldReport } from '../lib/activity.js';
import { clientBar, applyDisplayChoices, startAgainIfOver, notSaved } from '../lib/client-controls.js';
import { signStep, thanksScreen } from '../lib/client-sign.js';
import { readingView, clauseCard } from '../lib/client-reading.js';
import { infoScreen } from '../lib/client-info.js';
import { questionScreen, finishScreen, nextPosition, questionOrder, isAnswered } from '../lib/client-questionnaire.js';

/** Renders client mode into `root`. */
export async function renderClient(root) {
  document.body.classList.add('client-mode');
  applyDisplayChoices();
  root.removeAttribute('aria-live');
  document.title = 'Client mode — Holdspace';
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
  if (data.has_agreement && !data.signed_at) showReading(visit);
  else nextQuestionnaire(visit);
}

// ——— Reading ———

function showReading(visit) {
  const { data } = visit;
  visit.cards = data.clauses.map((clause, index) => clauseCard({
    clause, index, total: data.clauses.length,
    acknowledged: data.acknowledged[index], discuss: data.discuss[index],
    saveAcknowledged: (on) => ipc.clientAcknowledge(index, on),
    saveDiscuss: (on) => ipc.clientMark(index, on),
    onAcknowledged: (on) => { data.acknowledged[index] = on; updateProgress(visit); },
    onDiscuss: (on) => { data.discuss[index] = on; },
    onFailure: (failure) => (startAgainIfOver(failure) ? null : notSaved(failure)),
  }));
  visit.sign = signStep(data, {
    onSigned: () => signed(visit),
    focusNext: () => focusNextUnread(visit),
  });
  const openInfo = h('button', {
    type: 'button', class: 'secondary client-info-open', 'data-testid': 'client-info-open',
    onclick: () => showInfo(visit),
  }, 'How your information is kept');
  visit.reading = readingView(data, { cards: visit.cards, sign: visit.sign, openInfo });
  replace(visit.main, visit.reading);
  visit.openInfo = openInfo;
  updateProgress(visit);
  visit.main.querySelector('h1').focus({ preventScroll: true });
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
  nextQuestionnaire(visit);
}

// ——— Questionnaires ———

/** The first questionnaire not yet finished, at its first unanswered question; or the thanks. */
function nextQuestionnaire(visit) {
  const index = visit.data.questionnaires.findIndex((q) => !q.done);
  if (index === -1) return showThanks(visit);
  const q = visit.data.questionnaires[index];
  const unanswered = questionOrder(q).find((p) => !isAnswered(q, p));
  return showQuestion(visit, index, unanswered ?? 'finish');
}

function showQuestion(visit, index, position, failure = null) {
  const q = visit.data.questionnaires[index];
  const order = questionOrder(q);
  const answered = order.filter((p) => isAnswered(q, p)).length;
  visit.bar.setProgress(answered, order.length, 'answered');
  const go = (next) => showQuestion(visit, index, next);
  const screen = position === 'finish'
    ? finishScreen(q, { onSave: () => saveQuestionnaire(visit, index), onBack: () => go(order[order.length - 1]) })
    : questionScreen(q, position, {
      onChoose: (value) => choose(visit, index, position, value),
      onBack: () => go(nextPosition(q, position, -1)),
      onSkip: () => go(nextPosition(q, position)),
    });
  replace(visit.main, screen, failure ? h('p', { class: 'field-error', role: 'alert' }, notSaved(failure)) : null);
  globalThis.scrollTo(0, 0);
  visit.main.querySelector('h1').focus();
}

async function choose(visit, index, position, value) {
  const q = visit.data.questionnaires[index];
  try {
    await ipc.clientAnswer(index, position, value);
  } catch (error) {
    if (!startAgainIfOver(error)) showQuestion(visit, index, position, error);
    return;
  }
  if (position < q.items.length) q.answers[position] = value;
  else q.follow_up_answer = value;
  q.follow_up_asked = questionOrder(q).includes(q.items.length);
  showQuestion(visit, index, nextPosition(q, position));
}

async function saveQuestionnaire(visit, index) {
  try {
    await ipc.clientFinishQuestionnaire(index);
  } catch (error) {
    if (!startAgainIfOver(error)) showQuestion(visit, index, 'finish', error);
    return;
  }
  visit.data.questionnaires[index].done = true;
  nextQuestionnaire(visit);
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
