/**
 * An idea taken off the board from its card: by its author (withdraw) or by a facilitator (hide). The
 * actions' names are the area page's; `done` is what its redirect confirms with, as `?done=`.
 */
export type TakeOff = 'withdraw' | 'hide';

export const TAKE_OFF: Record<TakeOff, { done: 'withdrawn' | 'hidden'; confirmed: string }> = {
  withdraw: { done: 'withdrawn', confirmed: 'Your idea is withdrawn: it has gone from every screen.' },
  // A facilitator may have hidden the wrong idea: say at once where to undo it.
  hide: { done: 'hidden', confirmed: 'Hidden from every screen. You can put it back from the moderation queue.' },
};
