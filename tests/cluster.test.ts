import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import { Idea } from '../models/index.js';
import { RedisLock } from '../server/platform/redis-lock.js';
import { VoteService } from '../server/board/votes.js';
import type { VoteWriter } from '../server/board/vote-writer.js';
import {
  ask,
  FACILITATOR_CODE,
  HttpClient,
  nextEvent,
  openSocket,
  startBoard,
  startTestBoard,
  type ClientSocket,
  type RunningBoard,
  type TestBoard,
} from './harness.js';

let redis: ChildProcess;
let redisUrl: string;
let one: TestBoard;
let two: RunningBoard;
const sockets: ClientSocket[] = [];

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** Debian's redis-server on loopback, no persistence; resolves once it accepts connections. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis-server did not start within 10 s')), 10_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (/Ready to accept connections/i.test(line)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('error', reject);
  });
  return child;
}

beforeAll(async () => {
  const port = await freePort();
  redis = await startRedis(port);
  redisUrl = `redis://127.0.0.1:${port}`;
  // Three new accounts per address an hour: the limit is shared through Redis, whichever server counts.
  const limits = { signupPerAddress: { points: 3 } };
  one = await startTestBoard({ redisUrl, limits });
  two = await startBoard(one.db.uri, { redisUrl, limits });
});

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await two?.stop();
  await one?.teardown();
  redis?.kill();
});

describe('two app servers behind one Redis adapter', () => {
  it('shows an idea created and votes cast on one server to viewers on the other', async () => {
    const author = new HttpClient(one.url);
    await author.session();
    const onOne = await openSocket(one.url, author.cookie);
    const viewerOnTwo = await openSocket(two.url);
    sockets.push(onOne, viewerOnTwo);
    expect((await ask(viewerOnTwo, 'board:watch', { area: 'platforms' })).ok).toBe(true);

    const arrival = nextEvent(viewerOnTwo, 'idea:created');
    const created = await ask(onOne, 'idea:create', { area: 'platforms', title: 'Cross-platform abuse reporting' });
    if (!created.ok) throw new Error(created.message);
    const ideaId = created.data.idea.id;
    expect((await arrival).idea.id).toBe(ideaId);

    const voters = await Promise.all(
      [one, two, one, two].map(async (run) => {
        const voter = new HttpClient(run.url);
        await voter.session();
        return voter;
      }),
    );
    const viewerOnOne = await openSocket(one.url);
    sockets.push(viewerOnOne);
    expect((await ask(viewerOnOne, 'board:watch', {})).ok).toBe(true);
    const allFour = (p: { counts: Record<string, number> }) => p.counts[ideaId] === 4;
    const tallies = Promise.all([nextEvent(viewerOnTwo, 'tally:changed', allFour), nextEvent(viewerOnOne, 'tally:changed', allFour)]);
    await Promise.all(voters.map((v) => v.request('PUT', `/api/ideas/${ideaId}/vote`)));
    await tallies;

    const fromOne = await new HttpClient(one.url).request('GET', `/api/ideas/${ideaId}`);
    const fromTwo = await new HttpClient(two.url).request('GET', `/api/ideas/${ideaId}`);
    expect(fromOne.body.idea.votes).toBe(4);
    expect(fromTwo.body.idea.votes).toBe(4);

    // The first voter voted on server one; server two knows it and can take the vote back.
    const sameVoterOnTwo = new HttpClient(two.url);
    sameVoterOnTwo.cookie = voters[0]!.cookie;
    expect((await sameVoterOnTwo.request('GET', `/api/ideas/${ideaId}`)).body.idea.votedByMe).toBe(true);
    const three = (p: { counts: Record<string, number> }) => p.counts[ideaId] === 3;
    const retracted = Promise.all([nextEvent(viewerOnTwo, 'tally:changed', three), nextEvent(viewerOnOne, 'tally:changed', three)]);
    const retract = await sameVoterOnTwo.request('DELETE', `/api/ideas/${ideaId}/vote`);
    expect(retract.body).toEqual({ ideaId, votes: 3, votedByMe: false });
    await retracted;
    expect((await voters[0]!.request('GET', `/api/ideas/${ideaId}`)).body.idea.votedByMe).toBe(false);
  });

  it('takes an idea down on both servers when a facilitator on one hides it, and puts it back with its votes', async () => {
    const author = new HttpClient(two.url);
    await author.session();
    const created = await author.request('POST', '/api/ideas', { area: 'employers', title: 'Employers log abuse aimed at staff' });
    const ideaId = created.body.idea.id as string;
    const voter = new HttpClient(two.url);
    await voter.session();
    expect((await voter.request('PUT', `/api/ideas/${ideaId}/vote`)).body.votes).toBe(1);
    const viewerOnTwo = await openSocket(two.url);
    sockets.push(viewerOnTwo);
    expect((await ask(viewerOnTwo, 'board:watch', { area: 'employers' })).ok).toBe(true);

    const admin = new HttpClient(one.url);
    await admin.session();
    expect((await admin.request('POST', '/api/facilitator/session', { code: FACILITATOR_CODE })).status).toBe(200);
    const removed = nextEvent(viewerOnTwo, 'idea:removed');
    expect((await admin.request('POST', `/api/ideas/${ideaId}/hide`)).status).toBe(200);
    expect((await removed).ideaId).toBe(ideaId);
    expect((await new HttpClient(two.url).request('GET', `/api/ideas/${ideaId}`)).status).toBe(404);

    const restored = nextEvent(viewerOnTwo, 'idea:restored');
    expect((await admin.request('POST', `/api/ideas/${ideaId}/restore`)).status).toBe(200);
    expect((await restored).idea).toMatchObject({ id: ideaId, votes: 1 });
    expect((await voter.request('GET', `/api/ideas/${ideaId}`)).body.idea).toMatchObject({ votes: 1, votedByMe: true });
  });

  it('never loses a facilitator hiding an idea on one server while its author rewords it on the other', async () => {
    const admin = new HttpClient(one.url);
    await admin.session();
    expect((await admin.request('POST', '/api/facilitator/session', { code: FACILITATOR_CODE })).status).toBe(200);
    // Five new ideas per person at most: a few authors, each rewording on the other server.
    const ideas = await Promise.all(
      Array.from({ length: 4 }, async (_, a) => {
        const author = new HttpClient(two.url);
        await author.session();
        const ids: { author: HttpClient; id: string; title: string }[] = [];
        for (let i = 0; i < 5; i++) {
          const created = await author.request('POST', '/api/ideas', { area: 'individuals', title: `Race idea ${a}.${i}` });
          ids.push({ author, id: created.body.idea.id as string, title: `Reworded idea ${a}.${i}` });
        }
        return ids;
      }),
    );

    const outcomes = await Promise.all(
      ideas.flat().map(async ({ author, id, title }) => {
        const [hide, edit] = await Promise.all([
          admin.request('POST', `/api/ideas/${id}/hide`),
          author.request('PATCH', `/api/ideas/${id}`, { title }),
        ]);
        return { id, title, hide: hide.status, edit: edit.status };
      }),
    );
    for (const { id, title, hide, edit } of outcomes) {
      expect(hide).toBe(200);
      // Reworded first and then hidden, or hidden first and the rewording refused: never shown again.
      expect([200, 404]).toContain(edit);
      const doc = await Idea.findById(id).lean();
      expect(doc).toMatchObject({ status: 'hidden', hiddenBy: 'facilitator', title: edit === 200 ? title : expect.stringMatching(/^Race idea/) });
      expect(one.board.state.get(id)).toBeUndefined();
      expect(two.board.state.get(id)).toBeUndefined();
    }

    // A rewording heard late, after the idea was taken down, must not bring it back on another server.
    const late = outcomes[0]!;
    const author = new HttpClient(two.url);
    await author.session();
    const marker = (await author.request('POST', '/api/ideas', { area: 'individuals', title: 'A marker idea' })).body.idea;
    await expect.poll(() => one.board.state.get(marker.id)?.title, { timeout: 5_000 }).toBe('A marker idea');
    const synced = (idea: { id: string; title: string }) => ({ id: idea.id, area: 'individuals' as const, title: idea.title, body: '', author: { name: null, organisation: null }, createdAt: Date.now() });
    two.board.io.serverSideEmit('board:sync', { ideas: [], edited: [synced(late)], removed: [], votes: [] });
    two.board.io.serverSideEmit('board:sync', { ideas: [], edited: [synced({ id: marker.id, title: 'The marker, reworded' })], removed: [], votes: [] });
    // Syncs from one server arrive in order: once the marker is reworded, the late rewording was heard.
    await expect.poll(() => one.board.state.get(marker.id)?.title, { timeout: 5_000 }).toBe('The marker, reworded');
    expect(one.board.state.get(late.id)).toBeUndefined();
  });

  it("lets one server at a time hold an idea, tells a writer kept waiting too long to retry, and frees a dead holder's lock", async () => {
    const clients = [createClient({ url: redisUrl }), createClient({ url: redisUrl })];
    await Promise.all(clients.map((c) => c.connect()));
    try {
      const [first, second] = clients.map((c) => new RedisLock(c, 300, 100));
      let releaseFirst!: () => void;
      const held = first!.hold('idea:lock-test', () => new Promise<string>((resolve) => (releaseFirst = () => resolve('first'))));
      await expect.poll(() => releaseFirst !== undefined).toBe(true);
      await expect(second!.hold('idea:lock-test', async () => 'second')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      releaseFirst();
      expect(await held).toBe('first');
      expect(await second!.hold('idea:lock-test', async () => 'second')).toBe('second');

      // A holder that never releases (its server died) holds only until its lease runs out.
      void first!.hold('idea:lock-test', () => new Promise(() => undefined));
      const patient = new RedisLock(clients[1]!, 300, 2_000);
      expect(await patient.hold('idea:lock-test', async () => 'after the lease')).toBe('after the lease');
    } finally {
      await Promise.all(clients.map((c) => c.quit()));
    }
  });

  it('holds new ideas on every server once a facilitator on one switches review on, and publishes to both', async () => {
    const admin = new HttpClient(one.url);
    await admin.session();
    expect((await admin.request('POST', '/api/facilitator/session', { code: FACILITATOR_CODE })).status).toBe(200);
    const author = new HttpClient(two.url);
    await author.session();
    // Server two has just read the switches (it keeps them for a moment): the switch on one must still hold there at once.
    const circles = await author.request('POST', '/api/ideas', { area: 'individuals', title: 'Peer support circles after a pile-on' });
    expect(circles.body.pending).toBe(false);
    expect((await admin.request('PUT', '/api/moderation/settings', { reviewNewIdeas: true })).status).toBe(200);
    try {
      const created = await author.request('POST', '/api/ideas', { area: 'individuals', title: 'Buddy schemes for people being piled on' });
      expect(created.body.pending).toBe(true);
      const ideaId = created.body.idea.id as string;
      // Held on two, it is listed for its author on one's area pages too.
      const authorId = (await author.request('GET', '/api/session')).body.user.id as string;
      await expect.poll(async () => (await one.board.ideas.offBoardFor(authorId, 'individuals')).map((idea) => idea.id), { timeout: 5_000 }).toEqual([ideaId]);
      const viewerOnTwo = await openSocket(two.url);
      sockets.push(viewerOnTwo);
      expect((await ask(viewerOnTwo, 'board:watch', { area: 'individuals' })).ok).toBe(true);

      const arrived = nextEvent(viewerOnTwo, 'idea:created');
      expect((await admin.request('POST', `/api/ideas/${ideaId}/publish`)).status).toBe(200);
      expect((await arrived).idea).toMatchObject({ id: ideaId, votes: 0 });
      const voter = new HttpClient(two.url);
      await voter.session();
      expect((await voter.request('PUT', `/api/ideas/${ideaId}/vote`)).body.votes).toBe(1);

      // A comment held on two is listed for its author on one's pages too, which had no reason to look for it.
      const commenter = new HttpClient(two.url);
      await commenter.session();
      const held = await commenter.request('POST', `/api/ideas/${circles.body.idea.id}/comments`, { stance: 'question', body: 'Who trains the people who run them?' });
      expect(held.body.pending).toBe(true);
      const { user } = (await commenter.request('GET', '/api/session')).body;
      const caller = { user, via: 'page', token: null, cookie: null, socket: null, address: null, network: null } as const;
      await expect
        .poll(async () => (await one.board.dispatcher.run('comments:off-board', { ideaId: circles.body.idea.id }, caller)).comments.map((c) => c.state), { timeout: 5_000 })
        .toEqual(['waiting']);
    } finally {
      await admin.request('PUT', '/api/moderation/settings', { reviewNewIdeas: false });
    }
  });

  it('steers a live session from either server: every screen follows one sequence, and votes on both obey it', async () => {
    const facilitators = await Promise.all(
      [one, two].map(async (run) => {
        const http = new HttpClient(run.url);
        await http.session();
        expect((await http.request('POST', '/api/facilitator/session', { code: FACILITATOR_CODE })).status).toBe(200);
        const socket = await openSocket(run.url, http.cookie);
        sockets.push(socket);
        return { http, socket };
      }),
    );
    const created = await facilitators[0]!.http.request('POST', '/api/live', { title: 'Across servers', areas: ['police'] });
    const code = created.body.code as string;
    // Published on the other server: a draft made on one is known to both.
    expect((await facilitators[1]!.http.request('POST', `/api/live/${code}/control`, { action: 'publish' })).status).toBe(200);
    const author = new HttpClient(two.url);
    await author.session();
    const ideaId = (await author.request('POST', '/api/ideas', { area: 'police', title: 'Victims told what happens to their report' })).body.idea.id as string;
    const phoneOnTwo = await openSocket(two.url, author.cookie);
    sockets.push(phoneOnTwo);
    for (const socket of [phoneOnTwo, ...facilitators.map((f) => f.socket)]) expect((await ask(socket, 'live:join', { code })).ok).toBe(true);

    const paused = nextEvent(phoneOnTwo, 'live:state', (st) => st.state === 'paused');
    expect((await ask(facilitators[0]!.socket, 'live:control', { code, action: 'pause' })).ok).toBe(true);
    await paused;
    expect(await ask(phoneOnTwo, 'vote:cast', { ideaId, code })).toMatchObject({ ok: false, code: 'FORBIDDEN' });

    // Facilitators on different servers press at once: the {session, seq} index lets one step through at a time.
    const actions = ['open', 'hide-counts', 'pause', 'open', 'reveal-counts', 'hide-counts'];
    const acks = await Promise.all(actions.flatMap((action) => facilitators.map((f) => ask(f.socket, 'live:control', { code, action }))));
    expect(acks.every((ack) => ack.ok)).toBe(true);
    const stateOn = async (run: { url: string }) => (await new HttpClient(run.url).request('GET', `/api/live/${code}`)).body.live;
    const { LiveEvent } = await import('../models/index.js');
    const seqs = (await LiveEvent.find({ session: code }, { seq: 1 }).sort({ seq: 1 }).lean()).map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    // Each server applies the other's steps as their news arrives, a moment later: both end on the last.
    for (const run of [one, two]) await expect.poll(async () => (await stateOn(run)).seq, { timeout: 5_000 }).toBe(seqs.length);
    const final = await stateOn(one);
    expect(await stateOn(two)).toEqual(final);
    expect(final.state).toBe('open');
    // The room's vote, stored on two, counts on one: its facilitator sees it (the room does not: counts are hidden).
    const onOne = nextEvent(facilitators[0]!.socket, 'tally:changed', ({ counts }) => counts[ideaId] === 1);
    expect(await ask(phoneOnTwo, 'vote:cast', { ideaId, code })).toMatchObject({ ok: true, data: { votes: null } });
    await onOne;

    // A countdown's zero: both servers' timers fire, one stores the pause, the other finds it taken.
    const pausedAtZero = nextEvent(phoneOnTwo, 'live:state', (st) => st.state === 'paused');
    const countdown = await ask(facilitators[1]!.socket, 'live:control', { code, action: 'countdown', seconds: 1, atZero: 'pause' });
    expect(countdown).toMatchObject({ ok: true, data: { atZero: 'pause' } });
    await pausedAtZero;
    for (const run of [one, two]) await expect.poll(async () => (await stateOn(run)).state, { timeout: 5_000 }).toBe('paused');
    const after = await LiveEvent.find({ session: code }, { seq: 1, action: 1 }).sort({ seq: 1 }).lean();
    expect(after.map((e) => e.seq)).toEqual(Array.from({ length: after.length }, (_, i) => i + 1));
    expect(after.slice(-2).map((e) => e.action)).toEqual(['countdown', 'pause']);
  });

  it('takes a room vote back on the server that did not store it, by its id or by the pair before its news arrives', async () => {
    const admin = new HttpClient(one.url);
    await admin.session();
    expect((await admin.request('POST', '/api/facilitator/session', { code: FACILITATOR_CODE })).status).toBe(200);
    const ideaId = (await admin.request('POST', '/api/ideas', { area: 'police', title: 'Phones that change their minds' })).body.idea.id as string;
    const code = (await admin.request('POST', '/api/live', { title: 'Minds changed', ideaIds: [ideaId] })).body.code as string;
    expect((await admin.request('POST', `/api/live/${code}/control`, { action: 'publish' })).status).toBe(200);
    const { RoomVote } = await import('../models/index.js');
    const stored = () => RoomVote.countDocuments({ session: code });
    const counts = () => [one, two].map((run) => run.board.roomVotes.ballots.count(code, 1, ideaId));
    const phone = new HttpClient(one.url);
    await phone.session();
    const onTwo = new HttpClient(two.url);
    onTwo.cookie = phone.cookie;

    // Stored on one, its news heard on two: two deletes it by its id.
    expect((await phone.request('PUT', `/api/ideas/${ideaId}/vote`, { code })).body).toMatchObject({ votes: 1 });
    await expect.poll(counts, { timeout: 5_000 }).toEqual([1, 1]);
    expect((await onTwo.request('DELETE', `/api/ideas/${ideaId}/vote`, { code })).body).toEqual({ ideaId, votes: 0, votedByMe: false });
    expect(await stored()).toBe(0);
    await expect.poll(counts, { timeout: 5_000 }).toEqual([0, 0]);

    // Withdrawn on two the moment one has stored it, whether or not its news has arrived: nothing is left anywhere.
    expect((await phone.request('PUT', `/api/ideas/${ideaId}/vote`, { code })).body).toMatchObject({ votes: 1 });
    expect((await onTwo.request('DELETE', `/api/ideas/${ideaId}/vote`, { code })).body).toEqual({ ideaId, votes: 0, votedByMe: false });
    expect(await stored()).toBe(0);
    await expect.poll(counts, { timeout: 5_000 }).toEqual([0, 0]);
  });

  it('carries a discussion across both servers: comments, helpful marks, a status change and a merge', async () => {
    const author = new HttpClient(one.url);
    await author.session();
    const post = async (title: string) => (await author.request('POST', '/api/ideas', { area: 'education', title })).body.idea.id as string;
    const ideaId = await post('Online safety taught by people who grew up online');
    const duplicate = await post('Online safety lessons from young adults');

    const voter = new HttpClient(two.url);
    await voter.session();
    expect((await voter.request('PUT', `/api/ideas/${ideaId}/vote`)).status).toBe(200);
    expect((await voter.request('PUT', `/api/ideas/${duplicate}/vote`)).status).toBe(200);
    const voterOnTwo = await openSocket(two.url, voter.cookie);
    const pageOnOne = await openSocket(one.url);
    const pageOnTwo = await openSocket(two.url);
    sockets.push(voterOnTwo, pageOnOne, pageOnTwo);
    for (const socket of [pageOnOne, pageOnTwo]) expect((await ask(socket, 'idea:watch', { ideaId })).ok).toBe(true);

    // Posted on one: live on the other server's idea page, and in its list.
    const arrived = nextEvent(pageOnTwo, 'comment:created');
    const posted = await author.request('POST', `/api/ideas/${ideaId}/comments`, { body: 'Teenagers listen to people a few years older than them.', stance: 'for' });
    expect(posted.status).toBe(201);
    const commentId = posted.body.comment.id as string;
    expect((await arrived).comment.id).toBe(commentId);
    const listed = await new HttpClient(two.url).request('GET', `/api/ideas/${ideaId}/comments`);
    expect(listed.body.comments.map((c: { id: string }) => c.id)).toContain(commentId);

    // Marked helpful on two: counted on one, and the other way round.
    const markedOnce = nextEvent(pageOnOne, 'comment:helpful', (p) => p.counts[commentId] === 1);
    expect((await voter.request('PUT', `/api/comments/${commentId}/helpful`)).body).toMatchObject({ helpful: 1, markedByMe: true });
    await markedOnce;
    const markedTwice = nextEvent(pageOnTwo, 'comment:helpful', (p) => p.counts[commentId] === 2);
    const second = new HttpClient(one.url);
    await second.session();
    expect((await second.request('PUT', `/api/comments/${commentId}/helpful`)).body).toMatchObject({ helpful: 2 });
    await markedTwice;

    // A status set on one tells the voter, whose socket is on two.
    const staff = new HttpClient(one.url);
    await staff.session();
    expect((await staff.request('POST', '/api/facilitator/session', { code: FACILITATOR_CODE })).status).toBe(200);
    const told = nextEvent(voterOnTwo, 'notification:new', (p) => p.notification.ideaId === ideaId);
    expect((await staff.request('PUT', `/api/ideas/${ideaId}/status`, { status: 'shortlisted' })).status).toBe(200);
    await told;
    // Stored by one, listed by two, whose header knows the voter has notifications now.
    await expect.poll(async () => (await voter.request('GET', '/api/notifications')).body.unread, { timeout: 5_000 }).toBe(1);
    expect((await new HttpClient(two.url).request('GET', `/api/ideas/${ideaId}`)).body.idea.status).toBe('shortlisted');

    // Merged on one: on two, the duplicate points to its target, whose voter counts once.
    expect((await staff.request('POST', `/api/ideas/${duplicate}/merge`, { into: ideaId })).status).toBe(200);
    await expect.poll(async () => (await voter.request('GET', `/api/ideas/${duplicate}`)).body.mergedInto, { timeout: 5000 }).toBe(ideaId);
    const target = await voter.request('GET', `/api/ideas/${ideaId}`);
    expect(target.body.idea).toMatchObject({ votes: 1, votedByMe: true });
  });

  it('disconnects the sockets of a session signed out on the other server', async () => {
    const person = new HttpClient(one.url);
    await person.session();
    const onTwo = await openSocket(two.url, person.cookie);
    sockets.push(onTwo);
    const closed = new Promise((resolve) => onTwo.once('disconnect', resolve));
    expect((await person.request('DELETE', '/api/session')).status).toBe(204);
    await closed;
  });

  it('lists an organisation approved on one server on the other, whose screens hear the new count', async () => {
    const staff = new HttpClient(one.url);
    await staff.session();
    expect((await staff.request('POST', '/api/facilitator/session', { code: FACILITATOR_CODE })).status).toBe(200);
    const asker = new HttpClient(one.url);
    await asker.session();
    const asked = await asker.request('POST', '/api/organisations/requests', { name: 'Coastal Youth Forum', contact: 'Mo', email: 'mo@coastal.example.org', statement: 'Young people on the coast back the campaign.' });
    expect(asked.status).toBe(201);
    const screenOnTwo = await openSocket(two.url);
    sockets.push(screenOnTwo);
    const before = (await new HttpClient(two.url).request('GET', '/api/organisations')).body.organisations.length as number;

    const heard = nextEvent(screenOnTwo, 'supporters:changed');
    expect((await staff.request('POST', `/api/organisations/requests/${asked.body.request.id}/approve`)).status).toBe(200);
    expect(await heard).toEqual({ count: before + 1 });
    await expect
      .poll(async () => ((await new HttpClient(two.url).request('GET', '/api/organisations')).body.organisations as { name: string }[]).map((o) => o.name), { timeout: 5_000 })
      .toContain('Coastal Youth Forum');

    // An edit on one server reaches the other's list too.
    expect((await staff.request('PATCH', '/api/organisations/coastal-youth-forum', { website: 'https://coastal.example.org' })).status).toBe(200);
    await expect
      .poll(async () => ((await new HttpClient(two.url).request('GET', '/api/organisations')).body.organisations as { slug: string; website: string | null }[]).find((o) => o.slug === 'coastal-youth-forum')?.website, { timeout: 5_000 })
      .toBe('https://coastal.example.org');
  });

  it('holds a rate limit across both servers', async () => {
    const answers: number[] = [];
    for (const [i, run] of [one, two, one, two].entries()) {
      const person = new HttpClient(run.url);
      await person.session();
      answers.push((await person.request('POST', '/api/auth/signup', { email: `limit${i}@example.org`, password: 'a sound passphrase', name: `Person ${i}` })).status);
    }
    expect(answers).toEqual([202, 202, 202, 429]);
  });

  it("shows a vote on one server to the other's viewers while it is stored, and takes it back there when the store fails", async () => {
    const author = new HttpClient(one.url);
    await author.session();
    const ideaId = (await author.request('POST', '/api/ideas', { area: 'police', title: 'Counted on both before it is stored' })).body.idea.id as string;
    const voter = new HttpClient(one.url);
    const voterId = await voter.session();
    const viewerOnTwo = await openSocket(two.url);
    sockets.push(viewerOnTwo);
    expect((await ask(viewerOnTwo, 'board:watch', { area: 'police' })).ok).toBe(true);
    // Server one's store answers only when told: the vote is counted ahead on one, and on two.
    let failStoring!: (error: Error) => void;
    const stalled = { admit: () => undefined, insert: () => new Promise<string | null>((_, reject) => (failStoring = reject)) } as unknown as VoteWriter;
    const votes = new VoteService(one.board.state, one.board.ledger, stalled, one.board.bus, true);

    const shown = nextEvent(viewerOnTwo, 'tally:changed', (p) => p.counts[ideaId] === 1);
    const casting = votes.cast(ideaId, voterId);
    await shown;
    // A recount on two meanwhile leaves the count ahead alone.
    await two.board.ledger.reconcile();
    expect(two.board.state.get(ideaId)?.votes).toBe(1);
    const takenBack = nextEvent(viewerOnTwo, 'tally:changed', (p) => p.counts[ideaId] === 0);
    failStoring(new Error('connection reset'));
    await expect(casting).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await takenBack;
    expect(two.board.state.get(ideaId)?.votes).toBe(0);

    // Stored the ordinary way: counted once on two, ahead and then for good.
    const settled = nextEvent(viewerOnTwo, 'tally:changed', (p) => p.counts[ideaId] === 1);
    expect((await voter.request('PUT', `/api/ideas/${ideaId}/vote`)).body.votes).toBe(1);
    await settled;
    await expect.poll(() => two.board.ledger.reconcile(), { timeout: 5_000 }).toBe(0);
    expect(two.board.state.get(ideaId)?.votes).toBe(1);
  });
});
