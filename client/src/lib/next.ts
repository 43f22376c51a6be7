/** Pages a person is sent away from once signed in, or has no reason to come back to after it. */
const AUTH_PAGES = ['/signin', '/signup', '/signout', '/reset', '/verify'];

/**
 * Where to go after signing in or up: a path on this site, from `?next=`. Anything else (another
 * site, `//evil.example`, a scheme) falls back to the home page, so a crafted link cannot send
 * someone elsewhere.
 */
export function safeNext(raw: string | null | undefined): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/';
  const base = 'http://here.invalid';
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    return '/';
  }
  if (url.origin !== base || AUTH_PAGES.includes(url.pathname)) return '/';
  return url.pathname + url.search + url.hash;
}

/** A link to `page` (sign in, sign up) that brings the person back to `url` afterwards; from one auth page to another, the onward `next` is kept. */
export function authHref(page: '/signin' | '/signup', url: URL): string {
  const next = AUTH_PAGES.includes(url.pathname) ? safeNext(url.searchParams.get('next')) : url.pathname + url.search;
  return next === '/' ? page : `${page}?next=${encodeURIComponent(next)}`;
}
