import { hash, verify } from '@node-rs/argon2';
import { Account, AuthToken, User } from '../../models/index.js';
import type { SessionCookie } from '../../realtime/commands.js';
import type { SessionUser } from '../../realtime/schemas/common.js';
import { isDuplicateKey } from '../platform/database.js';
import { HttpError } from '../platform/errors.js';
import type { GuestMerge } from './guest-merge.js';
import type { KeyedQueue } from '../platform/keyed-queue.js';
import { RULES, type Limits } from '../platform/limits.js';
import { log } from '../platform/log.js';
import { vetName, type TextScreen } from '../platform/text-screen.js';
import type { Mailer } from './mailer.js';
import { requireStrongPassword } from './password-strength.js';
import { generateSessionToken, sessionIdFromToken, type SessionService } from './sign-in-sessions.js';

/** The part of a caller signing in needs: who they were, and the cookie, address and network of their browser. */
export interface Arrival {
  user: SessionUser | null;
  token: string | null;
  cookie: SessionCookie | null;
  address: string | null;
  /** The keyed hash of the address's network (platform/network.ts): failed sign-ins slow that network down. */
  network?: string | null;
}

/** argon2id (the library's default algorithm) at OWASP's recommended cost. */
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };
const LINK_LIFETIME_MS = { signup: 24 * 60 * 60 * 1000, reset: 60 * 60 * 1000 };
/** `verify` links were sent to confirm the address of accounts made before sign-up needed the link. */
type LinkPurpose = 'signup' | 'verify' | 'reset';
const SIGNIN_REFUSED = 'That e-mail address and password do not match an account.';
const SLOWDOWN_AFTER = 3;
const SLOWDOWN_MAX_MS = 5_000;
/** Failures for an address from every network together slow everyone's sign-in to it by at most this. */
const SLOWDOWN_EVERYWHERE_MAX_MS = 1_000;

export interface AccountDeps {
  sessions: SessionService;
  mailer: Mailer;
  limits: Limits;
  merge: GuestMerge;
  /** One writer per person's documents (profile, account), across servers with Redis. */
  people: KeyedQueue;
  /** Word screening, for the names people choose. */
  screen: TextScreen;
  /** The site's address, for the links in e-mails. */
  publicUrl(): string;
}

/**
 * Accounts: e-mail and password (argon2id), links by e-mail to confirm an address or reset a password,
 * profiles, affiliations and roles. Signing up or in from a guest session brings the guest's ideas,
 * votes and reports along, and replaces the session.
 */
export class AccountService {
  /** Checked when the address has no account, so an unknown address costs as long as a wrong password. */
  private readonly decoy = hash('not anyone’s password', ARGON2);

  constructor(private readonly deps: AccountDeps) {}

  /**
   * Always the same answer, whether or not the address has an account: `{sent: true}` (202), after the
   * same work (the password is hashed either way), and the rest happens after answering. A new address
   * gets a link that creates the account and signs that browser in (verifyEmail); the owner of an
   * existing one is told that someone tried to sign up with it. The account exists only once the link is
   * opened, so signing in cannot tell either.
   */
  async signup(input: { email: string; password: string; name: string }, caller: Arrival): Promise<{ sent: true }> {
    vetName(this.deps.screen, input.name);
    requireStrongPassword(input.password, input);
    await this.deps.limits.take('signupPerAddress', caller.address);
    await this.deps.limits.take('signupPerEmail', input.email);
    const passwordHash = await hash(input.password, ARGON2);
    void Account.exists({ _id: input.email }).then(
      (found) => (found ? this.mailSignupAttempt(input.email) : this.sendLink('signup', input.email, { name: input.name, passwordHash })),
      (error: unknown) => log.error({ err: error }, 'looking up an account for a sign-up failed'),
    );
    return { sent: true };
  }

  /**
   * The same answer for an unknown address as for a wrong password, after as long. Failures slow the
   * next tries, never block them: up to 5 s for that address from the network they came from, and
   * at most 1 s from anywhere else, so a stranger's guesses cannot keep the real person out.
   */
  async signin(input: { email: string; password: string }, caller: Arrival): Promise<{ user: SessionUser }> {
    const { limits } = this.deps;
    await limits.take('signinPerAddress', caller.address);
    const here = `${input.email}|${caller.network ?? caller.address ?? 'unknown'}`;
    const [fromHere, everywhere] = await Promise.all([limits.used('signinFailures', here), limits.used('signinFailures', input.email)]);
    const delay = Math.max(signinDelayMs(fromHere), Math.min(SLOWDOWN_EVERYWHERE_MAX_MS, signinDelayMs(Math.floor(everywhere / 4))));
    if (delay > 0) await sleep(delay);
    const account = await Account.findById(input.email, { user: 1, passwordHash: 1 }).lean();
    const matches = await verify(account?.passwordHash ?? (await this.decoy), input.password);
    if (!account || !matches) {
      await Promise.all([limits.note('signinFailures', here), limits.note('signinFailures', input.email)]);
      throw new HttpError('UNAUTHENTICATED', SIGNIN_REFUSED, { password: SIGNIN_REFUSED });
    }
    await Promise.all([limits.clear('signinFailures', here), limits.clear('signinFailures', input.email)]);
    return { user: await this.arrive(account.user.toString(), caller) };
  }

  async signoutEverywhere(user: SessionUser, cookie: SessionCookie | null): Promise<null> {
    await this.deps.sessions.endAllFor(user.id);
    cookie?.clear();
    return null;
  }

  /**
   * A new password ends every other session of the account: whoever knew the old one is out. Wrong
   * current passwords are limited per account (5 in 15 minutes), so a session left open is no oracle.
   */
  async changePassword(input: { current: string; password: string }, caller: Arrival & { user: SessionUser }): Promise<{ user: SessionUser }> {
    const email = await this.emailOf(caller.user.id);
    const { limits } = this.deps;
    if ((await limits.used('passwordChecksPerAccount', caller.user.id)) >= RULES.passwordChecksPerAccount.points) await limits.take('passwordChecksPerAccount', caller.user.id);
    requireStrongPassword(input.password, { email, name: caller.user.name });
    await this.deps.people.run(`account:${email}`, 'password', async () => {
      const account = await Account.findById(email, { passwordHash: 1 }).lean();
      if (!account || !(await verify(account.passwordHash, input.current))) {
        await limits.take('passwordChecksPerAccount', caller.user.id);
        throw new HttpError('FORBIDDEN', 'current: that is not your current password', { current: 'that is not your current password' });
      }
      await Account.updateOne({ _id: email }, { $set: { passwordHash: await hash(input.password, ARGON2) } });
    });
    await this.deps.sessions.endAllFor(caller.user.id, caller.token);
    return { user: caller.user };
  }

  /**
   * Always the same answer, whether or not the address has an account; the link is made and sent
   * after answering, so the answer takes no longer for an address that has one.
   */
  async requestReset(input: { email: string }, address: string | null): Promise<{ sent: true }> {
    await this.deps.limits.take('resetPerAddress', address);
    await this.deps.limits.take('resetPerEmail', input.email);
    void Account.exists({ _id: input.email }).then(
      (found) => found && this.sendLink('reset', input.email),
      (error: unknown) => log.error({ err: error }, 'looking up an account for a reset failed'),
    );
    return { sent: true };
  }

  /** A reset link works once: every session of the account ends, and this browser is signed in afresh. */
  async reset(input: { token: string; password: string }, caller: Arrival): Promise<{ user: SessionUser }> {
    const link = await this.peekLink('reset', input.token);
    const account = await Account.findById(link.email, { user: 1 }).lean();
    if (!account) throw new HttpError('NOT_FOUND', 'That account no longer exists.');
    // Checked before the link is spent, so a refused password leaves the link working.
    requireStrongPassword(input.password, { email: link.email, name: (await User.findById(account.user, { name: 1 }).lean())?.name });
    const email = await this.useLink('reset', input.token);
    const passwordHash = await hash(input.password, ARGON2);
    await this.deps.people.run(`account:${email}`, 'password', () => Account.updateOne({ _id: email }, { $set: { passwordHash, verifiedAt: new Date() } }));
    const userId = account.user.toString();
    await this.deps.sessions.endAllFor(userId);
    return { user: await this.arrive(userId, { ...caller, token: null }) };
  }

  /** A sign-up link creates the account, confirmed, and signs this browser in; an older confirmation link confirms. */
  async verifyEmail(token: string, caller: Arrival): Promise<{ verified: true; user: SessionUser | null }> {
    const link = await this.peekLink(['signup', 'verify'], token);
    if (link.purpose === 'verify') {
      const email = await this.useLink('verify', token);
      await this.deps.people.run(`account:${email}`, 'verify', () => Account.updateOne({ _id: email }, { $set: { verifiedAt: new Date() } }));
      return { verified: true, user: null };
    }
    const email = await this.useLink('signup', token);
    const user = await User.create({ kind: 'member', email, name: link.name });
    try {
      await Account.create({ _id: email, user: user._id, passwordHash: link.passwordHash ?? undefined, verifiedAt: new Date() });
    } catch (error) {
      await User.deleteOne({ _id: user._id });
      if (!isDuplicateKey(error)) throw error;
      throw new HttpError('BAD_REQUEST', 'There is an account with this address already: sign in instead.', { token: 'there is an account with this address already: sign in instead' });
    }
    return { verified: true, user: await this.arrive(user._id.toString(), caller) };
  }

  /** Links nobody used in time. */
  async sweepExpired(now = new Date()): Promise<void> {
    await AuthToken.deleteMany({ expiresAt: { $lte: now } });
  }

  /** Signed up or in: the guest's contributions come along, then a new session replaces the old one (and its sockets). */
  private async arrive(userId: string, caller: Arrival): Promise<SessionUser> {
    if (caller.user?.kind === 'guest') await this.deps.merge.merge(caller.user.id, userId);
    const session = await this.deps.sessions.start(userId);
    caller.cookie?.set(session);
    if (caller.token) await this.deps.sessions.invalidate(caller.token);
    return session.user;
  }

  private mailSignupAttempt(email: string): void {
    const signin = `${this.deps.publicUrl()}/signin`;
    const reset = `${this.deps.publicUrl()}/reset`;
    const text = `Someone tried to create an account on Recl@im the Internet with this address, which has one already.\n\nIf it was you, sign in instead: ${signin}\nForgotten your password? Ask for a new one: ${reset}\n\nIf it was not you, ignore this e-mail: nothing has changed, and nobody has been told the address has an account.`;
    this.deps.mailer.send({ to: email, subject: 'Someone tried to sign up with your address', text }).catch((error: unknown) => log.error({ err: error }, 'sending a sign-up notice failed'));
  }

  private sendLink(purpose: 'signup' | 'reset', email: string, signup?: { name: string; passwordHash: string }): void {
    const token = generateSessionToken();
    const write = AuthToken.create({ _id: sessionIdFromToken(token), purpose, email, ...signup, expiresAt: new Date(Date.now() + LINK_LIFETIME_MS[purpose]) });
    const link = `${this.deps.publicUrl()}/${purpose === 'signup' ? 'verify' : 'reset'}?token=${token}`;
    const mail =
      purpose === 'signup'
        ? {
            subject: 'Finish creating your Recl@im the Internet account',
            text: `Thank you for joining Recl@im the Internet.\n\nTo finish creating your account, open this link within a day and press the button (it works once):\n${link}\n\nIf you did not sign up, ignore this e-mail: no account is made.`,
          }
        : {
            subject: 'Reset your Recl@im the Internet password',
            text: `Someone asked to reset the password of the account for this address.\n\nTo choose a new password, open this link within an hour (it works once):\n${link}\n\nIf it was not you, ignore this e-mail: your password stays as it is.`,
          };
    write
      .then(() => this.deps.mailer.send({ to: email, ...mail }))
      .catch((error: unknown) => log.error({ err: error, purpose }, 'sending an e-mail link failed'));
  }

  /** A link that is still good, without spending it. */
  private async peekLink(purpose: LinkPurpose | LinkPurpose[], token: string) {
    const link = await AuthToken.findById(sessionIdFromToken(token)).lean();
    if (!link || ![purpose].flat().includes(link.purpose as LinkPurpose) || link.expiresAt.getTime() <= Date.now()) throw SPENT();
    return link;
  }

  /** A link's token, once: only the request whose delete removed it goes on. */
  private async useLink(purpose: LinkPurpose, token: string): Promise<string> {
    const link = await this.peekLink(purpose, token);
    const { deletedCount } = await AuthToken.deleteOne({ _id: link._id });
    if (deletedCount !== 1) throw SPENT();
    return link.email;
  }

  private async emailOf(userId: string): Promise<string> {
    const user = await User.findById(userId, { email: 1 }).lean();
    if (!user?.email) throw new HttpError('UNAUTHENTICATED', 'Sign in to your account first.');
    return user.email;
  }

}

/** How long a sign-in for an address waits after so many failures: nothing for a few typos, then doubling. */
export function signinDelayMs(failures: number): number {
  return failures > SLOWDOWN_AFTER ? Math.min(SLOWDOWN_MAX_MS, 250 * 2 ** (failures - SLOWDOWN_AFTER)) : 0;
}

const SPENT = () => new HttpError('NOT_FOUND', 'This link has been used already or has expired: ask for a new one.', { token: 'this link has been used already or has expired' });


const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
