import { BOARD_SETTINGS_ID, Setting } from '../models/index.js';
import type { BoardSettingsChange, BoardSettingsView, Voters } from '../realtime/schemas.js';
import { KeyedQueue } from './keyed-queue.js';

/** How stale the who-may-vote switch may be on a server: every vote reads it, so not from the database each time. */
const VOTING_FRESH_MS = 1_000;

/**
 * The board's switches, read from the database when needed rather than kept in memory: with several
 * servers, one facilitator's switch must hold on every server at once. Review is read when someone
 * posts an idea; who may vote is read for votes, at most once a second per server.
 */
export class BoardSettings {
  private readonly writes = new KeyedQueue();
  private voters: { value: Promise<Voters>; at: number } | null = null;

  async current(): Promise<BoardSettingsView> {
    const doc = await Setting.findById(BOARD_SETTINGS_ID, { reviewNewIdeas: 1, voting: 1 }).lean();
    return { reviewNewIdeas: doc?.reviewNewIdeas ?? false, voting: (doc?.voting ?? 'everyone') as Voters };
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

  /** Changes rare enough, and each setting every field it holds, that two at once leave the last one's choice. */
  change(change: BoardSettingsChange): Promise<BoardSettingsView> {
    return this.writes.run(BOARD_SETTINGS_ID, 'set', async () => {
      await Setting.updateOne({ _id: BOARD_SETTINGS_ID }, { $set: { ...change, changedAt: new Date() } });
      this.voters = null;
      return this.current();
    });
  }
}

