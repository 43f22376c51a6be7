import type { AreaCount } from '../realtime/schemas/board.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
const sockets: ClientSocket[] = [];
const pollers: SlowPoller[] = [];

async function participant(): Promise<{ http: HttpClient; socket: ClientSocket }> {
  const http = new HttpClient(run.url);
  await http.session();
  const socket = await openSocket(run.url, http.cookie);
  sockets.push(socket);
  return { http, socket };
}

async function viewer(area?: string): Promise<ClientSocket> {
  const socket = await openSocket(run.url);
  sockets.push(socket);
  const ack = await ask(socket, 'board:watch', area ? { area } : {});
  expect(ack.ok).toBe(true);
  return socket;
}

beforeAll(async () => {
  // Two phases of tiny slices: watchers of one board are sent their tallies at different steps of
  // the tick, and a phase with more than two watchers crosses turns of the event loop.
  run = await startTestBoard({ tallyPhases: 2, tallySlice: 2 });
});

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
  for (const poller of pollers.splice(0)) poller.close();
});

/**
 * A Socket.IO client on Engine.IO long-polling that fetches only when told to: between its requests
 * the server has nowhere to send, which is how a phone on a congested network looks from the server.
 */
class SlowPoller {
  private readonly abort = new AbortController();

  private constructor(
    private readonly base: string,
    private readonly sid: string,
  ) {}

  static async open(url: string): Promise<SlowPoller> {
    const open = await (await fetch(`${url}/socket.io/?EIO=4&transport=polling`)).text();
    const { sid } = JSON.parse(open.slice(1)) as { sid: string };
    const poller = new SlowPoller(`${url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, sid);
    pollers.push(poller);
    await poller.send('40');
    await poller.until((packet) => packet.startsWith('40'));
    return poller;
  }

  async send(packet: string): Promise<void> {
    const response = await fetch(this.base, { method: 'POST', body: packet, signal: this.abort.signal });
    expect(response.status).toBe(200);
  }

  /** One request: every packet the server had waiting, or the next ones it sends. */
  async poll(): Promise<string[]> {
    const body = await (await fetch(this.base, { signal: this.abort.signal })).text();
    return body.split('\x1e');
  }

  async until(match: (packet: string) => boolean, timeoutMs = 5_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = (await this.poll()).find(match);
      if (found) return found;
    }
    throw new Error(`no matching packet within ${timeoutMs} ms`);
  }

  close(): void {
    this.abort.abort();
  }
}

const tallyOf = (packet: string) => (JSON.parse(packet.slice(2)) as [string, { counts: Record<string, number> }])[1].counts;
const isTally = (packet: string) => packet.startsWith('42["tally:changed"');

afterAll(async () => {
  await run?.teardown();
});

describe('live board', () => {
  it('sends a new idea at once to watchers of its area and of the whole board, not to other areas', async () => {
    const author = await participant();
    const areaWatcher = await viewer('education');
    const allWatcher = await viewer();
    const otherArea = await viewer('police');
    const elsewhere = record(otherArea, 'idea:created');

    const arrivals = Promise.all([nextEvent(areaWatcher, 'idea:created'), nextEvent(allWatcher, 'idea:created')]);
    const ack = await ask(author.socket, 'idea:create', { area: 'education', title: 'Online safety in every school', body: 'From age 9.' });
    expect(ack.ok).toBe(true);
    const [forArea, forAll] = await arrivals;
    expect(forArea.idea).toMatchObject({ area: 'education', title: 'Online safety in every school', votes: 0 });
    expect(forAll.idea.id).toBe(forArea.idea.id);

    // Barrier: a later idea in police reaches the police watcher, so the first would have too.
    const barrier = nextEvent(otherArea, 'idea:created');
    await ask(author.socket, 'idea:create', { area: 'police', title: 'A police idea as a barrier' });
    await barrier;
    expect(elsewhere.seen.map((e) => e.idea.area)).toEqual(['police']);
  });

  it('A votes and B receives tally:changed with the new count', async () => {
    const a = await participant();
    const created = await ask(a.socket, 'idea:create', { area: 'platforms', title: 'Verified reporting routes' });
    if (!created.ok) throw new Error(created.message);
    const ideaId = created.data.idea.id;
    const b = await viewer('platforms');

    const tally = nextEvent(b, 'tally:changed', (p) => ideaId in p.counts);
    const ack = await ask(a.socket, 'vote:cast', { ideaId });
    expect(ack).toEqual({ ok: true, data: { ideaId, votes: 1, votedByMe: true } });
    expect((await tally).counts[ideaId]).toBe(1);

    const retracted = nextEvent(b, 'tally:changed', (p) => p.counts[ideaId] === 0);
    expect(await ask(a.socket, 'vote:retract', { ideaId })).toEqual({ ok: true, data: { ideaId, votes: 0, votedByMe: false } });
    await retracted;
  });

  it('delivers each change once to every watcher of its area or the whole board, across phases and slices, and none to a watcher who moved away', async () => {
    const author = await participant();
    const made = await Promise.all(
      ['Peer support after a pile-on', 'Helplines that answer at night'].map((title) => ask(author.socket, 'idea:create', { area: 'individuals', title })),
    );
    const [first, second] = made.map((m) => (m.ok ? m.data.idea.id : ''));
    const watchers = await Promise.all([...Array.from({ length: 9 }, () => viewer('individuals')), viewer(), viewer()]);
    const leaver = watchers.shift()!;
    expect((await ask(leaver, 'board:watch', { area: 'police' })).ok).toBe(true);
    const strayed = record(leaver, 'tally:changed');
    const seen = watchers.map((w) => record(w, 'tally:changed'));

    const firstTallies = watchers.map((w) => nextEvent(w, 'tally:changed', (p) => p.counts[first!] === 1));
    expect((await ask(author.socket, 'vote:cast', { ideaId: first! })).ok).toBe(true);
    // Whole-board watchers may also be sent what changed elsewhere just before: only this count is theirs to check.
    for (const tally of await Promise.all(firstTallies)) expect(tally.counts).toMatchObject({ [first!]: 1 });

    // A later change reaches everyone: by then a second copy of the first would have too.
    const secondTallies = watchers.map((w) => nextEvent(w, 'tally:changed', (p) => p.counts[second!] === 1));
    expect((await ask(author.socket, 'vote:cast', { ideaId: second! })).ok).toBe(true);
    await Promise.all(secondTallies);
    for (const watcher of seen) expect(watcher.seen.filter((t) => first! in t.counts)).toHaveLength(1);
    expect(strayed.seen).toHaveLength(0);
  });

  it('coalesces a burst of votes into a few tally messages that carry only changed ideas', async () => {
    const author = await participant();
    const made = await Promise.all(
      ['First burst idea', 'Second burst idea'].map((title) => ask(author.socket, 'idea:create', { area: 'employers', title })),
    );
    const [hot, cold] = made.map((m) => (m.ok ? m.data.idea.id : ''));
    const watcher = await viewer('employers');
    const tallies = record(watcher, 'tally:changed');
    const voters = await Promise.all(Array.from({ length: 30 }, () => participant()));

    const final = nextEvent(watcher, 'tally:changed', (p) => p.counts[hot!] === 30, 10_000);
    await Promise.all(voters.map((v) => ask(v.socket, 'vote:cast', { ideaId: hot! })));
    await final;
    expect(tallies.seen.length).toBeLessThan(30);
    expect(tallies.seen.flatMap((t) => Object.keys(t.counts)).every((id) => id === hot)).toBe(true);
    expect(tallies.seen.some((t) => cold! in t.counts)).toBe(false);
  });

  it('holds one tally for a connection that is not reading, then catches it up with every missed count in one message', async () => {
    const author = await participant();
    const made = await Promise.all(
      ['A slow reader idea', 'Another slow reader idea'].map((title) => ask(author.socket, 'idea:create', { area: 'platforms', title })),
    );
    const [first, second] = made.map((m) => (m.ok ? m.data.idea.id : ''));
    const slow = await SlowPoller.open(run.url);
    await slow.send('420["board:watch",{"area":"platforms"}]');
    await slow.until((packet) => packet.startsWith('430[{"ok":true'));
    const prompt = await viewer('platforms');
    const voters = await Promise.all(Array.from({ length: 8 }, () => participant()));

    // One vote per tick: each is a frame the slow reader would otherwise have queued.
    for (const [i, voter] of voters.entries()) {
      const shown = nextEvent(prompt, 'tally:changed', (p) => p.counts[first!] === i + 1);
      await ask(voter.socket, 'vote:cast', { ideaId: first! });
      await shown;
    }
    const shown = nextEvent(prompt, 'tally:changed', (p) => p.counts[second!] === 1);
    await ask(voters[0]!.socket, 'vote:cast', { ideaId: second! });
    await shown;

    const waiting = (await slow.poll()).filter(isTally);
    expect(waiting).toHaveLength(1);
    expect(tallyOf(waiting[0]!)[first!]).toBeLessThan(8);
    expect(tallyOf(await slow.until(isTally))).toEqual({ [first!]: 8, [second!]: 1 });
  });

  it('gives a reconnecting client a fresh snapshot with what it missed', async () => {
    const author = await participant();
    const created = await ask(author.socket, 'idea:create', { area: 'individuals', title: 'Buddy schemes for targets of pile-ons' });
    if (!created.ok) throw new Error(created.message);
    const ideaId = created.data.idea.id;

    const http = new HttpClient(run.url);
    await http.session();
    const first = await openSocket(run.url, http.cookie);
    const before = await ask(first, 'board:watch', { area: 'individuals' });
    expect(before.ok && before.data.ideas.find((i) => i.id === ideaId)?.votes).toBe(0);
    first.close();

    await ask(author.socket, 'vote:cast', { ideaId });
    await http.request('PUT', `/api/ideas/${ideaId}/vote`);

    const again = await openSocket(run.url, http.cookie);
    sockets.push(again);
    const after = await ask(again, 'board:watch', { area: 'individuals' });
    if (!after.ok) throw new Error(after.message);
    expect(after.data.ideas.find((i) => i.id === ideaId)).toMatchObject({ votes: 2, votedByMe: true });
    expect(after.data.areas.find((a) => a.slug === 'individuals')?.ideaCount).toBeGreaterThanOrEqual(1);
  });

  it("sends an author's edit to the idea's watchers", async () => {
    const author = await participant();
    const created = await ask(author.socket, 'idea:create', { area: 'education', title: 'First wording' });
    if (!created.ok) throw new Error(created.message);
    const watcher = await viewer('education');
    const update = nextEvent(watcher, 'idea:updated');
    const edited = await author.http.request('PATCH', `/api/ideas/${created.data.idea.id}`, { title: 'Better wording' });
    expect(edited.status).toBe(200);
    expect((await update).idea).toMatchObject({ id: created.data.idea.id, title: 'Better wording' });
  });

  it('gives a page that shows only area counts those counts as they change, and no ideas or tallies', async () => {
    const counter = await openSocket(run.url);
    sockets.push(counter);
    expect(await ask(counter, 'areas:watch', 'everything')).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
    const first = await ask(counter, 'areas:watch', {});
    if (!first.ok) throw new Error(first.message);
    const policeCount = (areas: AreaCount[]) => areas.find((a) => a.slug === 'police')!.ideaCount;
    const before = policeCount(first.data.areas);
    const heard = { tallies: record(counter, 'tally:changed'), ideas: record(counter, 'idea:created') };
    const whole = await viewer();
    const author = await participant();

    const counted = nextEvent(counter, 'areas:changed');
    const created = await ask(author.socket, 'idea:create', { area: 'police', title: 'Online abuse units in every force', body: '' });
    if (!created.ok) throw new Error(created.message);
    expect(policeCount((await counted).areas)).toBe(before + 1);

    const ideaId = created.data.idea.id;
    const tallied = nextEvent(whole, 'tally:changed', (p) => p.counts[ideaId] === 1);
    expect((await ask(author.socket, 'vote:cast', { ideaId })).ok).toBe(true);
    await tallied;
    // Barrier: a tally meant for the counter would have come before this later change of counts.
    const again = nextEvent(counter, 'areas:changed');
    expect((await ask(author.socket, 'idea:create', { area: 'police', title: 'Reporting that survives a reset phone', body: '' })).ok).toBe(true);
    expect(policeCount((await again).areas)).toBe(before + 2);
    expect(heard.tallies.seen).toEqual([]);
    expect(heard.ideas.seen).toEqual([]);
  });

  it('shares one listener per command among all connections, each still acting as its own user', async () => {
    const a = await participant();
    const b = await participant();
    const serverSocket = (client: ClientSocket) => run.board.io.of('/').sockets.get(client.id!)!;
    const serverA = serverSocket(a.socket);
    const serverB = serverSocket(b.socket);
    for (const event of ['board:watch', 'vote:cast', 'idea:create'] as const) {
      expect(serverA.listeners(event)).toHaveLength(1);
      expect(serverA.listeners(event)[0]).toBe(serverB.listeners(event)[0]);
    }
    const created = await ask(a.socket, 'idea:create', { area: 'employers', title: 'Named contacts for staff facing abuse' });
    if (!created.ok) throw new Error(created.message);
    expect(await ask(b.socket, 'vote:cast', { ideaId: created.data.idea.id })).toMatchObject({ ok: true, data: { votes: 1, votedByMe: true } });
    expect(await ask(a.socket, 'vote:cast', { ideaId: created.data.idea.id })).toMatchObject({ ok: true, data: { votes: 2, votedByMe: true } });
  });

  it('moves a socket to the board it watches last', async () => {
    const author = await participant();
    const switcher = await viewer('police');
    expect((await ask(switcher, 'board:watch', { area: 'education' })).ok).toBe(true);
    const seen = record(switcher, 'idea:created');
    const barrier = nextEvent(switcher, 'idea:created', (p) => p.idea.area === 'education');
    await ask(author.socket, 'idea:create', { area: 'police', title: 'Police idea after the switch' });
    await ask(author.socket, 'idea:create', { area: 'education', title: 'Education idea after the switch' });
    await barrier;
    expect(seen.seen.map((e) => e.idea.area)).toEqual(['education']);
  });
});
