import type { ParamMatcher } from '@sveltejs/kit';
import { normaliseCode } from '$lib/join-code';

/** /live/<code>, /screen/<code>, /facilitate/<code>: anything else is not a session's page (and /screen stays the board's). */
export const match: ParamMatcher = (param) => normaliseCode(param) !== null;
