import { redirect } from '@sveltejs/kit';
import { normaliseCode } from '$lib/join-code';
import type { RequestHandler } from './$types';

/** The address in the QR code: straight to the phone page; a mistyped code lands on the join form, which says what is wrong. */
export const GET: RequestHandler = ({ params }) => {
  const code = normaliseCode(params.code);
  redirect(303, code ? `/live/${code}` : `/join?code=${encodeURIComponent(params.code)}`);
};
