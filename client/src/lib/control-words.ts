import type { LiveView } from '$realtime/vocabulary';

/** The projector's views, as the console names them. */
export const VIEW_LABEL: Record<LiveView, string> = {
  leaderboard: 'Leaderboard',
  spotlight: 'Spotlight',
  join: 'Join screen',
  results: 'Results',
};

/** What a facilitator's control did, in the words they check it against. */
export function controlDone(action: string, seconds: number | undefined, view: string | undefined): string {
  switch (action) {
    case 'open':
      return 'Voting is open on every phone.';
    case 'pause':
      return 'Voting paused: phones cannot vote until you open it again.';
    case 'close':
      return 'Voting closed: the results are frozen.';
    case 'publish':
      return 'Published: the hall can join with the code.';
    case 'archive':
      return 'Archived: off the conference page; the results stay.';
    case 'new-round':
      return 'A new round: every idea starts at 0 on every screen.';
    case 'spotlight':
      return 'On the big screen now.';
    case 'release':
      return 'Spotlight released: the leaderboard is back.';
    case 'hide-counts':
      return 'Counts hidden on the phones and the big screen.';
    case 'reveal-counts':
      return 'Counts revealed to everyone.';
    case 'countdown':
      return seconds ? `Countdown started: ${seconds} seconds (voting pauses at zero unless you chose otherwise).` : 'Countdown stopped.';
    case 'hide-idea':
      return 'Taken out of this session.';
    case 'discussed':
      return 'Marked as discussed: it keeps its place, marked, on every screen.';
    case 'approve':
      return 'Approved: it is on the screens now.';
    case 'reject':
      return 'Rejected: nobody else will see it.';
    case 'view':
      return `The big screen shows the ${VIEW_LABEL[view as LiveView]?.toLowerCase() ?? 'new view'} now.`;
    default:
      return 'Done.';
  }
}
