import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../realtime/commands.js';
import { JOIN_CODE_ALPHABET, LIVE_ACTIONS } from '../realtime/vocabulary.js';
import { ask, HttpClient, signUpByLink, nextEvent, openSocket, record, startTestBoard, TestCrowd, type ClientSocket, type TestBoard } from './harness.js';

let run: TestBoard;
let crowd: TestCrowd;

beforeAll(async () => {
  run = await startTestBoard();
  crowd = new TestCrowd(run.url);
});

afterEach(() => crowd.close());

afterAll(async () => {
  await run?.teardown();
});

const person = () => crowd.person();
const facilitator = () => crowd.facilitator();
const newIdea = (title: string, area?: string) => crowd.newIdea(title, area);

/** A session made (a draft) and published, as a facilitator does before the hall joins. */
async function newSession(admin: { http: HttpClient }, body: Record<string, unknown>) {
  const created = await admin.http.request('POST', '/api/live', body);
  expect(created.status).toBe(201);
  expect(COMMANDS['live:create'].result.parse(created.body)).toEqual(created.body);
  expect(created.body.state).toBe('draft');
  const code = created.body.code as string;
  expect((await admin.http.request('POST', `/api/live/${code}/control`, { action: 'publish' })).status).toBe(200);
  return code;
}

async function joined(socket: ClientSocket, code: string) {
  const ack = await ask(socket, 'live:join', { code });
  if (!ack.ok) throw new Error(ack.message);
  return ack.data;
}

describe('live sessions', () => {
  it('gets codes that are unique, unambiguous and typed in any case', async () => {
    const admin = await facilitator();
    const codes = await Promise.all(Array.from({ length: 12 }, (_, i) => newSession(admin, { title: `Room ${i}` })));
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(new RegExp(`^[${JOIN_CODE_ALPHABET}]{6}$`));
    expect(JOIN_CODE_ALPHABET).not.toMatch(/[0O1IL]/);

    const code = codes[0]!;
    const typed = `${code.slice(0, 3).toLowerCase()}-${code.slice(3).toLowerCase()}`;
    const fetched = await admin.http.request('GET', `/api/live/${typed}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body.session.code).toBe(code);
    expect((await joined((await person()).socket, ` ${code.toLowerCase()} `)).session.code).toBe(code);
    expect((await admin.http.request('GET', '/api/live/ZZZZZZ')).status).toBe(404);
    expect((await admin.http.request('GET', '/api/live/0OIL11')).status).toBe(400);
  });

  it('sends each control to every screen of its session and none of another', async () => {
    const admin = await facilitator();
    const [a, b] = [await newSession(admin, { title: 'Hall A' }), await newSession(admin, { title: 'Hall B' })];
    const phones = [await person(), await person()];
    for (const phone of phones) await joined(phone.socket, a);
    const projector = await openSocket(run.url);
    crowd.track(projector);
    await joined(projector, a);
    await joined(admin.socket, a);
    const elsewhere = await person();
    await joined(elsewhere.socket, b);
    const stray = record(elsewhere.socket, 'live:state');

    const heard = [...phones.map((p) => p.socket), projector, admin.socket].map((s) => nextEvent(s, 'live:state', (st) => st.code === a && st.state === 'paused'));
    const ack = await ask(admin.socket, 'live:control', { code: a, action: 'pause' });
    // seq 1 was `publish`.
    expect(ack).toMatchObject({ ok: true, data: { code: a, state: 'paused', seq: 2 } });
    await Promise.all(heard);
    // A control on session B is heard there: anything of A's would have arrived before it.
    const onB = nextEvent(elsewhere.socket, 'live:state', (st) => st.code === b);
    await ask(admin.socket, 'live:control', { code: b, action: 'hide-counts' });
    await onB;
    expect(stray.seen.map((st) => st.code)).toEqual([b]);
  });

  it('refuses every control to a participant, over HTTP and socket, and nothing changes', async () => {
    const admin = await facilitator();
    const ideaId = await newIdea('Prosecutors trained in online harassment law');
    const code = await newSession(admin, { title: 'Steering', areas: ['police'] });
    const participant = await person();
    await joined(participant.socket, code);
    const heard = record(participant.socket, 'live:state');
    expect((await participant.http.request('POST', '/api/live', { title: 'Mine now' })).status).toBe(403);
    for (const action of LIVE_ACTIONS) {
      const input = { code, action, ideaId, seconds: 30, view: 'join' };
      expect(await ask(participant.socket, 'live:control', input), action).toMatchObject({ ok: false, code: 'FORBIDDEN' });
      const http = await participant.http.request('POST', `/api/live/${code}/control`, input);
      expect(http.status, action).toBe(403);
    }
    const after = await admin.http.request('GET', `/api/live/${code}`);
    expect(after.body.live).toMatchObject({ seq: 1, state: 'open', spotlight: null, countsHidden: false, view: 'leaderboard', hidden: [] });
    expect(heard.seen).toEqual([]);
  });

  it('refuses votes during a pause and after closing, with a clear message, and counts them while open', async () => {
    const admin = await facilitator();
    const ideaId = await newIdea('A specialist online abuse unit in every force');
    const outside = await newIdea('Not in this session', 'education');
    const code = await newSession(admin, { title: 'Votes', areas: ['police'] });
    const phone = await person();
    await joined(phone.socket, code);

    expect(await ask(phone.socket, 'vote:cast', { ideaId, code })).toMatchObject({ ok: true, data: { votes: 1, votedByMe: true } });
    expect(await ask(phone.socket, 'vote:cast', { ideaId: outside, code })).toMatchObject({ ok: false, code: 'NOT_FOUND' });

    await ask(admin.socket, 'live:control', { code, action: 'pause' });
    const paused = await ask(phone.socket, 'vote:retract', { ideaId, code });
    expect(paused).toMatchObject({ ok: false, code: 'FORBIDDEN', message: expect.stringMatching(/paused/) });
    const overHttp = await phone.http.request('DELETE', `/api/ideas/${ideaId}/vote?code=${code}`);
    expect(overHttp).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });

    await ask(admin.socket, 'live:control', { code, action: 'close' });
    const another = await person();
    const closed = await another.http.request('PUT', `/api/ideas/${ideaId}/vote`, { code });
    expect(closed).toMatchObject({ status: 403, body: { error: { message: expect.stringMatching(/closed/) } } });
    // The room's vote counts in the session only, never on the board.
    expect((await another.http.request('GET', `/api/live/${code}`)).body.live.counts).toMatchObject({ [ideaId]: 1 });
    expect(run.board.state.get(ideaId)?.votes).toBe(0);
  });

  it('leaves every screen on the same final state when two facilitators race their controls', async () => {
    const [first, second] = [await facilitator(), await facilitator()];
    const code = await newSession(first, { title: 'Race' });
    const screens = [await person(), await person()].map((p) => p.socket);
    for (const screen of [...screens, first.socket, second.socket]) await joined(screen, code);
    const last = new Map<ClientSocket, { seq: number; state: string; countsHidden: boolean }>();
    for (const screen of screens) screen.on('live:state', (st) => (last.get(screen)?.seq ?? -1) < st.seq && last.set(screen, st));

    const actions = ['pause', 'open', 'hide-counts', 'pause', 'reveal-counts', 'open', 'hide-counts', 'pause'];
    // Both press every control at once: one of each pair takes the step, the other finds it taken.
    const acks = await Promise.all(actions.flatMap((action) => [first, second].map((f) => ask(f.socket, 'live:control', { code, action }))));
    expect(acks.every((ack) => ack.ok)).toBe(true);

    const final = (await first.http.request('GET', `/api/live/${code}`)).body.live;
    const { LiveEvent } = await import('../models/index.js');
    const events = await LiveEvent.find({ session: code }).sort({ seq: 1 }).lean();
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: final.seq }, (_, i) => i + 1));
    for (const screen of screens) {
      await expect.poll(() => last.get(screen)?.seq, { timeout: 5_000 }).toBe(final.seq);
      expect(last.get(screen)).toMatchObject({ state: final.state, countsHidden: final.countsHidden });
    }
  });

  it('sends no counts to the room while they are hidden, but still to facilitators, and all of them on reveal', async () => {
    const admin = await facilitator();
    const ideaId = await newIdea('Report buttons that reach a person within a day', 'platforms');
    const code = await newSession(admin, { title: 'Hidden counts', ideaIds: [ideaId] });
    const phone = await person();
    await joined(phone.socket, code);
    await joined(admin.socket, code);
    await ask(admin.socket, 'live:control', { code, action: 'hide-counts' });
    expect((await joined(phone.socket, code)).ideas).toEqual([expect.objectContaining({ id: ideaId, votes: null })]);
    expect((await joined(admin.socket, code)).ideas).toEqual([expect.objectContaining({ id: ideaId, votes: 0 })]);

    const roomTallies = record(phone.socket, 'tally:changed');
    const staffSees = nextEvent(admin.socket, 'tally:changed', ({ counts }) => counts[ideaId] === 2);
    for (const voter of [phone, await person()]) expect((await ask(voter.socket, 'vote:cast', { ideaId, code })).ok).toBe(true);
    await staffSees;
    expect(roomTallies.seen).toEqual([]);

    const revealed = nextEvent(phone.socket, 'tally:changed', ({ counts }) => counts[ideaId] === 2);
    await ask(admin.socket, 'live:control', { code, action: 'reveal-counts' });
    await revealed;
  });

  it('counts a vote queued offline and sent again after reconnecting once', async () => {
    const admin = await facilitator();
    const ideaId = await newIdea('Helplines open in the evenings', 'individuals');
    const code = await newSession(admin, { title: 'Flaky wifi', areas: ['individuals'] });
    const phone = await person();
    await joined(phone.socket, code);
    // The first send reached the server but its ack was lost with the connection.
    expect((await ask(phone.socket, 'vote:cast', { ideaId, code })).ok).toBe(true);
    phone.socket.disconnect();
    const again = await openSocket(run.url, phone.http.cookie);
    crowd.track(again);
    await joined(again, code);
    expect(await ask(again, 'vote:cast', { ideaId, code })).toMatchObject({ ok: true, data: { votes: 1, votedByMe: true } });
    expect((await joined(again, code)).live.counts).toEqual({ [ideaId]: 1 });
    expect(run.board.state.get(ideaId)?.votes).toBe(0);
  });

  it('freezes the results when voting closes, in JSON and CSV, with no personal data', async () => {
    const admin = await facilitator();
    const [top, next] = [await newIdea('=HYPERLINK("http://evil") a title, with "quotes"', 'employers'), await newIdea('Paid leave after online abuse', 'employers')];
    const code = await newSession(admin, { title: 'Results', ideaIds: [top, next] });
    for (const voter of [await person(), await person()]) await ask(voter.socket, 'vote:cast', { ideaId: top, code });
    const provisional = await admin.http.request('GET', `/api/live/${code}/results`);
    expect(provisional.body).toMatchObject({ final: false, closedAt: null });

    await ask(admin.socket, 'live:control', { code, action: 'close' });
    const board = await person();
    expect((await board.http.request('PUT', `/api/ideas/${next}/vote`)).status).toBe(200);
    const frozen = await admin.http.request('GET', `/api/live/${code}/results`);
    expect(COMMANDS['live:results'].result.parse(frozen.body)).toEqual(frozen.body);
    expect(frozen.body).toMatchObject({ final: true, closedAt: expect.any(String) });
    expect(frozen.body.rows.map((r: { ideaId: string; votes: number; rank: number }) => [r.ideaId, r.votes, r.rank])).toEqual([
      [top, 2, 1],
      [next, 0, 2],
    ]);

    const csv = await fetch(`${run.url}/api/live/${code.toLowerCase()}/results.csv`);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(await csv.text()).toBe(
      // The vote online after close is on the board: not the room's, and not in the frozen results.
      'rank,idea,area,votes,voided,round,online\r\n' + `1,"'=HYPERLINK(""http://evil"") a title, with ""quotes""",employers,2,0,1,0\r\n` + '2,Paid leave after online abuse,employers,0,0,1,0\r\n',
    );
  });

  it('breaks the final results down by the groups members give, never showing a group too small to hide a vote in', async () => {
    const admin = await facilitator();
    const [ideaId, other] = [await newIdea('Teach pupils how to report abuse', 'education'), await newIdea('Older pupils as mentors', 'education')];
    const code = await newSession(admin, { title: 'Who backs it', ideaIds: [ideaId, other] });
    const member = async (group: string | null) => {
      const voter = await person();
      const signedUp = await signUpByLink(voter.http, run.db.dataDir, { email: `${randomUUID()}@example.org`, password: 'correct horse battery staple', name: 'Voter' });
      expect(signedUp.status).toBe(200);
      if (group) expect((await voter.http.request('PATCH', '/api/profile', { group })).status).toBe(200);
      return voter;
    };
    const vote = async (voter: { http: HttpClient }, id: string) => expect((await voter.http.request('PUT', `/api/ideas/${id}/vote`, { code })).status).toBe(200);
    const groups = ['school', 'school', 'school', 'young', 'journalist', 'politician', null];
    const members = await Promise.all(groups.map(member));
    for (const voter of [...members, await person(), await person()]) await vote(voter, ideaId);
    await vote(members[3]!, other);

    // While voting runs there is no breakdown: how it moved when someone tapped would tell their group.
    const running = await (await person()).http.request('GET', `/api/live/${code}/results`);
    expect(running.body.rows.map((row: { groups: unknown }) => row.groups)).toEqual([null, null]);
    expect(running.body.groups).toBeNull();

    await ask(admin.socket, 'live:control', { code, action: 'close' });
    const late = await member('researcher');
    expect((await late.http.request('PUT', `/api/ideas/${ideaId}/vote`)).status).toBe(200);
    for (const viewer of [admin, await person()]) {
      const frozen = await viewer.http.request('GET', `/api/live/${code}/results`);
      expect(COMMANDS['live:results'].result.parse(frozen.body)).toEqual(frozen.body);
      // Three small groups make "other groups"; one vote from a small group alone is not told apart from no group.
      expect(frozen.body.rows.map((row: { votes: number; groups: unknown }) => [row.votes, row.groups])).toEqual([
        [9, { school: 3, other: 3, unsaid: 3 }],
        [1, { unsaid: 1 }],
      ]);
      expect(frozen.body.groups).toEqual({ school: 3, other: 3, unsaid: 4 });
    }
    const csv = await (await fetch(`${run.url}/api/live/${code}/results.csv`)).text();
    expect(csv.split('\r\n')[0]).toBe('rank,idea,area,votes,voided,round,online');
  });

  it('holds an idea from the room until a facilitator approves it, and only then shows it on the projector', async () => {
    const admin = await facilitator();
    const code = await newSession(admin, { title: 'From the floor', areas: ['education'], roomIdeas: true });
    const projector = await openSocket(run.url);
    crowd.track(projector);
    await joined(projector, code);
    await joined(admin.socket, code);
    const phone = await person();
    await joined(phone.socket, code);
    const shown = record(projector, 'idea:created');

    const waiting = nextEvent(admin.socket, 'live:pending', (p) => p.pending.length === 1);
    const posted = await ask(phone.socket, 'live:idea', { code, title: 'Online safety lessons written with pupils' });
    expect(posted).toMatchObject({ ok: true, data: { pending: true } });
    const ideaId = posted.ok ? posted.data.idea.id : '';
    await waiting;
    expect((await joined(admin.socket, code)).pending).toEqual([expect.objectContaining({ id: ideaId })]);
    expect((await joined(projector, code)).ideas.map((i) => i.id)).not.toContain(ideaId);
    expect(await ask(phone.socket, 'live:control', { code, action: 'approve', ideaId })).toMatchObject({ ok: false, code: 'FORBIDDEN' });

    const arrives = nextEvent(projector, 'idea:created', ({ idea }) => idea.id === ideaId);
    expect(await ask(admin.socket, 'live:control', { code, action: 'approve', ideaId })).toMatchObject({ ok: true });
    await arrives;
    expect(shown.seen.map(({ idea }) => idea.id)).toEqual([ideaId]);
    expect((await joined(projector, code)).ideas.map((i) => i.id)).toContain(ideaId);

    const rejected = await ask(phone.socket, 'live:idea', { code, title: 'Something the facilitator turns down' });
    const rejectedId = rejected.ok ? rejected.data.idea.id : '';
    expect(await ask(admin.socket, 'live:control', { code, action: 'reject', ideaId: rejectedId })).toMatchObject({ ok: true });
    expect((await joined(projector, code)).ideas.map((i) => i.id)).not.toContain(rejectedId);
    expect(run.board.state.get(rejectedId)).toBeUndefined();
  });

  it('spotlights an idea, hides one from the session and refuses an idea from elsewhere', async () => {
    const admin = await facilitator();
    const [inside, hideMe] = [await newIdea('Spotlight me'), await newIdea('Hide me from the session')];
    const outside = await newIdea('From another challenge', 'platforms');
    const code = await newSession(admin, { title: 'Spotlight', areas: ['police'] });
    const projector = await openSocket(run.url);
    crowd.track(projector);
    await joined(projector, code);

    const spot = nextEvent(projector, 'live:state', (st) => st.spotlight === inside);
    expect(await ask(admin.socket, 'live:control', { code, action: 'spotlight', ideaId: inside })).toMatchObject({ ok: true, data: { view: 'spotlight' } });
    expect((await spot).view).toBe('spotlight');
    expect(await ask(admin.socket, 'live:control', { code, action: 'spotlight', ideaId: outside })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await ask(admin.socket, 'live:control', { code, action: 'countdown' })).toMatchObject({ ok: false, code: 'BAD_REQUEST' });

    await ask(admin.socket, 'live:control', { code, action: 'hide-idea', ideaId: hideMe });
    const snapshot = await joined(projector, code);
    expect(snapshot.ideas.map((i) => i.id)).not.toContain(hideMe);
    expect(snapshot.live.hidden).toEqual([hideMe]);
    const phone = await person();
    expect(await ask(phone.socket, 'vote:cast', { ideaId: hideMe, code })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });
});
