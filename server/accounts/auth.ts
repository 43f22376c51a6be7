import { parse, serialize } from 'cookie';
import type { ValidatedSession } from '../../realtime/commands.js';
import { SESSION_COOKIE, type SessionService } from './sign-in-sessions.js';

export function sessionTokenFrom(cookieHeader: string | undefined): string | null {
  if (!cookieHeader) return null;
  return parse(cookieHeader)[SESSION_COOKIE] ?? null;
}

/** The one way a request is tied to a person: HTTP middleware and the socket handshake both call it. */
export async function authenticate(sessions: SessionService, cookieHeader: string | undefined): Promise<ValidatedSession | null> {
  const token = sessionTokenFrom(cookieHeader);
  return token ? sessions.validateSessionToken(token) : null;
}

export function sessionCookie(token: string, expiresAt: Date, secure: boolean): string {
  return serialize(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', path: '/', secure, expires: expiresAt });
}

/**
 * Browsers send Origin on cross-site requests and WebSocket handshakes; a request without one comes
 * from the page's own origin or from a program that holds no victim's cookie, so it may pass.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (!origin) return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
