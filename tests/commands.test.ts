import { parse as devalue } from 'devalue';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../realtime/commands.js';
import { loadWebHandler } from '../server/transport/web.js';
import { ask, FACILITATOR_CODE, HttpClient, nextEvent, openSocket, record, startTestBoard, type ClientSocket, type TestBoard } from './harness.js';

let run: TestBoard;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  run = await startTestBoard({ web: await loadWebHandler() });
});

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});

afterAll(async () => {
  await run?.teardown();
});

async function person() {
  const http = new HttpClient(run.url);
  const user = await http.request('GET', '/api/session');
  expect(COMMANDS['session:get'].result.parse(user.body)).toEqual(user.body);
  const socket = await openSocket(run.url, http.cookie);
  sockets.push(socket);
  return { http, socket, id: user.body.user.id as string };
}

/** Signed in with the code: a new session, and a socket opened with it (the guest's sockets ended with the guest session). */
async function facilitator() {
  const who = await person();
  expect((await who.http.request('POST', '/api/facilitator/session', { code: FACILITATOR_CODE })).status).toBe(200);
  const socket = await openSocket(run.url, who.http.cookie);
  sockets.push(socket);
  return { ...who, socket };
}

async function newIdea(title: string, author?: HttpClient, body = '') {
  const client = author ?? (await person()).http;
  const created = await client.request('POST', '/api/ideas', { area: 'police', title, body });
  expect(created.status).toBe(201);
  expect(COMMANDS['idea:create'].result.parse(created.body)).toEqual(created.body);
  return created.body.idea.id as string;
}

/**
 * A form action as SvelteKit's enhanced forms send it: it answers JSON (a redirect on success, a
 * failure with the action's data), which the test decodes as the browser would.
 */
async function formAction(client: HttpClient, path: string, fields: Record<string, string>) {
  const response = await fetch(run.url + path, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: run.url,
      accept: 'application/json',
      'x-sveltekit-action': 'true',
      ...(client.cookie ? { cookie: client.cookie } : {}),
    },
    body: new URLSearchParams(fields).toString(),
  });
  const setCookie = response.headers.get('set-cookie');
  if (setCookie) client.cookie = setCookie.split(';')[0]!;
  const answer = (await response.json()) as { type: string; status: number; location?: string; data?: string };
  return { ...answer, data: answer.data ? (devalue(answer.data) as Record<string, unknown>) : undefined };
}

describe('one command, three ways in', () => {
  it('casts a vote over a socket, over HTTP and from a form with the same result', async () => {
    const ideaId = await newIdea('Train call handlers to recognise online abuse');
    const bySocket = await person();
    const byHttp = await person();
    const byForm = new HttpClient(run.url);

    const ack = await ask(bySocket.socket, 'vote:cast', { ideaId });
    expect(ack).toEqual({ ok: true, data: { ideaId, votes: 1, votedByMe: true } });
    const http = await byHttp.http.request('PUT', `/api/ideas/${ideaId}/vote`);
    expect(http).toEqual({ status: 200, body: { ideaId, votes: 2, votedByMe: true } });
    for (const data of [ack.ok && ack.data, http.body]) expect(COMMANDS['vote:cast'].result.parse(data)).toEqual(data);

    // The form starts a guest session for a browser that has none, as the API and sockets never do.
    const form = await formAction(byForm, '/areas/police?/vote', { ideaId, intent: 'cast', sort: 'top' });
    expect(form).toMatchObject({ type: 'redirect', status: 303 });
    expect(byForm.cookie).toMatch(/^reclaim_session=/);
    expect((await byForm.request('GET', `/api/ideas/${ideaId}`)).body.idea).toMatchObject({ votes: 3, votedByMe: true });
  });

  it('refuses the same way everywhere: the same codes, and nothing changes', async () => {
    const ideaId = await newIdea('Publish how many online abuse reports lead to charges');
    const caller = await person();
    const missing = '0123456789abcdef01234567';
    const cases = [
      { name: 'vote:cast' as const, input: { ideaId: missing }, http: ['PUT', `/api/ideas/${missing}/vote`], form: ['/areas/police?/vote', { ideaId: missing, intent: 'cast' }], code: 'NOT_FOUND', status: 404 },
      { name: 'vote:cast' as const, input: { ideaId: 'nope' }, http: ['PUT', '/api/ideas/nope/vote'], form: ['/areas/police?/vote', { ideaId: 'nope', intent: 'cast' }], code: 'BAD_REQUEST', status: 400 },
      { name: 'idea:hide' as const, input: { ideaId }, http: ['POST', `/api/ideas/${ideaId}/hide`], form: ['/areas/police?/hide', { ideaId }], code: 'FORBIDDEN', status: 403 },
      { name: 'idea:withdraw' as const, input: { ideaId }, http: ['DELETE', `/api/ideas/${ideaId}`], form: ['/areas/police?/withdraw', { ideaId }], code: 'FORBIDDEN', status: 403 },
    ] as const;
    const watcher = await openSocket(run.url);
    sockets.push(watcher);
    expect((await ask(watcher, 'board:watch', { area: 'police' })).ok).toBe(true);
    const removed = record(watcher, 'idea:removed');
    const tallies = record(watcher, 'tally:changed');

    for (const c of cases) {
      const ack = await ask(caller.socket, c.name, c.input);
      expect(ack, c.name).toMatchObject({ ok: false, code: c.code, message: expect.any(String) });
      const http = await caller.http.request(c.http[0], c.http[1]);
      expect(http, c.name).toEqual({ status: c.status, body: { error: { code: c.code, message: expect.any(String) } } });
      const form = await formAction(caller.http, c.form[0], c.form[1]);
      expect(form, c.name).toMatchObject({ type: 'failure', status: c.status, data: { code: c.code } });
    }

    // A request that ran through everything after the refusals: had anything been broadcast, it came first.
    const counted = nextEvent(watcher, 'tally:changed', ({ counts }) => counts[ideaId] === 1);
    expect((await ask(caller.socket, 'vote:cast', { ideaId })).ok).toBe(true);
    await counted;
    expect(removed.seen).toEqual([]);
    expect(tallies.seen.flatMap((t) => Object.keys(t.counts))).toEqual([ideaId]);
    expect(run.board.state.get(ideaId)).toBeDefined();
  });

  it('serves every REST route the table declares, and each answer matches its result schema', async () => {
    const admin = await facilitator();
    const ideaId = await newIdea('A named online abuse lead in every police force', admin.http, 'Someone who answers for how reports are handled.');
    const answers = {
      'areas:list': await admin.http.request('GET', '/api/areas'),
      'ideas:list': await admin.http.request('GET', '/api/ideas?area=police&sort=new&limit=5'),
      'idea:get': await admin.http.request('GET', `/api/ideas/${ideaId}`),
      'moderation:queue': await admin.http.request('GET', '/api/moderation'),
      'moderation:search': await admin.http.request('GET', '/api/moderation/search?q=ANSWERS'),
      'moderation:settings': await admin.http.request('PUT', '/api/moderation/settings', { reviewNewIdeas: false }),
      'idea:edit': await admin.http.request('PATCH', `/api/ideas/${ideaId}`, { title: 'A named online abuse lead in every force' }),
    };
    for (const [name, answer] of Object.entries(answers)) {
      expect(answer.status, name).toBe(200);
      expect(COMMANDS[name as keyof typeof answers].result.parse(answer.body), name).toEqual(answer.body);
    }
    expect(answers['moderation:search'].body.items.map((item: { idea: { id: string } }) => item.idea.id)).toEqual([ideaId]);
  });
});

describe('authors and facilitators', () => {
  it('lets an author withdraw their idea: off every screen at once, and nobody can vote on it', async () => {
    const author = await person();
    const ideaId = await newIdea('Withdraw me', author.http);
    const watcher = await openSocket(run.url);
    sockets.push(watcher);
    expect((await ask(watcher, 'board:watch', {})).ok).toBe(true);
    const other = await person();
    expect((await other.http.request('DELETE', `/api/ideas/${ideaId}`)).status).toBe(403);

    const gone = nextEvent(watcher, 'idea:removed', (e) => e.ideaId === ideaId);
    expect(await ask(author.socket, 'idea:withdraw', { ideaId })).toEqual({ ok: true, data: { ideaId, withdrawn: true } });
    await gone;
    expect((await other.http.request('PUT', `/api/ideas/${ideaId}/vote`)).status).toBe(404);
    expect((await author.http.request('DELETE', `/api/ideas/${ideaId}`)).status).toBe(404);
  });

  it('lets a facilitator find and hide an idea nobody reported', async () => {
    const admin = await facilitator();
    const ideaId = await newIdea('Quietly awful idea', undefined, 'with a distinctive word: marmalade');
    const found = await admin.http.request('GET', '/api/moderation/search?q=MARMALADE');
    expect(found.body.items).toEqual([expect.objectContaining({ idea: expect.objectContaining({ id: ideaId }), status: 'published', reports: 0 })]);
    const guest = await person();
    expect((await guest.http.request('GET', '/api/moderation/search?q=marmalade')).status).toBe(403);
    expect((await admin.http.request('GET', '/api/moderation/search?q=m')).status).toBe(400);

    const form = await formAction(admin.http, '/areas/police?/hide', { ideaId, sort: 'top' });
    expect(form).toMatchObject({ type: 'redirect', status: 303 });
    expect(run.board.state.get(ideaId)).toBeUndefined();
  });
});

describe('ending a session ends its sockets', () => {
  it('disconnects the sockets of a session signed out over HTTP, and no one else’s', async () => {
    const leaving = await person();
    const second = await openSocket(run.url, leaving.http.cookie);
    sockets.push(second);
    const staying = await person();
    const closed = [leaving.socket, second].map((s) => new Promise((resolve) => s.once('disconnect', resolve)));
    expect((await leaving.http.request('DELETE', '/api/session')).status).toBe(204);
    await Promise.all(closed);
    expect(staying.socket.connected).toBe(true);
    expect((await ask(staying.socket, 'areas:watch', {})).ok).toBe(true);
  });

  it('disconnects a facilitator signed out from /moderate, whose tab then keeps no powers', async () => {
    const admin = await facilitator();
    expect(await ask(admin.socket, 'moderation:watch', {})).toEqual({ ok: true, data: { watching: true } });
    const cookie = admin.http.cookie;
    const closed = new Promise((resolve) => admin.socket.once('disconnect', resolve));
    expect(await formAction(admin.http, '/moderate?/signout', {})).toMatchObject({ type: 'redirect', status: 303 });
    await closed;
    // The tab reconnects with the cookie it still holds: the session behind it is over.
    const again = await openSocket(run.url, cookie);
    sockets.push(again);
    expect(await ask(again, 'moderation:watch', {})).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
  });

  it('disconnects the sockets of a session replaced by a facilitator sign-in', async () => {
    const who = await person();
    const closed = new Promise((resolve) => who.socket.once('disconnect', resolve));
    expect((await who.http.request('POST', '/api/facilitator/session', { code: FACILITATOR_CODE })).status).toBe(200);
    await closed;
  });

  it('disconnects the sockets of a session that runs out while they are open', async () => {
    const { Session } = await import('../models/index.js');
    const { sessionIdFromToken } = await import('../server/accounts/sign-in-sessions.js');
    const who = await person();
    const other = await person();
    const closed = new Promise((resolve) => who.socket.once('disconnect', resolve));
    await Session.updateOne({ _id: sessionIdFromToken(who.http.cookie.split('=')[1]!) }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await run.board.sessions.sweepExpired()).toBeGreaterThanOrEqual(1);
    await closed;
    expect(other.socket.connected).toBe(true);
  });

  it('closes a socket when the session it came with lapses, without waiting for the daily sweep', async () => {
    const { sessionIdFromToken } = await import('../server/accounts/sign-in-sessions.js');
    const { closeLapsedSockets } = await import('../server/transport/socket.js');
    const who = await person();
    const other = await person();
    const id = sessionIdFromToken(who.http.cookie.split('=')[1]!);
    const onServer = (sessionId: string) => [...run.board.io.of('/').sockets.values()].filter((socket) => socket.data.sessionId === sessionId);
    expect(onServer(id)).toHaveLength(1);
    // Its handshake found the session lapsing now; every other socket's lies ahead.
    onServer(id)[0]!.data.sessionExpiresAt = Date.now();
    const closed = new Promise((resolve) => who.socket.once('disconnect', resolve));
    closeLapsedSockets(run.board.io);
    await closed;
    expect(other.socket.connected).toBe(true);
    // Renewed meanwhile (still valid in the database): the tab comes back with the new expiry.
    const again = await openSocket(run.url, who.http.cookie);
    sockets.push(again);
    expect(onServer(id).map((socket) => socket.data.sessionExpiresAt! > Date.now())).toEqual([true]);
  });
});
