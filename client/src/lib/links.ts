/**
 * Where a stored link may take people: http(s) only. The server refuses anything else, but links
 * stored before that rule, or typed into a field that is not meant as a link, must still stay text.
 */
export function safeHref(url: string | null | undefined): string | null {
  const trimmed = url?.trim();
  return trimmed && /^https?:\/\/[^\s]+$/i.test(trimmed) ? trimmed : null;
}

/** A website as people read it: no scheme, no trailing slash. */
export const shortUrl = (url: string) => url.replace(/^https?:\/\/(www\.)?/i, '').replace(/\/$/, '');
