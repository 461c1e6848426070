// The member form (/members/new and /members/:id/edit): who the person is, how to reach them,
// and what the practitioner learned at intake. Errors from the shell appear beside their
// field; what was typed stays when a save fails; a successful save opens the member's page.
// Opened from a group's roster (/members/new?group=ID), it also puts the new member on that
// roster, and goes back there.

import * as ipc from '../ipc.js';
import { h, link } from '../lib/dom.js';
import {
  pageHeader, section, field, saveStatus, submit, showFieldError, clearErrors, noticeForNextPage,
} from '../lib/ui.js';
import { label, MEMBERSHIP_STATUSES, FINAL_MEMBERSHIP_STATUSES } from '../lib/labels.js';
import { today } from '../lib/format.js';
import { go } from '../lib/router.js';
import { trackChanges } from '../lib/unsaved.js';

/** The text fields of a member, in form order, with how each is asked for. */
const IDENTITY = [
  { name: 'legal_name', label: 'Legal name', required: true, hint: 'As on their ID; used on signed agreements.', attrs: { autocomplete: 'off', 'data-autofocus': true } },
  { name: 'preferred_name', label: 'Preferred name', hint: 'The name they go by, if different. Shown everywhere else.' },
  { name: 'pronouns', label: 'Pronouns', hint: 'For example: she/her, he/him, they/them.' },
  { name: 'date_of_birth', label: 'Date of birth', kind: 'date', hint: 'Optional.' },
];
const CONTACT = [
  { name: 'phone', label: 'Phone', kind: 'tel', attrs: { autocomplete: 'off' } },
  { name: 'email', label: 'Email', kind: 'email', attrs: { autocomplete: 'off', spellcheck: 'false' } },
  { name: 'emergency_contact', label: 'Emergency contact', hint: 'Name, relationship and phone.' },
  { name: 'individual_therapist', label: 'Individual therapist', hint: 'If they are also in individual therapy.' },
  { name: 'referral_source', label: 'Referral source', hint: 'Who referred them, if anyone.' },
];
const INTAKE = [
  { name: 'intake_notes', label: 'Intake and screening notes', kind: 'textarea', attrs: { rows: 6 } },
  { name: 'goals', label: 'Goals for group', kind: 'textarea', attrs: { rows: 4 } },
];

/** Renders the new-member or edit-member form into `page`. */
export async function render(page, params) {
  const existing = params.id ? (await ipc.memberPage(params.id)).overview.member : null;
  const group = !existing && params.group ? (await ipc.groupPage(params.group)).summary.group : null;
  const title = existing ? `Edit ${existing.preferred_name || existing.legal_name}` : 'New member';
  page.append(h('p', { class: 'breadcrumb' }, group ? link(`/groups/${group.id}`, `← ${group.name}`) : link('/members', 'Members'),
    existing ? [' / ', link(`/members/${existing.id}`, existing.preferred_name || existing.legal_name, { class: 'sensitive' })] : null));
  const header = pageHeader(title, existing
    ? 'Change their details. Past sessions, notes and signatures are not affected.'
    : 'One person you work with. Only the legal name is needed now; the rest can wait until intake.');
  header.querySelector('h1').classList.add('sensitive');
  page.append(header, memberForm(existing, title, group));
}

function memberForm(existing, title, group) {
  const status = saveStatus();
  const form = h('form', { class: 'stack', novalidate: true, 'aria-label': 'Member details' },
    group ? joiningSection(group) : null,
    section('Who they are', h('div', { class: 'form-grid' }, IDENTITY.map((f) => fieldFor(f, existing)))),
    section('Contact and care', h('div', { class: 'form-grid' }, CONTACT.map((f) => fieldFor(f, existing)))),
    section('Intake', h('div', { class: 'stack' }, INTAKE.map((f) => fieldFor(f, existing)),
      h('p', { class: 'hint' }, 'Intake notes are part of the member\'s record and are included when you export it. Session psychotherapy notes are kept apart.'))),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'primary', 'data-testid': 'save-member' }, existing ? 'Save changes' : 'Save member'),
      h('button', {
        type: 'button', class: 'secondary',
        onclick: async () => { await changes.discard(); go(existing ? `/members/${existing.id}` : group ? `/groups/${group.id}` : '/members'); },
      }, 'Cancel'),
      status.node));
  const save = async () => {
    if (!checkLocally(form)) return null;
    const saved = await submit(form, status, () => ipc.saveMember(readMember(form, existing)), { partOfMore: Boolean(group) });
    if (saved) await changes.saved();
    if (saved && group) await join(form, status, saved, group);
    return saved;
  };
  const changes = trackChanges({
    place: existing ? `/members/${existing.id}/edit` : group ? `/members/new?group=${group.id}` : '/members/new',
    title,
    root: form,
    save: async () => Boolean(await save()),
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const saved = await save();
    if (saved) go(group ? `/groups/${group.id}` : `/members/${saved.id}`);
  });
  return form;
}

/** The group the new member joins, and as what. */
function joiningSection(group) {
  const statuses = Object.entries(MEMBERSHIP_STATUSES).filter(([v]) => !FINAL_MEMBERSHIP_STATUSES.has(v));
  return section(`Joining ${group.name}`,
    h('div', { class: 'form-grid' },
      field({ label: 'Status in the group', name: 'join_status', kind: 'select', value: 'active', options: statuses, hint: 'Waitlisted or screened members are not yet in the room.' }),
      field({ label: 'Joined', name: 'join_date', kind: 'date', value: today(), hint: 'First day as an active member.' })));
}

/**
 * Puts the member just saved on `group`'s roster. The member stays saved if that is refused
 * (a full group): the roster page says why, and they can be added from there.
 */
async function join(form, status, member, group) {
  const e = form.elements;
  const as = e.join_status.value;
  const name = member.preferred_name || member.legal_name;
  try {
    await ipc.addToGroup(group.id, [member.id], as, e.join_date.value || null);
    status.saved();
    noticeForNextPage(`${name} was added to your practice and is on the roster as ${label(MEMBERSHIP_STATUSES, as).toLowerCase()}.`);
  } catch (error) {
    status.saved();
    noticeForNextPage(`${name} was added to your practice, but not to this roster: ${error.message} Use "Add members" to put them on it.`, 'warning');
  }
}

function fieldFor(spec, existing) {
  const wrapper = field({ ...spec, value: existing?.[spec.name] ?? '' });
  if (spec.name === 'date_of_birth') wrapper.querySelector('input').max = today();
  return wrapper;
}

/** Catches an empty legal name before asking the shell, with the same words beside it. */
function checkLocally(form) {
  clearErrors(form);
  if (form.elements.legal_name.value.trim()) return true;
  showFieldError(form, { field: 'legal_name', message: 'Legal name is required — it is used on signed agreements.' });
  return false;
}

/** The whole member record from the form (the id and archived flag kept when editing). */
function readMember(form, existing) {
  const value = (name) => form.elements[name].value;
  const member = existing ? { ...existing } : { archived: false };
  for (const spec of [...IDENTITY, ...CONTACT, ...INTAKE]) {
    member[spec.name] = spec.name === 'date_of_birth' ? (value(spec.name) || null) : value(spec.name).trim();
  }
  return member;
}
