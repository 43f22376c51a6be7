import type { LiveState } from '$realtime/vocabulary';

/** The session's state in the words every screen uses for it. */
export const STATE_LABEL: Record<LiveState, string> = {
  draft: 'Not open yet',
  open: 'Voting open',
  paused: 'Voting paused',
  closed: 'Voting closed',
  archived: 'Voting closed',
};

/** What the room should know when it cannot vote. */
export const STATE_NOTE: Record<Exclude<LiveState, 'open'>, string> = {
  draft: 'The facilitators are still preparing this session.',
  paused: 'The facilitator has paused voting for a moment. Votes you have cast still count, and you can vote again when it reopens.',
  closed: 'Voting has closed, and these results are final. Thank you for taking part.',
  archived: 'This session is over, and these results are final. Thank you for taking part.',
};

/** Whether a session's round is over: its counts frozen. */
export const isOver = (state: LiveState) => state === 'closed' || state === 'archived';

/** The redirect back to the phone page after a room idea without JavaScript. */
export const IDEA_SENT = 'sent';
export const IDEA_WAITS = 'Thank you. A facilitator will read your idea before it goes on the screens.';

