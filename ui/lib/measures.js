// Outcome questionnaires on the practitioner's screens: the chart of a member's scores over
// time (SVG built with DOM calls, the severity bands behind the points), the same scores as a
// table for screen readers and for reading exact numbers, and the words for a score.
// `chartModel` and `scoreWords` are pure (node --test); the rest builds DOM.

import { h, svg } from './dom.js';
import { formatDate } from './format.js';

/** The chart's drawing box, in SVG units (it scales to the page's width); the bands are
 * named in the right-hand margin, clear of the points. */
export const CHART = { width: 680, height: 230, left: 40, right: 150, top: 10, bottom: 30 };

const DAY_MS = 86400000;

/**
 * Where everything goes on the chart of `series` ({highest, bands, points}): one rectangle
 * per band (stacked from the bottom, no gap, no overlap), one dot per point with a total (x
 * by date, y by total), the line through them, and the ticks at each band's start.
 */
export function chartModel(series, box = CHART) {
  const plotWidth = box.width - box.left - box.right;
  const plotHeight = box.height - box.top - box.bottom;
  const highest = Math.max(1, Number(series.highest) || 1);
  const y = (total) => box.top + plotHeight * (1 - Math.min(total, highest) / highest);
  const bands = series.bands.map((band, index) => {
    const upper = index === series.bands.length - 1 ? highest : series.bands[index + 1].from;
    const top = y(upper);
    return { label: band.label, index, from: band.from, to: band.to, y: top, height: y(band.from) - top };
  });
  const days = series.points.map((p) => Date.parse(`${p.taken_on}T00:00:00Z`) / DAY_MS);
  const first = Math.min(...days);
  const span = Math.max(...days) - first;
  const x = (day) => (span > 0 ? box.left + plotWidth * ((day - first) / span) : box.left + plotWidth / 2);
  const dots = series.points
    .map((point, i) => ({ point, x: x(days[i]), y: point.total === null || point.total === undefined ? null : y(point.total) }))
    .filter((dot) => dot.y !== null);
  const ticks = series.bands.map((band) => ({ total: band.from, y: y(band.from) })).concat([{ total: highest, y: y(highest) }]);
  return { box, bands, dots, ticks, line: dots.map((d) => `${round(d.x)},${round(d.y)}`).join(' ') };
}

const round = (n) => Math.round(n * 10) / 10;

/** A score in words: "14 · Moderate", "9 · Mild (estimated: 1 question unanswered)", "No total". */
export function scoreWords(point) {
  if (point.total === null || point.total === undefined) {
    return `No total: ${point.unanswered.length} questions unanswered`;
  }
  const band = point.band ? ` · ${point.band}` : '';
  if (!point.prorated) return `${point.total}${band}`;
  const n = point.unanswered.length;
  return `${point.total}${band} (estimated: ${n} question${n === 1 ? '' : 's'} unanswered)`;
}

/** The chart of one measure's scores, with a summary for screen readers. */
export function scoreChart(series) {
  const model = chartModel(series);
  const { box } = model;
  const latest = series.points[series.points.length - 1];
  const summary = `${series.name} scores over time, ${series.points.length} in all; the latest ${scoreWords(latest)} on ${formatDate(latest.taken_on)}. The table below lists every score.`;
  const bands = model.bands.map((band) => svg('g', { class: `band band-${band.index}` },
    svg('rect', { x: box.left, y: round(band.y), width: box.width - box.left - box.right, height: round(band.height) }),
    svg('text', { x: box.width - box.right + 10, y: round(band.y + band.height / 2), 'text-anchor': 'start', 'dominant-baseline': 'middle', class: 'band-label' }, band.label)));
  const ticks = model.ticks.map((tick) => svg('text', { x: box.left - 6, y: round(tick.y), 'text-anchor': 'end', 'dominant-baseline': 'middle', class: 'tick' }, String(tick.total)));
  const dates = [series.points[0], latest].filter((p, i, all) => i === 0 || p !== all[0]).map((point, i) =>
    svg('text', { x: i === 0 ? box.left : box.width - box.right, y: box.height - 8, 'text-anchor': i === 0 ? 'start' : 'end', class: 'tick' }, formatDate(point.taken_on)));
  const dots = model.dots.map(({ point, x, y }) => svg('circle', {
    cx: round(x), cy: round(y), r: 5,
    class: ['dot', point.prorated ? 'prorated' : '', point.safety.length ? 'flagged' : ''].filter(Boolean).join(' '),
  }, svg('title', {}, `${formatDate(point.taken_on)}: ${scoreWords(point)}`)));
  return h('figure', { class: 'score-chart' },
    svg('svg', { viewBox: `0 0 ${box.width} ${box.height}`, role: 'img', 'aria-label': summary, class: 'chart', 'data-testid': `chart-${series.measure}` },
      ...bands, ...ticks, ...dates,
      model.dots.length > 1 ? svg('polyline', { points: model.line, class: 'trend' }) : null,
      ...dots));
}
