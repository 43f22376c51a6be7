import { z } from 'zod';
import type { SocketCommandName } from './commands.js';
import type { ServerToClientEvents } from './events.js';
import { areaCount, ideaProgress, ideaView, ownIdeaOffBoard, tallies } from './schemas/board.js';
import { areaSlug } from './schemas/common.js';
import { liveIdeaView, liveStateView } from './schemas/conference.js';
import { commentView, notificationView, ownCommentOffBoard } from './schemas/discussion.js';
import { voteFlagView } from './schemas/moderation.js';

/**
 * What the server pushes to sockets, for the API reference: each event of ServerToClientEvents with
 * its audience and its payload as a zod schema. The compiler holds the two together: an event missing
 * here, or a payload that differs from its type in events.ts, fails `npm run check`.
 */
export interface BroadcastDoc<E extends keyof ServerToClientEvents> {
  /** Markdown. */
  description: string;
  /** Who hears it. */
  to: string;
  /** The socket commands after which a socket hears it; empty: every socket, from the moment it connects. */
  after: readonly SocketCommandName[];
  /** Null for an event that carries nothing. */
  payload: Parameters<ServerToClientEvents[E]> extends [] ? null : z.ZodType<Parameters<ServerToClientEvents[E]>[0]>;
}

const areaField = { area: areaSlug };

export const BROADCASTS = {
  'idea:created': {
    description: 'A new idea is on the board. `votedByMe` is always false here. To a live session\u2019s screens `votes` is the room\u2019s count of the round, null while counts are hidden from the room.',
    to: 'Watchers of its area, of the whole board and of the live sessions it is part of.',
    after: ['board:watch', 'live:join'],
    payload: z.object({ idea: liveIdeaView }),
  },
  'idea:updated': {
    description: 'An author reworded an idea, or its comment count and votes moved at once (a merge or unmerge). `votes` and `votedByMe` here are not the receiver\u2019s to trust (to a live session\u2019s screens, `votes` is the room\u2019s count, null while hidden).',
    to: 'Watchers of its area, of the whole board and of the live sessions it is part of.',
    after: ['board:watch', 'live:join'],
    payload: z.object({ idea: liveIdeaView }),
  },
  'idea:removed': {
    description: 'An idea was taken down (by reports or staff) or withdrawn: screens drop it at once.',
    to: 'Watchers of its area, of the whole board and of the live sessions it is part of.',
    after: ['board:watch', 'live:join'],
    payload: z.object({ ideaId: z.string(), ...areaField }),
  },
  'idea:restored': {
    description: 'Staff put an idea back, with its votes (to a live session\u2019s screens, the room\u2019s; null while hidden).',
    to: 'Watchers of its area, of the whole board and of the live sessions it is part of.',
    after: ['board:watch', 'live:join'],
    payload: z.object({ idea: liveIdeaView }),
  },
  'tally:changed': {
    description:
      'The vote counts of the watched board that changed since this socket\u2019s last frame, at most once per 100 ms tick; a slow connection skips frames and gets what it missed in one. `comments`: the comment counts that moved, for cards, in the same frame.',
    to: 'Each watcher of a board or a live session (a room whose counts are hidden hears none; its facilitators do).',
    after: ['board:watch', 'live:join'],
    payload: z.object({ counts: tallies, comments: tallies.optional() }),
  },
  'areas:changed': {
    description: 'Idea counts per area, on the tick when any changed.',
    to: 'Whole-board watchers and `areas:watch`ers.',
    after: ['board:watch', 'areas:watch'],
    payload: z.object({ areas: z.array(areaCount) }),
  },
  'moderation:changed': {
    description: 'Something in the staff queue changed (a report, a post held or decided): fetch it again with `GET /api/moderation`.',
    to: 'Staff who asked with `moderation:watch`, on every server.',
    after: ['moderation:watch'],
    payload: null,
  },
  'flags:changed': {
    description: 'A burst of votes for one idea was flagged, or staff voided or unvoided its votes: the flag as it is now (see `GET /api/moderation/flags`).',
    to: 'Staff who asked with `moderation:watch`, and the facilitators\u2019 consoles of the live sessions the idea is part of, on every server.',
    after: ['moderation:watch', 'live:join'],
    payload: z.object({ flag: voteFlagView }),
  },
  'supporters:changed': {
    description: 'The number of organisations behind the campaign changed (one was approved).',
    to: 'Every socket.',
    after: [],
    payload: z.object({ count: z.number() }),
  },
  'comment:created': {
    description: 'A comment went up on an idea.',
    to: 'Watchers of the idea\u2019s page.',
    after: ['idea:watch'],
    payload: z.object({ comment: commentView, ...areaField }),
  },
  'comment:removed': {
    description: 'A comment came down (reports, staff).',
    to: 'Watchers of the idea\u2019s page.',
    after: ['idea:watch'],
    payload: z.object({ commentId: z.string(), ideaId: z.string(), ...areaField }),
  },
  'comment:helpful': {
    description: 'Helpful marks moved, coalesced: the new count by comment id.',
    to: 'Watchers of the idea\u2019s page.',
    after: ['idea:watch'],
    payload: z.object({ ideaId: z.string(), counts: z.record(z.string(), z.number()) }),
  },
  'idea:merged': {
    description: 'A duplicate now counts towards `into`: boards drop it, its page points to `into`.',
    to: 'Watchers of its area, of the whole board, of its live sessions and of its page.',
    after: ['board:watch', 'live:join', 'idea:watch'],
    payload: z.object({ ideaId: z.string(), into: z.string(), ...areaField }),
  },
  'idea:status': {
    description: 'Staff moved an idea along (shortlisted, adopted\u2026).',
    to: 'Watchers of its area, of the whole board, of its live sessions and of its page.',
    after: ['board:watch', 'live:join', 'idea:watch'],
    payload: z.object({ ideaId: z.string(), status: ideaProgress, ...areaField }),
  },
  'notification:new': {
    description: 'An idea this person voted for or discussed changed status or was merged; `unread` is their new count.',
    to: 'One person: every socket of theirs, on every server.',
    after: [],
    payload: z.object({ notification: notificationView, unread: z.number() }),
  },
  'live:state': {
    description: 'A live session\u2019s state after a facilitator\u2019s control (or a countdown\u2019s zero), numbered by `seq`, with the round and the room\u2019s counts (null to the room while hidden; facilitators always get them).',
    to: 'Every screen of that session (and no other), facilitators\u2019 consoles included.',
    after: ['live:join'],
    payload: liveStateView,
  },
  'live:pending': {
    description: 'Ideas from the room now waiting for a facilitator\u2019s approval.',
    to: 'The session\u2019s facilitators.',
    after: ['live:join'],
    payload: z.object({ code: z.string(), pending: z.array(ideaView) }),
  },
  'idea:withheld': {
    description: 'The author\u2019s idea is off the board, and why: `declined` by staff, or `reported` (taken down by reports until staff look).',
    to: 'The idea\u2019s author only: every socket of theirs, on every server.',
    after: [],
    payload: ownIdeaOffBoard.extend({ state: z.enum(['declined', 'reported']) }),
  },
  'comment:withheld': {
    description: 'The author\u2019s comment is off its idea\u2019s page, and why: `declined` by staff, or `reported` (taken down by reports until staff look).',
    to: 'The comment\u2019s author only: every socket of theirs, on every server.',
    after: [],
    payload: ownCommentOffBoard.extend({ state: z.enum(['declined', 'reported']) }),
  },
} satisfies { [E in keyof ServerToClientEvents]: BroadcastDoc<E> };

// The other direction: a payload schema whose output is narrower than its event's type fails here.
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Loose = {
  [E in keyof typeof BROADCASTS]: (typeof BROADCASTS)[E]['payload'] extends z.ZodType
    ? Exactly<z.output<(typeof BROADCASTS)[E]['payload']>, Parameters<ServerToClientEvents[E]>[0]> extends true
      ? never
      : E
    : never;
}[keyof typeof BROADCASTS];
const exact: [Loose] extends [never] ? true : { differsFromEventsTs: Loose } = true;
void exact;
