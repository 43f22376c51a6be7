/**
 * Which pages may be framed, and by whom. Every page is `frame-ancestors 'none'` (kit.csp in
 * svelte.config.js) and `X-Frame-Options: DENY`, so no staff button can be clickjacked. A route meant
 * to be embedded on other sites (issue 28's embeds) is listed here with the sources that may frame it,
 * as CSP writes them: `['*']` for anyone, or origins.
 */
const FRAMEABLE: { route: RegExp; ancestors: string[] }[] = [
  // e.g. { route: /^\/\(embed\)\//, ancestors: ['*'] },
];

/** The frame-ancestors sources for a route, or null when it may not be framed. */
export function frameable(routeId: string | null): string[] | null {
  if (!routeId) return null;
  return FRAMEABLE.find((entry) => entry.route.test(routeId))?.ancestors ?? null;
}

/** The response with its CSP's frame-ancestors replaced, and no X-Frame-Options (it cannot name origins). */
export function withFraming(response: Response, ancestors: string[]): Response {
  const csp = response.headers.get('content-security-policy');
  if (csp) {
    const directives = csp.split(';').map((d) => d.trim()).filter((d) => d && !d.startsWith('frame-ancestors'));
    response.headers.set('content-security-policy', [...directives, `frame-ancestors ${ancestors.join(' ')}`].join('; '));
  }
  response.headers.delete('x-frame-options');
  return response;
}
