// Client mode's "How your information is kept": plain words, true to this installation, on
// what Holdspace records about a member, where it is kept, who can open it, copies and
// backups, and the limits of privacy — quoted from the group's own agreement.

import { h } from './dom.js';

/** Words that mark a ground rule about the limits of privacy. */
const LIMIT_WORDS = /\b(law|laws|legal|legally|limit|limits|limited|safety|harm|harms|harming|court|courts|risk|risks)\b/i;

/** The agreement's clauses about the limits of privacy (heading or text mention the law, harm…). */
export function limitClauses(clauses) {
  return clauses.filter((c) => LIMIT_WORDS.test(`${c.heading} ${c.text}`));
}

/** The page; `back()` returns to the agreement. */
export function infoScreen(data, back) {
  const therapist = data.practitioner_name?.trim() || 'your therapist';
  return h('div', { class: 'client-info', 'data-testid': 'client-info' },
    h('p', {}, backButton(back, 'client-info-close')),
    h('h1', { tabindex: '-1' }, 'How your information is kept'),
    h('p', { class: 'client-intro' }, 'People often ask: is what I say private? Here is what happens to your information, in plain words.'),
    h('h2', {}, 'Is what I say private?'),
    h('p', {}, `Yes, with a few limits set by law. ${cap(therapist)} keeps what you share private. The program on this computer, Holdspace, helps keep it that way. The limits are at the end of this page, in the words of your group agreement.`),
    h('p', {}, 'The other members promise to keep what they hear private too. They do not have a therapist’s duty, though, so no one can promise that every member always will.'),
    h('h2', {}, 'What is written down about you'),
    h('ul', {},
      h('li', {}, 'Your name, and how to reach you.'),
      h('li', {}, 'Which group sessions you come to.'),
      h('li', {}, 'Notes your therapist writes about the sessions.'),
      h('li', {}, 'This agreement, your signature, and the date and time you signed.'),
      h('li', {}, 'Which ground rules you asked to talk about.')),
    h('h2', {}, 'Where it is kept'),
    h('p', {}, 'Only on this computer. It is locked with strong encryption: without the key, it cannot be read.'),
    h('p', {}, 'Holdspace never sends it anywhere. It has no internet features at all — no cloud, no syncing, no email.'),
    h('h2', {}, 'Who can open it'),
    h('p', {}, 'Only your therapist, with a passphrase that only they know. There is also a recovery code, kept sealed and safe for emergencies, for example if the passphrase is lost.'),
    h('p', {}, 'While you read, this screen shows only your group agreement. Nothing about other members, and no notes, can be seen from here.'),
    h('h2', {}, 'Copies and backups'),
    h('p', {}, 'Holdspace does not send copies anywhere. If your therapist copies Holdspace’s files to keep them safe, the copy stays locked, just like the original.'),
    h('p', {}, 'Your therapist can also make a copy of records on purpose — for example a backup, or a printout. Such a copy is kept by your therapist, who must look after it like any private record.'),
    limitsSection(data.clauses),
    h('p', { class: 'client-info-end' }, 'If anything here is unclear, ask your therapist. ', backButton(back)));
}

function limitsSection(clauses) {
  const limits = limitClauses(clauses);
  return [
    h('h2', {}, 'The limits of privacy'),
    limits.length === 0
      ? h('p', {}, 'Your group agreement has no ground rule about this. Please ask your therapist when the law might require them to share something.')
      : [h('p', {}, 'Your group agreement says:'),
        limits.map((clause) => h('blockquote', { class: 'client-quote' },
          h('h3', {}, clause.heading),
          h('p', {}, clause.text)))],
  ];
}

function backButton(back, testid = null) {
  return h('button', { type: 'button', class: 'secondary', onclick: back, 'data-testid': testid }, 'Back to the agreement');
}

function cap(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
