import { COMMANDS, isSuspendable, type CommandInput, type CommandName, type CommandResult, type Commands, type SessionCookie, type Who } from '../../realtime/commands.js';
import { atLeast, type Role } from '../../realtime/vocabulary.js';
import type { SessionUser } from '../../realtime/schemas/common.js';
import { badRequest, HttpError } from '../platform/errors.js';
import type { BoardSocket } from './io.js';
import type { SessionService } from '../accounts/sign-in-sessions.js';
import type { Networks } from '../platform/network.js';
import { requireDatabase } from '../platform/database.js';
import type { Suspensions } from '../moderation/suspensions.js';

/** The writes a suspended participant may not make (realtime/commands.ts `isSuspendable`). */
const SUSPENDABLE = new Set((Object.keys(COMMANDS) as CommandName[]).filter((name) => isSuspendable(COMMANDS[name])));

/** The commands that store something: every route but GET. */
const WRITES = new Set((Object.keys(COMMANDS) as CommandName[]).filter((name) => {
  const spec: Commands[CommandName] = COMMANDS[name];
  return 'http' in spec && spec.http.method !== 'GET';
}));

/** Who is calling, and what the way they came in can do besides answering. */
export interface Caller {
  user: SessionUser | null;
  via: 'socket' | 'http' | 'page';
  /** The session token the call came with, for commands that end or replace that session. */
  token: string | null;
  /** HTTP and pages hold the session cookie; a socket cannot set one. */
  cookie: SessionCookie | null;
  /** Set for socket calls: watching joins the socket to rooms. */
  socket: BoardSocket | null;
  /** The client's address (the socket's, or X-Forwarded-For as far as TRUST_PROXY allows): for limits, never stored. */
  address: string | null;
  /** The keyed hash of the address's network, which facts record (platform/network.ts). */
  network: string | null;
}

/** What an adapter knows of a caller; the dispatcher adds the network. */
export type CallerInput = Omit<Caller, 'network'>;

/** A command that needs a session always gets its caller with one. */
export type CallerFor<N extends CommandName> = Commands[N]['who'] extends 'anyone' ? Caller : Caller & { user: SessionUser };

export type CommandHandlers = {
  [N in CommandName]: (input: CommandInput<N>, caller: CallerFor<N>) => Promise<CommandResult<N>>;
};

const NO_SESSION: Record<Caller['via'], string> = {
  http: 'No session: call GET /api/session first (it sets the session cookie).',
  socket: 'No session: load the page (or GET /api/session) and reconnect.',
  page: 'No session: please reload the page.',
};

/**
 * The one path every command takes, whichever adapter it came through: who may call it, its input
 * parsed with zod, then its row in the table. A page's first write starts a guest session, as a
 * browser without JavaScript has no other way to get one.
 */
export class Dispatcher {
  constructor(
    private readonly handlers: CommandHandlers,
    private readonly sessions: SessionService,
    private readonly networks: Networks,
    private readonly suspensions: Pick<Suspensions, 'check'>,
  ) {}

  async run<N extends CommandName>(name: N, raw: unknown, from: CallerInput): Promise<CommandResult<N>> {
    const caller: Caller = { ...from, network: this.networks.of(from.address) };
    const spec: Commands[CommandName] = COMMANDS[name];
    if (spec.who !== 'anyone' && spec.who !== 'participant') requireStaffOrMember(caller, spec.who);
    const parsed = spec.input.safeParse(raw ?? {});
    if (!parsed.success) throw badRequest(parsed.error);
    // A write while the database is away would only wait for it: refuse it at once (503), and let the
    // reads that memory answers go on.
    if (WRITES.has(name)) requireDatabase();
    if (spec.who !== 'anyone' && !caller.user) await this.startGuestSession(caller);
    // Suspended participants (and guests on a suspended network) may read, sign out and appeal; staff are never stopped here.
    const { user } = caller;
    if (user && SUSPENDABLE.has(name) && !atLeast(user.role, 'moderator')) this.suspensions.check(user, caller.network);
    const handler = this.handlers[name] as (input: unknown, caller: Caller) => Promise<CommandResult<N>>;
    return handler(parsed.data, caller);
  }

  private async startGuestSession(caller: Caller): Promise<void> {
    if (caller.via !== 'page' || !caller.cookie) throw new HttpError('UNAUTHENTICATED', NO_SESSION[caller.via]);
    const session = await this.sessions.createGuestSession(caller.network);
    caller.cookie.set(session);
    caller.user = session.user;
    caller.token = session.token;
  }
}

const STAFF_ONLY: Record<Exclude<Role, 'participant'>, string> = {
  moderator: 'Only moderators can do this: sign in with a staff account.',
  facilitator: 'Only facilitators can do this: sign in with a staff account, or at /moderate with the facilitator code.',
  admin: 'Only admins can do this.',
};

function requireStaffOrMember(caller: Caller, who: Exclude<Who, 'anyone' | 'participant'>): void {
  const { user } = caller;
  if (!user) throw new HttpError('UNAUTHENTICATED', NO_SESSION[caller.via]);
  if (who === 'member') {
    if (user.kind !== 'member') throw new HttpError('UNAUTHENTICATED', 'Sign in to your account first.');
  } else if (!atLeast(user.role, who)) throw new HttpError('FORBIDDEN', STAFF_ONLY[who]);
}
