import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Types } from 'mongoose';
import { Idea, Report, Session } from '../models/index.js';
import { REPORTS_TO_HIDE } from '../realtime/vocabulary.js';
import { sessionIdFromToken } from '../server/accounts/sign-in-sessions.js';
import {
  ask,
  FACILITATOR_CODE,
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

beforeAll(async () => {
  // Reports weigh fully from members, so this file signs many up from one address: more than a hall's hour of sign-ups.
  run = await startTestBoard({ limits: { signupPerAddress: { points: 100 } } });
});

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});

afterAll(async () => {
  await run?.teardown();
});

async function person(): Promise<{ http: HttpClient; socket: ClientSocket }> {
  const http = new HttpClient(run.url);
  await http.session();
  const socket = await openSocket(run.url, http.cookie);
  sockets.push(socket);
  return { http, socket };
}

/** Someone whose report weighs fully: a member (a guest session minutes old counts little). */
async function memberReporter(): Promise<{ http: HttpClient; socket: ClientSocket }> {
  const http = new HttpClient(run.url);
  await http.session();
  await http.signUp(run.dataDir);
  const socket = await openSocket(run.url, http.cookie);
  sockets.push(socket);
  return { http, socket };
}

async function watcher(area?: string): Promise<ClientSocket> {
  const socket = await openSocket(run.url);
  sockets.push(socket);
  expect((await ask(socket, 'board:watch', area ? { area } : {})).ok).toBe(true);
  return socket;
}

async function newIdea(title: string): Promise<string> {
  const author = new HttpClient(run.url);
  await author.session();
  const { status, body } = await author.request('POST', '/api/ideas', { area: 'platforms', title, body: 'Posted in the hall.' });
  expect(status).toBe(201);
  return body.idea.id as string;
}

async function facilitator(): Promise<HttpClient> {
  const http = new HttpClient(run.url);
  await http.session();
  const signIn = await http.request('POST', '/api/facilitator/session', { code: FACILITATOR_CODE });
  expect(signIn.status).toBe(200);
  expect(signIn.body.user.role).toBe('facilitator');
  return http;
}

describe('reports', () => {
  it(`takes an idea down for everyone at ${REPORTS_TO_HIDE} reports from different people, and no sooner`, async () => {
    const ideaId = await newIdea('Name and shame the worst trolls');
    const voter = await person();
    expect((await ask(voter.socket, 'vote:cast', { ideaId })).ok).toBe(true);
    const areaWatcher = await watcher('platforms');
    const allWatcher = await watcher();
    const removals = record(areaWatcher, 'idea:removed');

    const reporters = await Promise.all(Array.from({ length: REPORTS_TO_HIDE }, () => memberReporter()));
    const [first, ...rest] = reporters;
    // One person reporting again, with another reason, is still one report.
    expect(await ask(first!.socket, 'idea:report', { ideaId, reason: 'abuse' })).toEqual({ ok: true, data: { ideaId, hidden: false } });
    expect(await ask(first!.socket, 'idea:report', { ideaId, reason: 'spam' })).toEqual({ ok: true, data: { ideaId, hidden: false } });
    const lastBeforeDown = rest.slice(0, -1);
    for (const reporter of lastBeforeDown) expect(await ask(reporter.socket, 'idea:report', { ideaId, reason: 'hate' })).toEqual({ ok: true, data: { ideaId, hidden: false } });
    expect(run.board.state.get(ideaId)?.id).toBe(ideaId);

    const gone = Promise.all([nextEvent(areaWatcher, 'idea:removed'), nextEvent(allWatcher, 'idea:removed')]);
    expect(await ask(rest.at(-1)!.socket, 'idea:report', { ideaId, reason: 'hate' })).toEqual({ ok: true, data: { ideaId, hidden: true } });
    for (const event of await gone) expect(event).toEqual({ ideaId, area: 'platforms' });
    expect(removals.seen).toHaveLength(1);

    expect(await Idea.findById(ideaId).lean()).toMatchObject({ status: 'hidden', hiddenBy: 'reports' });
    const snapshot = await ask(await watcher('platforms'), 'board:watch', { area: 'platforms' });
    expect(snapshot.ok && snapshot.data.ideas.some((i) => i.id === ideaId)).toBe(false);
    expect((await voter.http.request('GET', `/api/ideas/${ideaId}`)).status).toBe(404);
    expect(await ask(voter.socket, 'vote:retract', { ideaId })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await ask(first!.socket, 'idea:report', { ideaId, reason: 'abuse' })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });

  it('tells the author, on every tab and nobody else, when their idea is taken down and by whom', async () => {
    const author = await person();
    const secondTab = await openSocket(run.url, author.http.cookie);
    sockets.push(secondTab);
    const bystander = await person();
    const overheard = record(bystander.socket, 'idea:withheld');
    const ack = await ask(author.socket, 'idea:create', { area: 'platforms', title: 'Pin the reporting button to every post', body: '' });
    const ideaId = ack.ok ? ack.data.idea.id : '';
    const authorId = (await author.http.request('GET', '/api/session')).body.user.id as string;
    const expected = { id: ideaId, area: 'platforms', title: 'Pin the reporting button to every post' };

    const toldByReports = [nextEvent(author.socket, 'idea:withheld'), nextEvent(secondTab, 'idea:withheld')];
    for (const reporter of await Promise.all(Array.from({ length: REPORTS_TO_HIDE }, () => memberReporter()))) {
      expect((await ask(reporter.socket, 'idea:report', { ideaId, reason: 'spam' })).ok).toBe(true);
    }
    for (const event of await Promise.all(toldByReports)) expect(event).toEqual({ ...expected, state: 'reported' });
    expect(await run.board.ideas.offBoardFor(authorId, 'platforms')).toContainEqual({ ...expected, state: 'reported' });

    const admin = await facilitator();
    expect((await admin.request('POST', `/api/ideas/${ideaId}/restore`)).status).toBe(200);
    expect(await run.board.ideas.offBoardFor(authorId, 'platforms')).not.toContainEqual(expect.objectContaining({ id: ideaId }));
    const toldByFacilitator = nextEvent(author.socket, 'idea:withheld');
    expect((await admin.request('POST', `/api/ideas/${ideaId}/hide`)).status).toBe(200);
    expect(await toldByFacilitator).toEqual({ ...expected, state: 'declined' });

    // Barrier: anything sent to the bystander's socket before this ack would have arrived first.
    expect((await ask(bystander.socket, 'board:watch', {})).ok).toBe(true);
    expect(overheard.seen).toEqual([]);
  });

  it('remembers who reported which idea, so their page can thank them again after a reload', async () => {
    const ideaId = await newIdea('Court orders that reach across platforms');
    const other = await newIdea('Magistrates trained in online abuse');
    const reporter = await person();
    const { body } = await reporter.http.request('GET', '/api/session');
    // Someone who never reported costs the page no search of the reports (a full read on FerretDB).
    const reads = vi.spyOn(Report, 'find');
    try {
      expect(await run.board.moderation.reportedBy(body.user.id, [ideaId, other])).toEqual([]);
      expect(reads).not.toHaveBeenCalled();
    } finally {
      reads.mockRestore();
    }
    expect((await ask(reporter.socket, 'idea:report', { ideaId, reason: 'other' })).ok).toBe(true);
    expect(await run.board.moderation.reportedBy(body.user.id, [ideaId, other])).toEqual([ideaId]);
    expect(await run.board.moderation.reportedBy(body.user.id, [])).toEqual([]);
  });

  it('refuses a report it cannot read, stores nothing and tells no one', async () => {
    const ideaId = await newIdea('Report buttons on every post');
    const reporter = await person();
    const areaWatcher = await watcher('platforms');
    const removals = record(areaWatcher, 'idea:removed');

    expect(await ask(reporter.socket, 'idea:report', { ideaId, reason: 'boring' })).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
    expect(await ask(reporter.socket, 'idea:report', { ideaId: 'x', reason: 'abuse' })).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
    expect(await ask(reporter.socket, 'idea:report', { ideaId: new Types.ObjectId().toString(), reason: 'abuse' })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    const overHttp = await reporter.http.request('POST', `/api/ideas/${ideaId}/report`, { reason: 42 });
    expect(overHttp.status).toBe(400);
    expect(overHttp.body.error.message).toMatch(/reason/);
    expect(await Report.countDocuments({ idea: new Types.ObjectId(ideaId) })).toBe(0);

    // Barrier: a later removal reaches this watcher, so one for the refused reports would have too.
    const admin = await facilitator();
    const barrier = nextEvent(areaWatcher, 'idea:removed');
    expect((await admin.request('POST', `/api/ideas/${ideaId}/hide`)).status).toBe(200);
    await barrier;
    expect(removals.seen.map((r) => r.ideaId)).toEqual([ideaId]);
  });
});

describe('facilitators', () => {
  it('get in only with the code, in a new session', async () => {
    const guest = await person();
    expect((await guest.http.request('GET', '/api/moderation')).status).toBe(403);
    const wrong = await guest.http.request('POST', '/api/facilitator/session', { code: 'open sesame' });
    expect(wrong).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    const crossSite = await guest.http.request('POST', '/api/facilitator/session', { code: FACILITATOR_CODE }, { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);

    const guestCookie = guest.http.cookie;
    const right = await guest.http.request('POST', '/api/facilitator/session', { code: FACILITATOR_CODE });
    expect(right.status).toBe(200);
    expect(guest.http.cookie).not.toBe(guestCookie);
    expect((await guest.http.request('GET', '/api/moderation')).status).toBe(200);
    // The guest session it replaced is over.
    const old = new HttpClient(run.url);
    old.cookie = guestCookie;
    expect((await old.request('GET', '/api/session')).body.user.kind).toBe('guest');
    expect(old.cookie).not.toBe(guestCookie);
  });

  it('stay signed in twelve hours past their last use, and can sign out', async () => {
    const admin = await facilitator();
    const id = sessionIdFromToken(admin.cookie.split('=')[1]!);
    const hoursLeft = async () => ((await Session.findById(id).lean())!.expiresAt.getTime() - Date.now()) / 3_600_000;
    expect(await hoursLeft()).toBeGreaterThan(11.9);
    expect(await hoursLeft()).toBeLessThanOrEqual(12);
    // Used with under six hours left, it runs twelve hours from now again.
    await Session.updateOne({ _id: id }, { $set: { expiresAt: new Date(Date.now() + 3_600_000) } });
    expect((await admin.request('GET', '/api/moderation')).status).toBe(200);
    expect(await hoursLeft()).toBeGreaterThan(11.9);

    const cookie = admin.cookie;
    expect((await admin.request('DELETE', '/api/session', undefined, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await admin.request('DELETE', '/api/session')).status).toBe(204);
    expect(admin.cookie).toBe('reclaim_session=');
    expect(await Session.findById(id).lean()).toBeNull();
    const stale = new HttpClient(run.url);
    stale.cookie = cookie;
    expect((await stale.request('GET', '/api/moderation')).status).toBe(401);
  });

  it('slow down someone guessing the code', async () => {
    const guesser = await person();
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push((await guesser.http.request('POST', '/api/facilitator/session', { code: `guess-${i}` })).status);
    expect(answers).toEqual([403, 403, 403, 403, 403, 429]);
  });

  it('see taken-down ideas first, put one back with its votes, and after that reports alone no longer hide it', async () => {
    const ideaId = await newIdea('Fund helplines for people targeted online');
    const voters = await Promise.all([person(), person()]);
    for (const voter of voters) expect((await ask(voter.socket, 'vote:cast', { ideaId })).ok).toBe(true);
    const reporters = await Promise.all(Array.from({ length: REPORTS_TO_HIDE }, () => memberReporter()));
    for (const reporter of reporters) await ask(reporter.socket, 'idea:report', { ideaId, reason: 'personal' });
    expect(run.board.state.get(ideaId)).toBeUndefined();

    const admin = await facilitator();
    const queue = await admin.request('GET', '/api/moderation');
    expect(queue.status).toBe(200);
    expect(queue.body.items[0]).toMatchObject({
      idea: { id: ideaId, title: 'Fund helplines for people targeted online', votes: 2 },
      status: 'hidden',
      hiddenBy: 'reports',
      cleared: false,
      reports: REPORTS_TO_HIDE,
      reasons: { personal: REPORTS_TO_HIDE },
    });

    const areaWatcher = await watcher('platforms');
    const back = nextEvent(areaWatcher, 'idea:restored');
    const restored = await admin.request('POST', `/api/ideas/${ideaId}/restore`);
    expect(restored.body.item).toMatchObject({ status: 'published', hiddenBy: null, cleared: true });
    expect((await back).idea).toMatchObject({ id: ideaId, votes: 2 });
    expect(run.board.state.get(ideaId)?.votes).toBe(2);

    const later = await Promise.all(Array.from({ length: REPORTS_TO_HIDE }, () => memberReporter()));
    for (const reporter of later) expect(await ask(reporter.socket, 'idea:report', { ideaId, reason: 'abuse' })).toEqual({ ok: true, data: { ideaId, hidden: false } });
    expect(run.board.state.get(ideaId)).toBeDefined();

    const gone = nextEvent(areaWatcher, 'idea:removed');
    expect((await admin.request('POST', `/api/ideas/${ideaId}/hide`)).body.item).toMatchObject({ status: 'hidden', hiddenBy: 'facilitator' });
    await gone;
  });

  it('are the only ones who can hide or put back', async () => {
    const ideaId = await newIdea('Teach digital citizenship from primary school');
    const guest = await person();
    expect((await guest.http.request('POST', `/api/ideas/${ideaId}/hide`)).status).toBe(403);
    expect((await guest.http.request('POST', `/api/ideas/${ideaId}/restore`)).status).toBe(403);
    expect(run.board.state.get(ideaId)).toBeDefined();
    const admin = await facilitator();
    expect((await admin.request('POST', `/api/ideas/${new Types.ObjectId().toString()}/hide`)).status).toBe(404);
    expect((await admin.request('POST', '/api/ideas/nope/hide')).status).toBe(400);
  });
});

describe('review of new ideas', () => {
  it('is switched only by facilitators, and only to on or off', async () => {
    const guest = await person();
    expect((await guest.http.request('PUT', '/api/moderation/settings', { reviewNewIdeas: true })).status).toBe(403);
    const admin = await facilitator();
    const bad = await admin.request('PUT', '/api/moderation/settings', { reviewNewIdeas: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/reviewNewIdeas/);
    expect((await admin.request('GET', '/api/moderation')).body.reviewNewIdeas).toBe(false);
  });

  it('holds new ideas from every screen until a facilitator publishes them; rejected ones never appear', async () => {
    const admin = await facilitator();
    expect((await admin.request('PUT', '/api/moderation/settings', { reviewNewIdeas: true })).body).toEqual({ reviewNewIdeas: true, voting: 'everyone', reportThreshold: REPORTS_TO_HIDE });
    try {
      const areaWatcher = await watcher('platforms');
      const allWatcher = await watcher();
      const created = [record(areaWatcher, 'idea:created'), record(allWatcher, 'idea:created')];
      const removed = record(areaWatcher, 'idea:removed');
      const author = await person();
      const voter = await person();

      const ack = await ask(author.socket, 'idea:create', { area: 'platforms', title: 'Slow down brand-new accounts', body: '' });
      expect(ack).toMatchObject({ ok: true, data: { pending: true, idea: { title: 'Slow down brand-new accounts', votes: 0 } } });
      const heldId = ack.ok ? ack.data.idea.id : '';
      const overHttp = await author.http.request('POST', '/api/ideas', { area: 'platforms', title: 'Ban them all, name them all', body: '' });
      expect(overHttp.status).toBe(201);
      expect(overHttp.body.pending).toBe(true);
      const rejectedId = overHttp.body.idea.id as string;

      // Its author can still see both are waiting, newest first; nobody else has any.
      const authorId = (await author.http.request('GET', '/api/session')).body.user.id as string;
      expect(await run.board.ideas.offBoardFor(authorId, 'platforms')).toEqual([
        { id: rejectedId, area: 'platforms', title: 'Ban them all, name them all', state: 'waiting' },
        { id: heldId, area: 'platforms', title: 'Slow down brand-new accounts', state: 'waiting' },
      ]);
      expect(await run.board.ideas.offBoardFor(authorId, 'police')).toEqual([]);
      const voterId = (await voter.http.request('GET', '/api/session')).body.user.id as string;
      // Someone with nothing off the board costs the area page no search of the ideas (a full read on FerretDB).
      const reads = vi.spyOn(Idea, 'find');
      try {
        expect(await run.board.ideas.offBoardFor(voterId, 'platforms')).toEqual([]);
        expect(await run.board.ideas.authoredBy(voterId, [heldId, rejectedId])).toEqual([]);
        expect(reads).not.toHaveBeenCalled();
      } finally {
        reads.mockRestore();
      }
      expect((await run.board.ideas.authoredBy(authorId, [heldId, rejectedId])).sort()).toEqual([heldId, rejectedId].sort());

      // Off the board: not shown, not votable, not reportable.
      expect((await voter.http.request('GET', `/api/ideas/${heldId}`)).status).toBe(404);
      const listed = await voter.http.request('GET', '/api/ideas?area=platforms&sort=new');
      expect(listed.body.ideas.some((i: { id: string }) => i.id === heldId || i.id === rejectedId)).toBe(false);
      expect(await ask(voter.socket, 'vote:cast', { ideaId: heldId })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
      expect(await ask(voter.socket, 'idea:report', { ideaId: heldId, reason: 'spam' })).toMatchObject({ ok: false, code: 'NOT_FOUND' });

      const queue = (await admin.request('GET', '/api/moderation')).body.items as { idea: { id: string }; status: string; hiddenBy: string | null }[];
      const heldAt = queue.findIndex((item) => item.idea.id === heldId);
      expect(queue[heldAt]).toMatchObject({ status: 'pending', hiddenBy: null, reports: 0 });
      const firstDecided = queue.findIndex((item) => item.hiddenBy === 'facilitator');
      if (firstDecided >= 0) expect(heldAt).toBeLessThan(firstDecided);
      expect((await voter.http.request('POST', `/api/ideas/${heldId}/publish`)).status).toBe(403);

      const arriving = Promise.all([nextEvent(areaWatcher, 'idea:created'), nextEvent(allWatcher, 'idea:created')]);
      expect((await admin.request('POST', `/api/ideas/${heldId}/publish`)).body.item).toMatchObject({ status: 'published' });
      for (const event of await arriving) expect(event.idea).toMatchObject({ id: heldId, title: 'Slow down brand-new accounts', votes: 0 });
      // Events keep their order per socket: a held idea sent out earlier would have arrived first.
      for (const seen of created) expect(seen.seen.map((e) => e.idea.id)).toEqual([heldId]);
      expect((await ask(voter.socket, 'vote:cast', { ideaId: heldId })).ok).toBe(true);
      // Publishing twice changes nothing and tells no one again.
      expect((await admin.request('POST', `/api/ideas/${heldId}/publish`)).body.item).toMatchObject({ status: 'published', idea: { votes: 1 } });

      // Rejected: its author is told, on their open page and on their next visit.
      const told = nextEvent(author.socket, 'idea:withheld');
      expect((await admin.request('POST', `/api/ideas/${rejectedId}/hide`)).body.item).toMatchObject({ status: 'hidden', hiddenBy: 'facilitator' });
      const declined = { id: rejectedId, area: 'platforms', title: 'Ban them all, name them all', state: 'declined' };
      expect(await told).toEqual(declined);
      expect((await voter.http.request('GET', `/api/ideas/${rejectedId}`)).status).toBe(404);
      expect(await run.board.ideas.offBoardFor(authorId, 'platforms')).toEqual([declined]);

      // With review off, ideas go up at once again; that broadcast is also the barrier for the checks above.
      expect((await admin.request('PUT', '/api/moderation/settings', { reviewNewIdeas: false })).body).toEqual({ reviewNewIdeas: false, voting: 'everyone', reportThreshold: REPORTS_TO_HIDE });
      const direct = nextEvent(areaWatcher, 'idea:created');
      const open = await ask(author.socket, 'idea:create', { area: 'platforms', title: 'Support for moderators', body: '' });
      expect(open).toMatchObject({ ok: true, data: { pending: false } });
      expect((await direct).idea.title).toBe('Support for moderators');
      for (const seen of created) expect(seen.seen.map((e) => e.idea.title)).toEqual(['Slow down brand-new accounts', 'Support for moderators']);
      expect(removed.seen).toEqual([]);

      // Signed up, the author is a member now, and the declined idea is still listed for them.
      const memberId = await author.http.signUp(run.dataDir);
      expect(await run.board.ideas.offBoardFor(memberId, 'platforms')).toEqual([declined]);
    } finally {
      await admin.request('PUT', '/api/moderation/settings', { reviewNewIdeas: false });
    }
  });
});

describe('facilitators watching the queue', () => {
  it('hear at once when there is something new to look at, and nobody else does', async () => {
    const admin = await facilitator();
    const adminSocket = await openSocket(run.url, admin.cookie);
    sockets.push(adminSocket);
    const guest = await person();
    expect(await ask(guest.socket, 'moderation:watch', {})).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await ask(adminSocket, 'moderation:watch', 'everything')).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
    expect(await ask(adminSocket, 'moderation:watch', {})).toEqual({ ok: true, data: { watching: true } });
    const heard = record(adminSocket, 'moderation:changed');
    const overheard = record(guest.socket, 'moderation:changed');

    const ideaId = await newIdea('Helplines open through the night');
    let next = nextEvent(adminSocket, 'moderation:changed');
    expect((await ask(guest.socket, 'idea:report', { ideaId, reason: 'spam' })).ok).toBe(true);
    await next;
    // Reporting again is the same report: nothing new, so no call. The hide below is the barrier.
    expect((await ask(guest.socket, 'idea:report', { ideaId, reason: 'abuse' })).ok).toBe(true);
    next = nextEvent(adminSocket, 'moderation:changed');
    expect((await admin.request('POST', `/api/ideas/${ideaId}/hide`)).status).toBe(200);
    await next;
    expect(heard.seen).toHaveLength(2);

    expect((await admin.request('PUT', '/api/moderation/settings', { reviewNewIdeas: true })).status).toBe(200);
    try {
      next = nextEvent(adminSocket, 'moderation:changed');
      expect(await ask(guest.socket, 'idea:create', { area: 'police', title: 'Trained officers on every shift', body: '' })).toMatchObject({ ok: true, data: { pending: true } });
      await next;
    } finally {
      await admin.request('PUT', '/api/moderation/settings', { reviewNewIdeas: false });
    }
    expect(heard.seen).toHaveLength(3);
    expect(overheard.seen).toEqual([]);
  });
});

describe('author edits', () => {
  it('cannot slip new words past moderation: refused during review, and a cleared idea reworded can be reported down again', async () => {
    const author = await person();
    const created = await author.http.request('POST', '/api/ideas', { area: 'platforms', title: 'Verified badges for helpline staff', body: '' });
    const ideaId = created.body.idea.id as string;
    const admin = await facilitator();
    const reporters = await Promise.all(Array.from({ length: REPORTS_TO_HIDE }, () => memberReporter()));
    for (const reporter of reporters) expect((await ask(reporter.socket, 'idea:report', { ideaId, reason: 'spam' })).ok).toBe(true);
    expect((await admin.request('POST', `/api/ideas/${ideaId}/restore`)).body.item).toMatchObject({ status: 'published', cleared: true });

    const areaWatcher = await watcher('platforms');
    const updates = record(areaWatcher, 'idea:updated');
    expect((await admin.request('PUT', '/api/moderation/settings', { reviewNewIdeas: true })).status).toBe(200);
    try {
      const refused = await author.http.request('PATCH', `/api/ideas/${ideaId}`, { title: 'Something else entirely' });
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toMatch(/review/);
      expect(run.board.state.get(ideaId)?.title).toBe('Verified badges for helpline staff');
    } finally {
      await admin.request('PUT', '/api/moderation/settings', { reviewNewIdeas: false });
    }

    const reworded = nextEvent(areaWatcher, 'idea:updated');
    expect((await author.http.request('PATCH', `/api/ideas/${ideaId}`, { title: 'Verified badges for helpline staff and moderators' })).status).toBe(200);
    expect((await reworded).idea.title).toBe('Verified badges for helpline staff and moderators');
    // The refused edit sent nothing: it would have arrived first.
    expect(updates.seen).toHaveLength(1);

    // The facilitator cleared the old words, not these: the next report takes it down again.
    const gone = nextEvent(areaWatcher, 'idea:removed');
    const one = await person();
    expect(await ask(one.socket, 'idea:report', { ideaId, reason: 'abuse' })).toEqual({ ok: true, data: { ideaId, hidden: true } });
    expect((await gone).ideaId).toBe(ideaId);
  });
});

describe('reports that cannot be used to silence', () => {
  /** A fresh guest on a network of its own, played through X-Forwarded-For from loopback. */
  async function guestOn(network: number): Promise<{ http: HttpClient; socket: ClientSocket }> {
    const forwarded = { 'x-forwarded-for': `10.${network}.7.${Math.floor(Math.random() * 200) + 2}` };
    const http = new HttpClient(run.url);
    await http.request('GET', '/api/session', undefined, forwarded);
    const socket = await openSocket(run.url, http.cookie, forwarded);
    sockets.push(socket);
    return { http, socket };
  }

  it('leaves an idea up and queued when three fresh guests on one network report it; three members take it down', async () => {
    const ideaId = await newIdea('Report buttons on every post, one tap away');
    const areaWatcher = await watcher('platforms');
    const removed = record(areaWatcher, 'idea:removed');
    for (const guest of await Promise.all([guestOn(41), guestOn(41), guestOn(41)])) {
      expect(await ask(guest.socket, 'idea:report', { ideaId, reason: 'abuse' })).toEqual({ ok: true, data: { ideaId, hidden: false } });
    }
    expect(run.board.state.get(ideaId)).toBeDefined();
    const staff = await facilitator();
    const queued = (await staff.request('GET', '/api/moderation')).body.items.find((item: { idea: { id: string } }) => item.idea.id === ideaId);
    expect(queued).toMatchObject({ status: 'published', reports: 3, weight: 0.1, networks: 1, confirmed: false });

    // Members answer for their reports: three of them act at once, on any network.
    const gone = nextEvent(areaWatcher, 'idea:removed');
    const members = await Promise.all([memberReporter(), memberReporter(), memberReporter()]);
    const answers = [];
    for (const member of members) answers.push(await ask(member.socket, 'idea:report', { ideaId, reason: 'abuse' }));
    expect(answers.map((a) => (a as { data: { hidden: boolean } }).data.hidden)).toEqual([false, false, true]);
    expect((await gone).ideaId).toBe(ideaId);
    expect(removed.seen).toHaveLength(1);
  });

  it('lets staff confirm a take-down by reports: it stays down and leaves the queue; the threshold is theirs to set', async () => {
    const ideaId = await newIdea('Publish how many reports each platform acts on');
    const staff = await facilitator();
    expect((await staff.request('PUT', '/api/moderation/settings', { reportThreshold: 2 })).body.reportThreshold).toBe(2);
    try {
      const [one, two] = await Promise.all([memberReporter(), memberReporter()]);
      expect((await ask(one.socket, 'idea:report', { ideaId, reason: 'spam' })).ok).toBe(true);
      expect(await ask(two.socket, 'idea:report', { ideaId, reason: 'spam' })).toEqual({ ok: true, data: { ideaId, hidden: true } });
    } finally {
      await staff.request('PUT', '/api/moderation/settings', { reportThreshold: REPORTS_TO_HIDE });
    }
    const guest = await person();
    expect((await guest.http.request('POST', `/api/ideas/${ideaId}/confirm`)).status).toBe(403);
    const confirmed = await staff.request('POST', `/api/ideas/${ideaId}/confirm`);
    expect(confirmed.body.item).toMatchObject({ status: 'hidden', hiddenBy: 'reports', confirmed: true });
    const queue = (await staff.request('GET', '/api/moderation')).body.items as { idea: { id: string }; confirmed: boolean; hiddenBy: string | null }[];
    // Decided items sink below everything that still needs a look.
    const index = queue.findIndex((item) => item.idea.id === ideaId);
    expect(queue.slice(index + 1).every((item) => item.confirmed || item.hiddenBy !== 'reports')).toBe(true);
    expect(run.board.state.get(ideaId)).toBeUndefined();
    expect((await staff.request('PUT', '/api/moderation/settings', { reportThreshold: 0 })).status).toBe(400);
    expect((await staff.request('POST', `/api/ideas/${await newIdea('Still up, so nothing to confirm')}/confirm`)).status).toBe(400);
  });
});
