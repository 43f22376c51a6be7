import type { ScreenAction, ScreenVerdict } from '$realtime/vocabulary';

/** What each action does, as staff choose it. */
export const ACTION_LABELS: Record<ScreenAction, string> = {
  rephrase: 'Ask to rephrase',
  hold: 'Hold for a moderator',
  allow: 'Allow',
};

/** What the test box says a text would meet. */
export const VERDICT_LABELS: Record<ScreenVerdict, string> = {
  pass: 'Passes: it goes up as it is.',
  hold: 'Held: it waits for a moderator before anyone sees it.',
  rephrase: 'Refused: its author is asked to reword it and send it again.',
};

export const ACTION_OPTIONS = Object.entries(ACTION_LABELS) as [ScreenAction, string][];
