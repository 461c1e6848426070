// ui/lib/view.js: the one way a screen loads, draws and redraws.

import test from 'node:test';
import assert from 'node:assert/strict';

import { showView } from '../../ui/lib/view.js';

/** A screen whose data is the next of `answers` each time it loads, recording its draws. */
function screen(answers) {
  const drawn = [];
  const options = {
    load: async () => {
      const next = answers.shift();
      if (next instanceof Error) throw next;
      return typeof next === 'function' ? next() : next;
    },
    draw: (view) => drawn.push(['draw', view.data, view.notice?.text ?? null]),
    redraw: (view) => drawn.push(['redraw', view.data, view.notice?.text ?? null]),
  };
  return { drawn, options };
}

test('a screen draws once loaded, and a refresh loads again and redraws with its notice', async () => {
  const { drawn, options } = screen(['Ηλέκτρα', 'Ηλέκτρα Παπαδοπούλου']);
  const view = await showView('page', { ...options, state: { tab: 'roster' } });
  assert.equal(view.tab, 'roster');
  await view.refresh({ tone: 'info', text: 'Kept 🌿' });
  assert.deepEqual(drawn, [['draw', 'Ηλέκτρα', null], ['redraw', 'Ηλέκτρα Παπαδοπούλου', 'Kept 🌿']]);
});

test('a refresh that fails keeps what was shown and says why', async () => {
  const { drawn, options } = screen(['Şule Yılmaz', new Error('The vault is locked. Unlock it to go on.')]);
  const view = await showView('page', options);
  await view.refresh();
  assert.equal(view.data, 'Şule Yılmaz');
  assert.deepEqual(drawn.at(-1), ['redraw', 'Şule Yılmaz', 'The vault is locked. Unlock it to go on.']);
});

test('when refreshes overlap, only the last one asked for is shown', async () => {
  let releaseSlow;
  const slow = new Promise((resolve) => { releaseSlow = resolve; });
  const { drawn, options } = screen(['first', () => slow, 'newest']);
  const view = await showView('page', options);
  const older = view.refresh();
  await view.refresh();
  releaseSlow('stale');
  await older;
  assert.equal(view.data, 'newest');
  assert.deepEqual(drawn.map(([, data]) => data), ['first', 'newest']);
});

test('show redraws with what a command returned, without loading', async () => {
  const { drawn, options } = screen(['王芳']);
  const view = await showView('page', options);
  view.show('王芳 · 김민준');
  assert.deepEqual(drawn.at(-1), ['redraw', '王芳 · 김민준', null]);
});

test('a screen without its own redraw draws the whole page again', async () => {
  const drawn = [];
  const answers = ['a', 'b'];
  const view = await showView('page', { load: async () => answers.shift(), draw: (v) => drawn.push(v.data) });
  await view.refresh();
  assert.deepEqual(drawn, ['a', 'b']);
});
