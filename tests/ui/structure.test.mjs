// The UI's shape, read from its import lines: a view is a screen (a route, or one of the
// screens main.js opens before the router: setup, unlock, client mode and the shell around the
// views), no view imports another, and the shared pieces in ui/lib/ never reach up into a view.
// A wrong arrow fails here, as a wrong crate dependency fails tests/architecture.rs.

import test from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';

import { ROUTES } from '../../ui/lib/router.js';

const UI = new URL('../../ui/', import.meta.url);
/** The screens main.js opens itself, outside the router. */
const TOP_LEVEL_SCREENS = ['client', 'setup', 'shell', 'unlock'];

/** A relative module path after `from`, `import (` or a bare `import`. */
const RELATIVE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"`](\.[^'"`]+)['"`]/g;

/** The relative module paths `text` imports. */
function relativeImports(text) {
  return [...text.matchAll(RELATIVE_IMPORT)].map((match) => match[1]);
}

function importsOf(folder, file) {
  return relativeImports(readFileSync(new URL(`${folder}/${file}`, UI), 'utf8'));
}

function modulesIn(folder) {
  return readdirSync(new URL(`${folder}/`, UI)).filter((name) => name.endsWith('.js'));
}

test('no view imports another view', () => {
  for (const file of modulesIn('views')) {
    const views = importsOf('views', file).filter((path) => path.startsWith('./'));
    assert.deepEqual(views, [], `ui/views/${file} imports ${views.join(', ')}: shared pieces belong in ui/lib/`);
  }
});

test('the shared pieces never import a view', () => {
  for (const file of modulesIn('lib')) {
    const views = importsOf('lib', file).filter((path) => path.includes('views/'));
    assert.deepEqual(views, [], `ui/lib/${file} imports ${views.join(', ')}`);
  }
});

test('every file in ui/views is a screen: a route or one main.js opens', () => {
  const screens = new Set([...ROUTES.map(([, view]) => view), ...TOP_LEVEL_SCREENS]);
  for (const file of modulesIn('views')) {
    assert.ok(screens.has(file.replace(/\.js$/, '')), `ui/views/${file} is not a screen: move it to ui/lib/`);
  }
});

test('the import scan sees static, dynamic and bare imports', () => {
  const text = "import { a } from './a.js';\nconst b = await import('./b.js');\nimport '../c.js';\nimport * as d from \"../d.js\";";
  assert.deepEqual(relativeImports(text), ['./a.js', './b.js', '../c.js', '../d.js']);
});

/** The source of `ui/views/<file>`. */
function viewSource(file) {
  return readFileSync(new URL(`views/${file}`, UI), 'utf8');
}

/** How many times `text` calls `render(` (its own export's name), the definition aside. */
function ownRenderCalls(text) {
  return [...text.matchAll(/(?<![\w.])render\s*\(/g)].length - [...text.matchAll(/function\s+render\s*\(/g)].length;
}

test('a screen that redraws does it through lib/view.js, never by calling its own render', () => {
  for (const file of modulesIn('views')) {
    const text = viewSource(file);
    assert.equal(ownRenderCalls(text), 0, `ui/views/${file} calls its own render: use view.refresh()`);
    assert.doesNotMatch(text, /function\s+refresh\s*\(/, `ui/views/${file} has its own refresh: use view.refresh()`);
    if (/function\s+draw\s*\(/.test(text)) {
      assert.ok(importsOf('views', file).includes('../lib/view.js'), `ui/views/${file} draws without showView`);
    }
  }
});

test('the redraw scan sees a screen calling itself', () => {
  assert.equal(ownRenderCalls('export async function render(page) {}\nconst again = () => render(page);'), 1);
  assert.equal(ownRenderCalls('export async function render(page) { await showView(page, {}); }'), 0);
  assert.equal(ownRenderCalls('view.render(x); renderShell(root);'), 0);
});
