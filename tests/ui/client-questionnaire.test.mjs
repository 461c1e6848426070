// The order of a questionnaire's screens in client mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { questionOrder, nextPosition, answerAt } from '../../ui/lib/client-questionnaire.js';

const OPTIONS = [0, 1, 2, 3].map((value) => ({ value, label: String(value) }));
const gad7 = (answers, extra = {}) => ({
  items: Array.from({ length: 7 }, (_, i) => `Question ${i + 1}`),
  options: OPTIONS,
  follow_up: { text: 'How difficult?', options: ['a', 'b', 'c', 'd'] },
  answers, follow_up_answer: null, ...extra,
});

test('the last question is asked only after a problem was reported, as the form says', () => {
  assert.deepEqual(questionOrder(gad7(Array(7).fill(null))), [0, 1, 2, 3, 4, 5, 6]);
  assert.deepEqual(questionOrder(gad7(Array(7).fill(0))), [0, 1, 2, 3, 4, 5, 6]);
  assert.deepEqual(questionOrder(gad7([0, 0, 1, null, 0, 0, 0])), [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(questionOrder(gad7([3, 3, 3, 3, 3, 3, 3], { follow_up: null })), [0, 1, 2, 3, 4, 5, 6]);
});

test('forward ends at the finish screen, back stops at the first question', () => {
  const calm = gad7(Array(7).fill(0));
  assert.equal(nextPosition(calm, 0), 1);
  assert.equal(nextPosition(calm, 6), 'finish');
  assert.equal(nextPosition(calm, 0, -1), 0);
  assert.equal(nextPosition(calm, 3, -1), 2);
  const troubled = gad7([1, 0, 0, 0, 0, 0, 0]);
  assert.equal(nextPosition(troubled, 6), 7);
  assert.equal(nextPosition(troubled, 7), 'finish');
  assert.equal(nextPosition(troubled, 7, -1), 6);
});

test('the follow-up answer is read from its own place', () => {
  const q = gad7([1, 0, 0, 0, 0, 0, 0], { follow_up_answer: 2 });
  assert.equal(answerAt(q, 0), 1);
  assert.equal(answerAt(q, 7), 2);
});
