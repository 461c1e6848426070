// A member's own record (the right of access), as the practitioner reads it before handing it
// over and as it prints: the same DOM from the same record, built with textContent only; and
// the hand-over itself — read to the end, confirm, then save as JSON or print.

import * as ipc from '../ipc.js';
import { h } from './dom.js';
import { dialog, field, saveStatus, submit, button } from './ui.js';
import { formatDate, formatMoment } from './format.js';
import { label, MEMBERSHIP_STATUSES, ATTENDANCE, INCIDENT_KINDS, SIGNATURE_METHODS } from './labels.js';
import { printMemberRecord, letterhead } from './print-documents.js';

/** The record as an article: heading, what is left out, and each part in order. */
export function recordArticle(record) {
  const m = record.member;
  const p = record.practice;
  const facts = (pairs) => h('dl', { class: 'facts' }, pairs.filter(([, v]) => v).map(([t, v]) => [h('dt', {}, t), h('dd', {}, v)]));
  return h('article', { class: 'member-record' },
    letterhead(p),
    h('h1', {}, `Record of ${m.legal_name}`),
    h('p', { class: 'muted' }, `Produced on ${formatDate(record.produced_on)}`),
    h('p', { class: 'notice' }, record.notice),
    h('h2', {}, 'Details'),
    facts([['Legal name', m.legal_name], ['Preferred name', m.preferred_name], ['Pronouns', m.pronouns],
      ['Date of birth', formatDate(m.date_of_birth)], ['Phone', m.phone], ['Email', m.email],
      ['Emergency contact', m.emergency_contact], ['Individual therapist', m.individual_therapist],
      ['Referral source', m.referral_source], ['Intake notes', m.intake_notes], ['Goals', m.goals]]),
    part('Groups', record.memberships, (e) => h('li', {}, `${e.group} — ${label(MEMBERSHIP_STATUSES, e.status)}${e.joined ? `, joined ${formatDate(e.joined)}` : ''}${e.left ? `, left ${formatDate(e.left)}` : ''}${e.reason ? ` (${e.reason})` : ''}`)),
    part('Signed agreements', record.signatures, (s) => h('li', {},
      h('strong', {}, `${s.group}, version ${s.version}`),
      ` — signed “${s.typed_name}” on ${formatMoment(s.signed_at)} (${label(SIGNATURE_METHODS, s.method)})`,
      h('ol', {}, s.text.clauses.map((c) => h('li', {}, h('strong', {}, c.heading), ' ', c.text))))),
    part('Attendance', record.attendance, (a) => h('li', {}, `${formatDate(a.date)} — ${a.group}, session ${a.session_number}: ${label(ATTENDANCE, a.status)}`)),
    part('Progress notes', record.progress_notes, (n) => h('li', {},
      h('strong', {}, `${n.session_date ? formatDate(n.session_date) : ''} — ${n.group}`), h('p', { class: 'note-text' }, n.text))),
    part('Incidents', record.incidents, (i) => h('li', {},
      h('strong', {}, `${formatDate(i.date)} — ${label(INCIDENT_KINDS, i.kind)}`),
      h('p', {}, i.what_happened), i.action_taken ? h('p', {}, i.action_taken) : null,
      i.others_involved.length ? h('p', { class: 'muted' }, `Others involved: ${i.others_involved.join(', ')}`) : null)),
    part('Questionnaires', record.questionnaires, (q) => h('li', {},
      h('strong', {}, `${formatDate(q.taken_on)} — ${q.title}`),
      h('p', {}, q.total === null ? 'No total: too many questions were left unanswered.' : `Score ${q.total}${q.band ? ` (${q.band})` : ''}${q.prorated ? ', estimated from the questions answered' : ''}.`),
      h('ol', {}, q.answers.map((a) => h('li', {}, `${a.question}: ${a.answer ?? 'not answered'}`))))),
    h('p', { class: 'muted' }, `Produced by ${p.practice_name || 'the practice'} for ${m.legal_name}. This record is confidential.`));
}

function part(title, entries, item) {
  return [h('h2', {}, title), entries.length
    ? h('ul', { class: 'record-list' }, entries.map(item))
    : h('p', { class: 'muted' }, 'None.')];
}

/**
 * The whole flow from a member's page: the preview to read to its end, the confirmation that
 * it was read, then save as JSON or print. `again(text, tone)` redraws the page with a notice.
 */
export async function handOverRecord(memberId, name, again) {
  let record;
  try {
    record = await ipc.memberRecordPreview(memberId);
  } catch (error) {
    await again(error.message, 'danger');
    return;
  }
  const chosen = await dialog(`${name}’s own record`, (close) => handOverForm(record, memberId, close), { wide: true });
  if (!chosen) return;
  if (chosen.saved) {
    await again(`${name}’s record was saved as ${chosen.saved.path}. It is not encrypted: hand it over, then delete your copy.`);
    return;
  }
  try {
    await printMemberRecord(await ipc.memberRecordPrinted(memberId), recordArticle);
  } catch (error) {
    await again(error.message, 'danger');
  }
}

function handOverForm(record, memberId, close) {
  const preview = h('div', { class: 'record-preview', tabindex: '0', role: 'region', 'aria-label': 'The record, exactly as it will be handed over', 'data-testid': 'record-preview' },
    recordArticle(record));
  const read = h('input', { type: 'checkbox', id: 'record-read', disabled: true, 'data-testid': 'record-read' });
  const readHint = h('p', { class: 'hint', id: 'record-read-hint' }, 'Scroll to the end of the record first.');
  read.setAttribute('aria-describedby', 'record-read-hint');
  const folder = field({ label: 'Save in folder', name: 'folder', hint: 'Leave empty for your Documents folder.', attrs: { autocomplete: 'off', 'data-testid': 'record-folder' } });
  const status = saveStatus();
  const save = h('button', { type: 'submit', class: 'primary', disabled: true, 'data-testid': 'record-save' }, 'Save as JSON');
  const print = button('Print…', () => close({ print: true }), 'secondary', { disabled: true, 'data-testid': 'record-print' });
  const reachedEnd = () => preview.scrollTop + preview.clientHeight >= preview.scrollHeight - 4;
  const unlock = () => {
    if (!reachedEnd()) return;
    read.disabled = false;
    readHint.textContent = 'Names are replaced by initials, but nicknames and misspellings cannot be caught: only you can check.';
  };
  preview.addEventListener('scroll', unlock, { passive: true });
  read.addEventListener('change', () => { save.disabled = !read.checked; print.disabled = !read.checked; });
  const form = h('form', { class: 'stack', novalidate: true },
    h('p', {}, 'This is everything that will be handed over: their details, groups, signed agreements, attendance, progress notes, incidents and questionnaires. Psychotherapy notes and other members’ records are never in it.'),
    preview,
    h('div', { class: 'check' }, read, h('label', { for: 'record-read' }, 'I have read the whole record, and it names no one else.')),
    readHint,
    folder,
    h('div', { class: 'dialog-actions' },
      status.node,
      h('button', { type: 'button', class: 'secondary', onclick: () => close(null) }, 'Cancel'),
      print, save));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!read.checked) return;
    const saved = await submit(form, status, () => ipc.saveMemberRecord(memberId, form.elements.folder.value));
    if (saved) close({ saved });
  });
  // A short record has nothing to scroll.
  globalThis.requestAnimationFrame(unlock);
  return form;
}
