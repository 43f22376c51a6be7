import type { Types } from 'mongoose';
import type { LiveEventRecord } from '../../realtime/events.js';
import type { AreaSlug, LiveAction, LiveState, LiveView, Voters } from '../../realtime/vocabulary.js';
import type { GroupVotes, LiveResultRow, LiveSessionView, LiveStateView } from '../../realtime/schemas/conference.js';
import type { IdeaEntry } from '../board/board-state.js';

/** What a control adds to the sequence; null when it would change nothing (pressing Pause while paused). */
export type LiveEventDraft = Omit<LiveEventRecord, 'seq' | 'at'>;

export interface Session {
  code: string;
  title: string;
  areas: AreaSlug[];
  ideaIds: Set<string>;
  roomIdeas: boolean;
  voting: Voters;
  createdAt: Date;
}

/** A session's state: the fold of its events. */
export interface Fold {
  seq: number;
  state: LiveState;
  spotlight: string | null;
  countsHidden: boolean;
  countdownEndsAt: number | null;
  view: LiveView;
  hidden: Set<string>;
  discussed: Set<string>;
  /** Ideas from the room a facilitator approved: in the session even when its ideas were picked by hand. */
  approved: Set<string>;
  closedAt: number | null;
  results: Omit<LiveResultRow, 'rank'>[] | null;
}

/** A session and its state, as this server holds it. */
export interface SessionEntry {
  session: Session;
  fold: Fold;
}


/** Whether an idea belongs to a session, whatever its state: by area, picked by hand, or approved from the room. */
export function contains({ session, fold }: Readonly<SessionEntry>, idea: Pick<IdeaEntry, 'id' | 'area'>): boolean {
  return session.areas.length ? session.areas.includes(idea.area) : session.ideaIds.has(idea.id) || fold.approved.has(idea.id);
}

export function initialFold(): Fold {
  return {
    seq: 0,
    state: 'open',
    spotlight: null,
    countsHidden: false,
    countdownEndsAt: null,
    view: 'leaderboard',
    hidden: new Set(),
    discussed: new Set(),
    approved: new Set(),
    closedAt: null,
    results: null,
  };
}

/** One event's effect: the same on every server, so every screen reaches the same state. */
export function apply(fold: Fold, event: LiveEventRecord): void {
  fold.seq = event.seq;
  switch (event.action) {
    case 'open':
    case 'pause':
      fold.state = event.action === 'open' ? 'open' : 'paused';
      break;
    case 'close':
      fold.state = 'closed';
      fold.closedAt = event.at;
      fold.results = event.results;
      break;
    case 'spotlight':
      fold.spotlight = event.ideaId;
      fold.view = 'spotlight';
      break;
    case 'release':
      fold.spotlight = null;
      if (fold.view === 'spotlight') fold.view = 'leaderboard';
      break;
    case 'hide-counts':
    case 'reveal-counts':
      fold.countsHidden = event.action === 'hide-counts';
      break;
    case 'countdown':
      fold.countdownEndsAt = event.endsAt;
      break;
    case 'hide-idea':
      fold.hidden.add(event.ideaId!);
      if (fold.spotlight === event.ideaId) {
        fold.spotlight = null;
        if (fold.view === 'spotlight') fold.view = 'leaderboard';
      }
      break;
    case 'discussed':
      fold.discussed.add(event.ideaId!);
      break;
    case 'approve':
      fold.approved.add(event.ideaId!);
      break;
    case 'reject':
      break;
    case 'view':
      fold.view = event.view!;
      break;
  }
}

export function stateView({ session, fold }: Readonly<SessionEntry>): LiveStateView {
  return {
    code: session.code,
    seq: fold.seq,
    state: fold.state,
    spotlight: fold.spotlight,
    countsHidden: fold.countsHidden,
    countdownEndsAt: fold.countdownEndsAt ? new Date(fold.countdownEndsAt).toISOString() : null,
    view: fold.view,
    hidden: [...fold.hidden],
    discussed: [...fold.discussed],
  };
}

export function sessionView(session: Session): LiveSessionView {
  return {
    code: session.code,
    title: session.title,
    areas: session.areas,
    roomIdeas: session.roomIdeas,
    voting: session.voting,
    joinPath: `/join/${session.code}`,
    createdAt: session.createdAt.toISOString(),
  };
}

export interface SessionDoc {
  code: string;
  title: string;
  areas: string[];
  ideaIds: Types.ObjectId[];
  roomIdeas: boolean;
  voting?: string | null;
  createdAt: Date;
}

export function sessionOf(doc: SessionDoc): Session {
  return {
    code: doc.code,
    title: doc.title,
    areas: doc.areas as AreaSlug[],
    ideaIds: new Set(doc.ideaIds.map((id) => id.toString())),
    roomIdeas: doc.roomIdeas,
    voting: (doc.voting ?? 'everyone') as Voters,
    createdAt: doc.createdAt,
  };
}

export interface EventDoc {
  seq: number;
  action: string;
  ideaId?: string | null;
  endsAt?: Date | null;
  view?: string | null;
  results?: { ideaId?: string | null; title?: string | null; area?: string | null; votes?: number | null; voided?: number | null; discussed?: boolean | null; groups?: unknown }[] | null;
  at: Date;
}

export function recordOf(doc: EventDoc): LiveEventRecord {
  return {
    seq: doc.seq,
    action: doc.action as LiveAction,
    ideaId: doc.ideaId ?? null,
    endsAt: doc.endsAt ? doc.endsAt.getTime() : null,
    view: (doc.view ?? null) as LiveView | null,
    results: doc.results?.length
      ? doc.results.map((row) => ({
          ideaId: row.ideaId ?? '',
          title: row.title ?? '',
          area: row.area as AreaSlug,
          votes: row.votes ?? 0,
          voided: row.voided ?? 0,
          discussed: Boolean(row.discussed),
          groups: (row.groups ?? null) as GroupVotes | null,
        }))
      : doc.action === 'close'
        ? []
        : null,
    at: doc.at.getTime(),
  };
}
