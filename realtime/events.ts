import type { AckFn, CommandPayload, CommandResult, SocketCommandName } from './commands.js';
import type { AreaSlug, CountdownAtZero, IdeaProgress, LiveEventAction, LiveView, Stance, Voters } from './vocabulary.js';
import type { Byline, SessionUser } from './schemas/common.js';
import type { AreaCount, IdeaView, OwnIdeaOffBoard, Tallies } from './schemas/board.js';
import type { CommentView, NotificationView, OwnCommentOffBoard } from './schemas/discussion.js';
import type { LiveIdeaView, LiveResultRow, LiveStateView } from './schemas/conference.js';
import type { VoteFlagView } from './schemas/moderation.js';

export type { Ack, AckFn } from './commands.js';

/**
 * The socket commands, from the command table. Typed for clients; the server still parses every
 * payload with zod, since any client can send anything.
 */
export type ClientToServerEvents = {
  [N in SocketCommandName]: (payload: CommandPayload<N> | undefined, ack: AckFn<CommandResult<N>>) => void;
};

export interface ServerToClientEvents {
  /**
   * Sent at once to watchers of the idea's area and of the whole board; `votedByMe` is always false here.
   * To a live session's screens `votes` is the room's count, null while counts are hidden from the room.
   */
  'idea:created': (payload: { idea: LiveIdeaView }) => void;
  /** An author reworded an idea; `votes` and `votedByMe` here are not the receiver's to trust. */
  'idea:updated': (payload: { idea: LiveIdeaView }) => void;
  /** An idea was taken down (by reports or a facilitator): screens drop it at once. */
  'idea:removed': (payload: { ideaId: string; area: AreaSlug }) => void;
  /** A facilitator put an idea back, with its votes. */
  'idea:restored': (payload: { idea: LiveIdeaView }) => void;
  /** At most once per tally tick to each watcher, with the counts of its board that changed since its last one. */
  /** `comments`: the comment counts that moved too, for cards; carried in the same frame, never a message of its own. */
  'tally:changed': (payload: { counts: Tallies; comments?: Tallies }) => void;
  /** Idea counts per area, sent on the tick when any changed, to whole-board watchers and `areas:watch`ers. */
  'areas:changed': (payload: { areas: AreaCount[] }) => void;
  /** To facilitators watching the queue: something in it changed (a report, an idea held or decided); fetch it again. */
  'moderation:changed': () => void;
  /** To staff watching the queue, and to the consoles of live sessions the idea is part of: a vote burst flagged, voided or unvoided. */
  'flags:changed': (payload: { flag: VoteFlagView }) => void;
  /** To every screen: the number of organisations behind the campaign changed (one was approved). */
  'supporters:changed': (payload: { count: number }) => void;
  /** A comment went up: to its idea page's watchers. */
  'comment:created': (payload: { comment: CommentView; area: AreaSlug }) => void;
  /** A comment came down (reports, staff): to its idea page's watchers. */
  'comment:removed': (payload: { commentId: string; ideaId: string; area: AreaSlug }) => void;
  /** Helpful marks moved, coalesced: to the idea page's watchers. */
  'comment:helpful': (payload: { ideaId: string; counts: Record<string, number> }) => void;
  /** A duplicate now counts towards `into`: watchers of its board drop it. */
  'idea:merged': (payload: { ideaId: string; into: string; area: AreaSlug }) => void;
  /** Staff moved an idea along (shortlisted, adopted…). */
  'idea:status': (payload: { ideaId: string; status: IdeaProgress; area: AreaSlug }) => void;
  /** To one person, on every tab: an idea they voted for or discussed changed status or was merged. */
  'notification:new': (payload: { notification: NotificationView; unread: number }) => void;
  /** To every screen of one live session (and no other): its state after a facilitator's control, numbered by `seq`. */
  'live:state': (payload: LiveStateView) => void;
  /** To a live session's facilitators: ideas from the room now waiting for their approval. */
  'live:pending': (payload: { code: string; pending: IdeaView[] }) => void;
  /** To the idea's author only (every socket of theirs, on every server): their idea is off the board, and why. */
  'idea:withheld': (payload: OwnIdeaOffBoard & { state: 'declined' | 'reported' }) => void;
  /** The same for a comment of theirs. */
  'comment:withheld': (payload: OwnCommentOffBoard & { state: 'declined' | 'reported' }) => void;
}

/** A vote stored (+1) or withdrawn (-1) by one server, as the others hear of it. */
export interface VoteMove {
  ideaId: string;
  voterId: string;
  /** The Vote document's _id when known: a retraction then deletes by _id. */
  voteId: string | null;
  delta: 1 | -1;
  /** Cast by a member (not a guest): staff see every count split by it. */
  member?: true;
  /** A cast's network (the keyed hash), for the burst detector; absent on retractions and moved votes. */
  network?: string | null;
  /** A cast by a guest whose session is younger than a minute. */
  fresh?: true;
}

/** Votes staff voided (or unvoided) under a flag: every server's ledger stops (or starts again) counting them. */
export interface VoidMove {
  ideaId: string;
  voided: boolean;
  votes: { voteId: string; voterId: string }[];
}

export interface SyncedIdea {
  id: string;
  area: AreaSlug;
  title: string;
  body: string;
  author: Byline;
  /** Where it stands in the campaign (staff set it); absent, as it was. */
  status?: IdeaProgress;
  createdAt: number;
}

/** A comment that is up, as servers share it (times in ms since the epoch). */
export interface SyncedComment {
  id: string;
  ideaId: string;
  parentId: string | null;
  stance: Stance;
  body: string;
  author: Byline;
  authorId: string;
  createdAt: number;
}

/** What one server changed of the discussion and of ideas' standing, for the others to follow. */
export type DiscussionSync =
  | { kind: 'comment'; comment: SyncedComment }
  | { kind: 'comment-removed'; commentId: string }
  | { kind: 'helpful'; commentId: string; markerId: string; delta: 1 | -1 }
  /** A guest's comment now a member's (they signed up or in): who gets told when its idea moves. */
  | { kind: 'author'; commentId: string; authorId: string }
  | { kind: 'status'; ideaId: string; status: IdeaProgress }
  | { kind: 'merge'; ideaId: string; into: string }
  /** `idea`: its words when it goes back on the board (null: it stays off, hidden meanwhile). */
  | { kind: 'unmerge'; ideaId: string; idea: SyncedIdea | null };

/** One control of a live session as servers pass it on (times in ms since the epoch). */
export interface LiveEventRecord {
  seq: number;
  action: LiveEventAction;
  ideaId: string | null;
  /** A countdown's end; on a pause or close, the countdown whose zero took the step. */
  endsAt: number | null;
  /** For a countdown: what zero does. */
  atZero?: CountdownAtZero | null;
  view: LiveView | null;
  /** For `close` (and a `new-round` or `archive` that ends a round still open): the round's ranking, frozen. */
  results: Omit<LiveResultRow, 'rank'>[] | null;
  /** For `new-round`: its title and ideas; null ones are the previous round's. */
  round?: LiveRoundScope | null;
  /** For `edit`: a draft's changed settings. */
  settings?: LiveSettings | null;
  at: number;
}

export interface LiveRoundScope {
  title: string | null;
  areas: AreaSlug[] | null;
  ideaIds: string[] | null;
}

export interface LiveSettings {
  title?: string;
  areas?: AreaSlug[];
  ideaIds?: string[];
  roomIdeas?: boolean;
  voting?: Voters;
}

/** A vote cast (+1) or withdrawn (-1) in a live session's round, as the other servers hear of it. */
export interface RoomVoteMove {
  code: string;
  round: number;
  ideaId: string;
  voterId: string;
  voteId: string | null;
  delta: 1 | -1;
  member?: true;
  network?: string | null;
  fresh?: true;
}

/** Between app servers, through the Socket.IO adapter (Redis when several machines run). */
/** A vote a server counted ahead of its store: the others count it too until its `VoteMove` (or `undo`) arrives. */
export interface AheadMove {
  ideaId: string;
  voterId: string;
  delta: 1 | -1;
  undo?: true;
}

/** A notification stored: for whom, its id, and when (ms since the epoch). */
export type NotificationEntry = [userId: string, id: string, at: number];

/** People who may now have facts of a kind (server/platform/person-hints.ts). */
export interface PersonHint {
  kind: 'idea-author' | 'idea-off-board' | 'reporter' | 'comment-off-board';
  personIds: string[];
}

export interface InterServerEvents {
  /** Notifications another server stored: each server counts everyone's unread from memory. */
  'notifications:sync': (payload: NotificationEntry[]) => void;
  /** Another server noted that these people may have facts of a kind. */
  'hints:sync': (payload: PersonHint) => void;
  /** A live session made (no event) or changed by a control on another server: apply it, or read what was missed. */
  'live:sync': (payload: { code: string; event: LiveEventRecord | null; removed?: true }) => void;
  /** A vote burst flagged or decided on another server; `network` is the keyed hash it covers (null: fresh sessions). */
  'flags:sync': (payload: { flag: VoteFlagView; network: string | null }) => void;
  /** Staff approved or edited an organisation on another server: read them again. */
  'organisations:sync': () => void;
  /** Staff changed the board's switches (review, who may vote, reports to hide) on another server: read them again. */
  'settings:sync': () => void;
  /** Staff changed the screening terms on another server: read them again. */
  'screening:sync': () => void;
  /** A suspension made or lifted on another server: every dispatcher refuses (or again accepts) the person's writes. */
  'suspensions:sync': (payload: { added: { id: string; user: string; network: string | null; until: number | null } } | { lifted: string }) => void;
  /** Comments, helpful marks, statuses and merges from another server. */
  'discussion:sync': (payload: DiscussionSync) => void;
  /** New, edited or restored ideas, ideas taken down, and the votes a server stored or withdrew since its last tally step. */
  'board:sync': (payload: {
    /** New or put back: every server adds them. */
    ideas: SyncedIdea[];
    /** Reworded: a server that no longer shows one (taken down meanwhile) leaves it off. */
    edited?: SyncedIdea[];
    removed?: string[];
    votes: VoteMove[];
    /** Votes voided or unvoided under a flag. */
    voids?: VoidMove[];
    /** Votes cast or withdrawn in live sessions' rounds. */
    rooms?: RoomVoteMove[];
    /** Votes counted as they came in, before their store (applied before `votes`), and which server counted them. */
    ahead?: AheadMove[];
    from?: string;
  }) => void;
}

export interface SocketData {
  user: SessionUser | null;
  /** The client's address as the handshake gave it (X-Forwarded-For as far as the server trusts proxies). */
  address?: string | null;
  /** The session the handshake's cookie named (its stored id). */
  sessionId: string | null;
  /** When that session lapses (ms since the epoch), as the handshake found it. */
  sessionExpiresAt?: number | null;
  board: string | null;
  /** The idea whose page this socket follows (its discussion room), apart from its tally board. */
  idea?: string | null;
}

export const BOARD_ROOM_ALL = 'board:*';
export const MODERATORS_ROOM = 'moderators';
export const AREAS_ROOM = 'areas';
/** Every socket of one person, so that what concerns only them reaches all their tabs and devices. */
export const userRoom = (userId: string) => `user:${userId}`;
/** Every socket opened with one session, so that ending the session (on any server) disconnects them. */
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;
export const boardRoom = (area: AreaSlug | null | undefined) => (area ? `board:${area}` : BOARD_ROOM_ALL);
export const isBoardRoom = (room: string) => room.startsWith('board:');
/**
 * A live session's screens (phones, projectors) and its facilitators' consoles: tally boards of their
 * own, since the room may not see counts while facilitators do.
 */
/** An idea's page: its discussion, live. */
export const ideaRoom = (ideaId: string) => `idea:${ideaId}`;
export const liveRoom = (code: string) => `board:live:${code}`;
export const liveStaffRoom = (code: string) => `board:live:${code}:staff`;
const LIVE_ROOM = /^board:live:([^:]+)(:staff)?$/;
/** The session a live room belongs to, and whether it is its facilitators'; null for other rooms. */
export const parseLiveRoom = (room: string): { code: string; staff: boolean } | null => {
  const match = LIVE_ROOM.exec(room);
  return match ? { code: match[1]!, staff: match[2] !== undefined } : null;
};
