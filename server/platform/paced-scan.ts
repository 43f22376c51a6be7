import { setTimeout as sleep } from 'node:timers/promises';
import type { mongo, Types } from 'mongoose';

/**
 * How sweeps read whole collections. FerretDB v1 hands SQLite only a filter on `_id` alone and tests any
 * other filter in Go after reading every row, so a sweep's `find`, `updateMany` or `deleteMany` by
 * anything else is a full scan in one go: seconds of the database's time at a few hundred thousand
 * votes, while every vote waits behind it. Read a page at a time with a pause between pages, tested
 * here, and written back by `_id`, the same work is spread out; the read still holds one snapshot for
 * its whole length, so the app runs these sweeps in the quiet hour (quiet-hour.ts).
 */
export interface Pace {
  /** Documents per page, read and written. */
  page: number;
  /** The pause after each page. */
  pauseMs: number;
}

export const SWEEP_PACE: Pace = { page: 500, pauseMs: 200 };

/** Most documents' `_id` is an ObjectId; a session's is the hash of its token. */
type Id = Types.ObjectId | string;
export type SweptCollection = mongo.Collection<{ _id: Id }>;
type Collection = SweptCollection;

/** Every document of `collection`, with only the fields in `projection`, a page at a time. */
export async function* pages<Doc>(collection: Collection, projection: Record<string, 1>, pace: Pace = SWEEP_PACE): AsyncGenerator<Doc[]> {
  const cursor = collection.find({}, { projection, batchSize: pace.page });
  try {
    let page: Doc[] = [];
    for await (const doc of cursor) {
      page.push(doc as Doc);
      if (page.length < pace.page) continue;
      yield page;
      page = [];
      await sleep(pace.pauseMs);
    }
    if (page.length) yield page;
  } finally {
    await cursor.close();
  }
}

/** The `_id`s of the documents for which `keep` holds. */
export async function idsWhere<Doc extends { _id: Id }>(collection: Collection, projection: Record<string, 1>, keep: (doc: Doc) => boolean, pace: Pace = SWEEP_PACE): Promise<Doc['_id'][]> {
  const ids: Doc['_id'][] = [];
  for await (const page of pages<Doc>(collection, projection, pace)) for (const doc of page) if (keep(doc)) ids.push(doc._id);
  return ids;
}

/** One write per document, by `_id`, a page per command with a pause between; resolves with the bulks' results added up. */
async function byIds(collection: Collection, ids: Id[], write: (_id: Id) => mongo.AnyBulkWriteOperation<{ _id: Id }>, pace: Pace): Promise<{ deleted: number; modified: number }> {
  const total = { deleted: 0, modified: 0 };
  for (let from = 0; from < ids.length; from += pace.page) {
    if (from > 0) await sleep(pace.pauseMs);
    const result = await collection.bulkWrite(ids.slice(from, from + pace.page).map(write), { ordered: false });
    total.deleted += result.deletedCount;
    total.modified += result.modifiedCount;
  }
  return total;
}

/** Deletes these documents by `_id`; resolves with how many were deleted. */
export async function deleteByIds(collection: Collection, ids: Id[], pace: Pace = SWEEP_PACE): Promise<number> {
  return (await byIds(collection, ids, (_id) => ({ deleteOne: { filter: { _id } } }), pace)).deleted;
}

/** Sets fields on these documents by `_id` (insert-only facts, which have no other writer); resolves with how many changed. */
export async function setByIds(collection: Collection, ids: Id[], set: Record<string, unknown>, pace: Pace = SWEEP_PACE): Promise<number> {
  return (await byIds(collection, ids, (_id) => ({ updateOne: { filter: { _id }, update: { $set: set } } }), pace)).modified;
}
