// Dates and times typed by hand. A date field is a text field that shows the app's one date
// style ("Thu 3 Dec 2026") and understands what people type: "3 Dec 2026", "3/12/2026" or
// "03122026" (day and month in the order of the computer's locale), "2026-12-03", "today".
// A time field understands "18:30", "1830", "18.30", "6:30 pm", "6pm". What cannot be read is
// never guessed at or dropped: the field says so in a sentence, and its form will not submit.
//
// To the rest of the UI such a field behaves like a native one: its `.value` is "YYYY-MM-DD"
// (or "HH:MM"), '' when empty, and the typed text itself while it cannot be read (so a draft
// keeps it); setting `.value` to an ISO date shows it in the app's style. An empty field shows
// only its placeholder, never a date in grey. Parsing is pure (node --test).

import { formatDate, today } from './format.js';
import { h } from './dom.js';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'];
const WEEKDAY = /^(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+/i;

/** How to write a date that is understood, for hints and refusals. */
export const DATE_EXAMPLE = '3 Dec 2026';
/** How to write a time that is understood. */
export const TIME_EXAMPLE = '18:30';

/** 'dmy', 'mdy' or 'ymd': the order the locale writes a date's numbers in. */
export function dateOrder(locale) {
  try {
    const parts = new Intl.DateTimeFormat(locale, { timeZone: 'UTC' })
      .formatToParts(new Date(Date.UTC(2026, 11, 3)))
      .map((p) => p.type)
      .filter((t) => t === 'day' || t === 'month' || t === 'year');
    const order = parts.map((t) => t[0]).join('');
    return ['dmy', 'mdy', 'ymd'].includes(order) ? order : 'dmy';
  } catch {
    return 'dmy';
  }
}

const pad = (n) => String(n).padStart(2, '0');

function isoOf(year, month, day) {
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** {iso} for a real calendar day, else {error}. */
function calendarDay(year, month, day, typed) {
  if (month < 1 || month > 12) return unreadableDate(typed);
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > last) {
    return { error: `There is no ${day} ${MONTH_NAMES[month - 1]} ${year}.` };
  }
  return { iso: isoOf(year, month, day) };
}

function unreadableDate(typed) {
  return { error: `Holdspace could not read “${typed}” as a date. Write it like ${DATE_EXAMPLE}.` };
}

function fullYear(text) {
  const year = Number(text);
  return text.length === 2 ? 2000 + year : year;
}

function addDays(iso, days) {
  const [y, m, d] = iso.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d + days));
  return isoOf(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

function monthOf(word) {
  const index = MONTHS.indexOf(word.slice(0, 3).toLowerCase());
  return index < 0 || !MONTH_NAMES[index].toLowerCase().startsWith(word.toLowerCase().replace(/\.$/, '')) ? 0 : index + 1;
}

/** The day that `numbers` (strings) name when written in `order` ('dmy', 'mdy', 'ymd'). */
function numbersInOrder(numbers, order, typed) {
  const at = (letter) => numbers[order.indexOf(letter)];
  const year = at('y');
  if ((year.length !== 4 && year.length !== 2) || at('d').length > 2 || at('m').length > 2) return unreadableDate(typed);
  return calendarDay(fullYear(year), Number(at('m')), Number(at('d')), typed);
}

/**
 * Reads a typed date. `order` is the locale's ('dmy', 'mdy', 'ymd'); `today` is "YYYY-MM-DD".
 * Returns {iso}, {empty: true}, or {error: a sentence}.
 */
export function parseDate(typed, { order = 'dmy', today = '' } = {}) {
  const text = String(typed ?? '').replace(/\s+/g, ' ').trim();
  if (!text) return { empty: true };
  const word = text.toLowerCase();
  if (today && ['today', 'yesterday', 'tomorrow'].includes(word)) {
    return { iso: addDays(today, { today: 0, yesterday: -1, tomorrow: 1 }[word]) };
  }
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (m) return calendarDay(Number(m[1]), Number(m[2]), Number(m[3]), text);
  const named = text.replace(WEEKDAY, '');
  m = /^(\d{1,2})\.?\s*([a-z]+\.?)\s*,?\s*(\d{4})$/i.exec(named);
  if (m && monthOf(m[2])) return calendarDay(Number(m[3]), monthOf(m[2]), Number(m[1]), text);
  m = /^([a-z]+\.?)\s*(\d{1,2}),?\s*(\d{4})$/i.exec(named);
  if (m && monthOf(m[1])) return calendarDay(Number(m[3]), monthOf(m[1]), Number(m[2]), text);
  m = /^(\d{1,4})[/.\-\s](\d{1,2})[/.\-\s](\d{1,4})$/.exec(text);
  if (m) {
    return numbersInOrder([m[1], m[2], m[3]], m[1].length === 4 ? 'ymd' : order, text);
  }
  m = /^\d{6}$|^\d{8}$/.exec(text);
  if (m) {
    const yearFirst = order === 'ymd';
    const yearLength = text.length - 4;
    const numbers = yearFirst
      ? [text.slice(0, yearLength), text.slice(yearLength, yearLength + 2), text.slice(yearLength + 2)]
      : [text.slice(0, 2), text.slice(2, 4), text.slice(4)];
    return numbersInOrder(numbers, order, text);
  }
  return unreadableDate(text);
}

function unreadableTime(typed) {
  return { error: `Holdspace could not read “${typed}” as a time. Write it like ${TIME_EXAMPLE}.` };
}

/** Reads a typed time of day. Returns {time: "HH:MM"}, {empty: true}, or {error}. */
export function parseTime(typed) {
  const text = String(typed ?? '').replace(/\s+/g, ' ').trim();
  if (!text) return { empty: true };
  const m = /^(\d{1,2})(?:[:.h ]?(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$/i.exec(text);
  if (!m) return unreadableTime(text);
  let hour = Number(m[1]);
  const minute = Number(m[2] ?? 0);
  const half = m[3]?.toLowerCase().replace(/\./g, '');
  if (half) {
    if (hour < 1 || hour > 12) return unreadableTime(text);
    hour = (hour % 12) + (half === 'pm' ? 12 : 0);
  }
  if (hour > 23 || minute > 59) return { error: `There is no ${pad(hour)}:${pad(minute)} on a clock. Write it like ${TIME_EXAMPLE}.` };
  return { time: `${pad(hour)}:${pad(minute)}` };
}

/** What a field of `kind` ('date' | 'time') reads from `text`: {value} or {error}. */
export function readTyped(kind, text, context) {
  const read = kind === 'time' ? parseTime(text) : parseDate(text, context);
  if (read.empty) return { value: '' };
  if (read.error) return read;
  return { value: read.iso ?? read.time };
}

/** How a stored value shows in its field: "Thu 3 Dec 2026", "18:30", or as it is. */
export function shownAs(kind, value) {
  if (!value) return '';
  if (kind === 'date') return formatDate(value) || value;
  return value;
}

/** The locale's number order, read once from the computer's language. */
let localeOrder = null;
function order() {
  localeOrder ??= dateOrder(globalThis.navigator?.language);
  return localeOrder;
}

const nativeValue = () => Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value');

/**
 * A text input for a date or a time (`kind`), with the attributes a field gives it. Its
 * `.value` reads and takes "YYYY-MM-DD" / "HH:MM" (see the top of this file); leaving it
 * shows what was read in the app's style, or the sentence saying why it could not be read.
 */
export function typedInput(kind, { value = '', attrs = {}, ...attributes }) {
  const { max, ...rest } = attrs;
  const input = h('input', {
    type: 'text', autocomplete: 'off', spellcheck: 'false', 'data-kind': kind,
    placeholder: `For example ${kind === 'time' ? TIME_EXAMPLE : DATE_EXAMPLE}`,
    inputmode: kind === 'time' ? 'numeric' : null, max, ...attributes, ...rest,
  });
  const text = nativeValue();
  const read = () => {
    const typed = text.get.call(input);
    const result = readTyped(kind, typed, { order: order(), today: today() });
    const latest = input.getAttribute('max');
    if (!result.error && kind === 'date' && latest && result.value > latest) {
      return { error: `This can't be later than ${formatDate(latest)}.`, typed };
    }
    return { ...result, typed };
  };
  Object.defineProperty(input, 'value', {
    configurable: true,
    get: () => {
      const result = read();
      return result.error ? result.typed : result.value;
    },
    set: (stored) => text.set.call(input, shownAs(kind, String(stored ?? ''))),
  });
  input.value = value;
  readers.set(input, read);
  input.addEventListener('change', () => settle(input, read()));
  return input;
}

/** Each typed field's reader, for the check before its form is sent. */
const readers = new WeakMap();

/** After typing: what was read is shown in the app's style, or why it could not be read. */
function settle(input, result) {
  const slot = input.closest('.field')?.querySelector('.field-error');
  if (result.error) {
    input.setAttribute('aria-invalid', 'true');
    input.dataset.unreadable = result.error;
    if (slot) slot.textContent = result.error;
    return;
  }
  if (input.dataset.unreadable !== undefined) {
    delete input.dataset.unreadable;
    input.removeAttribute('aria-invalid');
    if (slot) slot.textContent = '';
  }
  nativeValue().set.call(input, shownAs(input.dataset.kind, result.value));
}

/**
 * Stops a form from being sent while one of its dates or times cannot be read: the field says
 * why and takes the focus. Runs before the form's own submit handler (capture phase).
 */
export function refuseUnreadable(event) {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  // Settled here, not through a change event: the page's own change handlers (a session
  // reloading who was in the group on its date) must not run again on every save.
  for (const input of form.querySelectorAll('input[data-kind="date"], input[data-kind="time"]')) {
    const read = readers.get(input);
    if (read) settle(input, read());
  }
  const unreadable = form.querySelector('input[data-unreadable]');
  if (!unreadable) return;
  event.preventDefault();
  event.stopImmediatePropagation();
  unreadable.focus();
}
