import { redirect, type RequestEvent } from '@sveltejs/kit';
import { attempt, fields, isRefused } from './form-action';

/**
 * The facilitator code typed on a page of the console: a new session for this browser, then back to
 * the same page. As at /moderate, the session the browser held ends.
 */
export async function signIn(event: RequestEvent, back: string) {
  const code = (await fields(event)).get('code') ?? '';
  const done = await attempt(event, 'facilitator:sign-in', { code }, { action: 'signin' as const }, { because: { code: 'Please type the facilitator code.' } });
  if (isRefused(done)) return done;
  redirect(303, back);
}

export const SESSION_ENDED = 'Your facilitator session has ended. Please sign in again.';
