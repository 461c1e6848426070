// Hash routes: which view a location shows, and with which parameters. Pure logic (tested
// with node --test); main.js does the navigation.

/** [pattern, view module name, sidebar section]. `:name` captures one path segment. */
export const ROUTES = [
  ['/home', 'home', 'home'],
  ['/groups', 'groups', 'groups'],
  ['/groups/new', 'group-form', 'groups'],
  ['/groups/:id', 'group', 'groups'],
  ['/groups/:id/edit', 'group-form', 'groups'],
  ['/groups/:id/agreement', 'agreement', 'groups'],
  ['/groups/:id/sessions/new', 'session', 'groups'],
  ['/sessions/:id', 'session', 'groups'],
  ['/members', 'members', 'members'],
  ['/members/new', 'member-form', 'members'],
  ['/members/:id', 'member', 'members'],
  ['/members/:id/edit', 'member-form', 'members'],
  ['/incidents', 'incidents', 'incidents'],
  ['/incidents/new', 'incident-form', 'incidents'],
  ['/incidents/:id', 'incident-form', 'incidents'],
  ['/audit', 'audit', 'audit'],
  ['/settings', 'settings', 'settings'],
  ['/settings/backups', 'backups', 'settings'],
  ['/settings/restore', 'restore', 'settings'],
];

/** The default route. */
export const HOME = '/home';

/**
 * Matches a location hash ("#/groups/ID?tab=sessions") to {view, section, params}; params
 * holds the captured segments and the query. Unknown locations give the home view.
 */
export function match(hash) {
  const raw = String(hash ?? '').replace(/^#/, '') || HOME;
  const [path, query = ''] = raw.split('?');
  const segments = path.split('/').filter(Boolean);
  for (const [pattern, view, section] of ROUTES) {
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
      return { view, section, params, path };
    }
  }
  return { view: 'home', section: 'home', params: {}, path: HOME };
}

/** Goes to `route` ("/groups/ID"). */
export function go(route) {
  globalThis.location.hash = `#${route}`;
}
