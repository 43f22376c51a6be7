import type { LiveEventRecord, LiveRoundScope, LiveSettings } from '../../realtime/events.js';
import type { AreaSlug, CountdownAtZero, LiveState, LiveView, Voters } from '../../realtime/vocabulary.js';
import type { Tallies } from '../../realtime/schemas/board.js';
import type { LiveResultRow, LiveSessionView, LiveStateView } from '../../realtime/schemas/conference.js';
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
  /** Made as a draft (sessions from before drafts were open at once). */
  draft: boolean;
  createdAt: Date;
}

export type FrozenRow = Omit<LiveResultRow, 'rank'>;

/** A round that closed: its ranking, frozen. */
export interface ClosedRound {
  n: number;
  title: string;
  closedAt: number;
  results: FrozenRow[];
}

/** The round under way: its number, and its title and ideas where they differ from the session's. */
export interface Round {
  n: number;
  title: string | null;
  areas: AreaSlug[] | null;
  ideaIds: Set<string> | null;
}

/** A session's state: the fold of its events. */
export interface Fold {
  seq: number;
  state: LiveState;
  round: Round;
  /** The rounds before this one, first to last. */
  past: ClosedRound[];
  spotlight: string | null;
  countsHidden: boolean;
  /** A countdown's end; kept after zero ("Time is up") until the next control. */
  countdownEndsAt: number | null;
  atZero: CountdownAtZero;
  view: LiveView;
  hidden: Set<string>;
  discussed: Set<string>;
  /** Ideas from the room a facilitator approved: in the session even when its ideas were picked by hand. */
  approved: Set<string>;
  /** The round's, once it closed. */
  closedAt: number | null;
  results: FrozenRow[] | null;
}

/** A session and its state, as this server holds it. */
export interface SessionEntry {
  session: Session;
  fold: Fold;
}


/** The round's ideas: its own areas or hand-picked ideas, or else the session's. */
export function scopeOf({ session, fold }: Readonly<SessionEntry>): { areas: AreaSlug[]; ideaIds: Set<string> } {
  const { round } = fold;
  if (round.ideaIds) return { areas: [], ideaIds: round.ideaIds };
  if (round.areas) return { areas: round.areas, ideaIds: new Set() };
  return { areas: session.areas, ideaIds: session.ideaIds };
}

export const roundTitle = ({ session, fold }: Readonly<SessionEntry>): string => fold.round.title ?? session.title;

/** Whether an idea belongs to the session's round, whatever its state: by area, picked by hand, or approved from the room. */
export function contains(entry: Readonly<SessionEntry>, idea: Pick<IdeaEntry, 'id' | 'area'>): boolean {
  const { areas, ideaIds } = scopeOf(entry);
  return areas.length ? areas.includes(idea.area) : ideaIds.has(idea.id) || entry.fold.approved.has(idea.id);
}

/** Whether the round under way has closed (its results frozen), archived or not. */
export const roundClosed = (fold: Readonly<Fold>): boolean => fold.results !== null;

export function initialFold(session: Pick<Session, 'draft'>): Fold {
  return {
    seq: 0,
    state: session.draft ? 'draft' : 'open',
    round: { n: 1, title: null, areas: null, ideaIds: null },
    past: [],
    spotlight: null,
    countsHidden: false,
    countdownEndsAt: null,
    atZero: 'pause',
    view: 'leaderboard',
    hidden: new Set(),
    discussed: new Set(),
    approved: new Set(),
    closedAt: null,
    results: null,
  };
}

/** One event's effect: the same on every server, so every screen reaches the same state. */
export function apply(entry: SessionEntry, event: LiveEventRecord): void {
  const { fold } = entry;
  fold.seq = event.seq;
  // "Time is up" stays until the next control; a pause or close taken at zero is the countdown's own step.
  const atZero = (event.action === 'pause' || event.action === 'close') && event.endsAt !== null;
  if (event.action !== 'countdown' && !atZero && fold.countdownEndsAt !== null && fold.countdownEndsAt <= event.at) fold.countdownEndsAt = null;
  switch (event.action) {
    case 'publish':
    case 'open':
    case 'pause':
      fold.state = event.action === 'pause' ? 'paused' : 'open';
      break;
    case 'close':
      fold.state = 'closed';
      freeze(fold, event);
      break;
    case 'archive':
      if (event.results) freeze(fold, event);
      fold.state = 'archived';
      fold.countdownEndsAt = null;
      break;
    case 'new-round':
      if (event.results) freeze(fold, event);
      if (fold.results) fold.past.push({ n: fold.round.n, title: roundTitle(entry), closedAt: fold.closedAt ?? event.at, results: fold.results });
      fold.round = newRound(fold.round.n + 1, fold.round, event.round ?? null);
      Object.assign(fold, { state: 'open', closedAt: null, results: null, spotlight: null, countdownEndsAt: null, view: 'leaderboard' });
      fold.discussed = new Set();
      break;
    case 'edit':
      editSettings(entry.session, event.settings ?? {});
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
      // Countdowns from before `atZero` did nothing at zero.
      fold.atZero = event.atZero ?? 'none';
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

function freeze(fold: Fold, event: LiveEventRecord): void {
  fold.closedAt = event.at;
  fold.results = event.results ?? [];
}

function newRound(n: number, previous: Round, scope: LiveRoundScope | null): Round {
  const title = scope?.title ?? `Round ${n}`;
  if (scope?.ideaIds) return { n, title, areas: null, ideaIds: new Set(scope.ideaIds) };
  if (scope?.areas) return { n, title, areas: scope.areas, ideaIds: null };
  return { n, title, areas: previous.areas, ideaIds: previous.ideaIds };
}

function editSettings(session: Session, settings: LiveSettings): void {
  if (settings.title !== undefined) session.title = settings.title;
  if (settings.roomIdeas !== undefined) session.roomIdeas = settings.roomIdeas;
  if (settings.voting !== undefined) session.voting = settings.voting;
  if (settings.ideaIds) {
    session.ideaIds = new Set(settings.ideaIds);
    session.areas = [];
  } else if (settings.areas) {
    session.areas = settings.areas;
    session.ideaIds = new Set();
  }
}

/** `counts`: the room's for this viewer (null while hidden from it, and in lists). */
export function stateView(entry: Readonly<SessionEntry>, counts: Tallies | null = null): LiveStateView {
  const { session, fold } = entry;
  return {
    code: session.code,
    seq: fold.seq,
    state: fold.state,
    spotlight: fold.spotlight,
    countsHidden: fold.countsHidden,
    countdownEndsAt: fold.countdownEndsAt ? new Date(fold.countdownEndsAt).toISOString() : null,
    atZero: fold.atZero,
    view: fold.view,
    hidden: [...fold.hidden],
    discussed: [...fold.discussed],
    round: { n: fold.round.n, title: roundTitle(entry) },
    counts,
  };
}

export function sessionView({ session, fold }: Readonly<SessionEntry>): LiveSessionView {
  return {
    code: session.code,
    title: session.title,
    areas: session.areas,
    ideaIds: [...session.ideaIds],
    roomIdeas: session.roomIdeas,
    voting: session.voting,
    state: fold.state,
    joinPath: `/join/${session.code}`,
    createdAt: session.createdAt.toISOString(),
  };
}
