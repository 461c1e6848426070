// Hash routes: which view a location shows, and with which parameters. Pure logic (tested
// with node --test); main.js does the navigation.

/**
 * [pattern, view module name, sidebar section, window title]. `:name` captures one path
 * segment. The window title names the kind of page, never whose: it shows in the taskbar,
 * the window switcher and a shared screen, and it outlives the page in WebKit's history.
 */
export const ROUTES = [
  ['/home', 'home', 'home', 'Home'],
  ['/groups', 'groups', 'groups', 'Groups'],
  ['/groups/new', 'group-form', 'groups', 'New group'],
  ['/groups/:id', 'group', 'groups', 'Group'],
  ['/groups/:id/edit', 'group-form', 'groups', 'Edit group'],
  ['/groups/:id/agreement', 'agreement', 'groups', 'Group agreement'],
  ['/groups/:id/sessions/new', 'session', 'groups', 'New session'],
  ['/sessions/:id', 'session', 'groups', 'Session'],
  ['/members', 'members', 'members', 'Members'],
  ['/members/new', 'member-form', 'members', 'New member'],
  ['/members/:id', 'member', 'members', 'Member'],
  ['/members/:id/edit', 'member-form', 'members', 'Edit member'],
  ['/incidents', 'incidents', 'incidents', 'Incidents'],
  ['/incidents/new', 'incident-form', 'incidents', 'New incident'],
  ['/incidents/:id', 'incident-form', 'incidents', 'Incident'],
  ['/audit', 'audit', 'audit', 'Audit log'],
  ['/settings', 'settings', 'settings', 'Settings'],
  ['/settings/backups', 'backups', 'settings', 'Backups'],
  ['/settings/restore', 'restore', 'settings', 'Restore'],
];

/** The default route. */
export const HOME = '/home';

/**
 * Matches a location hash ("#/groups/ID?tab=sessions") to {view, section, title, params}; params
 * holds the captured segments and the query. Unknown locations give the home view.
 */
export function match(hash) {
  const raw = String(hash ?? '').replace(/^#/, '') || HOME;
  const [path, query = ''] = raw.split('?');
  const segments = path.split('/').filter(Boolean);
  for (const [pattern, view, section, title] of ROUTES) {
    const parts = pattern.split('/').filter(Boolean);
    if (parts.length !== segments.length) continue;
    const params = {};
    const ok = parts.every((part, i) => {
      if (part.startsWith(':')) {
        params[part.slice(1)] = decodeURIComponent(segments[i]);
        return true;
      }
      return part === segments[i];
    });
    if (ok) {
      for (const pair of query.split('&').filter(Boolean)) {
        const [key, value = ''] = pair.split('=');
        params[decodeURIComponent(key)] = decodeURIComponent(value);
      }
      return { view, section, title, params, path };
    }
  }
  return { view: 'home', section: 'home', title: 'Home', params: {}, path: HOME };
}

/** Goes to `route` ("/groups/ID"). */
export function go(route) {
  globalThis.location.hash = `#${route}`;
}
