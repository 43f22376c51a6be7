import type { z } from 'zod';
import { BOARD_SETTINGS_ID, CONFERENCE_DEFAULTS, Setting } from '../../models/index.js';
import { REPORTS_TO_HIDE, type Voters } from '../../realtime/vocabulary.js';
import type { BoardSettingsChange, BoardSettingsView } from '../../realtime/schemas/board.js';
import type { conferenceEdit, conferenceInfo } from '../../realtime/schemas/campaign.js';
import { KeyedQueue } from '../platform/keyed-queue.js';
import type { Publisher } from '../platform/bus.js';
import type { BoardEvents } from './events.js';

type ConferenceInfo = z.infer<typeof conferenceInfo>;

/**
 * How long a server's copy of the switches counts as fresh. A change made here or heard from another
 * server (`settings:changed`) drops the copy at once; past this, the copy is read again in the
 * background, which bounds how stale it can be when a change was missed while Redis was away.
 */
const FRESH_MS = 1_000;

/**
 * The board's switches: every vote and every comment asks them (review, who may vote), and a read per
 * comment cost FerretDB more than storing the comment did. Callers get the last copy read, so a
 * database that stalls holds back no vote on a read of the switches (the vote is then refused by its
 * writer's queue, or stored); only the first read, and the first after a change, wait for the
 * database. With several servers, a facilitator's switch holds everywhere at once: the server that
 * changes it tells the others, who read it again. The conference's date, place and description live in
 * the same document.
 */
export class BoardSettings {
  private copy: { value: BoardSettingsView; readFrom: number } | null = null;
  private reading: Promise<BoardSettingsView> | null = null;
  /** Bumped by `forget`: a read begun before a change must not become the copy after it. */
  private generation = 0;

  /** `writes`: the one writer of the settings document (with several servers, a queue holding the Redis lock). */
  constructor(
    private readonly events: Publisher<Pick<BoardEvents, 'settings:changed'>>,
    private readonly writes = new KeyedQueue(),
  ) {}

  current(): Promise<BoardSettingsView> {
    if (!this.copy) return this.refresh();
    // A failed background read leaves the copy as it was; the next caller tries again.
    if (Date.now() - this.copy.readFrom > FRESH_MS) this.refresh().catch(() => undefined);
    return Promise.resolve(this.copy.value);
  }

  async reportThreshold(): Promise<number> {
    return (await this.current()).reportThreshold;
  }

  async reviewNewIdeas(): Promise<boolean> {
    return (await this.current()).reviewNewIdeas;
  }

  async voting(): Promise<Voters> {
    return (await this.current()).voting;
  }

  /** The switches changed (here or on another server): the next caller waits for a fresh read. */
  forget(): void {
    this.copy = null;
    this.reading = null;
    this.generation++;
  }

  /** One read at a time; it becomes the copy unless the switches changed meanwhile. */
  private refresh(): Promise<BoardSettingsView> {
    if (this.reading) return this.reading;
    const generation = this.generation;
    const readFrom = Date.now();
    const reading = this.read()
      .then((value) => {
        if (generation === this.generation) this.copy = { value, readFrom };
        return value;
      })
      .finally(() => {
        if (this.reading === reading) this.reading = null;
      });
    this.reading = reading;
    return reading;
  }

  /**
   * Each change sets every field it holds, so two at once leave the last one's choice; the one writer
   * keeps a switch and a conference edit from writing back each other's stale copy of the document.
   */
  change(change: BoardSettingsChange): Promise<BoardSettingsView> {
    return this.writes.run(BOARD_SETTINGS_ID, 'set', async () => {
      await Setting.updateOne({ _id: BOARD_SETTINGS_ID }, { $set: { ...change, changedAt: new Date() } });
      this.forget();
      this.events.publish('settings:changed');
      return this.current();
    });
  }

  private async read(): Promise<BoardSettingsView> {
    const doc = await Setting.findById(BOARD_SETTINGS_ID, { reviewNewIdeas: 1, voting: 1, reportThreshold: 1 }).lean();
    return { reviewNewIdeas: doc?.reviewNewIdeas ?? false, voting: (doc?.voting ?? 'everyone') as Voters, reportThreshold: doc?.reportThreshold ?? REPORTS_TO_HIDE };
  }

  async conference(): Promise<ConferenceInfo> {
    const doc = await Setting.findById(BOARD_SETTINGS_ID, { conference: 1 }).lean();
    const stored = doc?.conference;
    return { date: stored?.date ?? CONFERENCE_DEFAULTS.date, place: stored?.place ?? CONFERENCE_DEFAULTS.place, about: stored?.about ?? CONFERENCE_DEFAULTS.about };
  }

  changeConference(change: z.infer<typeof conferenceEdit>): Promise<ConferenceInfo> {
    return this.writes.run(BOARD_SETTINGS_ID, 'conference', async () => {
      const conference = { ...(await this.conference()), ...change };
      await Setting.updateOne({ _id: BOARD_SETTINGS_ID }, { $set: { conference, changedAt: new Date() } });
      return conference;
    });
  }
}
