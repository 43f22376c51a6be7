import { PAGE_GATEWAY_KEY, type CommandError, type PageGateway } from '../../realtime/commands.js';
import type { Dispatcher } from './dispatch.js';
import { publicError } from '../platform/errors.js';
import { databaseUp } from '../platform/database.js';
import { log } from '../platform/log.js';
import { SESSION_COOKIE, type SessionService } from '../accounts/sign-in-sessions.js';

/**
 * The SvelteKit adapter: load functions and form actions call commands through the same dispatcher.
 * Refusals reach the page as a CommandError (code, message, and the fields a form should mark).
 */
export function pageGateway(dispatcher: Dispatcher, sessions: SessionService, secureCookies = false): PageGateway {
  return {
    sessionCookieName: SESSION_COOKIE,
    secureCookies,
    databaseUp,
    async authenticate(token) {
      try {
        return await sessions.validateSessionToken(token);
      } catch (error) {
        throw refusal(error, 'authenticate');
      }
    },
    async run(name, input, caller) {
      try {
        return await dispatcher.run(name, input, { ...caller, via: 'page', socket: null });
      } catch (error) {
        throw refusal(error, name);
      }
    },
  };
}

/** A refusal as pages receive it: an Error carrying the CommandError's code, message and fields. */
function refusal(error: unknown, command: string): Error & CommandError {
  const { code, message, fields, terms, status, until } = publicError(error);
  if (status >= 500 && code !== 'UNAVAILABLE') log.error({ err: error, command }, 'page command failed');
  const refused: CommandError = { code, message, ...(fields ? { fields } : {}), ...(terms ? { terms } : {}), ...(until !== undefined ? { until } : {}) };
  return Object.assign(new Error(message), refused);
}

/** Published before the SvelteKit handler is mounted, so pages share this process's services and live state. */
export function publishPageGateway(gateway: PageGateway): void {
  (globalThis as Record<symbol, unknown>)[PAGE_GATEWAY_KEY] = gateway;
}
