import { BOARD_SETTINGS_ID, Setting } from '../models/index.js';
import { KeyedQueue } from './keyed-queue.js';

/**
 * The board's switches, read from the database when needed rather than kept in memory: with several
 * servers, one facilitator's switch must hold on every server at once, and it is read only when
 * someone posts an idea or a facilitator opens the queue.
 */
export class BoardSettings {
  private readonly writes = new KeyedQueue();

  async reviewNewIdeas(): Promise<boolean> {
    const doc = await Setting.findById(BOARD_SETTINGS_ID, { reviewNewIdeas: 1 }).lean();
    return doc?.reviewNewIdeas ?? false;
  }

  setReviewNewIdeas(on: boolean): Promise<void> {
    return this.writes.run(BOARD_SETTINGS_ID, 'set', async () => {
      await Setting.updateOne({ _id: BOARD_SETTINGS_ID }, { $set: { reviewNewIdeas: on, changedAt: new Date() } });
    });
  }
}
