import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { RoomVote, Vote } from '../models/index.js';
import { DATABASE_BEHIND } from '../server/platform/errors.js';
import { ask, record, removeDataDir, startBoard, startDatabase, stopDatabaseConnection, TestCrowd, type ClientSocket, type Database, type RunningBoard } from './harness.js';

/** A database that stops answering for a while (stopped, not dead): writes queue, and past a bound new ones are refused at once. */

const MAX_WAIT_MS = 300;

let db: Database;
let run: RunningBoard;
let crowd: TestCrowd;

beforeAll(async () => {
  db = await startDatabase();
  run = await startBoard(db.uri, { dataDir: db.dataDir, voteMaxWaitMs: MAX_WAIT_MS });
  crowd = new TestCrowd(run.url);
});

afterAll(async () => {
  crowd?.close();
  const pid = db?.pid();
  if (pid) process.kill(pid, 'SIGCONT');
  await run?.stop();
  await stopDatabaseConnection();
  await db?.stop();
  if (db) removeDataDir(db.dataDir);
});

const sockets = (count: number) => Promise.all(Array.from({ length: count }, async () => (await crowd.person()).socket));
const stored = (ideaId: string) => Vote.countDocuments({ idea: new Types.ObjectId(ideaId) });

describe.skipIf(process.env.MONGODB_URI)('votes while the database is behind', () => {
  it('refuses new votes at once, counting nothing, and stores every vote it took once the database answers', async () => {
    const { board } = run;
    const [queued, waiting, refusedHere] = await Promise.all([crowd.newIdea('Queued while the database stalls'), crowd.newIdea('Refused while it stalls'), crowd.newIdea('Withdrawn while it stalls')]);
    const admin = await crowd.facilitator();
    const created = await admin.http.request('POST', '/api/live', { title: 'A hall on a slow database', ideaIds: [queued] });
    expect(created.status).toBe(201);
    const code = created.body.code as string;
    expect(await ask(admin.socket, 'live:control', { code, action: 'publish' })).toMatchObject({ ok: true });

    const voters = await sockets(3);
    const hall = await sockets(3);
    for (const phone of hall) expect(await ask(phone, 'live:join', { code })).toMatchObject({ ok: true });
    const withdrawers = await sockets(3);
    for (const socket of withdrawers) expect(await ask(socket, 'vote:cast', { ideaId: refusedHere })).toMatchObject({ ok: true });
    const watcher = (await sockets(1))[0]!;
    expect(await ask(watcher, 'board:watch', { area: 'police' })).toMatchObject({ ok: true });
    const tallies = record(watcher, 'tally:changed');

    /** Sends a command, and once its batch is being written (and stuck), a second one that waits behind it. */
    const stuckPair = async (batches: () => number, send: (socket: ClientSocket) => Promise<{ ok: boolean }>, [first, second]: ClientSocket[]) => {
      const before = batches();
      const acks = [send(first!)];
      await expect.poll(batches, { timeout: 5_000, interval: 5 }).toBeGreaterThan(before);
      acks.push(send(second!));
      return acks;
    };

    const pid = db.pid()!;
    process.kill(pid, 'SIGSTOP');
    const admitted = [
      ...(await stuckPair(() => board.voteWriter.stats.batches, (s) => ask(s, 'vote:cast', { ideaId: queued }, 15_000), voters)),
      ...(await stuckPair(() => board.roomVotes.writer.stats.batches, (s) => ask(s, 'vote:cast', { ideaId: queued, code }, 15_000), hall)),
      ...(await stuckPair(() => board.voteWriter.removals.batches, (s) => ask(s, 'vote:retract', { ideaId: refusedHere }, 15_000), withdrawers)),
    ];
    for (const waitedMs of [() => board.voteWriter.waitedMs, () => board.roomVotes.writer.waitedMs, () => board.voteWriter.removalWaitedMs]) {
      await expect.poll(waitedMs, { timeout: 5_000, interval: 20 }).toBeGreaterThanOrEqual(MAX_WAIT_MS);
    }
    // Long enough stopped that the board's switches (which votes ask) are due to be read again: that read
    // waits on the database too, and must not hold the votes below back.
    await expect.poll(() => board.voteWriter.waitedMs, { timeout: 5_000, interval: 20 }).toBeGreaterThan(1_500);

    // Each of these waits behind a write that has waited the bound: refused at once, with nothing counted.
    const refusedAt = performance.now();
    const refused = await Promise.all([
      ask(voters[2]!, 'vote:cast', { ideaId: waiting }),
      ask(hall[2]!, 'vote:cast', { ideaId: queued, code }),
      ask(withdrawers[2]!, 'vote:retract', { ideaId: refusedHere }),
    ]);
    expect(performance.now() - refusedAt).toBeLessThan(1_000);
    for (const ack of refused) expect(ack).toEqual({ ok: false, code: 'UNAVAILABLE', message: DATABASE_BEHIND });
    expect(board.state.get(waiting)?.votes).toBe(0);

    process.kill(pid, 'SIGCONT');
    for (const ack of await Promise.all(admitted)) expect(ack).toMatchObject({ ok: true });
    expect(await stored(queued)).toBe(2);
    expect(await stored(waiting)).toBe(0);
    expect(await stored(refusedHere)).toBe(1);
    expect(await RoomVote.countDocuments({ session: code })).toBe(2);
    expect(board.state.get(refusedHere)?.votes).toBe(1);
    // A refusal is known not to have been written: no recount is needed to trust the counts.
    expect(board.ledger.needsRecount).toBe(false);

    // Tried again, the refused vote counts, and it is the first count of its idea the watcher sees.
    expect(await ask(voters[2]!, 'vote:cast', { ideaId: waiting })).toMatchObject({ ok: true, data: { votes: 1, votedByMe: true } });
    await expect.poll(() => tallies.seen.some(({ counts }) => counts[waiting] !== undefined), { timeout: 5_000 }).toBe(true);
    expect(tallies.seen.flatMap(({ counts }) => (counts[waiting] === undefined ? [] : [counts[waiting]]))).toEqual([1]);
    expect(await ask(hall[2]!, 'vote:cast', { ideaId: queued, code })).toMatchObject({ ok: true });
    expect(await RoomVote.countDocuments({ session: code })).toBe(3);
  });
});
