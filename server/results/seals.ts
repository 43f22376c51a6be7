import { createHash } from 'node:crypto';
import { LiveEvent, SealedRound } from '../../models/index.js';
import type { LiveResults } from '../../realtime/schemas/conference.js';
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

/**
 * Sealed results. When a live session's voting closes, its frozen results are written once as
 * canonical JSON under `<code>/<round>` (insert-only: a second writer's insert fails on the `_id`
 * and the first bytes stand), and the SHA-256 of those bytes is published. Round n is the session's
 * n-th `close` (today one round per session unless it is reopened; sessions with rounds of their own
 * number them the same way). A close this server did not hear is sealed the first time its results
 * are read.
 */
export class Seals {
  /** By code: the seal of the close whose results the session shows now (keyed by its closing time). */
  private readonly latest = new Map<string, { closedAt: string; seal: SealView }>();

  constructor(
    private readonly conference: Pick<ConferenceService, 'results'>,
    bus: Subscriber<Pick<ConferenceEvents, 'live:changed'>>,
  ) {
    bus.on('live:changed', ({ code, event }) => {
      if (event?.action !== 'close') return;
      this.conference
        .results(code)
        .then((results) => this.sealOf(results))
        .catch((error: unknown) => log.error({ err: error, code }, 'sealing a closed round failed'));
    });
  }

  /** The results with the seal of their round when they are final (sealing it now if nobody has). */
  async withSeal(results: LiveResults): Promise<LiveResults & { sealed: SealView | null }> {
    return { ...results, sealed: await this.sealOf(results) };
  }

  async sealOf(results: LiveResults): Promise<SealView | null> {
    if (!results.final || !results.closedAt) return null;
    const { code } = results.session;
    const known = this.latest.get(code);
    if (known?.closedAt === results.closedAt) return known.seal;
    const round = await LiveEvent.countDocuments({ session: code, action: 'close' });
    const seal = await this.write(round, results);
    this.latest.set(code, { closedAt: results.closedAt, seal });
    return seal;
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

  private async write(round: number, results: LiveResults): Promise<SealView> {
    const { session } = results;
    const json = canonicalJson({
      format: SEAL_FORMAT,
      session: { code: session.code, title: session.title, areas: session.areas, voting: session.voting },
      round,
      closedAt: results.closedAt,
      rows: results.rows.map(({ rank, ideaId, title, area, votes, voided, groups }) => ({ rank, ideaId, title, area, votes, voided, groups })),
      groups: results.groups,
    });
    const sha256 = createHash('sha256').update(json, 'utf8').digest('hex');
    const doc: SealDoc = { _id: `${session.code}/${round}`, code: session.code, round, title: session.title, closedAt: new Date(results.closedAt!), json, sha256 };
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
