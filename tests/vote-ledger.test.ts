import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { Idea, Vote } from '../models/index.js';
import { BoardState } from '../server/board/board-state.js';
import { connectDatabase } from '../server/platform/database.js';
import { VoteLedger, type StoreOutcome } from '../server/board/vote-ledger.js';
import { VoteWriter } from '../server/board/vote-writer.js';
import { EventBus } from '../server/platform/bus.js';
import { PersonHints } from '../server/platform/person-hints.js';
import { removeDataDir, startDatabase, stopDatabaseConnection, type Database } from './harness.js';

let db: Database;

beforeAll(async () => {
  db = await startDatabase();
  await connectDatabase(db.uri);
});

afterAll(async () => {
  await stopDatabaseConnection();
  await db?.stop();
  if (db) removeDataDir(db.dataDir);
});

/** A board and its ledger read from the database, as a server starts with them. */
async function loadBoard(): Promise<{ board: BoardState; ledger: VoteLedger }> {
  const board = new BoardState();
  const ledger = new VoteLedger(board);
  await ledger.load(new PersonHints(new EventBus()));
  return { board, ledger };
}

async function newIdea(title: string): Promise<string> {
  const doc = await Idea.create({ area: 'platforms', title, body: '', author: new Types.ObjectId() });
  return doc._id.toString();
}

const someone = () => new Types.ObjectId().toString();

/** An idea with two stored votes, one of them `voter`'s, and a ledger read after them. */
async function twoVotes(title: string) {
  const ideaId = await newIdea(title);
  const voter = someone();
  const stored = await Vote.create({ idea: new Types.ObjectId(ideaId), voter: new Types.ObjectId(voter) });
  await Vote.create({ idea: new Types.ObjectId(ideaId), voter: new Types.ObjectId() });
  return { ideaId, voter, stored, ...(await loadBoard()) };
}
const FAILED: StoreOutcome = { kind: 'failed' };

describe('vote ledger', () => {
  it('reads ballots and counts from the stored votes, so a retraction knows the vote it deletes', async () => {
    const ideaId = await newIdea('Ballots come from the votes');
    const voter = someone();
    const stored = await Vote.create({ idea: new Types.ObjectId(ideaId), voter: new Types.ObjectId(voter) });
    await Vote.create({ idea: new Types.ObjectId(ideaId), voter: new Types.ObjectId() });
    const { board, ledger } = await loadBoard();

    expect(board.get(ideaId)?.votes).toBe(2);
    expect(ledger.ballots.ballotCount(ideaId)).toBe(2);
    expect(ledger.ballots.votedBy(voter, [ideaId, 'another'])).toEqual(new Set([ideaId]));
    expect(ledger.ballots.ballotOf(voter, ideaId)).toEqual({ kind: 'stored', voteId: stored._id.toString() });
    expect(ledger.ballots.ballotOf(someone(), ideaId)).toEqual({ kind: 'none' });
  });

  it('counts a new vote ahead of the store and acks the count it made, whatever moved before the answer', async () => {
    const ideaId = await newIdea('Counted ahead');
    const { board, ledger } = await loadBoard();
    const first = ledger.enter(ideaId, someone(), 1);
    const second = ledger.enter(ideaId, someone(), 1);
    expect(board.get(ideaId)?.votes).toBe(2);

    const settledFirst = ledger.settle(first, { kind: 'stored', voteId: new Types.ObjectId().toString() });
    const settledSecond = ledger.settle(second, { kind: 'stored', voteId: new Types.ObjectId().toString() });
    expect(settledFirst.votes).toBe(1);
    expect(settledSecond.votes).toBe(2);
    expect(settledFirst.move).toMatchObject({ ideaId, voterId: first.voterId, delta: 1 });
    expect(board.get(ideaId)?.votes).toBe(2);
    expect(ledger.ballots.votedBy(first.voterId, [ideaId]).has(ideaId)).toBe(true);
  });

  it('takes back a count whose write failed, keeps no ballot, and asks for a recount', async () => {
    const ideaId = await newIdea('A write that failed');
    const { board, ledger } = await loadBoard();
    const voter = someone();
    const entry = ledger.enter(ideaId, voter, 1);
    expect(board.get(ideaId)?.votes).toBe(1);

    expect(ledger.settle(entry, FAILED).move).toBeNull();
    expect(board.get(ideaId)?.votes).toBe(0);
    expect(ledger.ballots.ballotOf(voter, ideaId)).toEqual({ kind: 'none' });
    expect(ledger.needsRecount).toBe(true);
    await ledger.reconcile();
    expect(ledger.needsRecount).toBe(false);
  });

  it('counts a vote another server stored first once, when that server tells of it', async () => {
    const ideaId = await newIdea('Stored by the other server');
    const { board, ledger } = await loadBoard();
    const voter = someone();
    const writer = new VoteWriter({ windowMs: 1 });
    const voteId = await writer.insert(new Types.ObjectId(ideaId), new Types.ObjectId(voter));
    expect(voteId).not.toBeNull();

    // This server has not heard of that vote yet: it counts the same vote ahead, and the database says no.
    const entry = ledger.enter(ideaId, voter, 1);
    expect(entry.countedAhead).toBe(true);
    expect(board.get(ideaId)?.votes).toBe(1);
    expect(await writer.insert(new Types.ObjectId(ideaId), new Types.ObjectId(voter))).toBeNull();
    expect(ledger.settle(entry, { kind: 'already-stored' })).toEqual({ move: null, votes: 0 });
    expect(ledger.ballots.ballotOf(voter, ideaId)).toEqual({ kind: 'stored-id-unknown' });

    ledger.apply({ ideaId, voterId: voter, voteId: voteId!, delta: 1 });
    expect(board.get(ideaId)?.votes).toBe(1);
    expect(ledger.ballots.ballotOf(voter, ideaId)).toEqual({ kind: 'stored', voteId });

    // Once heard of, the same vote does not count ahead, and finding it stored keeps the count and the _id.
    const again = ledger.enter(ideaId, voter, 1);
    expect(again.countedAhead).toBe(false);
    expect(ledger.settle(again, { kind: 'already-stored' })).toEqual({ move: null, votes: 1 });
    expect(ledger.ballots.ballotOf(voter, ideaId)).toEqual({ kind: 'stored', voteId });
    expect(await ledger.reconcile()).toBe(0);
  });

  it('withdraws a known vote ahead of the store, and leaves the count of one it does not know to the database', async () => {
    const { ideaId, voter, stored, board, ledger } = await twoVotes('Withdrawn');

    const retraction = ledger.enter(ideaId, voter, -1);
    expect(retraction).toMatchObject({ countedAhead: true, votes: 1, ballot: { kind: 'stored', voteId: stored._id.toString() } });
    expect(board.get(ideaId)?.votes).toBe(1);
    expect(ledger.settle(retraction, { kind: 'deleted' })).toEqual({ move: { ideaId, voterId: voter, voteId: null, delta: -1 }, votes: 1 });
    expect(ledger.ballots.ballotOf(voter, ideaId)).toEqual({ kind: 'none' });

    const unknown = ledger.enter(ideaId, someone(), -1);
    expect(unknown.countedAhead).toBe(false);
    expect(board.get(ideaId)?.votes).toBe(1);
    expect(ledger.settle(unknown, { kind: 'nothing-to-delete' })).toEqual({ move: null, votes: 1 });
  });

  it('withdraws a vote a partial delete batch cannot vouch for, and has the recount check what the database kept', async () => {
    const { ideaId, voter, stored, board, ledger } = await twoVotes('Gone from a partial batch');

    const retraction = ledger.enter(ideaId, voter, -1);
    // The batch deleted some of its votes: this one is gone, by it or before it.
    await Vote.deleteOne({ _id: stored._id });
    expect(ledger.settle(retraction, { kind: 'deleted', doubtful: true })).toMatchObject({ move: { delta: -1 }, votes: 1 });
    expect(board.get(ideaId)?.votes).toBe(1);
    expect(ledger.needsRecount).toBe(true);
    await ledger.reconcile();
    expect(ledger.needsRecount).toBe(false);
    expect(board.get(ideaId)?.votes).toBe(1);
  });

  it('corrects a drifted count on a recount, but leaves counts that moved during it or have votes in flight', async () => {
    const drifted = await newIdea('Drifted');
    const movedMeanwhile = await newIdea('Moved while recounting');
    const inFlight = await newIdea('Still being stored');
    const { board, ledger } = await loadBoard();
    // Stored without this server counting it, as when a write's ack was lost.
    await Vote.create({ idea: new Types.ObjectId(drifted), voter: new Types.ObjectId() });
    const pending = ledger.enter(inFlight, someone(), 1);

    const recount = ledger.reconcile();
    // Another server's vote arrives while the votes are read: the recount's figure for it is stale.
    ledger.apply({ ideaId: movedMeanwhile, voterId: someone(), voteId: new Types.ObjectId().toString(), delta: 1 });
    expect(await recount).toBe(1);
    expect(board.get(drifted)?.votes).toBe(1);
    expect(board.get(movedMeanwhile)?.votes).toBe(1);
    expect(board.get(inFlight)?.votes).toBe(1);

    ledger.settle(pending, FAILED);
    expect(board.get(inFlight)?.votes).toBe(0);
    // Nothing moved this time: the database's count stands.
    expect(await ledger.reconcile()).toBe(1);
    expect(board.get(movedMeanwhile)?.votes).toBe(0);
  });

  it('puts a hidden idea back with the votes its ballots kept', async () => {
    const ideaId = await newIdea('Hidden and restored');
    const { board, ledger } = await loadBoard();
    for (let i = 0; i < 3; i++) ledger.apply({ ideaId, voterId: someone(), voteId: new Types.ObjectId().toString(), delta: 1 });
    const { id, area, title, body, author, createdAt } = board.removeIdea(ideaId)!;
    expect(board.get(ideaId)).toBeUndefined();
    ledger.apply({ ideaId, voterId: someone(), voteId: new Types.ObjectId().toString(), delta: 1 });

    expect(ledger.restoreIdea({ id, area, title, body, author, createdAt }).votes).toBe(4);
    expect(board.get(ideaId)?.votes).toBe(4);
  });
});
