import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RoomVote } from '../models/index.js';
import { COMMANDS } from '../realtime/commands.js';
import { ask, HttpClient, nextEvent, openSocket, record, startTestBoard, TestCrowd, type ClientSocket, type TestBoard } from './harness.js';

/** Live sessions measure the room: their own ballots, frozen rounds, drafts and countdowns that end. */

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

async function draft(admin: { http: HttpClient }, body: Record<string, unknown>) {
  const created = await admin.http.request('POST', '/api/live', body);
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ state: 'draft' });
  return created.body.code as string;
}

async function published(admin: { http: HttpClient; socket: ClientSocket }, body: Record<string, unknown>) {
  const code = await draft(admin, body);
  expect(await ask(admin.socket, 'live:control', { code, action: 'publish' })).toMatchObject({ ok: true, data: { state: 'open' } });
  return code;
}

async function joined(socket: ClientSocket, code: string) {
  const ack = await ask(socket, 'live:join', { code });
  if (!ack.ok) throw new Error(ack.message);
  return ack.data;
}

const vote = async (socket: ClientSocket, ideaId: string, code?: string) => {
  const ack = await ask(socket, 'vote:cast', code ? { ideaId, code } : { ideaId });
  expect(ack.ok, ack.ok ? '' : ack.message).toBe(true);
  return ack;
};

describe('a live session measures the room', () => {
  it('never counts online votes in a session, and a phone that voted online starts it unvoted', async () => {
    const admin = await facilitator();
    const ideaId = await newIdea('Online votes stay online');
    const phone = await person();
    await vote(phone.socket, ideaId);
    await vote((await person()).socket, ideaId);
    expect(run.board.state.get(ideaId)?.votes).toBe(2);

    const code = await published(admin, { title: 'The room only', ideaIds: [ideaId] });
    await joined(admin.socket, code);
    const snapshot = await joined(phone.socket, code);
    expect(snapshot.ideas).toEqual([expect.objectContaining({ id: ideaId, votes: 0, votedByMe: false })]);
    expect(snapshot.live.counts).toEqual({ [ideaId]: 0 });
    expect(snapshot.live.round).toEqual({ n: 1, title: 'The room only' });

    // More votes online while the session runs: its screens hear none of them.
    const roomTallies = [record(phone.socket, 'tally:changed'), record(admin.socket, 'tally:changed')];
    const boardWatcher = await person();
    await ask(boardWatcher.socket, 'board:watch', { area: 'police' });
    const online = nextEvent(boardWatcher.socket, 'tally:changed', ({ counts }) => counts[ideaId] === 3);
    await vote((await person()).socket, ideaId);
    await online;
    // The room's vote: 1 on its screens, and the board still at 3.
    const seen = [phone.socket, admin.socket].map((socket) => nextEvent(socket, 'tally:changed', ({ counts }) => counts[ideaId] === 1));
    expect(await vote(phone.socket, ideaId, code)).toMatchObject({ data: { votes: 1, votedByMe: true } });
    await Promise.all(seen);
    for (const tallies of roomTallies) expect(tallies.seen.flatMap(({ counts }) => Object.values(counts))).toEqual([1]);
    expect(run.board.state.get(ideaId)?.votes).toBe(3);

    const results = await admin.http.request('GET', `/api/live/${code}/results`);
    expect(results.body.rows).toEqual([expect.objectContaining({ ideaId, votes: 1, online: 3 })]);
  });

  it('keeps a closed round frozen whatever other sessions do on the same ideas', async () => {
    const admin = await facilitator();
    const [a, b] = [await newIdea('Frozen first', 'platforms'), await newIdea('Frozen second', 'platforms')];
    const first = await published(admin, { title: 'Morning', ideaIds: [a, b] });
    const voters = [await person(), await person(), await person()];
    for (const voter of voters) await vote(voter.socket, a, first);
    await vote(voters[0]!.socket, b, first);
    await ask(admin.socket, 'live:control', { code: first, action: 'close' });

    const read = async () => {
      const viewer = await person();
      const ack = await joined(viewer.socket, first);
      const results = (await viewer.http.request('GET', `/api/live/${first}/results`)).body;
      const csv = await (await fetch(`${run.url}/api/live/${first}/results.csv`)).text();
      return { counts: ack.live.counts, ideas: ack.ideas.map((i) => [i.id, i.votes]), results: results.rounds, csv };
    };
    const before = await read();
    expect(before.counts).toEqual({ [a]: 3, [b]: 1 });
    expect(before.results[0].rows.map((r: { ideaId: string; votes: number; rank: number }) => [r.ideaId, r.votes, r.rank])).toEqual([
      [a, 3, 1],
      [b, 1, 2],
    ]);

    const second = await published(admin, { title: 'Afternoon', ideaIds: [a, b] });
    for (const voter of [...voters, await person()]) await vote(voter.socket, b, second);
    await vote((await person()).socket, b);
    expect(await ask(voters[1]!.socket, 'vote:cast', { ideaId: b, code: first })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await ask(voters[0]!.socket, 'vote:retract', { ideaId: a, code: first })).toMatchObject({ ok: false, message: expect.stringMatching(/Your vote stands/) });

    expect(await read()).toEqual(before);
    const afternoon = await admin.http.request('GET', `/api/live/${second}`);
    expect(afternoon.body.live.counts).toEqual({ [a]: 0, [b]: 4 });
  });

  it('sends no room count to any socket or page while counts are hidden, board pages included', async () => {
    const admin = await facilitator();
    const ideaId = await newIdea('Hidden from the hall', 'education');
    const code = await published(admin, { title: 'Secret ballot', ideaIds: [ideaId] });
    await ask(admin.socket, 'live:control', { code, action: 'hide-counts' });
    const phone = await person();
    const projector = await openSocket(run.url);
    crowd.track(projector);
    const board = await person();
    await ask(board.socket, 'board:watch', { area: 'education' });
    expect((await joined(phone.socket, code)).live.counts).toBeNull();
    expect((await joined(projector, code)).ideas).toEqual([expect.objectContaining({ votes: null })]);
    await joined(admin.socket, code);
    const heard = [phone.socket, projector, board.socket].flatMap((socket) => [record(socket, 'tally:changed'), record(socket, 'idea:updated')]);
    const states = [phone.socket, projector].map((socket) => record(socket, 'live:state'));

    expect(await vote(phone.socket, ideaId, code)).toMatchObject({ data: { votes: null, votedByMe: true } });
    const staffSees = nextEvent(admin.socket, 'tally:changed', ({ counts }) => counts[ideaId] === 2);
    await vote((await person()).socket, ideaId, code);
    await staffSees;
    // A control while hidden: its state carries no counts to the room, but to facilitators.
    const staffState = nextEvent(admin.socket, 'live:state', (st) => st.spotlight === ideaId);
    const roomStates = [phone.socket, projector].map((socket) => nextEvent(socket, 'live:state', (st) => st.spotlight === ideaId));
    expect(await ask(admin.socket, 'live:control', { code, action: 'spotlight', ideaId })).toMatchObject({ ok: true });
    expect((await staffState).counts).toEqual({ [ideaId]: 2 });
    await Promise.all(roomStates);

    const guest = new HttpClient(run.url);
    expect((await guest.request('GET', `/api/live/${code}`)).body.ideas).toEqual([expect.objectContaining({ votes: null })]);
    expect((await guest.request('GET', `/api/live/${code}/results`)).body.rounds).toEqual([expect.objectContaining({ hidden: true, rows: [] })]);
    // The board's pages show the votes online: none of the room's.
    expect((await guest.request('GET', `/api/ideas/${ideaId}`)).body.idea.votes).toBe(0);
    const page = await fetch(`${run.url}/api/ideas?area=education`);
    expect(((await page.json()) as { ideas: { id: string; votes: number }[] }).ideas.find((i) => i.id === ideaId)?.votes).toBe(0);
    for (const events of heard) expect(events.seen).toEqual([]);
    for (const events of states) expect(events.seen.map((st) => st.counts)).toEqual([null]);

    const revealed = nextEvent(phone.socket, 'tally:changed', ({ counts }) => counts[ideaId] === 2);
    await ask(admin.socket, 'live:control', { code, action: 'reveal-counts' });
    await revealed;
  });

  it('keeps a draft off the lists and unjoinable until it is published; edits, deletes and copies drafts', async () => {
    const admin = await facilitator();
    const ideaId = await newIdea('Drafted idea', 'employers');
    const code = await draft(admin, { title: 'Not yet', areas: ['employers'] });
    const phone = await person();
    const listed = async () => ((await phone.http.request('GET', '/api/live')).body.sessions as { code: string }[]).map((s) => s.code);
    expect(await listed()).not.toContain(code);
    expect(await ask(phone.socket, 'live:join', { code })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect((await phone.http.request('GET', `/api/live/${code}`)).status).toBe(404);
    expect(await ask(phone.socket, 'vote:cast', { ideaId, code })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await ask(admin.socket, 'live:control', { code, action: 'open' })).toMatchObject({ ok: false, code: 'BAD_REQUEST' });

    const edited = await admin.http.request('PATCH', `/api/live/${code}`, { title: 'Ready now', ideaIds: [ideaId], voting: 'members' });
    expect(edited).toMatchObject({ status: 200, body: { title: 'Ready now', areas: [], ideaIds: [ideaId], voting: 'members', state: 'draft' } });
    expect((await phone.http.request('PATCH', `/api/live/${code}`, { title: 'Mine' })).status).toBe(403);

    const copy = await admin.http.request('POST', `/api/live/${code}/duplicate`);
    expect(copy).toMatchObject({ status: 201, body: { title: 'Copy of Ready now', ideaIds: [ideaId], voting: 'members', state: 'draft' } });
    expect(COMMANDS['live:duplicate'].result.parse(copy.body)).toEqual(copy.body);
    expect(await admin.http.request('DELETE', `/api/live/${copy.body.code}`)).toMatchObject({ status: 200, body: { deleted: true } });
    expect((await admin.http.request('GET', `/api/live/${copy.body.code}`)).status).toBe(404);

    const heard = nextEvent(admin.socket, 'live:state', (st) => st.state === 'open');
    await joined(admin.socket, code);
    await ask(admin.socket, 'live:control', { code, action: 'publish' });
    await heard;
    expect(await listed()).toContain(code);
    expect((await joined(phone.socket, code)).session).toMatchObject({ title: 'Ready now', state: 'open' });
    expect((await admin.http.request('PATCH', `/api/live/${code}`, { title: 'Too late' })).status).toBe(400);
    expect((await admin.http.request('DELETE', `/api/live/${code}`)).status).toBe(400);

    await ask(admin.socket, 'live:control', { code, action: 'archive' });
    expect(await listed()).not.toContain(code);
    expect((await phone.http.request('GET', `/api/live/${code}/results`)).body).toMatchObject({ final: true, session: { state: 'archived' } });
  });

  it('pauses within a second of a countdown reaching zero, and says time is up until the next control', async () => {
    const admin = await facilitator();
    const ideaId = await newIdea('Against the clock', 'individuals');
    const code = await published(admin, { title: 'Countdown', ideaIds: [ideaId] });
    const phone = await person();
    await joined(phone.socket, code);
    const paused = nextEvent(phone.socket, 'live:state', (st) => st.state === 'paused', 5_000);
    const started = await ask(admin.socket, 'live:control', { code, action: 'countdown', seconds: 1, atZero: 'pause' });
    expect(started).toMatchObject({ ok: true, data: { atZero: 'pause', state: 'open' } });
    const endsAt = Date.parse(started.ok ? started.data.countdownEndsAt! : '');
    const state = await paused;
    expect(Date.now() - endsAt).toBeLessThan(1_000);
    expect(state.countdownEndsAt).toBe(new Date(endsAt).toISOString());
    expect(await ask(phone.socket, 'vote:cast', { ideaId, code })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    // The next control clears "Time is up".
    expect(await ask(admin.socket, 'live:control', { code, action: 'open' })).toMatchObject({ ok: true, data: { countdownEndsAt: null, state: 'open' } });
    expect(await ask(admin.socket, 'live:control', { code, action: 'countdown', seconds: 5, atZero: 'sometime' })).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
    expect(await ask(phone.socket, 'live:control', { code, action: 'countdown', seconds: 5, atZero: 'none' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });

  it('starts a second round at 0 with the hall still joined, and lists every round in the results', async () => {
    const admin = await facilitator();
    const [a, b, c] = [await newIdea('Round one idea', 'platforms'), await newIdea('Round two idea', 'platforms'), await newIdea('Both rounds idea', 'platforms')];
    const code = await published(admin, { title: 'All day', ideaIds: [a, c] });
    const phone = await person();
    await joined(phone.socket, code);
    await vote(phone.socket, a, code);
    await vote(phone.socket, c, code);

    const next = nextEvent(phone.socket, 'live:state', (st) => st.round.n === 2);
    const zeroes = nextEvent(phone.socket, 'tally:changed', ({ counts }) => counts[c] === 0);
    const ack = await ask(admin.socket, 'live:control', { code, action: 'new-round', title: 'After lunch', ideaIds: [b, c] });
    expect(ack).toMatchObject({ ok: true, data: { round: { n: 2, title: 'After lunch' }, state: 'open', counts: { [b]: 0, [c]: 0 } } });
    expect(await next).toMatchObject({ state: 'open', counts: { [b]: 0, [c]: 0 } });
    await zeroes;
    // Still joined: the room's vote in round 2 reaches the phone on the tick.
    const counted = nextEvent(phone.socket, 'tally:changed', ({ counts }) => counts[c] === 1);
    const again = await person();
    expect(await vote(again.socket, c, code)).toMatchObject({ data: { votes: 1 } });
    await counted;
    const snapshot = await joined(phone.socket, code);
    expect(snapshot.ideas.map((i) => [i.id, i.votes, i.votedByMe])).toEqual([
      [c, 1, false],
      [b, 0, false],
    ]);
    expect(await ask(phone.socket, 'vote:cast', { ideaId: a, code })).toMatchObject({ ok: false, code: 'NOT_FOUND' });

    await ask(admin.socket, 'live:control', { code, action: 'close' });
    const results = (await phone.http.request('GET', `/api/live/${code}/results`)).body;
    expect(COMMANDS['live:results'].result.parse(results)).toEqual(results);
    expect(results.rounds.map((r: { n: number; title: string; closedAt: string | null; rows: { ideaId: string; votes: number }[] }) => [r.n, r.title, r.closedAt !== null, r.rows.map((row) => [row.ideaId, row.votes])])).toEqual([
      // Equal room votes keep the order the ideas were picked in.
      [1, 'All day', true, [[a, 1], [c, 1]]],
      [2, 'After lunch', true, [[c, 1], [b, 0]]],
    ]);
    const csv = (await (await fetch(`${run.url}/api/live/${code}/results.csv`)).text()).split('\r\n');
    expect(csv[0]).toBe('rank,idea,area,votes,voided,round,online');
    expect(csv.slice(1, 5).map((line) => line.split(',').slice(-2)[0])).toEqual(['1', '1', '2', '2']);
  });

  it('takes back 120 room votes withdrawn at once with the right counts, in a few database commands', async () => {
    const admin = await facilitator();
    const ideaId = await newIdea('The hall changes its mind');
    const code = await published(admin, { title: 'Second thoughts', ideaIds: [ideaId] });
    const phones = await Promise.all(
      Array.from({ length: 120 }, async () => {
        const http = new HttpClient(run.url);
        await http.session();
        return http;
      }),
    );
    const cast = await Promise.all(phones.map((phone) => phone.request('PUT', `/api/ideas/${ideaId}/vote`, { code })));
    expect(cast.every((r) => r.status === 200)).toBe(true);
    expect(await RoomVote.countDocuments({ session: code })).toBe(120);

    const hall = await person();
    await joined(hall.socket, code);
    const zero = nextEvent(hall.socket, 'tally:changed', ({ counts }) => counts[ideaId] === 0);
    const before = { ...run.board.roomVotes.writer.removals };
    const withdrawn = await Promise.all(phones.map((phone) => phone.request('DELETE', `/api/ideas/${ideaId}/vote`, { code })));
    const { removals } = run.board.roomVotes.writer;
    expect(removals.votes - before.votes).toBe(120);
    expect(removals.batches - before.batches).toBeLessThan(60);
    expect(withdrawn.every((r) => r.status === 200 && r.body.votedByMe === false)).toBe(true);
    expect(Math.min(...withdrawn.map((r) => r.body.votes))).toBe(0);
    expect(await RoomVote.countDocuments({ session: code })).toBe(0);
    await zero;
    expect((await joined((await person()).socket, code)).live.counts).toEqual({ [ideaId]: 0 });
    expect(run.board.state.get(ideaId)?.votes).toBe(0);
  });
});
