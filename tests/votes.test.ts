import { EventBus } from '../server/platform/bus.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { Vote } from '../models/index.js';
import { VoteService } from '../server/board/votes.js';
import type { VoteWriter } from '../server/board/vote-writer.js';
import { ask, HttpClient, nextEvent, openSocket, startTestBoard, type TestBoard } from './harness.js';

let run: TestBoard;

beforeAll(async () => {
  run = await startTestBoard();
});

afterAll(async () => {
  await run?.teardown();
});

async function newIdea(title = 'Specialist police units for online abuse'): Promise<{ author: HttpClient; id: string }> {
  const author = new HttpClient(run.url);
  await author.session();
  const { status, body } = await author.request('POST', '/api/ideas', { area: 'police', title, body: 'Every force should have one.' });
  expect(status).toBe(201);
  return { author, id: body.idea.id };
}

/** `count` people, each with a guest session. */
const guests = (count: number) =>
  Promise.all(
    Array.from({ length: count }, async () => {
      const guest = new HttpClient(run.url);
      await guest.session();
      return guest;
    }),
  );

const storedVotes = (ideaId: string) => Vote.countDocuments({ idea: new Types.ObjectId(ideaId) });

describe('votes', () => {
  it('counts 50 concurrent casts of the same vote by one participant once, over HTTP', async () => {
    const { id } = await newIdea();
    const voter = new HttpClient(run.url);
    await voter.session();
    const responses = await Promise.all(Array.from({ length: 50 }, () => voter.request('PUT', `/api/ideas/${id}/vote`)));
    for (const response of responses) {
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ ideaId: id, votes: 1, votedByMe: true });
    }
    expect(await storedVotes(id)).toBe(1);
    const list = await voter.request('GET', '/api/ideas?area=police&sort=new&limit=5');
    expect(list.body.ideas.find((i: { id: string }) => i.id === id)).toMatchObject({ votes: 1, votedByMe: true });
  });

  it('counts 50 concurrent casts of the same vote by one participant once, over the socket', async () => {
    const { id } = await newIdea('Clear guidance on when threats are crimes');
    const voter = new HttpClient(run.url);
    await voter.session();
    const socket = await openSocket(run.url, voter.cookie);
    try {
      const acks = await Promise.all(Array.from({ length: 30 }, () => ask(socket, 'vote:cast', { ideaId: id })));
      // A second socket of the same person: the per-socket command limit must not be what dedupes.
      const second = await openSocket(run.url, voter.cookie);
      const more = await Promise.all(Array.from({ length: 20 }, () => ask(second, 'vote:cast', { ideaId: id })));
      second.close();
      for (const ack of [...acks, ...more]) expect(ack).toEqual({ ok: true, data: { ideaId: id, votes: 1, votedByMe: true } });
      expect(await storedVotes(id)).toBe(1);
    } finally {
      socket.close();
    }
  });

  it('counts every one of 200 concurrent votes by 200 participants on one idea', async () => {
    const { id } = await newIdea('Platforms must publish abuse report statistics');
    const voters = await guests(200);
    const responses = await Promise.all(voters.map((v) => v.request('PUT', `/api/ideas/${id}/vote`)));
    expect(responses.every((r) => r.status === 200 && r.body.votedByMe === true)).toBe(true);
    expect(Math.max(...responses.map((r) => r.body.votes))).toBe(200);
    expect(await storedVotes(id)).toBe(200);
    const { body } = await voters[0]!.request('GET', `/api/ideas/${id}`);
    expect(body.idea.votes).toBe(200);
  });

  it('keeps both a vote and an edit that race on the same idea', async () => {
    const { author, id } = await newIdea('Original title of a racing idea');
    const voters = await Promise.all(
      Array.from({ length: 40 }, async () => {
        const voter = new HttpClient(run.url);
        await voter.session();
        return voter;
      }),
    );
    const edits = ['Edited title one', 'Edited title two', 'Final edited title'];
    const [voteResponses, editResponses] = await Promise.all([
      Promise.all(voters.map((v) => v.request('PUT', `/api/ideas/${id}/vote`))),
      Promise.all(edits.map((title) => author.request('PATCH', `/api/ideas/${id}`, { title }))),
    ]);
    expect(voteResponses.every((r) => r.status === 200)).toBe(true);
    expect(editResponses.map((r) => r.status)).toEqual([200, 200, 200]);
    const { body } = await author.request('GET', `/api/ideas/${id}`);
    expect(body.idea.votes).toBe(40);
    expect(edits).toContain(body.idea.title);
    expect(await storedVotes(id)).toBe(40);
  });

  it('retracts and casts again in the order they were sent', async () => {
    const { id } = await newIdea('Order matters for one participant');
    const voter = new HttpClient(run.url);
    await voter.session();
    // One socket delivers in order (separate HTTP connections would not), all without waiting for acks.
    const socket = await openSocket(run.url, voter.cookie);
    try {
      const sequence = ['vote:cast', 'vote:retract', 'vote:cast', 'vote:retract', 'vote:cast'] as const;
      const acks = await Promise.all(sequence.map((event) => ask(socket, event, { ideaId: id })));
      expect(acks.map((a) => a.ok && a.data.votedByMe)).toEqual([true, false, true, false, true]);
      expect(await storedVotes(id)).toBe(1);
      const retracted = await voter.request('DELETE', `/api/ideas/${id}/vote`);
      expect(retracted.body).toEqual({ ideaId: id, votes: 0, votedByMe: false });
      expect(await storedVotes(id)).toBe(0);
    } finally {
      socket.close();
    }
  });

  it('stores the votes that arrive together in one group commit, each settled on its own', async () => {
    const { id } = await newIdea('Group commit check');
    const { VoteWriter } = await import('../server/board/vote-writer.js');
    const writer = new VoteWriter({ windowMs: 20 });
    const idea = new Types.ObjectId(id);
    const voters = Array.from({ length: 100 }, () => new Types.ObjectId());
    const outcomes = await Promise.all([...voters, voters[0]!].map((voter) => writer.insert(idea, voter)));
    expect(writer.stats).toEqual({ batches: 1, votes: 101 });
    const storedIds = outcomes.slice(0, 100);
    expect(new Set(storedIds).size).toBe(100);
    for (const storedId of storedIds) expect(storedId).toMatch(/^[0-9a-f]{24}$/);
    expect(outcomes.at(-1)).toBeNull();
    expect(await storedVotes(id)).toBe(100);
  });

  it('deletes the votes retracted together in one batch, and says what it knows of each', async () => {
    const { id } = await newIdea('Group delete check');
    const { VoteWriter } = await import('../server/board/vote-writer.js');
    const writer = new VoteWriter({ windowMs: 20 });
    const idea = new Types.ObjectId(id);
    const voteIds = (await Promise.all(Array.from({ length: 30 }, () => writer.insert(idea, new Types.ObjectId())))).map((v) => new Types.ObjectId(v!));
    expect(await storedVotes(id)).toBe(30);

    // All there: each is known deleted.
    expect(await Promise.all(voteIds.slice(0, 10).map((v) => writer.remove(v)))).toEqual(Array(10).fill('deleted'));
    expect(await storedVotes(id)).toBe(20);
    // None there (deleted already): each is known absent.
    expect(await Promise.all(voteIds.slice(0, 3).map((v) => writer.remove(v)))).toEqual(Array(3).fill('absent'));
    // Some there: each is gone now, but the batch cannot say which it deleted.
    expect(await Promise.all([...voteIds.slice(0, 2), ...voteIds.slice(10, 15)].map((v) => writer.remove(v)))).toEqual(Array(7).fill('gone'));
    expect(await storedVotes(id)).toBe(15);
  });

  it('takes back 200 votes retracted at once with the right count, in a few database commands', async () => {
    const { id } = await newIdea('Many retractions at once');
    const voters = await guests(200);
    await Promise.all(voters.map((v) => v.request('PUT', `/api/ideas/${id}/vote`)));
    expect(await storedVotes(id)).toBe(200);
    const before = { ...run.board.voteWriter.removals };
    const retracted = await Promise.all(voters.map((v) => v.request('DELETE', `/api/ideas/${id}/vote`)));
    const { removals } = run.board.voteWriter;
    expect(removals.votes - before.votes).toBe(200);
    expect(removals.batches - before.batches).toBeLessThan(100);
    expect(retracted.every((r) => r.status === 200 && r.body.votedByMe === false)).toBe(true);
    expect(Math.min(...retracted.map((r) => r.body.votes))).toBe(0);
    expect(await storedVotes(id)).toBe(0);
    const reader = new HttpClient(run.url);
    await reader.session();
    expect((await reader.request('GET', `/api/ideas/${id}`)).body.idea.votes).toBe(0);
  });

  it('tells the voters of a batch the driver lost that it failed, and writes the next batch', async () => {
    const { GroupCommit } = await import('../server/platform/group-commit.js');
    const { DATABASE_AWAY } = await import('../server/platform/errors.js');
    let calls = 0;
    // The first insert is never answered, as when the driver writes to a socket that has just closed.
    const collection = { insertMany: () => (++calls === 1 ? new Promise(() => undefined) : Promise.resolve({})) };
    const writer = new GroupCommit(() => collection as never, { windowMs: 5, deadlineMs: 50 });
    const lost = writer.store({ _id: new Types.ObjectId() });
    await expect(lost).rejects.toMatchObject({ code: 'UNAVAILABLE', message: DATABASE_AWAY });
    const next = new Types.ObjectId();
    expect(await writer.store({ _id: next })).toBe(next.toString());
    expect(calls).toBe(2);
  });

  it('refuses at once a database call in flight when the driver drops its connections', async () => {
    const { withDeadline } = await import('../server/platform/database.js');
    const mongoose = (await import('mongoose')).default;
    expect(await withDeadline(Promise.resolve('stored'))).toBe('stored');
    const startedAt = performance.now();
    const lost = withDeadline(new Promise(() => undefined));
    const refused = expect(lost).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    mongoose.connection.getClient().emit('connectionPoolCleared', {} as never);
    await refused;
    expect(performance.now() - startedAt).toBeLessThan(1_000);
  });

  it('holds a vote that arrives during a write for the next batch, which still waits out its window', async () => {
    const { id } = await newIdea('Batches wait for company after a write');
    const { VoteWriter } = await import('../server/board/vote-writer.js');
    const writer = new VoteWriter({ windowMs: 50, maxBatch: 40 });
    const idea = new Types.ObjectId(id);
    const voters = Array.from({ length: 42 }, () => new Types.ObjectId());
    // The 40th vote fills a batch, which goes out at once; the 41st arrives while it is written.
    const full = voters.slice(0, 40).map((voter) => writer.insert(idea, voter));
    const duringWrite = writer.insert(idea, voters[40]!);
    await Promise.all(full);
    // Everything the finished write set off has run: a batch cut on the write's end would be out.
    await new Promise((resolve) => setImmediate(resolve));
    const afterWrite = writer.insert(idea, voters[41]!);
    await Promise.all([duringWrite, afterWrite]);
    expect(writer.stats).toEqual({ batches: 2, votes: 42 });
    expect(await storedVotes(id)).toBe(42);
  });

  it('shows a vote to watchers while it is being stored, and takes it back when storing fails', async () => {
    const { id } = await newIdea('Counted at once, stored before the ack');
    const voter = new HttpClient(run.url);
    const voterId = await voter.session();
    const watcher = await openSocket(run.url);
    try {
      expect((await ask(watcher, 'board:watch', { area: 'police' })).ok).toBe(true);
      // The database's answer is held back, then fails, as when the connection drops mid-write.
      let failStoring!: (error: Error) => void;
      const stalled = { admit: () => undefined, insert: () => new Promise<string | null>((_, reject) => (failStoring = reject)) } as unknown as VoteWriter;
      const votes = new VoteService(run.board.state, run.board.ledger, stalled, new EventBus(), false);

      const shown = nextEvent(watcher, 'tally:changed', (p) => p.counts[id] === 1);
      const casting = votes.cast(id, voterId);
      await shown;
      // A recount that reads the votes meanwhile does not undo a count still being stored.
      await run.board.ledger.reconcile();
      expect(run.board.state.get(id)?.votes).toBe(1);
      expect(run.board.ledger.needsRecount).toBe(false);
      const takenBack = nextEvent(watcher, 'tally:changed', (p) => p.counts[id] === 0);
      failStoring(new Error('connection reset'));
      await expect(casting).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      await takenBack;
      expect(await storedVotes(id)).toBe(0);
      // Whether that vote was stored is unknown here, so the board asks for a recount; one clears it.
      expect(run.board.ledger.needsRecount).toBe(true);
      await run.board.ledger.reconcile();
      expect(run.board.ledger.needsRecount).toBe(false);

      const again = await voter.request('PUT', `/api/ideas/${id}/vote`);
      expect(again.body).toEqual({ ideaId: id, votes: 1, votedByMe: true });
      expect(await storedVotes(id)).toBe(1);
    } finally {
      watcher.close();
    }
  });

  it('lets only the author edit an idea', async () => {
    const { id } = await newIdea('Only mine to edit');
    const stranger = new HttpClient(run.url);
    await stranger.session();
    const response = await stranger.request('PATCH', `/api/ideas/${id}`, { title: 'Hijacked title' });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('FORBIDDEN');
  });
});
