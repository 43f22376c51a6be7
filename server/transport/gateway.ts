import { PAGE_GATEWAY_KEY, type CommandError, type PageGateway } from '../../realtime/commands.js';
import type { Dispatcher } from './dispatch.js';
import { publicError } from '../platform/errors.js';
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
    authenticate: (token) => sessions.validateSessionToken(token),
    async run(name, input, caller) {
      try {
        return await dispatcher.run(name, input, { ...caller, via: 'page', socket: null });
      } catch (error) {
        const { code, message, fields, terms, status, until } = publicError(error);
        if (status >= 500) log.error({ err: error, command: name }, 'page command failed');
        const refusal: CommandError = { code, message, ...(fields ? { fields } : {}), ...(terms ? { terms } : {}), ...(until !== undefined ? { until } : {}) };
        throw Object.assign(new Error(message), refusal);
      }
    },
  };
}

/** Published before the SvelteKit handler is mounted, so pages share this process's services and live state. */
export function publishPageGateway(gateway: PageGateway): void {
  (globalThis as Record<symbol, unknown>)[PAGE_GATEWAY_KEY] = gateway;
}
