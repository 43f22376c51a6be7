import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../realtime/commands.js';
import type { VoteFlagView } from '../realtime/schemas/moderation.js';
import { ask, FACILITATOR_CODE, HttpClient, nextEvent, openSocket, record, startTestBoard, type ClientSocket, type TestBoard } from './harness.js';

let run: TestBoard;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  run = await startTestBoard();
});

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});

afterAll(async () => {
  await run?.teardown();
});

/** A guest on a network of its own, as a phone behind the hall's wifi or a script's cookie jar is. */
class Guest extends HttpClient {
  constructor(readonly address: string) {
    super(run.url);
  }

  override request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    return super.request(method, path, body, { 'x-forwarded-for': this.address, ...headers });
  }
}

async function guests(count: number, address: string): Promise<Guest[]> {
  const made: Guest[] = [];
  for (let i = 0; i < count; i += 50) {
    const batch = Array.from({ length: Math.min(50, count - i) }, () => new Guest(address));
    await Promise.all(batch.map((guest) => guest.session()));
    made.push(...batch);
  }
  return made;
}

async function vote(guest: Guest, ideaId: string): Promise<void> {
  const { status } = await guest.request('PUT', `/api/ideas/${ideaId}/vote`);
  expect(status).toBe(200);
}

async function newIdea(title: string): Promise<string> {
  const author = new Guest('10.200.0.1');
  await author.session();
  const { status, body } = await author.request('POST', '/api/ideas', { area: 'platforms', title, body: 'Put forward in the hall.' });
  expect(status).toBe(201);
  return body.idea.id as string;
}

async function staff(): Promise<{ http: HttpClient; socket: ClientSocket }> {
  const http = new HttpClient(run.url);
  await http.session();
  expect((await http.request('POST', '/api/facilitator/session', { code: FACILITATOR_CODE })).status).toBe(200);
  const socket = await openSocket(run.url, http.cookie);
  sockets.push(socket);
  expect(await ask(socket, 'moderation:watch', {})).toMatchObject({ ok: true });
  return { http, socket };
}

async function boardWatcher(): Promise<ClientSocket> {
  const socket = await openSocket(run.url);
  sockets.push(socket);
  expect((await ask(socket, 'board:watch', {})).ok).toBe(true);
  return socket;
}

const flagsNow = async (http: HttpClient): Promise<VoteFlagView[]> => {
  const { status, body } = await http.request('GET', '/api/moderation/flags');
  expect(status).toBe(200);
  expect(COMMANDS['moderation:flags'].result.parse(body)).toEqual(body);
  return body.flags;
};

describe('vote bursts', () => {
  it('flags 150 fresh cookies from one network voting for one idea within 10 s; a void brings the count back, an unvoid restores it', async () => {
    const target = await newIdea('Ban anonymous accounts everywhere');
    const other = await newIdea('Fund moderators at every platform');
    const { http: admin, socket: moderators } = await staff();
    const created = await admin.request('POST', '/api/live', { title: 'Burst hall', ideaIds: [target, other] });
    expect(created.status).toBe(201);
    const code = created.body.code as string;
    expect((await admin.request('POST', `/api/live/${code}/control`, { action: 'publish' })).status).toBe(200);
    // The facilitator's console, on a second socket: the session's staff room.
    const console_ = await openSocket(run.url, admin.cookie);
    sockets.push(console_);
    expect((await ask(console_, 'live:join', { code })).ok).toBe(true);
    const watcher = await boardWatcher();

    // Three people from elsewhere vote for it too: their votes are not the burst's.
    for (const [i, guest] of (await Promise.all([1, 2, 3].map(async (n) => (await guests(1, `10.9.${n}.1`))[0]!))).entries()) {
      await vote(guest, target);
      if (i === 0) await vote(guest, other);
    }

    const script = await guests(150, '10.66.0.1');
    const toStaff = nextEvent(moderators, 'flags:changed', ({ flag }) => flag.ideaId === target, 10_000);
    const toConsole = nextEvent(console_, 'flags:changed', ({ flag }) => flag.ideaId === target, 10_000);
    const started = Date.now();
    await Promise.all(script.map((guest) => vote(guest, target)));
    const sendingMs = Date.now() - started;
    const { flag } = await toStaff;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(sendingMs).toBeLessThan(5_000);
    expect(flag).toMatchObject({ kind: 'vote-burst', ideaId: target, title: 'Ban anonymous accounts everywhere', basis: 'network', networks: 1, state: 'open', voided: 0 });
    expect(flag.votes).toBeGreaterThanOrEqual(25);
    expect((await toConsole).flag.id).toBe(flag.id);

    // Only the burst is flagged, once: not the other idea, and not again as fresh sessions' votes.
    const listed = await flagsNow(admin);
    expect(listed.filter((f) => f.ideaId === target)).toHaveLength(1);
    expect(listed.some((f) => f.ideaId === other)).toBe(false);
    expect((await admin.request('GET', `/api/ideas/${target}`)).body.idea.votes).toBe(153);

    // Void: the burst's 150 votes stop counting on every screen; the three others stay.
    const counted = nextEvent(watcher, 'tally:changed', ({ counts }) => counts[target] === 3);
    const voidedFlag = nextEvent(moderators, 'flags:changed', ({ flag: f }) => f.id === flag.id && f.state === 'voided');
    const voided = await admin.request('POST', `/api/moderation/flags/${encodeURIComponent(flag.id)}/void`);
    expect(voided.status).toBe(200);
    expect(COMMANDS['flag:void'].result.parse(voided.body)).toEqual(voided.body);
    expect(voided.body).toMatchObject({ voided: 150, flag: { id: flag.id, state: 'voided', voided: 150, votes: 150 } });
    await counted;
    await voidedFlag;
    expect((await admin.request('GET', `/api/ideas/${target}`)).body.idea.votes).toBe(3);

    // The session's results and CSV show the votes online beside the room's (none here) without them, and say how many were voided.
    const results = await admin.request('GET', `/api/live/${code}/results`);
    expect(results.body.rows.map((row: { ideaId: string; votes: number; online: number; voided: number }) => [row.ideaId, row.votes, row.online, row.voided])).toEqual([
      [target, 0, 3, 150],
      [other, 0, 1, 0],
    ]);
    const csv = await (await fetch(`${run.url}/api/live/${code}/results.csv`)).text();
    expect(csv.split('\r\n').slice(0, 2)).toEqual(['rank,idea,area,votes,voided,round,online', '1,Ban anonymous accounts everywhere,platforms,0,150,1,3']);

    // A voter of the burst still sees their vote (it is stored), and cannot cast it twice.
    const again = await script[0]!.request('PUT', `/api/ideas/${target}/vote`);
    expect(again.body).toMatchObject({ votedByMe: true, votes: 3 });

    // Unvoid: every vote counts again.
    const back = nextEvent(watcher, 'tally:changed', ({ counts }) => counts[target] === 153);
    const unvoided = await admin.request('POST', `/api/moderation/flags/${encodeURIComponent(flag.id)}/unvoid`);
    expect(unvoided.body).toMatchObject({ voided: 0, flag: { id: flag.id, state: 'open', voided: 0 } });
    await back;
    const rerun = await admin.request('GET', `/api/live/${code}/results`);
    expect(rerun.body.rows[0]).toMatchObject({ ideaId: target, votes: 0, online: 153, voided: 0 });

    // A recount of the database agrees with the voids (and corrects nothing).
    expect(await run.board.ledger.reconcile()).toBe(0);
    await admin.request('POST', `/api/moderation/flags/${encodeURIComponent(flag.id)}/void`);
    expect(await run.board.ledger.reconcile()).toBe(0);
    expect(run.board.state.get(target)!.votes).toBe(3);
  }, 60_000);

  it('raises no flag for a hall: 500 fresh phones on one address voting for 1–3 of 20 ideas', async () => {
    const ideas: string[] = [];
    for (let i = 0; i < 20; i++) ideas.push(await newIdea(`Hall idea number ${i + 1}`));
    const { http: admin, socket: moderators } = await staff();
    const before = new Set((await flagsNow(admin)).map((f) => f.id));
    const seen = record(moderators, 'flags:changed');

    const hall = await guests(500, '10.50.0.1');
    // Spread over the run, in ten waves: each phone picks 1–3 different ideas.
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let wave = 0; wave < 10; wave++) {
      await Promise.all(
        hall.slice(wave * 50, wave * 50 + 50).map(async (phone) => {
          const picks = new Set<string>();
          const n = 1 + Math.floor(random() * 3);
          while (picks.size < n) picks.add(ideas[Math.floor(random() * ideas.length)]!);
          for (const ideaId of picks) await vote(phone, ideaId);
        }),
      );
    }

    // Barrier: a script's burst after the hall is flagged; the hall, looked at in the same passes, is not.
    const target = ideas[0]!;
    const script = await guests(40, '10.67.0.1');
    const flagged = nextEvent(moderators, 'flags:changed', ({ flag }) => flag.ideaId === target, 10_000);
    await Promise.all(script.map((guest) => vote(guest, target)));
    const { flag } = await flagged;
    const raised = (await flagsNow(admin)).filter((f) => !before.has(f.id));
    expect(raised.map((f) => f.id)).toEqual([flag.id]);
    expect(seen.seen.every(({ flag: f }) => f.id === flag.id)).toBe(true);
    seen.stop();
  }, 90_000);

  it('refuses people who are not staff, and bad input broadcasts nothing', async () => {
    const { http: admin, socket: moderators } = await staff();
    const watcher = await boardWatcher();
    const guest = new Guest('10.77.0.1');
    await guest.session();
    expect((await guest.request('GET', '/api/moderation/flags')).status).toBe(403);
    const someFlag = (await flagsNow(admin)).find((f) => f.state === 'voided')!;
    expect((await guest.request('POST', `/api/moderation/flags/${encodeURIComponent(someFlag.id)}/void`)).status).toBe(403);
    const guestSocket = await openSocket(run.url, guest.cookie);
    sockets.push(guestSocket);
    expect(await ask(guestSocket, 'moderation:flags', {})).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await ask(guestSocket, 'flag:void', { flagId: someFlag.id })).toMatchObject({ ok: false, code: 'FORBIDDEN' });

    const flags = record(moderators, 'flags:changed');
    const tallies = record(watcher, 'tally:changed');
    expect(await ask(moderators, 'flag:void', { flagId: 'nope' })).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
    expect(await ask(moderators, 'flag:void', {})).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
    expect(await ask(moderators, 'flag:unvoid', { flagId: `${'a'.repeat(24)}:abc:123` })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect((await admin.request('POST', '/api/moderation/flags/x/void')).status).toBe(400);

    // Barrier: a real unvoid reaches both sockets; nothing before it did.
    const barrier = Promise.all([nextEvent(moderators, 'flags:changed', ({ flag }) => flag.id === someFlag.id), nextEvent(watcher, 'tally:changed')]);
    const decided = await ask(moderators, 'flag:unvoid', { flagId: someFlag.id });
    expect(decided).toMatchObject({ ok: true, data: { flag: { id: someFlag.id, state: 'open' } } });
    await barrier;
    expect(flags.seen.map(({ flag }) => flag.id)).toEqual([someFlag.id]);
    expect(tallies.seen).toHaveLength(1);
  });
});
