// The banners above the practitioner's content (never over it), one per concern, each with
// its own lifetime: the last automatic backup did not work (until a backup succeeds); what
// the last client-mode visit came to, wrong passphrases typed to end it, and wrong ones typed
// at the locked app before this unlock (each until the practitioner dismisses it); records
// were changed outside Holdspace (until accepted); and drafts kept at the last lock (until
// each is saved or discarded on its page).
// The shell shows what the app's status asks for; a view may refresh its own banner.

import * as ipc from '../ipc.js';
import { h, link } from './dom.js';
import { backupAlertLead } from './backups.js';
import { formatMoment } from './format.js';

/** Shows the banner for a failed automatic backup ({at, message}), or removes it given null. */
export function showBackupAlert(alert) {
  setBanner('backup-alert', alert ? backupAlert(alert) : null);
}

/**
 * Shows what the last client-mode visit came to ({member, display_name, group, group_name,
 * signed_version, discuss_headings, wrong_tries}), the wrong tries to end it included (one
 * banner for one visit), until the practitioner dismisses it.
 */
export function showClientVisitNotice(visit) {
  setBanner('client-visit-notice', visit ? clientVisitNotice(visit) : null);
}

function clientVisitNotice(visit) {
  const attempts = visit.wrong_tries;
  const who = h('span', { class: 'sensitive' }, link(`/members/${visit.member}`, visit.display_name));
  const group = link(`/groups/${visit.group}`, visit.group_name);
  let what = [' finished client mode (', group, ').'];
  if (visit.signed_version) what = [' signed version ', String(visit.signed_version), ' of the agreement of ', group, '.'];
  else if (visit.had_agreement) what = [' left client mode without signing the agreement of ', group, '.'];
  const answered = visit.questionnaires?.length
    ? [` They answered the ${visit.questionnaires.join(' and the ')}.`]
    : [];
  const safety = visit.safety_review
    ? [' ', h('strong', {}, 'A safety question they answered needs your review: it is on this page.')]
    : [];
  const talk = visit.discuss_headings.length
    ? [' They would like to talk about: ', h('span', { 'data-testid': 'visit-discuss' }, visit.discuss_headings.join('; ')), '.']
    : [];
  const guessed = attempts
    ? h('p', {}, h('strong', {}, 'Wrong passphrases. '),
      ...wrongTriesWords(attempts, 'While they had the computer, the passphrase to end client mode was typed wrongly', 'If that was not you, talk it over with them.'),
      link('/audit', 'audit log'), '.')
    : null;
  return h('div', {
    class: `notice notice-row notice-${attempts ? 'warning' : 'info'} client-visit-notice`,
    role: attempts ? 'alert' : 'status', 'data-testid': 'client-visit-notice',
  },
  h('div', {}, h('p', {}, h('strong', {}, 'Client mode has ended. '), who, ...what, ...talk, ...answered, ...safety), guessed),
  h('button', {
    type: 'button', class: 'text-button', 'data-testid': 'client-visit-dismiss',
    onclick: async () => {
      await ipc.dismissClientExitNotice().catch(() => {});
      showClientVisitNotice(null);
    },
  }, 'Dismiss'));
}

/**
 * Shows what the check of the vault's history found at unlock ({verified, audit_events,
 * problems}), until the practitioner acknowledges it; removes the banner given null.
 */
export function showHistoryAlert(verdict) {
  setBanner('history-alert', verdict && !verdict.verified ? historyAlert(verdict) : null);
}

function historyAlert({ problems }) {
  const shown = problems.slice(0, 8);
  const more = problems.length - shown.length;
  const status = h('p', { class: 'muted', role: 'status' });
  const acknowledge = h('button', {
    type: 'button', class: 'secondary', 'data-testid': 'history-accept',
    onclick: async () => {
      acknowledge.disabled = true;
      try {
        await ipc.acceptHistory();
        showHistoryAlert(null);
      } catch (error) {
        status.textContent = error.message;
        acknowledge.disabled = false;
      }
    },
  }, 'I have read this — accept the vault as it is');
  return h('div', { class: 'notice notice-danger history-alert', role: 'alert', 'data-testid': 'history-alert' },
    h('p', {}, h('strong', {}, 'Records were changed outside Holdspace. '),
      'Since this vault was last locked, its files were changed by something other than Holdspace:'),
    h('ul', { class: 'history-problems' }, shown.map((text) => h('li', {}, `${text}.`)),
      more > 0 ? h('li', {}, `and ${more} more, listed in the `, link('/audit', 'audit log')) : null),
    h('p', {}, 'Everything that is still there can be read. If you did not put files back by hand, someone with access to this computer may have. You can restore a backup made before it happened (',
      link('/settings/backups', 'Backups'), '), or accept the vault as it is now. Either way this stays in the audit log.'),
    h('div', { class: 'row' }, acknowledge), status);
}

/**
 * Shows the drafts kept when Holdspace last locked ([{place, title, kept_at}]), each a link to
 * its page, until each is saved or discarded there; removes the banner given none.
 */
export function showDraftsNotice(drafts) {
  setBanner('drafts-notice', drafts.length ? draftsNotice(drafts) : null);
}

function draftsNotice(drafts) {
  return h('div', { class: 'notice notice-warning drafts-notice', role: 'status', 'data-testid': 'drafts-notice' },
    h('p', {}, h('strong', {}, 'You had unsaved changes in '),
      drafts.length === 1 ? 'one page' : `${drafts.length} pages`,
      ' when Holdspace locked. They are kept, encrypted, as drafts — not saved yet. Open each to save or discard it:'),
    h('ul', { class: 'drafts-list' }, drafts.slice(0, DRAFTS_SHOWN).map(draftItem)),
    drafts.length > DRAFTS_SHOWN
      ? h('details', { class: 'drafts-more' },
        h('summary', {}, `${drafts.length - DRAFTS_SHOWN} more`),
        h('ul', { class: 'drafts-list' }, drafts.slice(DRAFTS_SHOWN).map(draftItem)))
      : null);
}

/** Drafts listed in the banner before the rest fold away, so it stays a few lines tall. */
const DRAFTS_SHOWN = 3;

/** One kept draft: a link to its page. A client's reading links to the member, whose next
 * visit in client mode starts where it stopped. */
function draftItem({ place, title, kept_at: keptAt }) {
  const [, kind, member] = place.split('/');
  if (kind === 'client') {
    return h('li', {}, link(`/members/${member}`, title, { class: 'sensitive' }),
      ` — stopped ${formatMoment(keptAt)}. Their next visit in client mode starts where they left off.`);
  }
  return h('li', {}, link(place, title, { class: 'sensitive' }), ` — last typed ${formatMoment(keptAt)}`);
}

/** Puts `node` in the banner area above the content as the banner `name`, or removes it. */
function setBanner(name, node) {
  const frame = document.querySelector('.frame');
  if (!frame) return;
  let area = frame.querySelector('.frame-banners');
  if (!area) {
    area = h('div', { class: 'frame-banners screen-only' });
    frame.querySelector('.sidebar').after(area);
  }
  area.querySelector(`.${name}`)?.remove();
  if (node) area.append(node);
  const shown = area.children.length > 0;
  frame.classList.toggle('has-alert', shown);
  if (!shown) area.remove();
}

function backupAlert({ at, message }) {
  return h('div', { class: 'notice notice-danger backup-alert', role: 'alert', 'data-testid': 'backup-alert' },
    h('p', {}, h('strong', {}, backupAlertLead(at)), ' ', message, ' ', link('/settings/backups', 'Open backups')));
}

/**
 * Shows the notice about wrong passphrases or recovery codes typed at the locked app before
 * this unlock ({wrong, refused_while_waiting, last_wrong_at}), until dismissed.
 */
export function showUnlockNotice(attempts) {
  setBanner('unlock-notice', attempts ? unlockNotice(attempts) : null);
}

function unlockNotice(attempts) {
  return wrongTriesNotice({
    attempts, name: 'unlock', lead: 'Wrong passphrases before you unlocked. ',
    where: 'Since Holdspace was last unlocked, a wrong passphrase or recovery code was typed',
    advice: 'If that was not you, someone may have tried to open your records: keep the computer locked when you step away.',
    dismiss: ipc.dismissUnlockNotice, hide: () => showUnlockNotice(null),
  });
}

/** "…typed wrongly 3 times (the last at …). {advice} It is in the " — the link follows. */
function wrongTriesWords({ wrong, refused_while_waiting: refused, last_wrong_at: lastAt }, where, advice) {
  const times = (n) => (n === 1 ? 'once' : `${n} times`);
  return [[
    `${where} ${times(wrong)}`,
    lastAt ? ` (the last at ${formatMoment(lastAt)})` : '',
    refused ? `, and ${refused === 1 ? 'one more try was' : `${refused} more tries were`} refused while Holdspace made them wait` : '',
    `. ${advice} It is in the `,
  ].join('')];
}

/** A banner counting wrong tries ({wrong, refused_while_waiting, last_wrong_at}). */
function wrongTriesNotice({ attempts, name, lead, where, advice, dismiss, hide }) {
  return h('div', { class: `notice notice-warning ${name}-notice`, role: 'alert', 'data-testid': `${name}-notice` },
    h('p', {}, h('strong', {}, lead), ...wrongTriesWords(attempts, where, advice), link('/audit', 'audit log'), '.'),
    h('div', { class: 'row' }, h('button', {
      type: 'button', class: 'secondary', 'data-testid': `${name}-dismiss`,
      onclick: async () => {
        await dismiss().catch(() => {});
        hide();
      },
    }, 'Dismiss')));
}
