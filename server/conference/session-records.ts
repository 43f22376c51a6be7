import type { Types } from 'mongoose';
import type { LiveEventRecord, LiveRoundScope, LiveSettings } from '../../realtime/events.js';
import type { AreaSlug, CountdownAtZero, LiveEventAction, LiveView, Voters } from '../../realtime/vocabulary.js';
import type { GroupVotes } from '../../realtime/schemas/conference.js';
import type { Session } from './session-fold.js';

/** Sessions and their events as stored, read back into what the fold works with. */

export interface SessionDoc {
  code: string;
  title: string;
  areas: string[];
  ideaIds: Types.ObjectId[];
  roomIdeas: boolean;
  voting?: string | null;
  draft?: boolean | null;
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
    draft: Boolean(doc.draft),
    createdAt: doc.createdAt,
  };
}

export interface EventDoc {
  seq: number;
  action: string;
  ideaId?: string | null;
  endsAt?: Date | null;
  atZero?: string | null;
  view?: string | null;
  round?: unknown;
  settings?: unknown;
  results?: { ideaId?: string | null; title?: string | null; area?: string | null; votes?: number | null; online?: number | null; voided?: number | null; discussed?: boolean | null; groups?: unknown }[] | null;
  at: Date;
}

export function recordOf(doc: EventDoc): LiveEventRecord {
  return {
    seq: doc.seq,
    action: doc.action as LiveEventAction,
    ideaId: doc.ideaId ?? null,
    endsAt: doc.endsAt ? doc.endsAt.getTime() : null,
    atZero: (doc.atZero ?? null) as CountdownAtZero | null,
    view: (doc.view ?? null) as LiveView | null,
    round: (doc.round ?? null) as LiveRoundScope | null,
    settings: (doc.settings ?? null) as LiveSettings | null,
    results: doc.results
      ? doc.results.map((row) => ({
          ideaId: row.ideaId ?? '',
          title: row.title ?? '',
          area: row.area as AreaSlug,
          votes: row.votes ?? 0,
          // Results frozen before rooms had their own ballots counted the board's votes; none apart.
          online: row.online ?? 0,
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
