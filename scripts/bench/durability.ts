import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Types } from 'mongoose';
import { Vote } from '../../models/index.js';
import { connectDatabase, disconnectDatabase } from '../../server/platform/database.js';
import { startEmbeddedDatabase } from '../../server/platform/embedded-db.js';
import { VoteWriter } from '../../server/board/vote-writer.js';
import { now, serve } from './ipc.js';

export interface DurabilityPhase {
  votes: number;
  acknowledged: number;
  failed: number;
  stored: number;
  elapsedMs: number;
}

export type DurabilityApi = {
  /** The same votes, from `concurrency` voters each waiting for its ack: one insertOne per vote, then the group commit. */
  run: {
    params: { votes: number; concurrency: number };
    result: { perVote: DurabilityPhase; groupCommit: DurabilityPhase & { batches: number } };
  };
};

const IDEAS = 20;

/** Fresh ideas and voters for each phase, so every vote is a new {idea, voter} pair and each phase counts its own. */
function pairs(votes: number) {
  const ideas = Array.from({ length: IDEAS }, () => new Types.ObjectId());
  const voters = Array.from({ length: Math.ceil(votes / IDEAS) }, () => new Types.ObjectId());
  return { ideas, pair: (i: number) => ({ idea: ideas[i % IDEAS]!, voter: voters[Math.floor(i / IDEAS)]! }) };
}

async function phase(votes: number, concurrency: number, insert: (idea: Types.ObjectId, voter: Types.ObjectId) => Promise<boolean>): Promise<DurabilityPhase> {
  const { ideas, pair } = pairs(votes);
  let next = 0;
  let acknowledged = 0;
  let failed = 0;
  const start = now();
  const voter = async () => {
    while (next < votes) {
      const { idea, voter } = pair(next++);
      try {
        if (await insert(idea, voter)) acknowledged++;
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, voter));
  const elapsedMs = now() - start;
  const stored = await Vote.countDocuments({ idea: { $in: ideas } });
  return { votes, acknowledged, failed, stored, elapsedMs };
}

serve<DurabilityApi>({
  async run({ votes, concurrency }) {
    const dataDir = mkdtempSync(join(tmpdir(), 'reclaim-bench-db-'));
    const db = await startEmbeddedDatabase(dataDir);
    try {
      await connectDatabase(db.uri);
      // Warms the connection pool and the collection, so neither phase pays for first use.
      await phase(200, concurrency, async (idea, voter) => {
        await Vote.collection.insertOne({ _id: new Types.ObjectId(), idea, voter, createdAt: new Date() });
        return true;
      });
      const perVote = await phase(votes, concurrency, async (idea, voter) => {
        await Vote.collection.insertOne({ _id: new Types.ObjectId(), idea, voter, createdAt: new Date() });
        return true;
      });
      const writer = new VoteWriter();
      const groupCommit = await phase(votes, concurrency, async (idea, voter) => (await writer.insert(idea, voter)) !== null);
      await writer.drain();
      return { perVote, groupCommit: { ...groupCommit, batches: writer.stats.batches } };
    } finally {
      await disconnectDatabase();
      await db.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
});
