import type mongoose from 'mongoose';
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Comment, CommentReport, Idea, Report, RoomVote, Session, User, Vote } from '../models/index.js';
import { KeyedQueue } from '../server/platform/keyed-queue.js';
import { QUIET_HOUR_UTC, QuietHour } from '../server/platform/quiet-hour.js';
import { Retention } from '../server/privacy/retention.js';
import { FACILITATOR_CODE, HttpClient, startTestBoard, type TestBoard } from './harness.js';

let run: TestBoard;

beforeAll(async () => {
  run = await startTestBoard();
});

afterAll(async () => {
  await run?.teardown();
});

/** A guest who posts an idea, votes for it online and in the room, comments on it and reports both; ids of what they made. */
async function visitor(title: string, room: string) {
  const http = new HttpClient(run.url);
  const userId = await http.session();
  const idea = (await http.request('POST', '/api/ideas', { area: 'individuals', title, body: 'Victims should not have to chase it.' })).body.idea.id as string;
  expect((await http.request('PUT', `/api/ideas/${idea}/vote`)).status).toBe(200);
  expect((await http.request('PUT', `/api/ideas/${idea}/vote`, { code: room })).status).toBe(200);
  const comment = (await http.request('POST', `/api/ideas/${idea}/comments`, { body: 'This would help a lot of people.', stance: 'for' })).body.comment.id as string;
  expect((await http.request('POST', `/api/ideas/${idea}/report`, { reason: 'spam' })).status).toBe(200);
  expect((await http.request('POST', `/api/comments/${comment}/report`, { reason: 'spam' })).status).toBe(200);
  return { http, userId, idea, comment };
}

const networkOf = async (model: { collection: unknown }, filter: Record<string, unknown>) => {
  const docs = await (model.collection as mongoose.mongo.Collection).find(filter).toArray();
  expect(docs.length).toBeGreaterThan(0);
  return [...new Set(docs.map((doc) => doc.origin?.network ?? null))];
};

describe('retention', () => {
  it('removes idle guests and blanks the network on older facts, reading in pages and writing by _id only', async () => {
    const facilitator = new HttpClient(run.url);
    await facilitator.session();
    expect((await facilitator.request('POST', '/api/facilitator/session', { code: FACILITATOR_CODE })).status).toBe(200);
    const room = (await facilitator.request('POST', '/api/live', { title: 'Victim support', areas: ['individuals'] })).body.code as string;
    expect((await facilitator.request('POST', `/api/live/${room}/control`, { action: 'publish' })).status).toBe(200);
    const gone = await visitor('Old visit, no session left', room);
    expect((await gone.http.request('DELETE', '/api/session')).status).toBe(204);
    const stays = await visitor('Old visit, still signed in', room);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const cutoff = new Date();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const recent = await visitor('Recent visit', room);
    expect((await recent.http.request('DELETE', '/api/session')).status).toBe(204);
    const voteCounts = () => Promise.all([gone, stays, recent].map(({ idea }) => Vote.countDocuments({ idea: new Types.ObjectId(idea) })));
    const countsBefore = await voteCounts();
    expect(await networkOf(Vote, { voter: new Types.ObjectId(gone.userId) })).toEqual([expect.any(String)]);

    // Every filter the purge sends is empty or an `_id` alone: the only ones FerretDB does not test row by row.
    const filters: object[] = [];
    for (const model of [User, Session, Vote, RoomVote, Idea, Comment, Report, CommentReport]) {
      const collection = model.collection as unknown as Record<string, (...args: unknown[]) => unknown>;
      for (const method of ['find', 'findOne', 'updateOne', 'updateMany', 'deleteOne', 'deleteMany', 'bulkWrite']) {
        const original = collection[method]!.bind(collection);
        vi.spyOn(collection, method).mockImplementation((...args: unknown[]) => {
          if (method !== 'bulkWrite') filters.push(args[0] as object);
          else for (const op of args[0] as Record<string, { filter: object }>[]) filters.push(Object.values(op)[0]!.filter);
          return original(...args);
        });
      }
    }
    try {
      const result = await new Retention(90, new KeyedQueue(), { page: 2, pauseMs: 1 }).purge(cutoff);
      expect(result.guests).toBe(1);
    } finally {
      vi.restoreAllMocks();
    }
    expect(filters.length).toBeGreaterThan(10);
    for (const filter of filters) expect(Object.keys(filter).filter((key) => key !== '_id')).toEqual([]);

    expect(await User.exists({ _id: gone.userId })).toBeNull();
    expect(await User.exists({ _id: stays.userId })).not.toBeNull();
    expect(await User.exists({ _id: recent.userId })).not.toBeNull();
    for (const old of [gone, stays]) {
      expect(await networkOf(Vote, { voter: new Types.ObjectId(old.userId) })).toEqual([null]);
      expect(await networkOf(RoomVote, { voter: new Types.ObjectId(old.userId) })).toEqual([null]);
      expect(await networkOf(Idea, { _id: new Types.ObjectId(old.idea) })).toEqual([null]);
      expect(await networkOf(Comment, { _id: new Types.ObjectId(old.comment) })).toEqual([null]);
      expect(await networkOf(Report, { idea: new Types.ObjectId(old.idea) })).toEqual([null]);
      expect(await networkOf(CommentReport, { comment: new Types.ObjectId(old.comment) })).toEqual([null]);
    }
    expect(await networkOf(Vote, { voter: new Types.ObjectId(recent.userId) })).toEqual([expect.any(String)]);
    expect(await networkOf(RoomVote, { voter: new Types.ObjectId(recent.userId) })).toEqual([expect.any(String)]);
    expect(await networkOf(Idea, { _id: new Types.ObjectId(recent.idea) })).toEqual([expect.any(String)]);
    expect(await networkOf(Comment, { _id: new Types.ObjectId(recent.comment) })).toEqual([expect.any(String)]);
    // Facts stay facts: every count is what it was.
    expect(await voteCounts()).toEqual(countsBefore);
    const reader = new HttpClient(run.url);
    await reader.session();
    expect((await reader.request('GET', `/api/ideas/${gone.idea}`)).body.idea.votes).toBe(1);
  });

  it('runs the whole-collection sweeps once a day, in the quiet hour', () => {
    const quiet = new QuietHour();
    const at = (hour: number, day = 7) => Date.UTC(2026, 11, day, hour, 10);
    expect(quiet.due(at(QUIET_HOUR_UTC - 1))).toBe(false);
    expect(quiet.due(at(QUIET_HOUR_UTC))).toBe(true);
    // The app asks every ten minutes: once in the hour.
    expect(quiet.due(at(QUIET_HOUR_UTC) + 10 * 60_000)).toBe(false);
    expect(quiet.due(at(QUIET_HOUR_UTC + 1))).toBe(false);
    expect(quiet.due(at(QUIET_HOUR_UTC, 8))).toBe(true);
  });
});
