// Formatting dates, times and counts for people, and plain-text helpers. Pure (node --test).

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** "2026-11-26" → "Thu 26 Nov 2026"; anything else → "" (never throws). */
export function formatDate(isoDate) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(isoDate ?? ''));
  if (!m) return '';
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return `${DAYS[weekday]} ${day} ${MONTHS[month - 1]} ${year}`;
}

/** An RFC 3339 moment → "26 Nov 2026, 14:05" in the computer's time zone. */
export function formatMoment(rfc3339) {
  const date = new Date(rfc3339);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getDate()} ${MONTHS[date.getMonth()]} ${date.getFullYear()}, ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Today as "YYYY-MM-DD" in the computer's time zone. */
export function today(now = new Date()) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Days from `fromIso` to `toIso` (both "YYYY-MM-DD"). */
export function daysBetween(fromIso, toIso) {
  const a = Date.parse(`${fromIso}T00:00:00Z`);
  const b = Date.parse(`${toIso}T00:00:00Z`);
  return Math.round((b - a) / 86400000);
}

/** "Today", "Tomorrow", "In 3 days", "Yesterday", "5 days ago". */
export function relativeDay(isoDate, todayIso) {
  const d = daysBetween(todayIso, isoDate);
  if (Number.isNaN(d)) return '';
  if (d === 0) return 'Today';
  if (d === 1) return 'Tomorrow';
  if (d === -1) return 'Yesterday';
  return d > 0 ? `In ${d} days` : `${-d} days ago`;
}

/** "1 member", "3 members". */
export function count(n, singular, plural = `${singular}s`) {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** Initials for a name: "Ada Lovelace" → "A.L." (for the privacy screen). */
export function initials(name) {
  const letters = String(name ?? '')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((part) => `${Array.from(part)[0].toUpperCase()}.`);
  return letters.join('') || '—';
}

/** Case- and accent-insensitive "does `text` contain `query`" for list filters. */
export function matchesFilter(text, query) {
  const fold = (s) => String(s ?? '').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const q = fold(query).trim();
  return q === '' || fold(text).includes(q);
}

/** "Session 3, 2026-09-10" → "Session 3, Thu 10 Sep 2026". */
export function readableSession(name) {
  return name.replace(/\d{4}-\d{2}-\d{2}/, (iso) => formatDate(iso));
}
