import type { LiveState } from '$realtime/vocabulary';

/** The session's state in the words every screen uses for it. */
export const STATE_LABEL: Record<LiveState, string> = {
  open: 'Voting open',
  paused: 'Voting paused',
  closed: 'Voting closed',
};

/** What the room should know when it cannot vote. */
export const STATE_NOTE: Record<Exclude<LiveState, 'open'>, string> = {
  paused: 'The facilitator has paused voting for a moment. Votes you have cast still count, and you can vote again when it reopens.',
  closed: 'Voting has closed. Thank you for taking part.',
};

/** The redirect back to the phone page after a room idea without JavaScript. */
export const IDEA_SENT = 'sent';
export const IDEA_WAITS = 'Thank you. A facilitator will read your idea before it goes on the screens.';

