import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { Types } from 'mongoose';
import { RoleGrant, Session, User } from '../../models/index.js';
import type { NewSession, ValidatedSession } from '../../realtime/commands.js';
import { atLeast, type Role } from '../../realtime/vocabulary.js';
import type { SessionUser } from '../../realtime/schemas/common.js';
import type { Organisations } from '../campaign/organisations.js';
import type { Publisher } from '../platform/bus.js';
import type { AccountEvents } from './events.js';
import type { Limits } from '../platform/limits.js';
import { requireDatabase, withDeadline } from '../platform/database.js';
import { deleteByIds, idsWhere, type SweptCollection } from '../platform/paced-scan.js';

export const SESSION_COOKIE = 'reclaim_session';
const DAY = 24 * 60 * 60 * 1000;
export const SESSION_LIFETIME_MS = 30 * DAY;
/** Sliding expiry: a session used in its second half is extended, so active people never log out. */
const RENEW_WHEN_LEFT_MS = 15 * DAY;
/**
 * Facilitator powers last twelve hours past their last use: a session left open on a shared laptop
 * at the front of the hall ends by itself, while one in use all conference day never does.
 */
const FACILITATOR_LIFETIME_MS = 12 * 60 * 60 * 1000;
const FACILITATOR_RENEW_WHEN_LEFT_MS = FACILITATOR_LIFETIME_MS / 2;

export function generateSessionToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export function sessionIdFromToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

const TOKEN_SHAPE = /^[a-z2-7]{32}$/;

export class SessionService {
  /** Sessions being extended right now: one writer per session document in this process. */
  private readonly renewing = new Map<string, Promise<void>>();

  constructor(
    private readonly organisations: Organisations,
    private readonly events: Publisher<AccountEvents> | null = null,
    private readonly limits: Limits | null = null,
  ) {}

  /** A guest session needs no sign-up, so new ones are limited per network: a hall gets in, a script rotating cookies does not get thousands. */
  async createGuestSession(network: string | null): Promise<NewSession> {
    await this.limits?.take('guestSessionsPerNetwork', network);
    await this.limits?.take('guestSessionsBurstPerNetwork', network);
    const user = await User.create({ kind: 'guest' });
    return this.start(user._id.toString());
  }

  /** A new session for this person (signing up or in, a reset link): what they may do is read afresh. */
  async start(userId: string, { facilitator = false } = {}): Promise<NewSession> {
    const token = generateSessionToken();
    const expiresAt = new Date(Date.now() + (facilitator ? FACILITATOR_LIFETIME_MS : SESSION_LIFETIME_MS));
    await Session.create({ _id: sessionIdFromToken(token), user: new Types.ObjectId(userId), expiresAt, facilitator });
    return { token, user: await this.userFor(userId, facilitator), expiresAt };
  }

  /**
   * The person behind a session as every check sees them. Read at each request, so a role granted or
   * revoked (on the admin page, or from the command line) holds at once. The facilitator code makes
   * its session a facilitator's whatever the person's own role.
   */
  async userFor(userId: string, facilitator: boolean): Promise<SessionUser> {
    const [user, grant] = await Promise.all([User.findById(userId, { kind: 1, name: 1, organisation: 1 }).lean(), RoleGrant.findById(userId, { role: 1 }).lean()]);
    const granted = (grant?.role ?? 'participant') as Role;
    const member = user?.kind === 'member';
    return {
      id: userId,
      kind: member ? 'member' : 'guest',
      role: facilitator && !atLeast(granted, 'facilitator') ? 'facilitator' : granted,
      name: member ? (user.name ?? null) : null,
      organisation: member && user.organisation ? this.organisations.nameOf(user.organisation) : null,
    };
  }

  async validateSessionToken(token: string): Promise<ValidatedSession | null> {
    if (!TOKEN_SHAPE.test(token)) return null;
    // Every request with a cookie comes here first: while the database is away, say so at once.
    requireDatabase();
    return withDeadline(this.lookUp(token));
  }

  private async lookUp(token: string): Promise<ValidatedSession | null> {
    const id = sessionIdFromToken(token);
    const session = await Session.findById(id).lean();
    if (!session) return null;
    const now = Date.now();
    if (session.expiresAt.getTime() <= now) {
      await Session.deleteOne({ _id: id });
      this.events?.publish('sessions:ended', { sessionIds: [id] });
      return null;
    }
    const user = await this.userFor((session.user as Types.ObjectId).toString(), session.facilitator ?? false);
    const [lifetime, renewWhenLeft] = session.facilitator
      ? [FACILITATOR_LIFETIME_MS, FACILITATOR_RENEW_WHEN_LEFT_MS]
      : [SESSION_LIFETIME_MS, RENEW_WHEN_LEFT_MS];
    if (session.expiresAt.getTime() - now >= renewWhenLeft) return { id, user, expiresAt: session.expiresAt, renewedExpiresAt: null };

    const expiresAt = new Date(now + lifetime);
    await this.renew(id, expiresAt);
    return { id, user, expiresAt, renewedExpiresAt: expiresAt };
  }

  /**
   * The same person, now as a facilitator, in a new session: the old one is deleted rather than
   * updated, since its expiry may be being extended at this very moment.
   */
  async promoteToFacilitator(userId: string, oldToken: string | null): Promise<NewSession> {
    const session = await this.start(userId, { facilitator: true });
    if (oldToken) await this.invalidate(oldToken);
    return session;
  }

  /** Every session of this person ends but the one with `keepToken` (signing out everywhere, a new password). */
  async endAllFor(userId: string, keepToken: string | null = null): Promise<void> {
    const keep = keepToken ? sessionIdFromToken(keepToken) : null;
    const sessions = await Session.find({ user: new Types.ObjectId(userId) }, { _id: 1 }).lean();
    const ids = sessions.map((session) => session._id).filter((id) => id !== keep);
    if (ids.length === 0) return;
    await Session.deleteMany({ _id: { $in: ids } });
    this.events?.publish('sessions:ended', { sessionIds: ids });
  }

  async invalidate(token: string): Promise<void> {
    const id = sessionIdFromToken(token);
    await Session.deleteOne({ _id: id });
    this.events?.publish('sessions:ended', { sessionIds: [id] });
  }

  /** Removes expired sessions; the app runs it on a timer since TTL indexes are not available everywhere. */
  async sweepExpired(now = new Date()): Promise<number> {
    const sessions = Session.collection as unknown as SweptCollection;
    const ids = await idsWhere<{ _id: string; expiresAt: Date }>(sessions, { expiresAt: 1 }, (session) => session.expiresAt <= now);
    if (ids.length === 0) return 0;
    const deleted = await deleteByIds(sessions, ids);
    this.events?.publish('sessions:ended', { sessionIds: ids });
    return deleted;
  }

  private async renew(id: string, expiresAt: Date): Promise<void> {
    const inFlight = this.renewing.get(id);
    if (inFlight) return inFlight;
    const write = Session.updateOne({ _id: id }, { $set: { expiresAt } })
      .then(() => undefined)
      .finally(() => this.renewing.delete(id));
    this.renewing.set(id, write);
    return write;
  }
}
