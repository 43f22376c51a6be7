import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ask,
  HttpClient,
  nextEvent,
  openSocket,
  record,
  startTestBoard,
  type ClientSocket,
  type TestBoard,
} from './harness.js';

let run: TestBoard;
let client: HttpClient;
let ideaId: string;

beforeAll(async () => {
  run = await startTestBoard();
  client = new HttpClient(run.url);
  await client.session();
  const { body } = await client.request('POST', '/api/ideas', { area: 'platforms', title: 'A valid idea', body: '' });
  ideaId = body.idea.id;
});

afterAll(async () => {
  await run?.teardown();
});

describe('bad input over HTTP', () => {
  const cases: [string, string, string, unknown, number, RegExp][] = [
    ['unknown area', 'POST', '/api/ideas', { area: 'nowhere', title: 'Fine title' }, 400, /area must be one of/],
    ['missing title', 'POST', '/api/ideas', { area: 'police' }, 400, /title/],
    ['blank title', 'POST', '/api/ideas', { area: 'police', title: '     ' }, 400, /title needs at least 3/],
    ['title too long', 'POST', '/api/ideas', { area: 'police', title: 'x'.repeat(121) }, 400, /at most 120/],
    ['body too long', 'POST', '/api/ideas', { area: 'police', title: 'Fine title', body: 'x'.repeat(2001) }, 400, /at most 2000/],
    ['title of the wrong type', 'POST', '/api/ideas', { area: 'police', title: 42 }, 400, /title must be text/],
    ['broken JSON', 'POST', '/api/ideas', '{"area":', 400, /not valid JSON/],
    ['a body far too large', 'POST', '/api/ideas', { area: 'police', title: 'Fine', body: 'x'.repeat(40_000) }, 413, /too large/],
    ['a malformed idea id', 'PUT', '/api/ideas/not-an-id/vote', undefined, 400, /not a valid id/],
    ['an idea that does not exist', 'PUT', '/api/ideas/0123456789abcdef01234567/vote', undefined, 404, /does not exist/],
    ['an unknown sort', 'GET', '/api/ideas?sort=oldest', undefined, 400, /sort must be one of: top, trending, new, discussed, random/],
    ['a limit out of range', 'GET', '/api/ideas?limit=1000', undefined, 400, /at most 100/],
    ['a forged cursor', 'GET', '/api/ideas?cursor=bm9wZQ', undefined, 400, /cursor/],
    ['an unknown route', 'GET', '/api/nothing-here', undefined, 404, /No API route/],
    ['a title of zero-width spaces', 'POST', '/api/ideas', { area: 'police', title: '\u200B\u200B\u200B\u200B' }, 400, /title has no visible character/],
    ['a title of Hangul fillers', 'POST', '/api/ideas', { area: 'police', title: '\u3164\u3164\u3164\u3164' }, 400, /title has no visible character/],
    ['a title of braille blanks', 'POST', '/api/ideas', { area: 'police', title: '\u2800\u2800\u2800 \u2800' }, 400, /title has no visible character/],
    ['a body of joiners and marks', 'POST', '/api/ideas', { area: 'police', title: 'Fine title', body: '\u200D\u2060\uFEFF\u0301' }, 400, /body has no visible character/],
    ['a title with a lone surrogate', 'POST', '/api/ideas', { area: 'police', title: 'Broken \uD800 title' }, 400, /lone surrogate/],
    ['a limit given as hex', 'GET', '/api/ideas?limit=0x10', undefined, 400, /limit must be a whole number/],
    ['a limit given twice (an array)', 'GET', '/api/ideas?limit=10&limit=20', undefined, 400, /limit must be a whole number/],
    ['a limit with an exponent', 'GET', '/api/ideas?limit=1e1', undefined, 400, /limit must be a whole number/],
  ];

  it.each(cases)('rejects %s with a clear message', async (_name, method, path, body, status, message) => {
    const response = await client.request(method, path, body);
    expect(response.status).toBe(status);
    expect(response.body.error.message).toMatch(message);
    expect(response.body.error.code).toMatch(/^[A-Z_]+$/);
  });

  it('answers 400 to a malformed percent-encoding on every route with a parameter', async () => {
    const { COMMANDS } = await import('../realtime/commands.js');
    const routes = Object.values(COMMANDS).flatMap((spec) => ('http' in spec && spec.http.path.includes(':') ? [spec.http] : []));
    expect(routes.length).toBeGreaterThan(10);
    for (const route of [...routes, { method: 'GET', path: '/live/:code/results.csv' }]) {
      const path = `/api${route.path.replace(/:\w+/g, '%E0%A4%A')}`;
      const response = await client.request(route.method, path, route.method === 'GET' || route.method === 'DELETE' ? undefined : {});
      expect(response, `${route.method} ${path}`).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST' } } });
    }
  });

  it('stores text NFC-normalised, exactly as acknowledged', async () => {
    const { status, body } = await client.request('POST', '/api/ideas', { area: 'education', title: 'Cafe\u0301 meetups on safety', body: 'Visible text\u200B here' });
    expect(status).toBe(201);
    expect(body.idea.title).toBe('Caf\u00E9 meetups on safety');
    const { Idea } = await import('../models/index.js');
    expect((await Idea.findById(body.idea.id).lean())!.title).toBe(body.idea.title);
  });

  it('takes numbers strictly: no coercion from booleans, arrays or hex', async () => {
    const { liveControl } = await import('../realtime/schemas/conference.js');
    const base = { code: 'ABCDEF', action: 'countdown' };
    for (const seconds of [true, [30], '0x10', '', '1e2', ' 30', null]) expect(liveControl.safeParse({ ...base, seconds }).success, JSON.stringify(seconds)).toBe(false);
    expect(liveControl.safeParse({ ...base, seconds: 30 })).toMatchObject({ success: true, data: { seconds: 30 } });
    expect(liveControl.safeParse({ ...base, seconds: '30' })).toMatchObject({ success: true, data: { seconds: 30 } });
  });

  it('folds white space in titles and strips characters that disguise text', async () => {
    const { status, body } = await client.request('POST', '/api/ideas', {
      area: 'education',
      title: '  Teach\n\tdigital   \u202Econsent  ',
      body: 'Line one\nLine two\u0007',
    });
    expect(status).toBe(201);
    expect(body.idea.title).toBe('Teach digital consent');
    expect(body.idea.body).toBe('Line one\nLine two');
  });

  it('refuses writes without a session', async () => {
    const anonymous = new HttpClient(run.url);
    const response = await anonymous.request('PUT', `/api/ideas/${ideaId}/vote`);
    expect(response.status).toBe(401);
    expect(response.body.error).toEqual({ code: 'UNAUTHENTICATED', message: expect.stringMatching(/GET \/api\/session/) });
  });

  it('refuses cross-site state changes', async () => {
    const fromElsewhere = await client.request('PUT', `/api/ideas/${ideaId}/vote`, undefined, { origin: 'https://evil.example' });
    expect(fromElsewhere.status).toBe(403);
    const formPost = await client.request('POST', '/api/ideas', 'area=police&title=Forged', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(formPost.status).toBe(400);
    const { body } = await client.request('GET', `/api/ideas/${ideaId}`);
    expect(body.idea.votes).toBe(0);
  });

  it('stores nothing from rejected input', async () => {
    const { body } = await client.request('GET', '/api/ideas?area=police');
    expect(body.ideas).toEqual([]);
  });
});

describe('sessions', () => {
  it('sets an HttpOnly SameSite=Lax cookie and stores only a hash of the token', async () => {
    const response = await fetch(`${run.url}/api/session`);
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const token = /reclaim_session=([^;]+)/.exec(cookie)![1]!;
    const { Session } = await import('../models/index.js');
    expect(await Session.countDocuments({ _id: token })).toBe(0);
    const { sessionIdFromToken } = await import('../server/accounts/sign-in-sessions.js');
    expect(await Session.countDocuments({ _id: sessionIdFromToken(token) })).toBe(1);
  });

  it('extends a session used in the second half of its life and sweeps expired ones', async () => {
    const { Session } = await import('../models/index.js');
    const { sessionIdFromToken } = await import('../server/accounts/sign-in-sessions.js');
    const person = new HttpClient(run.url);
    const userId = await person.session();
    const id = sessionIdFromToken(person.cookie.split('=')[1]!);
    await Session.updateOne({ _id: id }, { $set: { expiresAt: new Date(Date.now() + 24 * 3600_000) } });
    const again = await fetch(`${run.url}/api/session`, { headers: { cookie: person.cookie } });
    expect(((await again.json()) as { user: { id: string } }).user.id).toBe(userId);
    expect(again.headers.get('set-cookie')).toMatch(/reclaim_session=.*Expires=/i);
    const stored = await Session.findById(id).lean();
    expect(stored!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * 24 * 3600_000);

    await Session.updateOne({ _id: id }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await run.board.sessions.sweepExpired()).toBeGreaterThanOrEqual(1);
    const expired = await person.request('PUT', `/api/ideas/${ideaId}/vote`);
    expect(expired.status).toBe(401);
  });
});

describe('bad input over the socket', () => {
  let voter: ClientSocket;
  let watcher: ClientSocket;

  beforeAll(async () => {
    voter = await openSocket(run.url, client.cookie);
    watcher = await openSocket(run.url);
    expect((await ask(watcher, 'board:watch', { area: 'platforms' })).ok).toBe(true);
  });

  afterAll(() => {
    voter?.close();
    watcher?.close();
  });

  it('answers each bad command with an error ack and broadcasts nothing', async () => {
    const tallies = record(watcher, 'tally:changed');
    const created = record(watcher, 'idea:created');
    const bad: [string, unknown, string, RegExp][] = [
      ['vote:cast', { ideaId: 'nope' }, 'BAD_REQUEST', /not a valid id/],
      ['vote:cast', undefined, 'BAD_REQUEST', /expected object|ideaId/i],
      ['vote:cast', { ideaId: '0123456789abcdef01234567' }, 'NOT_FOUND', /does not exist/],
      ['vote:retract', { ideaId: 17 }, 'BAD_REQUEST', /ideaId/],
      ['idea:create', { area: 'platforms', title: 'x'.repeat(500) }, 'BAD_REQUEST', /at most 120/],
      ['idea:create', { area: 'mars', title: 'Fine title' }, 'BAD_REQUEST', /area must be one of/],
      ['idea:create', 'not an object', 'BAD_REQUEST', /expected object/i],
      ['board:watch', { area: 'moon' }, 'BAD_REQUEST', /area must be one of/],
    ];
    for (const [event, payload, code, message] of bad) {
      const ack = await ask(voter, event as 'vote:cast', payload);
      expect(ack.ok, `${event} ${JSON.stringify(payload)}`).toBe(false);
      if (!ack.ok) {
        expect(ack.code).toBe(code);
        expect(ack.message).toMatch(message);
      }
    }
    // A valid vote after the bad ones: once its tally arrives, anything the bad ones caused would have too.
    // Its count may go out before its ack comes back, so the wait starts first.
    const counted = nextEvent(watcher, 'tally:changed', (p) => ideaId in p.counts);
    expect((await ask(voter, 'vote:cast', { ideaId })).ok).toBe(true);
    const tally = await counted;
    expect(tally.counts).toEqual({ [ideaId]: 1 });
    expect(tallies.seen).toHaveLength(1);
    expect(created.seen).toHaveLength(0);
    tallies.stop();
    created.stop();
  });

  it('refuses writes from a socket without a session', async () => {
    const ack = await ask(watcher, 'vote:cast', { ideaId });
    expect(ack).toEqual({ ok: false, code: 'UNAUTHENTICATED', message: expect.any(String) });
  });

  it('answers a socket flooding commands with RATE_LIMITED, and not the next socket', async () => {
    const flooder = await openSocket(run.url);
    const neighbour = await openSocket(run.url);
    try {
      const acks = [];
      for (let i = 0; i < 41; i++) acks.push(await ask(flooder, 'board:watch', { area: 'police' }));
      expect(acks.slice(0, 40).every((ack) => ack.ok)).toBe(true);
      expect(acks[40]).toEqual({ ok: false, code: 'RATE_LIMITED', message: expect.stringMatching(/slow down/) });
      expect((await ask(neighbour, 'board:watch', { area: 'police' })).ok).toBe(true);
    } finally {
      flooder.close();
      neighbour.close();
    }
  });

  it('refuses a handshake from a foreign origin', async () => {
    await expect(openSocket(run.url, client.cookie, { origin: 'https://evil.example' })).rejects.toThrow(/FORBIDDEN/);
  });
});
