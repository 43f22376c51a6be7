import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as common } from '@zxcvbn-ts/language-common';
import { dictionary as english, translations } from '@zxcvbn-ts/language-en';
import { HttpError } from '../platform/errors.js';

/** zxcvbn's scale: 3 is "safely unguessable: moderate protection from offline slow-hash attacks". */
const MIN_SCORE = 3;

/** The site's own words, which attackers try first on its accounts. */
const SITE_WORDS = ['Recl@im the Internet', 'reclaim the internet', 'reclaimtheinternet', 'reclaim', 'internet', 'ideas board', 'online abuse'];

const zxcvbn = new ZxcvbnFactory({ dictionary: { ...common, ...english }, graphs: adjacencyGraphs, translations });

/** What of the person the password must not be made of: their address (whole and its name part) and their name. */
export interface PasswordOwner {
  email: string;
  name?: string | null;
}

/**
 * Refuses a password zxcvbn scores below 3, with the e-mail, the name and the site's name as words it
 * knows: `1111111111`, `Password1!`, the site's name or one's own address all fail. The message is
 * zxcvbn's own advice, shown beside the field.
 */
export function requireStrongPassword(password: string, owner: PasswordOwner): void {
  const inputs = [owner.email, owner.email.split('@')[0]!, ...(owner.name ? [owner.name, ...owner.name.split(/\s+/)] : []), ...SITE_WORDS].filter((w) => w.length >= 3);
  const { score, feedback } = zxcvbn.check(password, inputs);
  if (score >= MIN_SCORE) return;
  const advice = [feedback.warning, ...feedback.suggestions].filter(Boolean).map((s) => s!.replace(/\.$/, '').toLowerCase());
  const message = `this password would be easy to guess${advice.length ? ` (${advice.join('; ')})` : ''}: try a few unrelated words`;
  throw new HttpError('BAD_REQUEST', `password: ${message}`, { password: message });
}
