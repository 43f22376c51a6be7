import { createHash } from 'node:crypto';
import { zipSync } from 'fflate';
import { toCsv } from '../platform/csv.js';
import { HttpError } from '../platform/errors.js';
import type { BoardState } from '../board/board-state.js';
import type { VoteLedger } from '../board/vote-ledger.js';
import type { CommentStore } from '../discussion/comment-store.js';
import type { ConferenceService } from '../conference/conference.js';
import type { RoomTotals } from './room-totals.js';
import type { EvidenceService } from '../campaign/evidence.js';
import type { Organisations } from '../campaign/organisations.js';
import type { Seals } from './seals.js';
import { bylineName, FIELDS, type Cell, type Field } from './open-data-tables.js';

export const OPEN_DATA_EVERY_MS = 60_000;
export const LICENCE = { name: 'CC-BY-4.0', title: 'Creative Commons Attribution 4.0', path: 'https://creativecommons.org/licenses/by/4.0/' };
const BOM = '\uFEFF';

export interface OpenDataSources {
  state: BoardState;
  ledger: VoteLedger;
  comments: CommentStore;
  conference: Pick<ConferenceService, 'published' | 'results'>;
  room: RoomTotals;
  seals: Seals;
  evidence: Pick<EvidenceService, 'list'>;
  organisations: Pick<Organisations, 'list'>;
  moderationLogCsv: () => Promise<string>;
}

export interface OpenDataBuild {
  files: Map<string, Buffer>;
  zip: Buffer;
  /** Of the files' contents: it changes only when they do. */
  etag: string;
  at: number;
}

type Rows = Record<string, Cell>[];

/**
 * The open data: published content and aggregates only (no e-mail, no voter, no network, nothing
 * taken down or waiting for review; breakdowns by group folded as the live results fold them), each
 * table as CSV (UTF-8 with a BOM, formula-safe) and JSON, the public moderation log, and a
 * Frictionless `datapackage.json` describing every field, under CC BY 4.0. Built on demand, at most
 * once a minute; the ETag is of the contents, so it stays while nothing changed.
 */
export class OpenData {
  private current: OpenDataBuild | null = null;
  private building: Promise<OpenDataBuild> | null = null;

  constructor(private readonly s: OpenDataSources) {}

  async get(now = Date.now()): Promise<OpenDataBuild> {
    if (this.current && now - this.current.at < OPEN_DATA_EVERY_MS) return this.current;
    this.building ??= this.build(now).finally(() => (this.building = null));
    return this.building;
  }

  async file(name: string): Promise<{ body: Buffer; etag: string }> {
    const build = await this.get();
    const body = build.files.get(name);
    if (!body) throw new HttpError('NOT_FOUND', `No open data file ${name}: see /api/open-data/datapackage.json for the list.`);
    return { body, etag: build.etag };
  }

  private async build(now: number): Promise<OpenDataBuild> {
    const tables: [keyof typeof FIELDS, Rows][] = [
      ['ideas', this.ideas()],
      ['comments', this.commentRows()],
      ['sessions', await this.sessions()],
      ['evidence', await this.evidence()],
      ['organisations', this.organisations()],
    ];
    const files = new Map<string, Buffer>();
    for (const [name, rows] of tables) {
      const fields = FIELDS[name];
      files.set(`${name}.csv`, Buffer.from(BOM + toCsv(fields.map((f) => f.name), rows.map((row) => fields.map((f) => row[f.name] ?? ''))), 'utf8'));
      files.set(`${name}.json`, Buffer.from(JSON.stringify(rows, null, 1) + '\n', 'utf8'));
    }
    const log = await this.s.moderationLogCsv();
    files.set('moderation-log.csv', Buffer.from(log.startsWith(BOM) ? log : BOM + log, 'utf8'));
    files.set('datapackage.json', Buffer.from(JSON.stringify(datapackage([...files.keys()]), null, 2) + '\n', 'utf8'));
    const hash = createHash('sha256');
    for (const [name, body] of [...files].sort(([a], [b]) => a.localeCompare(b))) hash.update(name).update('\0').update(body);
    const etag = `"${hash.digest('base64url').slice(0, 27)}"`;
    if (this.current?.etag === etag) {
      this.current.at = now;
      return this.current;
    }
    const mtime = new Date(now);
    const zip = Buffer.from(zipSync(Object.fromEntries([...files].map(([name, body]): [string, [Uint8Array, { mtime: Date }]] => [name, [new Uint8Array(body), { mtime }]]))));
    this.current = { files, zip, etag, at: now };
    return this.current;
  }

  private ideas(): Rows {
    const ideas = this.s.state.rankings.ranked(null);
    const room = this.s.room.of(ideas.map((i) => i.id));
    const split = this.s.ledger.ballots.split(ideas.map((i) => i.id));
    return ideas.map((idea) => {
      const { comments } = this.s.comments.list(idea.id, null);
      const top = comments.filter((c) => c.parentId === null);
      return {
        id: idea.id,
        challenge: idea.area,
        title: idea.title,
        body: idea.body,
        author: bylineName(idea.author),
        organisation: idea.author.organisation,
        status: idea.status,
        created_at: new Date(idea.createdAt).toISOString(),
        votes_online: idea.votes,
        votes_room: room.get(idea.id) ?? 0,
        votes_members: split[idea.id]?.members ?? 0,
        votes_guests: split[idea.id]?.guests ?? 0,
        comments: comments.length,
        arguments_for: top.filter((c) => c.stance === 'for').length,
        arguments_against: top.filter((c) => c.stance === 'against').length,
      };
    });
  }

  /** Comments that are up, on ideas that are on the board. */
  private commentRows(): Rows {
    return this.s.state.rankings.ranked(null).flatMap((idea) =>
      this.s.comments.list(idea.id, null).comments.map((c) => ({
        id: c.id,
        idea_id: c.ideaId,
        parent_id: c.parentId,
        stance: c.stance,
        body: c.body,
        author: bylineName(c.author),
        organisation: c.author.organisation,
        helpful: c.helpful,
        created_at: c.createdAt,
      })),
    );
  }

  /** Each closed session's frozen results, with the seal of its round. */
  private async sessions(): Promise<Rows> {
    const rows: Rows = [];
    for (const session of this.s.conference.published()) {
      const results = await this.s.conference.results(session.code, null);
      const seal = await this.s.seals.sealOf(results);
      if (!seal) continue;
      for (const row of results.rows) {
        rows.push({
          session_code: session.code,
          session_title: session.title,
          round: seal.round,
          closed_at: results.closedAt,
          rank: row.rank,
          idea_id: row.ideaId,
          idea_title: row.title,
          challenge: row.area,
          votes: row.votes,
          voided: row.voided,
          groups: row.groups ? Object.entries(row.groups).map(([g, v]) => `${g}:${v}`).join(';') : null,
          sealed_sha256: seal.sha256,
          sealed_url: seal.url,
        });
      }
    }
    return rows;
  }

  private async evidence(): Promise<Rows> {
    return (await this.s.evidence.list(undefined)).map((item) => ({
      id: item.id,
      headline: item.headline,
      summary: item.summary,
      kind: item.kind,
      source_organisation: item.source.organisation,
      source_title: item.source.title,
      source_year: item.source.year,
      source_url: item.source.url,
      challenges: item.areas.join(';'),
      submitted_by: item.submittedBy,
      created_at: item.createdAt,
    }));
  }

  private organisations(): Rows {
    return this.s.organisations.list().map((o) => ({ slug: o.slug, name: o.name, about: o.about, website: o.website, joined_at: o.joinedAt }));
  }
}

/** Frictionless Data Package: every file, its format and, for the tables, each field. */
function datapackage(names: string[]) {
  const resource = (path: string) => {
    const [table, ext] = [path.replace(/\.(csv|json)$/, ''), path.split('.').pop()!];
    const fields = (FIELDS as Record<string, Field[]>)[table]!;
    return {
      name: `${table}-${ext}`,
      path,
      profile: 'tabular-data-resource',
      format: ext,
      mediatype: ext === 'csv' ? 'text/csv' : 'application/json',
      encoding: ext === 'csv' ? 'utf-8-sig' : 'utf-8',
      ...(ext === 'csv' ? { dialect: { delimiter: ',', lineTerminator: '\r\n', header: true } } : {}),
      schema: { fields: fields.map(({ name, type, description }) => ({ name, type, description })) },
    };
  };
  return {
    profile: 'tabular-data-package',
    name: 'reclaim-the-internet-ideas',
    title: 'Recl@im the Internet: ideas, arguments, conference results and moderation',
    description:
      'Published content and aggregates only: no e-mail address, no voter, no network, nothing taken down or waiting for review. Votes are counts; breakdowns by stakeholder group fold groups with fewer than 3 votes. Rebuilt at most once a minute.',
    licenses: [LICENCE],
    resources: names.filter((name) => name !== 'datapackage.json').map(resource),
  };
}
