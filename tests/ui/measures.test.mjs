// The questionnaire chart's geometry and the words for a score.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chartModel, scoreWords, CHART } from '../../ui/lib/measures.js';

const PHQ9_BANDS = [
  { from: 0, to: 4, label: 'None–minimal' }, { from: 5, to: 9, label: 'Mild' }, { from: 10, to: 14, label: 'Moderate' },
  { from: 15, to: 19, label: 'Moderately severe' }, { from: 20, to: 27, label: 'Severe' },
];
const point = (taken_on, total, extra = {}) => ({ taken_on, total, band: null, prorated: false, unanswered: [], safety: [], ...extra });
const series = (points) => ({ measure: 'phq-9', name: 'PHQ-9', highest: 27, bands: PHQ9_BANDS, points });
const plotTop = CHART.top;
const plotBottom = CHART.height - CHART.bottom;

test('the bands stack from the bottom of the plot to its top with no gap or overlap', () => {
  const { bands } = chartModel(series([point('2026-09-03', 12)]));
  assert.equal(bands.length, 5);
  assert.ok(Math.abs(bands[0].y + bands[0].height - plotBottom) < 1e-9, 'the lowest band sits on the bottom');
  assert.ok(Math.abs(bands[4].y - plotTop) < 1e-9, 'the highest reaches the top');
  for (let i = 1; i < bands.length; i += 1) {
    assert.ok(Math.abs(bands[i].y + bands[i].height - bands[i - 1].y) < 1e-9, `band ${i} meets band ${i - 1}`);
  }
  const total = bands.reduce((sum, b) => sum + b.height, 0);
  assert.ok(Math.abs(total - (plotBottom - plotTop)) < 1e-9);
});

test('dots go by date and total; a point with no total is left off the chart but not the series', () => {
  const model = chartModel(series([point('2026-09-03', 27), point('2026-10-03', null, { unanswered: [1, 2, 3] }), point('2026-11-02', 0)]));
  assert.equal(model.dots.length, 2);
  const [first, last] = model.dots;
  assert.equal(first.x, CHART.left);
  assert.equal(last.x, CHART.width - CHART.right);
  assert.equal(first.y, plotTop);
  assert.equal(last.y, plotBottom);
  assert.equal(model.line.split(' ').length, 2);
});

test('one point sits in the middle; totals above the top are kept inside the plot', () => {
  const model = chartModel(series([point('2026-09-03', 99)]));
  assert.equal(model.dots[0].x, CHART.left + (CHART.width - CHART.left - CHART.right) / 2);
  assert.equal(model.dots[0].y, plotTop);
  assert.deepEqual(model.ticks.map((t) => t.total), [0, 5, 10, 15, 20, 27]);
});

test('a score in words says when it was estimated and when there is none', () => {
  assert.equal(scoreWords(point('2026-09-03', 14, { band: 'Moderate' })), '14 · Moderate');
  assert.equal(scoreWords(point('2026-09-03', 9, { band: 'Mild', prorated: true, unanswered: [5] })), '9 · Mild (estimated: 1 question unanswered)');
  assert.equal(scoreWords(point('2026-09-03', 13, { band: 'Moderate', prorated: true, unanswered: [1, 2] })), '13 · Moderate (estimated: 2 questions unanswered)');
  assert.equal(scoreWords(point('2026-09-03', null, { unanswered: [1, 2, 3] })), 'No total: 3 questions unanswered');
});
