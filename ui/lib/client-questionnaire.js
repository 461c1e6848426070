// A questionnaire in client mode: one question per screen, large answer buttons, the question
// number, a way back and a way to skip; the last question only when the published form asks
// it; then a last screen to save the answers or go back. The client never sees a score, a band
// or anything said about their answers. `questionOrder` and `nextPosition` are pure (node
// --test); `questionScreen` and `finishScreen` build DOM.

import { h } from './dom.js';

/**
 * The questions to ask, as positions: every item (0 … n-1), then the follow-up question (n)
 * when the form has one and some item was answered above its lowest option.
 */
export function questionOrder(q) {
  const order = q.items.map((_, i) => i);
  const lowest = q.options[0]?.value ?? 0;
  const reported = q.answers.some((a) => a !== null && a !== undefined && a > lowest);
  if (q.follow_up && reported) order.push(q.items.length);
  return order;
}

/** The position after `position` (or 'finish'); `step` -1 goes back (or stays on the first). */
export function nextPosition(q, position, step = 1) {
  const order = questionOrder(q);
  const at = order.indexOf(position);
  if (step < 0) return order[Math.max(0, at - 1)] ?? order[0];
  return at === -1 || at + 1 >= order.length ? 'finish' : order[at + 1];
}

/** The answer held for `position` (an item's points, or the follow-up's index). */
export function answerAt(q, position) {
  return position < q.items.length ? q.answers[position] : q.follow_up_answer;
}

/** Whether `position` has an answer. */
export function isAnswered(q, position) {
  const answer = answerAt(q, position);
  return answer !== null && answer !== undefined;
}

/**
 * One question's screen. `onChoose(value)` records the answer and moves on; `onBack` and
 * `onSkip` move without answering.
 */
export function questionScreen(q, position, { onChoose, onBack, onSkip }) {
  const order = questionOrder(q);
  const isFollowUp = position >= q.items.length;
  const text = isFollowUp ? q.follow_up.text : q.items[position];
  const choices = isFollowUp
    ? q.follow_up.options.map((label, index) => ({ value: index, label }))
    : q.options.map((o) => ({ value: o.value, label: o.label }));
  const chosen = answerAt(q, position);
  const headingId = `question-${position}`;
  return h('div', { class: 'client-question', 'data-testid': 'client-question' },
    h('p', { class: 'client-group' }, `${q.name} · question ${order.indexOf(position) + 1} of ${order.length}`),
    isFollowUp ? null : h('p', { class: 'question-stem' }, q.stem),
    h('h1', { id: headingId, tabindex: '-1' }, text),
    h('div', { class: 'answer-list', role: 'group', 'aria-labelledby': headingId },
      choices.map((choice) => h('button', {
        type: 'button', class: 'answer',
        'aria-pressed': chosen === choice.value ? 'true' : 'false',
        'data-testid': `answer-${choice.value}`,
        onclick: () => onChoose(choice.value),
      }, choice.label))),
    h('div', { class: 'question-nav' },
      h('button', { type: 'button', class: 'secondary', 'data-testid': 'question-back', disabled: order.indexOf(position) === 0, onclick: onBack }, 'Back'),
      h('button', { type: 'button', class: 'text-button', 'data-testid': 'question-skip', onclick: onSkip },
        isAnswered(q, position) ? 'Keep my answer and go on' : 'Skip this question')));
}

/** The screen after the last question: save the answers, or go back to change one. */
export function finishScreen(q, { onSave, onBack, saving }) {
  const left = questionOrder(q).filter((p) => !isAnswered(q, p)).length;
  return h('div', { class: 'client-question', 'data-testid': 'client-question-finish' },
    h('p', { class: 'client-group' }, q.name),
    h('h1', { tabindex: '-1' }, 'That was the last question.'),
    h('p', {}, left === 0
      ? 'Thank you for answering. Save your answers, or go back to change one.'
      : `You skipped ${left === 1 ? 'one question' : `${left} questions`}. That is all right. Save your answers, or go back to answer ${left === 1 ? 'it' : 'them'}.`),
    h('div', { class: 'question-nav' },
      h('button', { type: 'button', class: 'secondary', 'data-testid': 'question-back', onclick: onBack }, 'Back'),
      h('button', { type: 'button', class: 'primary', 'data-testid': 'question-save', disabled: saving, onclick: onSave }, 'Save my answers')),
    h('p', { class: 'hint' }, q.source));
}
