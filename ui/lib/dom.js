// The only way views build DOM: elements from tag names, text through textContent, values
// through .value, and attributes from an allow-list. No HTML string is ever parsed, so no
// record text can run as code (src-tauri/tests/ui_policy.rs fails the build on any HTML sink
// in ui/). Anything outside the allow-list throws, so a mistake is found in development
// rather than shipped.

/** Attributes a view may set with setAttribute. Event handlers and href/src are not here. */
const ALLOWED_ATTRIBUTES = new Set([
  'id', 'class', 'type', 'name', 'for', 'role', 'title', 'placeholder', 'autocomplete',
  'inputmode', 'min', 'max', 'step', 'maxlength', 'minlength', 'rows', 'cols', 'tabindex',
  'lang', 'dir', 'scope', 'colspan', 'hidden', 'required', 'disabled', 'readonly', 'checked',
  'selected', 'multiple', 'spellcheck', 'data-autofocus', 'datetime', 'aria-label',
  'aria-labelledby', 'aria-describedby', 'aria-live', 'aria-current', 'aria-selected',
  'aria-controls', 'aria-expanded', 'aria-invalid', 'aria-hidden', 'aria-pressed',
  'aria-modal', 'aria-valuemin', 'aria-valuemax', 'aria-valuenow', 'aria-busy', 'aria-checked',
  'aria-haspopup', 'aria-keyshortcuts', 'aria-atomic', 'aria-disabled', 'data-field', 'data-id', 'data-testid',
  'data-kind', 'data-state', 'data-draft-key', 'value', 'novalidate', 'open',
]);

/** Properties set directly (never parsed as HTML). */
const PROPERTIES = new Set(['value', 'checked', 'disabled', 'selected', 'textContent']);

/** The SVG namespace (a name, never fetched). */
const SVG_NAMESPACE = 'http://www.w3.org/2000/svg';

/** Attributes an SVG element may have: geometry, classes and accessibility, nothing that loads. */
const SVG_ATTRIBUTES = new Set([
  'viewBox', 'preserveAspectRatio', 'x', 'y', 'x1', 'y1', 'x2', 'y2', 'cx', 'cy', 'r',
  'width', 'height', 'points', 'text-anchor', 'dominant-baseline', 'class', 'role',
  'aria-label', 'aria-hidden', 'focusable', 'data-testid', 'data-kind',
]);

/**
 * Creates an SVG element the same way: svg('circle', {cx: 4, cy: 4, r: 2}). Only
 * SVG_ATTRIBUTES (numbers and words, never a link or a handler); text through text nodes.
 */
export function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG_NAMESPACE, tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (!SVG_ATTRIBUTES.has(name)) throw new Error(`SVG attribute not allowed: ${name}`);
    element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

/**
 * Creates an element: h('button', {class: 'primary', onclick: save}, 'Save').
 * Children are nodes or strings (strings become text nodes); null/false are skipped.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (PROPERTIES.has(name) && name !== 'value') {
      element[name] = value;
    } else if (name === 'value') {
      element.value = String(value);
      if (tag === 'option') element.setAttribute('value', String(value));
    } else if (ALLOWED_ATTRIBUTES.has(name)) {
      element.setAttribute(name, value === true ? '' : String(value));
    } else {
      throw new Error(`attribute not allowed: ${name}`);
    }
  }
  append(element, children);
  return element;
}

/** Appends children (nodes, strings, arrays of them; null and false skipped). */
export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/**
 * Moves the keyboard focus to the field marked `data-autofocus` in `root`, if there is one,
 * and returns it. Views mark the field and focus it themselves once it is in the page: the
 * HTML `autofocus` attribute acts only when the browser next paints, which on a machine's
 * first run can be late enough to pull the focus out of a field already being typed into.
 */
export function focusMarked(root) {
  const marked = root.querySelector('[data-autofocus]');
  marked?.focus({ preventScroll: true });
  return marked;
}

/** Replaces everything inside `parent` with `children`. */
export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

/** A link inside the app: navigates by hash, keyboard-reachable, never an href to elsewhere. */
export function link(route, label, attributes = {}) {
  const a = h('a', { ...attributes, class: `link ${attributes.class ?? ''}`.trim() }, label);
  a.href = `#${route}`;
  return a;
}
