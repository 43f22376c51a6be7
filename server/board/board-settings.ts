import type { z } from 'zod';
import { BOARD_SETTINGS_ID, CONFERENCE_DEFAULTS, Setting } from '../../models/index.js';
import { REPORTS_TO_HIDE, type Voters } from '../../realtime/vocabulary.js';
import type { BoardSettingsChange, BoardSettingsView } from '../../realtime/schemas/board.js';
import type { conferenceEdit, conferenceInfo } from '../../realtime/schemas/campaign.js';
import { KeyedQueue } from '../platform/keyed-queue.js';

type ConferenceInfo = z.infer<typeof conferenceInfo>;

/** How stale the who-may-vote switch may be on a server: every vote reads it, so not from the database each time. */
const VOTING_FRESH_MS = 1_000;

/**
 * The board's switches, read from the database when needed rather than kept in memory: with several
 * servers, one facilitator's switch must hold on every server at once. Review is read when someone
 * posts an idea; who may vote is read for votes, at most once a second per server. The conference's
 * date, place and description live in the same document.
 */
export class BoardSettings {
  private voters: { value: Promise<Voters>; at: number } | null = null;

  /** The one writer of the settings document: with several servers, a queue holding the Redis lock. */
  constructor(private readonly writes = new KeyedQueue()) {}

  async current(): Promise<BoardSettingsView> {
    const doc = await Setting.findById(BOARD_SETTINGS_ID, { reviewNewIdeas: 1, voting: 1, reportThreshold: 1 }).lean();
    return { reviewNewIdeas: doc?.reviewNewIdeas ?? false, voting: (doc?.voting ?? 'everyone') as Voters, reportThreshold: doc?.reportThreshold ?? REPORTS_TO_HIDE };
  }

  async reportThreshold(): Promise<number> {
    return (await this.current()).reportThreshold;
  }

  async reviewNewIdeas(): Promise<boolean> {
    return (await this.current()).reviewNewIdeas;
  }

  voting(): Promise<Voters> {
    const now = Date.now();
    if (!this.voters || now - this.voters.at > VOTING_FRESH_MS) {
      const value = this.current().then((settings) => settings.voting);
      // A failed read is not kept: the next vote asks again.
      value.catch(() => (this.voters = null));
      this.voters = { value, at: now };
    }
    return this.voters.value;
  }

  /**
   * Each change sets every field it holds, so two at once leave the last one's choice; the one writer
   * keeps a switch and a conference edit from writing back each other's stale copy of the document.
   */
  change(change: BoardSettingsChange): Promise<BoardSettingsView> {
    return this.writes.run(BOARD_SETTINGS_ID, 'set', async () => {
      await Setting.updateOne({ _id: BOARD_SETTINGS_ID }, { $set: { ...change, changedAt: new Date() } });
      this.voters = null;
      return this.current();
    });
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
