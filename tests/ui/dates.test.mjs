// Typed dates and times (ui/lib/dates.js): what people type is read as they meant it or
// refused with a sentence, never guessed at; every day the app shows reads back as itself.

import test from 'node:test';
import assert from 'node:assert/strict';

import { parseDate, parseTime, dateOrder, readTyped, shownAs } from '../../ui/lib/dates.js';
import { formatDate } from '../../ui/lib/format.js';

const TODAY = '2026-12-05';

test('dates are read the way people type them, in the locale order', () => {
  for (const [typed, order, iso] of [
    ['3 Dec 2026', 'dmy', '2026-12-03'],
    ['Thu 3 Dec 2026', 'mdy', '2026-12-03'],
    ['3 December 2026', 'dmy', '2026-12-03'],
    ['Dec 3, 2026', 'dmy', '2026-12-03'],
    ['2026-12-03', 'mdy', '2026-12-03'],
    ['03/12/2026', 'dmy', '2026-12-03'],
    ['12/03/2026', 'mdy', '2026-12-03'],
    ['3.12.26', 'dmy', '2026-12-03'],
    ['03122026', 'dmy', '2026-12-03'],
    ['12032026', 'mdy', '2026-12-03'],
    ['20261203', 'ymd', '2026-12-03'],
    ['2026/12/03', 'dmy', '2026-12-03'],
    ['  29 Feb 2028 ', 'dmy', '2028-02-29'],
    ['today', 'dmy', TODAY],
    ['Yesterday', 'dmy', '2026-12-04'],
  ]) {
    assert.deepEqual(parseDate(typed, { order, today: TODAY }), { iso }, `${typed} (${order})`);
  }
});

test('a date that cannot be read is refused with a sentence, never guessed', () => {
  for (const [typed, order, words] of [
    ['13/13/2026', 'dmy', 'could not read “13/13/2026” as a date. Write it like 3 Dec 2026.'],
    ['31/02/2026', 'dmy', 'There is no 31 February 2026.'],
    ['29 Feb 2026', 'dmy', 'There is no 29 February 2026.'],
    ['next tuesday', 'dmy', 'could not read'],
    ['123/1/2026', 'dmy', 'could not read'],
    ['1/1/202', 'dmy', 'could not read'],
    ['2026', 'dmy', 'could not read'],
    ['3 Dek 2026', 'dmy', 'could not read'],
  ]) {
    const read = parseDate(typed, { order, today: TODAY });
    assert.ok(read.error?.includes(words), `${typed}: ${JSON.stringify(read)}`);
  }
  assert.deepEqual(parseDate('', {}), { empty: true });
  assert.deepEqual(parseDate('\u00a0 ', {}), { empty: true });
});

test('every day the app shows, and its numbers in every locale order, read back as that day', () => {
  const start = Date.UTC(2024, 0, 1);
  for (let i = 0; i < 3 * 366; i += 1) {
    const day = new Date(start + i * 86_400_000);
    const [y, m, d] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()];
    const pad = (n) => String(n).padStart(2, '0');
    const iso = `${y}-${pad(m)}-${pad(d)}`;
    assert.deepEqual(parseDate(formatDate(iso)), { iso }, formatDate(iso));
    const written = { dmy: [pad(d), pad(m), y], mdy: [pad(m), pad(d), y], ymd: [y, pad(m), pad(d)] };
    for (const [order, parts] of Object.entries(written)) {
      assert.deepEqual(parseDate(parts.join('/'), { order }), { iso }, `${parts.join('/')} ${order}`);
      assert.deepEqual(parseDate(parts.join(''), { order }), { iso }, `${parts.join('')} ${order}`);
    }
  }
});

test('times are read the way people type them, or refused with a sentence', () => {
  for (const [typed, time] of [
    ['18:30', '18:30'], ['1830', '18:30'], ['18.30', '18:30'], ['18h30', '18:30'],
    ['6:30 pm', '18:30'], ['6pm', '18:00'], ['12 am', '00:00'], ['12:15 PM', '12:15'],
    ['930', '09:30'], ['9', '09:00'], ['0:05', '00:05'],
  ]) {
    assert.deepEqual(parseTime(typed), { time }, typed);
  }
  for (const [typed, words] of [
    ['2500', 'There is no 25:00 on a clock'],
    ['18:75', 'There is no 18:75 on a clock'],
    ['13 pm', 'could not read “13 pm” as a time'],
    ['half six', 'could not read'],
  ]) {
    assert.ok(parseTime(typed).error?.includes(words), `${typed}: ${JSON.stringify(parseTime(typed))}`);
  }
});

test('locales give their number order, and fields show the app date style', () => {
  assert.equal(dateOrder('en-GB'), 'dmy');
  assert.equal(dateOrder('en-US'), 'mdy');
  assert.equal(dateOrder('ko-KR'), 'ymd');
  assert.equal(dateOrder('not a locale!'), 'dmy');
  assert.equal(shownAs('date', '2026-12-03'), 'Thu 3 Dec 2026');
  assert.equal(shownAs('date', ''), '');
  assert.equal(shownAs('time', '18:30'), '18:30');
  assert.deepEqual(readTyped('date', ''), { value: '' });
  assert.deepEqual(readTyped('time', '1830'), { value: '18:30' });
});
