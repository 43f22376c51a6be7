import { spawn } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Account, Idea, Session, User, Vote } from '../models/index.js';
import { COMMANDS } from '../realtime/commands.js';
import { REPORTS_TO_HIDE } from '../realtime/vocabulary.js';
import { sessionIdFromToken } from '../server/accounts/sign-in-sessions.js';
import { signinDelayMs } from '../server/accounts/accounts.js';
import { ask, FACILITATOR_CODE, HttpClient, signUpByLink, openSocket, outbox, startTestBoard, type ClientSocket, type TestBoard } from './harness.js';

let run: TestBoard;
const sockets: ClientSocket[] = [];
let seq = 0;
const address = () => `person${++seq}-${Date.now()}@example.org`;
const PASSWORD = 'correct horse battery staple';

beforeAll(async () => {
  // Every member of this file signs up from the one loopback address.
  run = await startTestBoard({ limits: { signupPerAddress: { points: 500 } } });
});

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});

afterAll(async () => {
  await run?.teardown();
});

async function guest() {
  const http = new HttpClient(run.url);
  await http.session();
  return http;
}

async function member(name = 'Asha Patel', email = address()) {
  const http = await guest();
  const signedUp = await signUpByLink(http, run.db.dataDir, { email, password: PASSWORD, name });
  expect(signedUp.status).toBe(200);
  return { http, email, user: signedUp.body.user as { id: string; name: string; role: string; kind: string } };
}

async function socketOf(http: HttpClient) {
  const socket = await openSocket(run.url, http.cookie);
  sockets.push(socket);
  return socket;
}

/** The link of the latest e-mail to `to`, as the outbox holds it. */
async function linkSentTo(to: string, path: string): Promise<string> {
  let token: string | undefined;
  await expect
    .poll(() => {
      const mail = outbox(run.db.dataDir).filter((m) => m.to === to && m.text.includes(`/${path}?token=`)).at(-1);
      token = mail && /token=([a-z2-7]{32})/.exec(mail.text)?.[1];
      return token;
    }, { timeout: 5_000 })
    .toBeDefined();
  return token!;
}

describe('accounts', () => {
  it('signs up, signs out, and signs back in, with the password stored as argon2id and the session as a hash', async () => {
    const { http, email, user } = await member('Jo Bloggs');
    expect(COMMANDS['auth:verify'].result.parse({ verified: true, user })).toEqual({ verified: true, user });
    expect(user).toMatchObject({ kind: 'member', role: 'participant', name: 'Jo Bloggs', organisation: null });
    expect((await http.request('GET', '/api/session')).body.user).toEqual(user);

    const account = await Account.findById(email).lean();
    expect(account!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(account!.passwordHash).not.toContain(PASSWORD);
    const token = http.cookie.split('=')[1]!;
    expect(await Session.findById(token)).toBeNull();
    expect(await Session.findById(sessionIdFromToken(token))).not.toBeNull();

    expect((await http.request('POST', '/api/auth/signout')).status).toBe(204);
    expect(http.cookie).toBe('reclaim_session=');
    expect((await http.request('GET', '/api/session')).body.user.kind).toBe('guest');
    const back = await http.request('POST', '/api/auth/signin', { email: email.toUpperCase(), password: PASSWORD });
    expect(back).toMatchObject({ status: 200, body: { user: { id: user.id, kind: 'member' } } });
  });

  it('answers an unknown address exactly as a wrong password, and refuses weak passwords with a clear reason', async () => {
    const { email } = await member();
    const someone = await guest();
    const wrong = await someone.request('POST', '/api/auth/signin', { email, password: 'not the password at all' });
    const unknown = await someone.request('POST', '/api/auth/signin', { email: address(), password: 'not the password at all' });
    expect(wrong.status).toBe(401);
    expect(unknown).toEqual(wrong);

    const short = await someone.request('POST', '/api/auth/signup', { email: address(), password: 'short', name: 'Al' });
    expect(short).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/at least 10/) } } });
    const common = await someone.request('POST', '/api/auth/signup', { email: address(), password: 'qwertyuiop', name: 'Al' });
    expect(common).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/easy to guess/) } } });
  });

  it('answers a sign-up for an address that has an account exactly as for a new one, and tells the owner by e-mail', async () => {
    const { email, user } = await member('Asha Patel');
    const taken = await guest();
    const fresh = await guest();
    const newAddress = address();
    const time = async (work: () => Promise<unknown>) => {
      const startedAt = performance.now();
      return [await work(), performance.now() - startedAt] as const;
    };
    const [existing, existingMs] = await time(() => taken.request('POST', '/api/auth/signup', { email, password: 'an entirely different passphrase', name: 'Not Asha' }));
    const [unknown, unknownMs] = await time(() => fresh.request('POST', '/api/auth/signup', { email: newAddress, password: 'an entirely different passphrase', name: 'Not Asha' }));
    expect(existing).toEqual({ status: 202, body: { sent: true } });
    expect(unknown).toEqual(existing);
    // As long either way (the password is hashed either way; the rest happens after answering).
    expect(Math.abs(existingMs - unknownMs)).toBeLessThan(Math.max(existingMs, unknownMs) * 0.75 + 50);
    // No session either way, and signing in with the new password says the same for both.
    expect(taken.cookie).toBe(fresh.cookie.length ? taken.cookie : '');
    const signinTaken = await taken.request('POST', '/api/auth/signin', { email, password: 'an entirely different passphrase' });
    const signinNew = await fresh.request('POST', '/api/auth/signin', { email: newAddress, password: 'an entirely different passphrase' });
    expect(signinTaken).toEqual(signinNew);
    // The owner hears of it; the account and its password are as they were.
    await expect.poll(() => outbox(run.db.dataDir).filter((m) => m.to === email && /tried to sign up/i.test(m.subject)).length, { timeout: 5_000 }).toBe(1);
    // Only the link that made the account, none since.
    expect(outbox(run.db.dataDir).filter((m) => m.to === email && /token=/.test(m.text)).length).toBe(1);
    expect((await User.find({ email }).lean()).map((u) => u._id.toString())).toEqual([user.id]);
    expect((await (await guest()).request('POST', '/api/auth/signin', { email, password: PASSWORD })).status).toBe(200);
    // The new address's link makes its account.
    const token = await linkSentTo(newAddress, 'verify');
    expect((await fresh.request('POST', '/api/auth/verify', { token })).body).toMatchObject({ verified: true, user: { kind: 'member', name: 'Not Asha' } });
  });

  it('refuses an expired member session', async () => {
    const { http } = await member();
    await Session.updateOne({ _id: sessionIdFromToken(http.cookie.split('=')[1]!) }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await http.request('GET', '/api/profile')).status).toBe(401);
  });

  it('ends every other session, and its sockets, when the password changes; this one stays', async () => {
    const { http, email } = await member();
    const laptop = await guest();
    await laptop.request('POST', '/api/auth/signin', { email, password: PASSWORD });
    const laptopSocket = await socketOf(laptop);
    const closed = new Promise((resolve) => laptopSocket.once('disconnect', resolve));

    const refused = await http.request('POST', '/api/auth/password', { current: 'wrong wrong wrong', password: 'a brand new passphrase' });
    expect(refused.status).toBe(403);
    expect((await http.request('POST', '/api/auth/password', { current: PASSWORD, password: 'a brand new passphrase' })).status).toBe(200);
    await closed;
    expect((await laptop.request('GET', '/api/profile')).status).toBe(401);
    expect((await http.request('GET', '/api/profile')).status).toBe(200);
    expect((await (await guest()).request('POST', '/api/auth/signin', { email, password: 'a brand new passphrase' })).status).toBe(200);
  });

  it('signs out everywhere', async () => {
    const { http, email } = await member();
    const phone = await guest();
    await phone.request('POST', '/api/auth/signin', { email, password: PASSWORD });
    const phoneSocket = await socketOf(phone);
    const closed = new Promise((resolve) => phoneSocket.once('disconnect', resolve));
    expect((await http.request('POST', '/api/auth/signout-everywhere')).status).toBe(204);
    await closed;
    expect((await phone.request('GET', '/api/profile')).status).toBe(401);
    expect((await http.request('GET', '/api/profile')).status).toBe(401);
  });

  it('makes the account from the e-mailed link, once, with its address confirmed', async () => {
    const http = await guest();
    const email = address();
    expect(await http.request('POST', '/api/auth/signup', { email, password: PASSWORD, name: 'Link Opener' })).toEqual({ status: 202, body: { sent: true } });
    expect(await Account.exists({ _id: email })).toBeNull();
    const token = await linkSentTo(email, 'verify');
    expect((await http.request('POST', '/api/auth/verify', { token })).status).toBe(200);
    expect((await http.request('GET', '/api/profile')).body.emailVerified).toBe(true);
    expect((await http.request('POST', '/api/auth/verify', { token })).status).toBe(404);
  });

  it('resets a password from a link that works once, for an address that has an account, saying the same either way', async () => {
    const { email } = await member();
    const someone = await guest();
    const known = await someone.request('POST', '/api/auth/reset-request', { email });
    const unknown = await someone.request('POST', '/api/auth/reset-request', { email: address() });
    expect(known).toEqual({ status: 202, body: { sent: true } });
    expect(unknown).toEqual(known);
    const token = await linkSentTo(email, 'reset');

    const weak = await someone.request('POST', '/api/auth/reset', { token, password: 'password123' });
    expect(weak.status).toBe(400);
    const reset = await someone.request('POST', '/api/auth/reset', { token, password: 'reset and ready to go' });
    expect(reset).toMatchObject({ status: 200, body: { user: { kind: 'member' } } });
    expect((await someone.request('GET', '/api/profile')).body.emailVerified).toBe(true);
    expect((await (await guest()).request('POST', '/api/auth/reset', { token, password: 'and once more again' })).status).toBe(404);
    expect((await (await guest()).request('POST', '/api/auth/signin', { email, password: 'reset and ready to go' })).status).toBe(200);
  });

  it('keeps what a guest did when they sign up: ideas, reports and votes, an idea both voted for counting once', async () => {
    const author = await guest();
    const shared = (await author.request('POST', '/api/ideas', { area: 'individuals', title: 'Buddy systems for people piled on' })).body.idea.id as string;
    const onlyGuest = (await author.request('POST', '/api/ideas', { area: 'individuals', title: 'Trolls named in court' })).body.idea.id as string;
    const { http: memberHttp, email, user } = await member();
    expect((await memberHttp.request('PUT', `/api/ideas/${shared}/vote`)).body.votes).toBe(1);

    const visitor = await guest();
    for (const id of [shared, onlyGuest]) expect((await visitor.request('PUT', `/api/ideas/${id}/vote`)).status).toBe(200);
    expect((await visitor.request('POST', `/api/ideas/${onlyGuest}/report`, { reason: 'other' })).status).toBe(200);
    expect(run.board.state.get(shared)?.votes).toBe(2);
    const guestId = (await visitor.request('GET', '/api/session')).body.user.id as string;

    expect((await visitor.request('POST', '/api/auth/signin', { email, password: PASSWORD })).body.user.id).toBe(user.id);
    expect(run.board.state.get(shared)?.votes).toBe(1);
    expect(run.board.state.get(onlyGuest)?.votes).toBe(1);
    expect(await Vote.countDocuments({ voter: guestId })).toBe(0);
    const mine = await visitor.request('GET', `/api/ideas/${onlyGuest}`);
    expect(mine.body.idea.votedByMe).toBe(true);
    expect(await run.board.moderation.reportedBy(user.id, [onlyGuest])).toEqual([onlyGuest]);

    // The author's ideas come along too, and they may still reword them.
    const { email: authorEmail } = await member('The Author');
    const authorId = (await author.request('POST', '/api/auth/signin', { email: authorEmail, password: PASSWORD })).body.user.id as string;
    expect((await Idea.findById(shared).lean())!.author.toString()).toBe(authorId);
    expect((await author.request('PATCH', `/api/ideas/${shared}`, { title: 'Buddy systems for anyone piled on' })).status).toBe(200);
  });

  it('signs ideas with the member’s name, or none when they post anonymously, while staff still see who it was', async () => {
    const { http, user } = await member('Priya Shah');
    const named = (await http.request('POST', '/api/ideas', { area: 'employers', title: 'Employers back staff abused online' })).body.idea;
    expect(named.author).toEqual({ name: 'Priya Shah', organisation: null });
    const hidden = (await http.request('POST', '/api/ideas', { area: 'employers', title: 'An idea without my name', anonymous: true })).body.idea;
    expect(hidden.author).toEqual({ name: null, organisation: null });
    expect((await http.request('PATCH', '/api/profile', { anonymous: true, group: 'work' })).body).toMatchObject({ anonymous: true, group: 'work' });
    const byDefault = (await http.request('POST', '/api/ideas', { area: 'employers', title: 'Anonymous by default now' })).body.idea;
    expect(byDefault.author.name).toBeNull();

    const admin = new HttpClient(run.url);
    await admin.session();
    await admin.request('POST', '/api/facilitator/session', { code: FACILITATOR_CODE });
    const found = await admin.request('GET', '/api/moderation/search?q=without my name');
    expect(found.body.items[0].postedBy).toMatchObject({ userId: user.id, name: 'Priya Shah' });
  });

  it('shows an organisation on what an affiliated member posts, once an admin approves it', async () => {
    const { http, user } = await member('Sam Jones');
    const organisations = (await http.request('GET', '/api/organisations')).body.organisations as { slug: string; name: string }[];
    expect(organisations.map((o) => o.name)).toEqual(expect.arrayContaining(['Fawcett Society', 'Demos', 'TUC', "Women's Aid"]));
    expect(organisations).toHaveLength(11);
    expect((await http.request('POST', '/api/profile/organisation', { organisation: 'tuc' })).body.requested).toMatchObject({ slug: 'tuc' });

    const admin = await member('An Admin');
    await import('../server/accounts/people.js').then(({ grantRole }) => grantRole(admin.user.id, 'admin', 'test'));
    expect((await http.request('POST', `/api/admin/users/${user.id}/affiliation`, { decision: 'approve' })).status).toBe(403);
    const listed = await admin.http.request('GET', `/api/admin/users?q=sam jones`);
    expect(listed.body.users).toEqual([expect.objectContaining({ id: user.id, requested: expect.objectContaining({ slug: 'tuc' }) })]);
    const approved = await admin.http.request('POST', `/api/admin/users/${user.id}/affiliation`, { decision: 'approve' });
    expect(approved.body.user).toMatchObject({ organisation: { slug: 'tuc' }, requested: null });

    const idea = (await http.request('POST', '/api/ideas', { area: 'employers', title: 'Unions bargain over online abuse policies' })).body.idea;
    expect(idea.author).toEqual({ name: 'Sam Jones', organisation: 'TUC' });
  });
});

describe('roles', () => {
  it('refuses a participant every moderator, facilitator and admin command, over HTTP and socket, and nothing changes', async () => {
    const { http, user } = await member();
    const socket = await socketOf(http);
    const ideaId = (await http.request('POST', '/api/ideas', { area: 'police', title: 'Nothing may change this' })).body.idea.id as string;
    const refusals = [
      ['GET', '/api/moderation'],
      ['GET', '/api/moderation/search?q=nothing'],
      ['PUT', '/api/moderation/settings', { voting: 'members' }],
      ['POST', `/api/ideas/${ideaId}/hide`],
      ['POST', '/api/live', { title: 'Mine' }],
      ['GET', '/api/admin/users'],
      ['PUT', `/api/admin/users/${user.id}/role`, { role: 'admin' }],
      ['GET', `/api/moderation/tallies?ideaIds=${ideaId}`],
    ] as const;
    for (const [method, path, body] of refusals) expect((await http.request(method, path, body)).status, path).toBe(403);
    for (const [command, payload] of [
      ['idea:hide', { ideaId }],
      ['moderation:watch', {}],
      ['tallies:split', { ideaIds: [ideaId] }],
    ] as const) {
      expect(await ask(socket, command, payload), command).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    }
    expect(run.board.state.get(ideaId)).toBeDefined();
    expect((await http.request('GET', '/api/session')).body.user.role).toBe('participant');
    expect((await run.board.dispatcher.run('board:settings', {}, { user: null, via: 'http', token: null, cookie: null, socket: null, address: null })).voting).toBe('everyone');
  });

  it('lets an admin grant a role that holds at once; the person’s open tabs reconnect with it', async () => {
    const admin = await member('Chief Admin');
    await import('../server/accounts/people.js').then(({ grantRole }) => grantRole(admin.user.id, 'admin', 'test'));
    const { http, user } = await member('New Moderator');
    const socket = await socketOf(http);
    const closed = new Promise((resolve) => socket.once('disconnect', resolve));
    expect((await admin.http.request('PUT', `/api/admin/users/${user.id}/role`, { role: 'moderator' })).body.user.role).toBe('moderator');
    await closed;
    expect((await http.request('GET', '/api/moderation')).status).toBe(200);
    expect((await http.request('POST', '/api/live', { title: 'Not a facilitator yet' })).status).toBe(403);
    const again = await socketOf(http);
    expect(await ask(again, 'moderation:watch', {})).toMatchObject({ ok: true });
    // The only admin cannot step down by mistake.
    const { RoleGrant } = await import('../models/index.js');
    await RoleGrant.deleteMany({ role: 'admin', _id: { $ne: admin.user.id } });
    const alone = await admin.http.request('PUT', `/api/admin/users/${admin.user.id}/role`, { role: 'participant' });
    expect(alone).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/only admin/) } } });
  });

  it('grants a role from the command line, while the app runs on the embedded database', async () => {
    const { http, email } = await member('From The Shell');
    const env = { ...process.env, DATA_DIR: run.db.dataDir, MONGODB_URI: '' };
    const cli = spawn('npm', ['run', '--silent', 'admin', '--', 'grant', email, 'facilitator'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    cli.stdout.on('data', (chunk) => (output += chunk));
    cli.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise((resolve) => cli.once('exit', resolve));
    expect(code, output).toBe(0);
    expect(output).toMatch(/is now a facilitator/);
    expect((await http.request('GET', '/api/session')).body.user.role).toBe('facilitator');
    expect((await http.request('POST', '/api/live', { title: 'Made from the shell' })).status).toBe(201);

    const bad = spawn('npm', ['run', '--silent', 'admin', '--', 'grant', 'nobody@example.org', 'admin'], { env, stdio: 'ignore' });
    expect(await new Promise((resolve) => bad.once('exit', resolve))).toBe(1);
  });
});

describe('who may vote', () => {
  it('refuses a guest’s vote with a clear message when the board takes members only, and shows staff the split', async () => {
    const admin = new HttpClient(run.url);
    await admin.session();
    await admin.request('POST', '/api/facilitator/session', { code: FACILITATOR_CODE });
    const ideaId = (await admin.request('POST', '/api/ideas', { area: 'education', title: 'Pupils write the school’s online rules' })).body.idea.id as string;
    const visitor = await guest();
    expect((await visitor.request('PUT', `/api/ideas/${ideaId}/vote`)).status).toBe(200);
    try {
      expect((await admin.request('PUT', '/api/moderation/settings', { voting: 'members' })).body).toEqual({ reviewNewIdeas: false, voting: 'members', reportThreshold: REPORTS_TO_HIDE });
      const another = await guest();
      const refused = await another.request('PUT', `/api/ideas/${ideaId}/vote`);
      expect(refused).toMatchObject({ status: 403, body: { error: { message: expect.stringMatching(/members only.*sign up or sign in/) } } });
      const socket = await socketOf(another);
      expect(await ask(socket, 'vote:cast', { ideaId })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
      const { http } = await member();
      expect((await http.request('PUT', `/api/ideas/${ideaId}/vote`)).body.votes).toBe(2);
      const split = await admin.request('GET', `/api/moderation/tallies?ideaIds=${ideaId}`);
      expect(split.body).toEqual({ splits: { [ideaId]: { members: 1, guests: 1 } } });
    } finally {
      await admin.request('PUT', '/api/moderation/settings', { voting: 'everyone' });
    }
  });

  it('lets a live session take members only while the board takes everyone', async () => {
    const admin = new HttpClient(run.url);
    await admin.session();
    await admin.request('POST', '/api/facilitator/session', { code: FACILITATOR_CODE });
    const ideaId = (await admin.request('POST', '/api/ideas', { area: 'police', title: 'Members-only session idea' })).body.idea.id as string;
    const code = (await admin.request('POST', '/api/live', { title: 'Members', ideaIds: [ideaId], voting: 'members' })).body.code as string;
    expect((await admin.request('POST', `/api/live/${code}/control`, { action: 'publish' })).status).toBe(200);
    const visitor = await guest();
    expect((await visitor.request('PUT', `/api/ideas/${ideaId}/vote`, { code })).body.error.message).toMatch(/members only/);
    expect((await visitor.request('PUT', `/api/ideas/${ideaId}/vote`)).status).toBe(200);
  });
});

/** A client on its own network: X-Forwarded-For from loopback, which TRUST_PROXY trusts by default. */
async function onNetwork(ip: string) {
  const http = new HttpClient(run.url);
  const request = http.request.bind(http);
  http.request = (method, path, body, headers = {}) => request(method, path, body, { 'x-forwarded-for': ip, ...headers });
  await http.session();
  return http;
}

describe('rate limits', () => {
  it('slows failed sign-ins from the network they come from, and a stranger elsewhere cannot lock the real person out', async () => {
    const { email } = await member();
    const stranger = await onNetwork('203.0.113.77');
    const answers: number[] = [];
    for (let i = 0; i < 7; i++) answers.push((await stranger.request('POST', '/api/auth/signin', { email, password: `wrong password ${i}` })).status);
    // Slower and slower, never 429: a lockout would be the stranger's to cause.
    expect(answers).toEqual([401, 401, 401, 401, 401, 401, 401]);
    const slowed = performance.now();
    await stranger.request('POST', '/api/auth/signin', { email, password: 'wrong password again' });
    expect(performance.now() - slowed).toBeGreaterThanOrEqual(3_500);

    // The owner, on another network, signs in at once (at most a second's wait), with the right password.
    const owner = await onNetwork('198.51.100.23');
    const startedAt = performance.now();
    const signedIn = await owner.request('POST', '/api/auth/signin', { email, password: PASSWORD });
    expect(signedIn.status).toBe(200);
    expect(performance.now() - startedAt).toBeLessThan(1_500);
  }, 30_000);

  it('limits wrong current passwords when changing one', async () => {
    const { http } = await member();
    const answers: number[] = [];
    for (let i = 0; i < 7; i++) answers.push((await http.request('POST', '/api/auth/password', { current: `not it ${i} at all`, password: 'a brand new passphrase' })).status);
    expect(answers).toEqual([403, 403, 403, 403, 403, 429, 429]);
    // The right one is refused too until the window passes: guessing gains nothing by luck.
    const right = await http.request('POST', '/api/auth/password', { current: PASSWORD, password: 'a brand new passphrase' });
    expect(right).toMatchObject({ status: 429, body: { error: { message: expect.stringMatching(/try again in \d+ seconds?/) } } });
  });

  it('counts wrong facilitator codes per network: guesses from one network do not lock out another', async () => {
    for (let i = 0; i < 50; i++) {
      const guesser = await onNetwork('203.0.113.200');
      expect((await guesser.request('POST', '/api/facilitator/session', { code: `guess-number-${i}` })).status).toBe(403);
    }
    const more = await onNetwork('203.0.113.200');
    expect((await more.request('POST', '/api/facilitator/session', { code: FACILITATOR_CODE })).status).toBe(429);
    const facilitator = await onNetwork('192.0.2.10');
    expect((await facilitator.request('POST', '/api/facilitator/session', { code: FACILITATOR_CODE })).status).toBe(200);
  });

  it('refuses passwords that are easy to guess, the site’s name and the account’s own address among them', async () => {
    const someone = await guest();
    const email = address();
    for (const password of ['1111111111', 'abcdefghij', 'Password1!', 'letmein1234', 'Reclaim the Internet', 'recl@imtheinternet', email, `${email.split('@')[0]}2024`, 'Asha Patel 1234', 'qwertyuiop123']) {
      const answer = await someone.request('POST', '/api/auth/signup', { email, password, name: 'Asha Patel' });
      expect(answer, password).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST', message: expect.stringMatching(/easy to guess/) } } });
    }
  });

  it('waits longer before answering each failed sign-in past the third, up to five seconds', () => {
    expect([0, 3, 4, 5, 6, 20].map(signinDelayMs)).toEqual([0, 0, 500, 1000, 2000, 5000]);
  });
});

describe('users', () => {
  it('stores no password and no e-mail for guests', async () => {
    const http = await guest();
    const id = (await http.request('GET', '/api/session')).body.user.id as string;
    expect(await User.findById(id).lean()).toMatchObject({ kind: 'guest', email: null, name: null });
  });
});

describe('role changes', () => {
  it('never leaves the board without an admin when two admins demote each other at once (10 pairs)', async () => {
    const { RoleGrant, User } = await import('../models/index.js');
    const { grantRole } = await import('../server/accounts/people.js');
    const { SESSION_COOKIE } = await import('../server/accounts/sign-in-sessions.js');
    const admin = async (name: string) => {
      const user = await User.create({ kind: 'member', email: address(), name });
      await grantRole(user._id.toString(), 'admin', 'test');
      const http = new HttpClient(run.url);
      http.cookie = `${SESSION_COOKIE}=${(await run.board.sessions.start(user._id.toString())).token}`;
      return { http, id: user._id.toString() };
    };
    for (let pair = 0; pair < 10; pair++) {
      const [a, b] = await Promise.all([admin(`Admin A${pair}`), admin(`Admin B${pair}`)]);
      // The two of them are the only admins.
      await RoleGrant.deleteMany({ role: 'admin', _id: { $nin: [a.id, b.id] } });
      const answers = await Promise.all([
        a.http.request('PUT', `/api/admin/users/${b.id}/role`, { role: 'participant' }),
        b.http.request('PUT', `/api/admin/users/${a.id}/role`, { role: 'participant' }),
      ]);
      expect(await RoleGrant.countDocuments({ role: 'admin' })).toBeGreaterThanOrEqual(1);
      // One demotion went through; the other was refused (no longer an admin, or the last one).
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, answers.find((x) => x.status !== 200)!.status]);
      expect([400, 403]).toContain(answers.find((x) => x.status !== 200)!.status);
    }
  });
});
