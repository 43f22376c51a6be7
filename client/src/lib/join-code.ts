import { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH } from '$realtime/vocabulary';

const VALID = new RegExp(`^[${JOIN_CODE_ALPHABET}]{${JOIN_CODE_LENGTH}}$`);

/**
 * A join code as the schema reads it (any case, spaces and dashes ignored), or null. Zod-free on
 * purpose: the route matcher runs in the browser too, and the phone page must stay light.
 */
export function normaliseCode(raw: string): string | null {
  const code = raw.replace(/[\s-]/g, '').toUpperCase();
  return VALID.test(code) ? code : null;
}
