import { createHash } from 'node:crypto';
import { SealedRound } from '../../models/index.js';
import type { LiveResults, LiveRoundResults } from '../../realtime/schemas/conference.js';
import type { SealView } from '../../realtime/schemas/results.js';
import type { ConferenceEvents } from '../conference/events.js';
import type { ConferenceService } from '../conference/conference.js';
import { isDuplicateKey } from '../platform/database.js';
import { HttpError } from '../platform/errors.js';
import { log } from '../platform/log.js';
import type { Subscriber } from '../platform/bus.js';
import { canonicalJson } from './canonical-json.js';

export const SEAL_FORMAT = 'reclaim-sealed-round/1';

export const sealUrl = (code: string, round: number) => `/api/live/${code}/rounds/${round}/sealed.json`;

interface SealDoc {
  _id: string;
  code: string;
  round: number;
  title: string;
  closedAt: Date;
  json: string;
  sha256: string;
}

/** A session's results with each closed round's seal, and the last closed round's as `sealed`. */
export type SealedResults = LiveResults & { sealed: SealView | null; rounds: (LiveRoundResults & { sealed: SealView | null })[] };

/**
 * Sealed results. When a round of a live session closes, its frozen results are written once as
 * canonical JSON under `<code>/<round>` (insert-only: a second writer's insert fails on the `_id`
 * and the first bytes stand), and the SHA-256 of those bytes is published. A round this server did
 * not see close is sealed the first time its results are read. Seals are made from the results as
 * facilitators see them, so a round whose counts were hidden from the room is sealed whole.
 */
export class Seals {
  /** By `<code>/<round>`: rounds sealed already, so a read seals nothing twice. */
  private readonly known = new Map<string, SealView>();

  constructor(
    private readonly conference: Pick<ConferenceService, 'frozenResults'>,
    bus: Subscriber<Pick<ConferenceEvents, 'live:changed'>>,
  ) {
    bus.on('live:changed', ({ code, event }) => {
      if (event?.action !== 'close' && event?.action !== 'new-round') return;
      this.conference
        .frozenResults(code)
        .then((results) => this.sealRounds(results))
        .catch((error: unknown) => log.error({ err: error, code }, 'sealing a closed round failed'));
    });
  }

  /** The results with the seal of every closed round (sealing any nobody has yet). */
  async withSeal(results: LiveResults): Promise<SealedResults> {
    const seals = await this.sealRounds(await this.conference.frozenResults(results.session.code));
    const rounds = results.rounds.map((round) => ({ ...round, sealed: seals.get(round.n) ?? null }));
    return { ...results, rounds, sealed: [...seals.values()].at(-1) ?? null };
  }

  /** The last closed round's seal, or null while no round has closed. */
  async sealOf(results: LiveResults): Promise<SealView | null> {
    return (await this.withSeal(results)).sealed;
  }

  private async sealRounds(results: LiveResults): Promise<Map<number, SealView>> {
    const seals = new Map<number, SealView>();
    for (const round of results.rounds) {
      if (!round.closedAt) continue;
      const key = `${results.session.code}/${round.n}`;
      const seal = this.known.get(key) ?? (await this.write(results.session, round));
      this.known.set(key, seal);
      seals.set(round.n, seal);
    }
    return seals;
  }

  /** Every sealed round, newest first (few: a handful per conference). */
  async list(): Promise<SealView[]> {
    const docs = (await SealedRound.find({}, { json: 0 }).sort({ closedAt: -1 }).lean()) as Omit<SealDoc, 'json'>[];
    return docs.map(view);
  }

  /** The sealed bytes, exactly as written. */
  async bytes(code: string, round: number): Promise<{ json: string; sha256: string }> {
    const doc = (await SealedRound.findById(`${code}/${round}`).lean()) as SealDoc | null;
    if (!doc) throw new HttpError('NOT_FOUND', `Round ${round} of session ${code} has not been sealed (its voting has not closed).`);
    return { json: doc.json, sha256: doc.sha256 };
  }

  private async write(session: LiveResults['session'], round: LiveRoundResults): Promise<SealView> {
    const json = canonicalJson({
      format: SEAL_FORMAT,
      session: { code: session.code, title: session.title, areas: session.areas, voting: session.voting },
      round: round.n,
      roundTitle: round.title,
      closedAt: round.closedAt,
      rows: round.rows.map(({ rank, ideaId, title, area, votes, online, voided, discussed, groups }) => ({ rank, ideaId, title, area, votes, online, voided, discussed, groups })),
      groups: round.groups,
    });
    const sha256 = createHash('sha256').update(json, 'utf8').digest('hex');
    const doc: SealDoc = { _id: `${session.code}/${round.n}`, code: session.code, round: round.n, title: session.title, closedAt: new Date(round.closedAt!), json, sha256 };
    try {
      await SealedRound.create(doc);
      return view(doc);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      return view((await SealedRound.findById(doc._id, { json: 0 }).lean()) as SealDoc);
    }
  }
}

function view(doc: Omit<SealDoc, 'json'>): SealView {
  return { code: doc.code, round: doc.round, title: doc.title, closedAt: doc.closedAt.toISOString(), sha256: doc.sha256, url: sealUrl(doc.code, doc.round) };
}
