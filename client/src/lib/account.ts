import { PASSWORD_MIN } from '$realtime/vocabulary';

/** The password rules, said beside every new-password field before anyone gets them wrong. */
export const PASSWORD_HINT = `At least ${PASSWORD_MIN} characters. A few unrelated words are easy to remember and hard to guess; passwords that are easy to guess (common words, your name or address, the site’s name) are refused.`;
