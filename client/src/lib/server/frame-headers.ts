/**
 * Which pages other sites may put in an iframe: only the embeds under FRAMEABLE_PREFIX (partners'
 * leaderboards), by any site; every other page by none, so nobody can dress the board in a frame to
 * trick a click. Applied in hooks.server.ts after SvelteKit's own headers (a `kit.csp` policy
 * included): an embed's `frame-ancestors` becomes `*` and any X-Frame-Options goes; any other page
 * keeps a stricter policy it already has, and otherwise gets `frame-ancestors 'none'` and
 * `X-Frame-Options: DENY`.
 */
export const FRAMEABLE_PREFIX = '/embed/';

export const isFrameable = (pathname: string) => pathname.startsWith(FRAMEABLE_PREFIX);

const CSP = 'content-security-policy';

export function withFrameHeaders(response: Response, frameable: boolean): Response {
  let headers = response.headers;
  try {
    apply(headers, frameable);
  } catch {
    // An immutable Headers (a fetched response passed through): copy it.
    headers = new Headers(response.headers);
    apply(headers, frameable);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
  return response;
}

function apply(headers: Headers, frameable: boolean): void {
  const policy = headers.get(CSP);
  if (frameable) {
    headers.delete('x-frame-options');
    headers.set(CSP, setDirective(policy, 'frame-ancestors *'));
    return;
  }
  if (!headers.has('x-frame-options')) headers.set('x-frame-options', 'DENY');
  if (!policy || !/(^|;)\s*frame-ancestors\s/i.test(policy)) headers.set(CSP, setDirective(policy, "frame-ancestors 'none'"));
}

/** The policy with its `frame-ancestors` directive replaced (or added). */
function setDirective(policy: string | null, directive: string): string {
  const kept = (policy ?? '')
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part && !/^frame-ancestors(\s|$)/i.test(part));
  return [...kept, directive].join('; ');
}
