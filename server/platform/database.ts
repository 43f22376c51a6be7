import mongoose from 'mongoose';
import { DATABASE_AWAY, HttpError, isDatabaseUnavailable } from './errors.js';
import {
  Account,
  Appeal,
  Area,
  AREA_SEED,
  AuthToken,
  BOARD_SETTINGS_ID,
  Comment,
  CommentReport,
  HelpfulMark,
  Idea,
  LiveEvent,
  LiveSession,
  Notification,
  Organisation,
  Report,
  RoleGrant,
  Session,
  Setting,
  User,
  Vote,
} from '../../models/index.js';

/**
 * While the database is away, an operation waits this long for it to come back before failing, and
 * mongoose holds an operation asked for while disconnected as long: requests that need the database
 * then answer 503 UNAVAILABLE within 2 s (two waits at most), not after the driver's 30 s (or mongoose's 10 s).
 */
export const DATABASE_WAIT_MS = 1_000;
/**
 * How often the driver looks for a database that went away (and checks one that is up): writes are
 * refused at once while it is away, so no waiting operation asks the driver to look sooner.
 */
const HEARTBEAT_MS = 1_000;
/** How long the first connection may keep trying. */
const FIRST_CONNECT_MS = 20_000;

/** Connects mongoose; indexes are built explicitly so the unique vote and report indexes exist before any vote or report. */
export async function connectDatabase(uri: string): Promise<typeof mongoose> {
  mongoose.set('strictQuery', true);
  mongoose.set('bufferTimeoutMS', DATABASE_WAIT_MS);
  const options = { dbName: new URL(uri).pathname.replace(/^\//, '') || 'reclaim', autoIndex: false, serverSelectionTimeoutMS: DATABASE_WAIT_MS, heartbeatFrequencyMS: HEARTBEAT_MS, maxPoolSize: 20 };
  // A MongoDB still starting gets a while to answer the first time; later operations fail fast, while
  // the driver's monitor keeps looking for the server, so writes resume by themselves when it is back.
  for (const startedAt = Date.now(); ; ) {
    try {
      await mongoose.connect(uri, options);
      mongoose.connection.getClient().on('connectionPoolCleared', abandonGuarded);
      mongoose.connection.on('disconnected', abandonGuarded);
      break;
    } catch (error) {
      if (!isDatabaseUnavailable(error) || Date.now() - startedAt > FIRST_CONNECT_MS) throw error;
      await mongoose.disconnect();
    }
  }
  await Promise.all([Area, Idea, Vote, Report, User, Session, LiveSession, LiveEvent, Account, RoleGrant, AuthToken, Organisation, Comment, HelpfulMark, CommentReport, Notification, Appeal].map((m) => m.createIndexes()));
  await dropRetiredIndexes();
  await seedAreas();
  await seedSettings();
  return mongoose;
}

/**
 * Indexes that earlier versions built and nothing reads any more: each one is written on every
 * insert (`voter_1` was a tenth of the embedded database's work per vote). Servers starting side by
 * side may both try: an index already gone is fine.
 */
const RETIRED_INDEXES = [{ model: Vote, name: 'voter_1' }];
const NAMESPACE_NOT_FOUND = 26;
const INDEX_NOT_FOUND = 27;

async function dropRetiredIndexes(): Promise<void> {
  for (const { model, name } of RETIRED_INDEXES) {
    try {
      await model.collection.dropIndex(name);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code !== INDEX_NOT_FOUND && code !== NAMESPACE_NOT_FOUND) throw error;
    }
  }
}

/** Idempotent: each area is inserted under its unique slug; a second run (or a rival process) changes nothing. */
async function seedAreas(): Promise<void> {
  const existing = new Set((await Area.find({}, { slug: 1 }).lean()).map((a) => a.slug));
  const missing = AREA_SEED.map((area, position) => ({ ...area, position })).filter((a) => !existing.has(a.slug));
  if (missing.length === 0) return;
  try {
    await Area.insertMany(missing, { ordered: false });
  } catch (error) {
    if (!isDuplicateKeyOnly(error)) throw error;
  }
}

/** The board's settings document, off by default; a rival process seeding it first is fine. */
async function seedSettings(): Promise<void> {
  try {
    await Setting.create({ _id: BOARD_SETTINGS_ID });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}

export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

/** An unordered insertMany whose only failures were duplicates. */
export function isDuplicateKeyOnly(error: unknown): boolean {
  const writeErrors = (error as { writeErrors?: { code?: number }[] }).writeErrors;
  if (Array.isArray(writeErrors)) return writeErrors.every((e) => e.code === 11000);
  return isDuplicateKey(error);
}

/**
 * Calls that must not outlive the connection they went out on. The driver (mongodb 7.8, 7.9) can lose
 * a command sent in the instant a connection's socket has closed but before the driver hears of it:
 * the write to the closed socket fails silently and the command waits forever for the socket to
 * drain. Seen when the embedded database was killed under a burst of votes: a few requests, and the
 * server's shutdown behind them, never ended. So when the driver drops its connections, such calls
 * are refused at once (UNAVAILABLE, their outcome unknown); a call unanswered after `ms` is refused too.
 */
const guarded = new Set<() => void>();

export const DATABASE_DEADLINE_MS = 10_000;

/** `work`, or UNAVAILABLE once the driver drops its connections or `ms` pass without an answer (the work itself is left to settle or not). */
export function withDeadline<T>(work: Promise<T>, ms = DATABASE_DEADLINE_MS): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      guarded.delete(abandon);
    };
    const abandon = () => {
      done();
      reject(new HttpError('UNAVAILABLE', DATABASE_AWAY));
    };
    const timer = setTimeout(abandon, ms);
    timer.unref();
    guarded.add(abandon);
    work.then(
      (value) => {
        done();
        resolve(value);
      },
      (error: unknown) => {
        done();
        reject(error);
      },
    );
  });
}

function abandonGuarded(): void {
  for (const abandon of [...guarded]) abandon();
}

/**
 * Whether the driver can reach the database now (mongoose follows the driver's view of the server or
 * the replica set's primary): a cheap check, no round trip, for refusing at once what would only wait.
 */
export function databaseUp(): boolean {
  return mongoose.connection.readyState === mongoose.ConnectionStates.connected;
}

/** Refuses a request that needs the database while it is away, at once (503 UNAVAILABLE). */
export function requireDatabase(): void {
  if (!databaseUp()) throw new HttpError('UNAVAILABLE', DATABASE_AWAY);
}

export async function disconnectDatabase(): Promise<void> {
  await mongoose.disconnect();
}
