import { Types } from 'mongoose';
import { Account, RoleGrant, User } from '../../models/index.js';
import type { Role, StakeholderGroup } from '../../realtime/vocabulary.js';
import type { SessionUser } from '../../realtime/schemas/common.js';
import type { AdminUserView, ProfileChange, ProfileView } from '../../realtime/schemas/accounts.js';
import type { Organisations } from '../campaign/organisations.js';
import type { Publisher } from '../platform/bus.js';
import { HttpError } from '../platform/errors.js';
import type { KeyedQueue } from '../platform/keyed-queue.js';
import { vetName, type TextScreen } from '../platform/text-screen.js';
import type { AccountEvents } from './events.js';

/**
 * Members as people: their profiles, the organisations they speak for (an admin confirms), and the
 * roles admins grant. A person's documents have one writer at a time (`people`, across servers with Redis).
 */
/** One key for every role change: the last-admin check and the write must see no other change between them. */
const ROLES_KEY = 'roles';

export class PeopleService {
  constructor(
    private readonly organisations: Organisations,
    private readonly people: KeyedQueue,
    private readonly events: Publisher<AccountEvents>,
    private readonly screen: TextScreen,
  ) {}

  async profile(userId: string): Promise<ProfileView> {
    const user = await User.findById(userId).lean();
    if (!user || user.kind !== 'member' || !user.email) throw new HttpError('UNAUTHENTICATED', 'Sign in to see your profile.');
    const [account, grant] = await Promise.all([Account.findById(user.email, { verifiedAt: 1 }).lean(), RoleGrant.findById(userId).lean()]);
    const { organisations } = this;
    return {
      id: userId,
      email: user.email,
      emailVerified: Boolean(account?.verifiedAt),
      name: user.name ?? '',
      anonymous: user.anonymous ?? false,
      group: (user.group ?? null) as StakeholderGroup | null,
      role: (grant?.role ?? 'participant') as Role,
      organisation: organisations.find(user.organisation),
      requested: organisations.find(user.requested),
    };
  }

  /** A name screening would refuse or hold is refused: it is shown at once, with nobody to read it first. */
  updateProfile(userId: string, change: ProfileChange): Promise<ProfileView> {
    vetName(this.screen, change.name);
    return this.people.run(`user:${userId}`, 'profile', async () => {
      await User.updateOne({ _id: new Types.ObjectId(userId), kind: 'member' }, { $set: change });
      return this.profile(userId);
    });
  }

  /** Asks to be shown as speaking for an organisation; an admin confirms or declines. */
  requestAffiliation(userId: string, slug: string): Promise<ProfileView> {
    this.organisations.get(slug);
    return this.people.run(`user:${userId}`, 'profile', async () => {
      await User.updateOne({ _id: new Types.ObjectId(userId), kind: 'member' }, { $set: { requested: slug } });
      return this.profile(userId);
    });
  }

  /** Members whose address or name holds `q`; those waiting for an affiliation decision first. */
  async users(q: string): Promise<AdminUserView[]> {
    const needle = q.toLocaleLowerCase();
    const [users, grants] = await Promise.all([User.find({ kind: 'member' }).lean(), RoleGrant.find({}).lean()]);
    const roles = new Map(grants.map((g) => [g._id, g.role as Role]));
    return users
      .filter((u) => !needle || (u.email ?? '').includes(needle) || (u.name ?? '').toLocaleLowerCase().includes(needle))
      .sort((a, b) => Number(Boolean(b.requested)) - Number(Boolean(a.requested)) || b.createdAt.getTime() - a.createdAt.getTime())
      .slice(0, 100)
      .map((u) => this.adminView(u, roles.get(u._id.toString()) ?? 'participant'));
  }

  /**
   * Grants or revokes a staff role; the person's open tabs reconnect with it. The last admin cannot step
   * down. Every role change is one critical section (one key for all of them; a Redis lock across
   * servers): two admins demoting each other at once are one after the other, and the second finds
   * itself no longer an admin.
   */
  async setRole(userId: string, role: Role, by: SessionUser): Promise<{ user: AdminUserView }> {
    const user = await this.member(userId);
    await this.people.run(ROLES_KEY, 'role', async () => {
      if ((await RoleGrant.findById(by.id).lean())?.role !== 'admin') throw new HttpError('FORBIDDEN', 'Only admins can do this.');
      if (role !== 'admin' && (await RoleGrant.findById(userId).lean())?.role === 'admin' && (await RoleGrant.countDocuments({ role: 'admin' })) <= 1) {
        throw new HttpError('BAD_REQUEST', 'This is the only admin: make someone else an admin first.');
      }
      await grantRole(userId, role, by.id);
    });
    this.events.publish('roles:changed', { userId });
    return { user: this.adminView(user, role) };
  }

  async decideAffiliation(userId: string, decision: 'approve' | 'decline'): Promise<{ user: AdminUserView }> {
    await this.member(userId);
    await this.people.run(`user:${userId}`, 'profile', async () => {
      const user = await User.findById(userId, { requested: 1 }).lean();
      if (!user?.requested) throw new HttpError('NOT_FOUND', 'That person has no request waiting.');
      const change = decision === 'approve' ? { organisation: user.requested, requested: null } : { requested: null };
      await User.updateOne({ _id: new Types.ObjectId(userId) }, { $set: change });
    });
    const [user, grant] = await Promise.all([this.member(userId), RoleGrant.findById(userId).lean()]);
    return { user: this.adminView(user, (grant?.role ?? 'participant') as Role) };
  }

  private async member(userId: string) {
    const user = await User.findById(userId).lean();
    if (!user || user.kind !== 'member') throw new HttpError('NOT_FOUND', 'There is no member with that id.');
    return user;
  }

  private adminView(user: { _id: Types.ObjectId; email?: string | null; name?: string | null; group?: string | null; organisation?: string | null; requested?: string | null; createdAt: Date }, role: Role): AdminUserView {
    const { organisations } = this;
    return {
      id: user._id.toString(),
      email: user.email ?? '',
      name: user.name ?? '',
      role,
      group: (user.group ?? null) as StakeholderGroup | null,
      organisation: organisations.find(user.organisation),
      requested: organisations.find(user.requested),
      createdAt: user.createdAt.toISOString(),
    };
  }
}

/** A role is its own document per person: participant is none. Used by the admin page and the command line. */
export async function grantRole(userId: string, role: Role, by: string): Promise<void> {
  if (role === 'participant') await RoleGrant.deleteOne({ _id: userId });
  else await RoleGrant.replaceOne({ _id: userId }, { role, grantedBy: by, at: new Date() }, { upsert: true });
}
