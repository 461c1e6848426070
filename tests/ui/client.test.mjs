// Unit tests for client mode's pure helpers: the gentle typed-name comparison and the choice
// of ground rules quoted under "The limits of privacy". Run by `node --test tests/ui/`.

import test from 'node:test';
import assert from 'node:assert/strict';

import { nameMatches, foldName } from '../../ui/lib/client-sign.js';
import { limitClauses } from '../../ui/lib/client-info.js';

test('a typed name matches ignoring case, accents and extra spaces', () => {
  const names = ['Inés Araújo', 'Inés'];
  assert.ok(nameMatches('  ines   ARAUJO ', names));
  assert.ok(nameMatches('Inés', names));
  assert.ok(!nameMatches('Ines Smith', names));
  assert.ok(!nameMatches('   ', names), 'an empty name matches nothing');
  assert.equal(foldName(' Zoë  Ångström '), 'zoe angstrom');
});

test('the limits of privacy are the clauses about the law, harm, courts or safety', () => {
  const clauses = [
    { heading: 'What is said here stays here', text: 'What people share in group stays in group.' },
    { heading: 'What your therapist keeps private', text: 'The law in our area sets some limits.' },
    { heading: 'Respect', text: 'We do not put each other down. Harassment is never okay.' },
    { heading: 'Safety first', text: 'If someone is at risk of harm, your therapist acts.' },
    { heading: 'Lawn games', text: 'A flawless afternoon.' },
  ];
  assert.deepEqual(limitClauses(clauses).map((c) => c.heading), ['What your therapist keeps private', 'Safety first']);
});
