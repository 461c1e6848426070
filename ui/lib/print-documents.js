// Printed documents: the ground-rules handout (a group's current agreement, no member data), a
// member's signed copy (the version they signed, with their typed name and the moment), and a
// member's own record. Each is a print-only article with the practice's heading, added to the
// page only while printing.

import * as ipc from '../ipc.js';
import { h } from './dom.js';
import { formatDate, formatMoment } from './format.js';
import { label, SIGNATURE_METHODS } from './labels.js';


/** Prints the handout for `version` of `groupName`'s agreement. */
export async function printHandout(groupName, version) {
  const profile = await practiceProfile();
  return printArticle(h('article', { class: 'print-only print-document' },
    letterhead(profile), agreementText(groupName, version),
    h('p', { class: 'print-fine' }, `Version ${version.number}, in effect from ${formatDate(version.effective_date)}. Ask your therapist about anything that is not clear.`)));
}

/** Prints `signature` (from a member page) with the text of `version`, the version it signed. */
export async function printSignedCopy(groupName, version, signature) {
  const profile = await practiceProfile();
  return printArticle(h('article', { class: 'print-only print-document' },
    letterhead(profile), agreementText(groupName, version),
    signatureBlock(version, signature)));
}

/** Prints a member's own record with `article(record)`, the same DOM as its preview. */
export function printMemberRecord(record, article) {
  const node = article(record);
  node.classList.add('print-only', 'print-document');
  return printArticle(node);
}

async function practiceProfile() {
  try {
    return (await ipc.settings()).profile;
  } catch {
    return {};
  }
}

/** The practice's heading: its name, the practitioner and credentials, the contact line. */
export function letterhead(profile) {
  const who = [profile.practitioner_name, profile.credentials].map((s) => s?.trim()).filter(Boolean).join(', ');
  return h('header', { class: 'print-letterhead' },
    profile.practice_name ? h('p', { class: 'print-practice' }, profile.practice_name) : null,
    who ? h('p', {}, who) : null,
    profile.contact_line ? h('p', {}, profile.contact_line) : null);
}

function agreementText(groupName, version) {
  const { text } = version;
  return [
    h('p', { class: 'print-group' }, groupName),
    h('h1', {}, text.title),
    text.introduction ? h('p', { class: 'print-text' }, text.introduction) : null,
    h('ol', { class: 'print-clauses' }, text.clauses.map((clause) => h('li', {},
      h('h2', {}, clause.heading),
      h('p', { class: 'print-text' }, clause.text)))),
  ];
}

function signatureBlock(version, signature) {
  const discuss = (signature.discuss ?? []).map((i) => version.text.clauses[i]?.heading).filter(Boolean);
  return h('section', { class: 'print-signature' },
    h('h2', {}, 'Signature'),
    h('dl', {},
      h('dt', {}, 'Signed by (typed name)'), h('dd', {}, signature.typed_name),
      h('dt', {}, 'Date and time'), h('dd', {}, formatMoment(signature.signed_at)),
      h('dt', {}, 'How'), h('dd', {}, label(SIGNATURE_METHODS, signature.method)),
      h('dt', {}, 'Version'), h('dd', {}, `${version.number}, fingerprint ${signature.content_hash}`),
      discuss.length ? [h('dt', {}, 'Asked to talk about'), h('dd', {}, discuss.join('; '))] : null,
      signature.withdrawal ? [h('dt', {}, 'Withdrawn'), h('dd', {}, formatMoment(signature.withdrawal.at))] : null));
}

/** Adds `article` to the page, prints, and removes it afterwards (only it prints). */
function printArticle(article) {
  for (const old of document.querySelectorAll('.print-document')) old.remove();
  document.body.append(article);
  document.body.classList.add('printing-document');
  const done = () => {
    article.remove();
    document.body.classList.remove('printing-document');
  };
  globalThis.addEventListener('afterprint', done, { once: true });
  // The system's print dialog (Rust side); it returns once the dialog has closed.
  return ipc.printPage().catch(showPrintProblem).finally(done);
}

/** Says why printing failed, above the page, until dismissed. */
function showPrintProblem(error) {
  const content = document.getElementById('content') ?? document.body;
  const notice = h('div', { class: 'notice notice-danger', role: 'alert' },
    h('p', {}, error.message),
    h('button', { type: 'button', class: 'text-button', onclick: () => notice.remove() }, 'Dismiss'));
  content.prepend(notice);
}
