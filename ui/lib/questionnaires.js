// Questionnaires on a member's page and on Home: the safety flags to review first (with the
// question, the answer and the day), one chart and table per measure, entering a paper
// questionnaire, and deleting answers entered in error.

import * as ipc from '../ipc.js';
import { h, replace } from './dom.js';
import { section, emptyState, table, button, field, dialog, confirm, saveStatus, submit, badge } from './ui.js';
import { formatDate, today } from './format.js';
import { scoreChart, scoreWords } from './measures.js';

/** How a questionnaire reached the vault, in words. */
const ANSWERED_BY = { client: 'On this computer', paper: 'From paper' };

/**
 * The safety flags not yet reviewed, each with who, which question, the answer and the day,
 * and a "Reviewed" button; `withName` adds the member's name and a link (on Home).
 * `reviewed(alert)` runs after the review is saved.
 */
export function safetyAlertList(alerts, reviewed, { withName = false, link = null } = {}) {
  if (alerts.length === 0) return null;
  return h('div', { class: 'notice notice-danger safety-alerts', role: 'alert', 'data-testid': 'safety-alerts' },
    h('p', {}, h('strong', {}, alerts.length === 1 ? 'A safety question needs your review' : `${alerts.length} safety questions need your review`)),
    h('ul', { class: 'list-plain' }, alerts.map((alert) => h('li', { class: 'split' },
      h('div', {},
        withName && link ? h('div', { class: 'sensitive' }, link(`/members/${alert.member}`, alert.display_name)) : null,
        h('div', {}, `${alert.measure_name} question ${alert.item}: “${alert.item_text}”`),
        h('div', {}, h('strong', {}, alert.answer ? `Answered “${alert.answer}”` : 'Left unanswered'),
          ` · ${ANSWERED_BY[alert.answered_by] ?? ''} · ${formatDate(alert.taken_on)}`)),
      button('Mark reviewed', () => review(alert, reviewed), 'secondary', {
        'data-testid': `review-${alert.administration}`,
        'aria-label': `Mark ${alert.measure_name} question ${alert.item} of ${formatDate(alert.taken_on)} as reviewed`,
      })))),
    h('p', { class: 'small-text' }, 'Marking it reviewed records that you have seen it and followed up as you judge right; the answers stay on their record.'));
}

async function review(alert, reviewed) {
  try {
    await ipc.reviewSafetyFlag(alert.administration);
    await reviewed(alert, null);
  } catch (error) {
    await reviewed(alert, error);
  }
}

/** The member page's safety flags to review, for the top of the page. */
export function memberSafetyAlerts(data, again) {
  return safetyAlertList(data.safety_alerts, (alert, error) => (error
    ? again(error.message, 'danger')
    : again(`${alert.measure_name} question ${alert.item} of ${formatDate(alert.taken_on)} is marked as reviewed.`)));
}

/** The member page's section: a chart and a table per measure, and paper entry. */
export function questionnairesSection(data, again) {
  const archived = data.overview.member.archived;
  const enter = archived ? null : button('Enter a paper questionnaire', () => enterPaper(data, again), 'secondary', { 'data-testid': 'enter-paper-questionnaire' });
  if (data.measures.length === 0) {
    return section('Questionnaires', emptyState('No questionnaires yet',
      'PHQ-9 and GAD-7 scores appear here as a chart once they are answered. Enter a questionnaire a client filled in on paper.', enter));
  }
  return section('Questionnaires', enter ? h('div', { class: 'form-actions' }, enter) : null,
    data.measures.map((series) => measureBlock(series, data, again)));
}

function measureBlock(series, data, again) {
  return h('div', { class: 'measure stack', 'data-testid': `measure-${series.measure}` },
    h('h3', {}, series.name, h('span', { class: 'muted small-text' }, ` · ${series.title}`)),
    scoreChart(series),
    table([
      { label: 'Date', cell: (p) => [h('div', { class: 'nowrap' }, formatDate(p.taken_on)), h('div', { class: 'muted small-text' }, ANSWERED_BY[p.answered_by] ?? '')] },
      { label: 'Score', cell: (p) => scoreWords(p) },
      { label: 'Group', cell: (p) => p.group_name ?? '—' },
      { label: 'Safety flag', cell: (p) => safetyWords(p) },
      { label: 'Remove', cell: (p) => button('Delete…', () => removeAnswers(series, p, data, again), 'text-button', { 'aria-label': `Delete the ${series.name} of ${formatDate(p.taken_on)}` }) },
    ], [...series.points].reverse(), { caption: `${series.name} scores, newest first`, wide: true }));
}

function safetyWords(point) {
  if (point.safety.length === 0) return '—';
  return badge(point.safety_reviewed ? { text: 'Reviewed', tone: 'neutral' } : { text: 'To review', tone: 'danger' });
}

async function removeAnswers(series, point, data, again) {
  const ok = await confirm({
    title: `Delete this ${series.name}?`,
    body: [`The answers of ${formatDate(point.taken_on)} (${scoreWords(point)}) are removed from ${data.overview.display_name}'s record. Do this only for answers entered in error; the audit log keeps a line saying so.`],
    confirmLabel: 'Delete answers',
    danger: true,
  });
  if (!ok) return;
  try {
    await ipc.deleteQuestionnaire(point.administration);
    await again(`The ${series.name} of ${formatDate(point.taken_on)} was deleted.`);
  } catch (error) {
    await again(error.message, 'danger');
  }
}

// ——— Entering a paper questionnaire ———

async function enterPaper(data, again) {
  let definitions;
  try {
    definitions = await ipc.measureDefinitions();
  } catch (error) {
    await again(error.message, 'danger');
    return;
  }
  const saved = await dialog(`Enter a paper questionnaire for ${data.overview.display_name}`,
    (close) => paperForm(data, definitions, close), { wide: true });
  if (saved) await again(`The ${saved.measure_name} of ${formatDate(saved.administration.taken_on)} was saved: ${scoreWords(pointOf(saved))}.`);
}

/** The shape scoreWords reads, from what the shell returns after a save. */
function pointOf(saved) {
  const total = saved.score.total;
  return {
    total: total.kind === 'incomplete' ? null : total.total,
    prorated: total.kind === 'prorated',
    band: saved.score.band?.label ?? null,
    unanswered: saved.score.unanswered,
  };
}

function paperForm(data, definitions, close) {
  const status = saveStatus();
  const groups = data.overview.groups.map((g) => [g.membership.group, g.group_name]);
  const questions = h('div', { class: 'field questions', 'data-field': 'answers' });
  const form = h('form', { class: 'stack', novalidate: true },
    field({ label: 'Questionnaire', name: 'measure', kind: 'select', options: definitions.map((d) => [d.id, `${d.name} — ${d.title}`]), value: definitions[0]?.id }),
    h('div', { class: 'grid-2' },
      field({ label: 'Answered on', name: 'taken_on', kind: 'date', value: today(), required: true, hint: 'The day written on the paper.' }),
      field({ label: 'Group', name: 'group', kind: 'select', options: [['', 'No group'], ...groups], value: groups[0]?.[0] ?? '' })),
    questions,
    h('div', { class: 'dialog-actions' },
      status.node,
      h('button', { type: 'button', class: 'secondary', onclick: () => close(null) }, 'Cancel'),
      h('button', { type: 'submit', class: 'primary', 'data-testid': 'save-paper-questionnaire' }, 'Save answers')));
  const definition = () => definitions.find((d) => d.id === form.elements.measure.value);
  const drawQuestions = () => replace(questions, questionFields(definition()), h('p', { class: 'field-error', role: 'alert' }));
  form.elements.measure.addEventListener('change', drawQuestions);
  drawQuestions();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = definition();
    const picked = (name) => {
      const input = form.querySelector(`input[name="${name}"]:checked`);
      return input && input.value !== '' ? Number(input.value) : null;
    };
    const answers = {
      member: data.overview.member.id,
      group: form.elements.group.value || null,
      measure: chosen.id,
      taken_on: form.elements.taken_on.value,
      items: chosen.items.map((_, i) => picked(`item-${i}`)),
      follow_up: chosen.follow_up ? picked('follow-up') : null,
    };
    const result = await submit(form, status, () => ipc.recordPaperQuestionnaire(answers));
    if (result) close(result);
  });
  return form;
}

/**
 * One group of radio buttons per question, then the follow-up. Each starts on "Left blank",
 * so a question copied wrongly can be set back to blank.
 */
function questionFields(definition) {
  if (!definition) return [];
  const radios = (name, legend, options) => h('fieldset', { class: 'question' },
    h('legend', {}, legend),
    h('div', { class: 'choices' }, [['', 'Left blank'], ...options].map(([value, text]) => h('label', { class: 'choice' },
      h('input', { type: 'radio', name, value: String(value), checked: value === '' }), ` ${text}`))));
  const options = definition.options.map((o) => [o.value, o.label]);
  return [
    h('p', { class: 'hint' }, definition.stem, ' A question left blank on paper stays “Left blank”.'),
    definition.items.map((item, i) => radios(`item-${i}`, `${i + 1}. ${item.text}`, options)),
    definition.follow_up ? radios('follow-up', definition.follow_up.text, definition.follow_up.options.map((text, i) => [i, text])) : null,
    h('p', { class: 'hint small-text' }, definition.source),
  ];
}
