import { redirect, type RequestEvent } from '@sveltejs/kit';
import { refused, run } from './commands';

/**
 * The facilitator code typed on a page of the console: a new session for this browser, then back to
 * the same page. As at /moderate, the session the browser held ends.
 */
export async function signIn(event: RequestEvent, back: string) {
  const code = (await event.request.formData()).get('code') ?? '';
  try {
    await run(event, 'facilitator:sign-in', { code });
  } catch (err) {
    const failed = refused(err, { action: 'signin' as const });
    if (failed.data.errors.code) failed.data.message = 'Please type the facilitator code.';
    return failed;
  }
  redirect(303, back);
}

export const SESSION_ENDED = 'Your facilitator session has ended. Please sign in again.';
