import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Types } from 'mongoose';
import { Comment, HelpfulMark, Idea, Notification, Vote } from '../models/index.js';
import { COMMENT_BODY_MAX, REPORTS_TO_HIDE } from '../realtime/vocabulary.js';
import { connectDatabase } from '../server/platform/database.js';
import {
  ask,
  FACILITATOR_CODE,
  HttpClient, signUpByLink,
  nextEvent,
  openSocket,
  record,
  removeDataDir,
  startBoard,
  startDatabase,
  stopDatabaseConnection,
  type ClientSocket,
  type Database,
  type RunningBoard,
} from './harness.js';

let db: Database;
let run: RunningBoard;
const sockets: ClientSocket[] = [];
const DAY_MS = 24 * 60 * 60 * 1000;
/** An idea from three days ago with three votes cast then, stored before the board starts. */
const oldIdea = { id: new Types.ObjectId().toString(), title: 'Helplines open at night for people targeted online' };

beforeAll(async () => {
  db = await startDatabase();
  await connectDatabase(db.uri);
  const then = new Date(Date.now() - 3 * DAY_MS);
  await Idea.create({ _id: oldIdea.id, area: 'education', title: oldIdea.title, body: 'Staffed by trained volunteers.', author: new Types.ObjectId(), createdAt: then });
  await Vote.insertMany(
    // A vote's _id holds when it was cast.
    Array.from({ length: 3 }, (_, i) => ({ _id: Types.ObjectId.createFromTime(Math.floor(then.getTime() / 1000) + i), idea: oldIdea.id, voter: new Types.ObjectId(), createdAt: then })),
  );
  // This file posts ideas faster than any hall does: the per-network burst limit has its own tests.
  run = await startBoard(db.uri, { dataDir: db.dataDir, limits: { ideasBurstPerNetwork: { points: 300 } } });
});

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});

afterAll(async () => {
  await run?.stop();
  await stopDatabaseConnection();
  await db?.stop();
  if (db) removeDataDir(db.dataDir);
});

async function person(): Promise<{ http: HttpClient; socket: ClientSocket; id: string }> {
  const http = new HttpClient(run.url);
  const id = await http.session();
  const socket = await openSocket(run.url, http.cookie);
  sockets.push(socket);
  return { http, socket, id };
}

/** Someone whose report weighs fully: a member (a guest session minutes old counts little). */
async function memberReporter(): Promise<{ http: HttpClient; socket: ClientSocket; id: string }> {
  const http = new HttpClient(run.url);
  await http.session();
  const id = await http.signUp(run.dataDir);
  const socket = await openSocket(run.url, http.cookie);
  sockets.push(socket);
  return { http, socket, id };
}

async function newIdea(title: string, area = 'platforms', body = 'Put forward in the hall.'): Promise<string> {
  const author = new HttpClient(run.url);
  await author.session();
  const { status, body: created } = await author.request('POST', '/api/ideas', { area, title, body });
  expect(status).toBe(201);
  return created.idea.id as string;
}

async function moderator(): Promise<HttpClient> {
  const http = new HttpClient(run.url);
  await http.session();
  expect((await http.request('POST', '/api/facilitator/session', { code: FACILITATOR_CODE })).status).toBe(200);
  return http;
}

async function comment(who: HttpClient, ideaId: string, stance: string, body: string, parentId?: string): Promise<string> {
  const response = await who.request('POST', `/api/ideas/${ideaId}/comments`, { stance, body, ...(parentId ? { parentId } : {}) });
  expect(response.status).toBe(201);
  return response.body.comment.id as string;
}

const ids = (list: { id: string }[]) => list.map((i) => i.id);

describe('arguments', () => {
  it('a comment with each stance appears live on a second open idea page and on the board', async () => {
    const ideaId = await newIdea('Verified identity for accounts that post to thousands');
    const author = await person();
    const reader = await person();
    const watched = await ask(reader.socket, 'idea:watch', { ideaId });
    expect(watched).toEqual({ ok: true, data: { comments: [], lead: { for: null, against: null } } });
    const board = await openSocket(run.url);
    sockets.push(board);
    expect((await ask(board, 'board:watch', { area: 'platforms' })).ok).toBe(true);

    for (const stance of ['for', 'against', 'question'] as const) {
      const onPage = nextEvent(reader.socket, 'comment:created', (e) => e.comment.stance === stance);
      const onBoard = nextEvent(board, 'tally:changed', (e) => e.comments?.[ideaId] === ['for', 'against', 'question'].indexOf(stance) + 1);
      const body = `A ${stance} argument, with <b>markup</b> kept as text`;
      const ack = await ask(author.socket, 'comment:create', { ideaId, stance, body });
      expect(ack).toMatchObject({ ok: true, data: { pending: false, comment: { ideaId, stance, body, helpful: 0, parentId: null } } });
      expect((await onPage).comment).toMatchObject({ stance, body });
      await onBoard;
    }
    const page = await reader.http.request('GET', `/api/ideas/${ideaId}/comments`);
    expect(page.body.comments.map((c: { stance: string }) => c.stance)).toEqual(['for', 'against', 'question']);
    expect((await reader.http.request('GET', `/api/ideas/${ideaId}`)).body).toMatchObject({ idea: { comments: 3, status: 'new' }, mergedInto: null });
  });

  it('refuses a bad stance, an empty body and a 10,000-character one: 400, nothing stored or broadcast', async () => {
    const ideaId = await newIdea('Warnings before a post goes out to everyone');
    const author = await person();
    const reader = await person();
    expect((await ask(reader.socket, 'idea:watch', { ideaId })).ok).toBe(true);
    const heard = record(reader.socket, 'comment:created');
    const bad = [
      { stance: 'maybe', body: 'A fine argument' },
      { stance: 'for', body: '' },
      { stance: 'for', body: '   ' },
      { stance: 'against', body: 'x'.repeat(10_000) },
    ];
    for (const input of bad) {
      const response = await author.http.request('POST', `/api/ideas/${ideaId}/comments`, input);
      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(/stance|comment/);
    }
    expect(await ask(author.socket, 'comment:create', { ideaId, stance: 'for', body: 'y'.repeat(COMMENT_BODY_MAX + 1) })).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
    expect(await Comment.countDocuments({ idea: new Types.ObjectId(ideaId) })).toBe(0);
    // Barrier: a later comment reaches the page, so one of the refused ones would have arrived first.
    const later = nextEvent(reader.socket, 'comment:created');
    await comment(author.http, ideaId, 'for', 'This one is fine');
    await later;
    expect(heard.seen.map((e) => e.comment.body)).toEqual(['This one is fine']);
  });

  it('takes a reply only to a top-level comment on the same idea', async () => {
    const ideaId = await newIdea('Report buttons that tell you what happened next');
    const other = await newIdea('A regulator that publishes response times');
    const someone = await person();
    const top = await comment(someone.http, ideaId, 'question', 'Who would run this?');
    const reply = await comment(someone.http, ideaId, 'for', 'The platforms, audited.', top);
    for (const parentId of [reply, top]) {
      const target = parentId === top ? other : ideaId;
      const response = await someone.http.request('POST', `/api/ideas/${target}/comments`, { stance: 'for', body: 'A reply', parentId });
      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(/parentId/);
    }
    const page = await someone.http.request('GET', `/api/ideas/${ideaId}/comments`);
    expect(page.body.comments.map((c: { id: string; parentId: string | null }) => [c.id, c.parentId])).toEqual([
      [top, null],
      [reply, top],
    ]);
  });

  it('counts helpful marks once per person under concurrency, and sends the counts to the page coalesced', async () => {
    const ideaId = await newIdea('Fines that grow with a platform’s size');
    const author = await person();
    const commentId = await comment(author.http, ideaId, 'for', 'Small fines are a cost of doing business.');
    const reader = await person();
    expect((await ask(reader.socket, 'idea:watch', { ideaId })).ok).toBe(true);
    const markers = await Promise.all([person(), person(), person()]);
    const settled = nextEvent(reader.socket, 'comment:helpful', (e) => e.counts[commentId] === 3);
    const answers = await Promise.all(
      markers.flatMap((m) => [
        ...Array.from({ length: 5 }, () => m.http.request('PUT', `/api/comments/${commentId}/helpful`)),
        ...Array.from({ length: 5 }, () => ask(m.socket, 'comment:helpful', { commentId })),
      ]),
    );
    for (const answer of answers) expect('status' in answer ? answer.status : answer.ok).toBe('status' in answer ? 200 : true);
    expect(await settled).toEqual({ ideaId, counts: { [commentId]: 3 } });
    expect(await HelpfulMark.countDocuments({ comment: new Types.ObjectId(commentId) })).toBe(3);

    const withdrawn = await markers[0]!.http.request('DELETE', `/api/comments/${commentId}/helpful`);
    expect(withdrawn.body).toEqual({ commentId, helpful: 2, markedByMe: false });
    const list = await markers[1]!.http.request('GET', `/api/ideas/${ideaId}/comments`);
    expect(list.body.comments[0]).toMatchObject({ id: commentId, helpful: 2, markedByMe: true });
  });

  it('leads with the most helpful argument for and against; the rest follow best first within each stance', async () => {
    const ideaId = await newIdea('Digital literacy in every school year');
    const author = await person();
    const weakFor = await comment(author.http, ideaId, 'for', 'Children deserve it.');
    const strongFor = await comment(author.http, ideaId, 'for', 'Teachers already see the harm every week.');
    const strongAgainst = await comment(author.http, ideaId, 'against', 'The curriculum is full already.');
    const weakAgainst = await comment(author.http, ideaId, 'against', 'Parents should do it.');
    const readers = await Promise.all([person(), person(), person()]);
    for (const reader of readers) expect((await reader.http.request('PUT', `/api/comments/${strongFor}/helpful`)).status).toBe(200);
    for (const reader of readers.slice(0, 2)) expect((await reader.http.request('PUT', `/api/comments/${strongAgainst}/helpful`)).status).toBe(200);
    expect((await readers[0]!.http.request('PUT', `/api/comments/${weakAgainst}/helpful`)).status).toBe(200);

    const { body } = await author.http.request('GET', `/api/ideas/${ideaId}/comments`);
    expect(body.lead).toEqual({ for: strongFor, against: strongAgainst });
    expect(ids(body.comments)).toEqual([strongFor, weakFor, strongAgainst, weakAgainst]);
    const none = await newIdea('Nobody has argued about this yet');
    expect((await author.http.request('GET', `/api/ideas/${none}/comments`)).body.lead).toEqual({ for: null, against: null });
  });

  it(`${REPORTS_TO_HIDE} people's reports take a comment down on every screen`, async () => {
    const ideaId = await newIdea('Court orders that reach across borders');
    const author = await person();
    const commentId = await comment(author.http, ideaId, 'against', 'Something abusive');
    const page = await person();
    expect((await ask(page.socket, 'idea:watch', { ideaId })).ok).toBe(true);
    const board = await openSocket(run.url);
    sockets.push(board);
    expect((await ask(board, 'board:watch', {})).ok).toBe(true);
    const reporters = await Promise.all(Array.from({ length: REPORTS_TO_HIDE }, () => memberReporter()));
    for (const reporter of reporters.slice(0, -1)) expect(await ask(reporter.socket, 'comment:report', { commentId, reason: 'abuse' })).toEqual({ ok: true, data: { commentId, hidden: false } });

    const gone = nextEvent(page.socket, 'comment:removed');
    const recounted = nextEvent(board, 'tally:changed', (e) => e.comments?.[ideaId] === 0);
    expect(await ask(reporters.at(-1)!.socket, 'comment:report', { commentId, reason: 'hate' })).toEqual({ ok: true, data: { commentId, hidden: true } });
    expect(await gone).toEqual({ commentId, ideaId, area: 'platforms' });
    await recounted;
    expect((await page.http.request('GET', `/api/ideas/${ideaId}/comments`)).body.comments).toEqual([]);
    expect((await page.http.request('GET', `/api/ideas/${ideaId}`)).body.idea.comments).toBe(0);

    const staff = await moderator();
    const queue = await staff.request('GET', '/api/moderation');
    expect(queue.body.comments[0]).toMatchObject({ comment: { id: commentId }, status: 'hidden', hiddenBy: 'reports', reports: REPORTS_TO_HIDE });
    const back = nextEvent(page.socket, 'comment:created');
    expect((await staff.request('POST', `/api/comments/${commentId}/restore`)).status).toBe(200);
    expect((await back).comment.id).toBe(commentId);
    // Cleared by staff: reports alone no longer take it down.
    for (const reporter of await Promise.all(Array.from({ length: REPORTS_TO_HIDE }, () => memberReporter()))) {
      expect(await ask(reporter.socket, 'comment:report', { commentId, reason: 'spam' })).toEqual({ ok: true, data: { commentId, hidden: false } });
    }
  });
});

describe('a comment off its page, as its author sees it', () => {
  /** What the idea page lists for this person: their comments not on it, and why. */
  const offBoard = async (who: { http: HttpClient }, ideaId: string) => {
    const { user } = (await who.http.request('GET', '/api/session')).body;
    const caller = { user, via: 'page', token: null, cookie: null, socket: null, address: null, network: null } as const;
    return (await run.board.dispatcher.run('comments:off-board', { ideaId }, caller)).comments;
  };

  it('tells the author, on every tab and nobody else, when reports or staff take their comment down, and lists it for them until it is back', async () => {
    const ideaId = await newIdea('Reporting buttons on every post');
    const author = await person();
    const secondTab = await openSocket(run.url, author.http.cookie);
    sockets.push(secondTab);
    const bystander = await person();
    const overheard = record(bystander.socket, 'comment:withheld');
    const body = 'Platforms already have them, but they are buried three menus deep where nobody finds them in time';
    const commentId = await comment(author.http, ideaId, 'for', body);
    const expected = { id: commentId, ideaId, excerpt: `${body.slice(0, 79)}\u2026` };
    // Nobody with a comment off its page yet: the page does not search the comments (a full read on FerretDB).
    const reads = vi.spyOn(Comment, 'find');
    try {
      expect(await offBoard(author, ideaId)).toEqual([]);
      expect(reads).not.toHaveBeenCalled();
    } finally {
      reads.mockRestore();
    }

    const toldByReports = [nextEvent(author.socket, 'comment:withheld'), nextEvent(secondTab, 'comment:withheld')];
    for (const reporter of await Promise.all(Array.from({ length: REPORTS_TO_HIDE }, () => memberReporter()))) {
      expect((await ask(reporter.socket, 'comment:report', { commentId, reason: 'spam' })).ok).toBe(true);
    }
    for (const event of await Promise.all(toldByReports)) expect(event).toEqual({ ...expected, state: 'reported' });
    expect(await offBoard(author, ideaId)).toEqual([{ ...expected, state: 'reported' }]);
    // Only the author: nobody else's list has it.
    expect(await offBoard(bystander, ideaId)).toEqual([]);

    const staff = await moderator();
    expect((await staff.request('POST', `/api/comments/${commentId}/restore`)).status).toBe(200);
    expect(await offBoard(author, ideaId)).toEqual([]);
    const toldByStaff = nextEvent(author.socket, 'comment:withheld');
    expect((await staff.request('POST', `/api/comments/${commentId}/hide`)).status).toBe(200);
    expect(await toldByStaff).toEqual({ ...expected, state: 'declined' });
    expect(await offBoard(author, ideaId)).toEqual([{ ...expected, state: 'declined' }]);
    // The list points at the appeal, which this author (and only this author) can make.
    expect((await bystander.http.request('POST', `/api/comments/${commentId}/appeal`, { text: 'Not mine' })).status).toBe(403);
    expect((await author.http.request('POST', `/api/comments/${commentId}/appeal`, { text: 'It argues for a feature, it is not spam.' })).status).toBe(201);

    // Barrier: anything sent to the bystander's socket before this ack would have arrived first.
    expect((await ask(bystander.socket, 'idea:watch', { ideaId })).ok).toBe(true);
    expect(overheard.seen).toEqual([]);
  });

  it('lists a comment held for a moderator as waiting, on the page of the idea a duplicate was merged into too', async () => {
    const staff = await moderator();
    const into = await newIdea('Named officers for online abuse in every force');
    const duplicate = await newIdea('An online abuse officer in each police force');
    const author = await person();
    expect((await staff.request('PUT', '/api/moderation/settings', { reviewNewIdeas: true })).status).toBe(200);
    let held: string;
    try {
      const posted = await author.http.request('POST', `/api/ideas/${duplicate}/comments`, { stance: 'question', body: 'Who would they answer to?' });
      expect(posted.status).toBe(201);
      expect(posted.body.pending).toBe(true);
      held = posted.body.comment.id as string;
    } finally {
      expect((await staff.request('PUT', '/api/moderation/settings', { reviewNewIdeas: false })).status).toBe(200);
    }
    expect(await offBoard(author, duplicate)).toEqual([{ id: held, ideaId: duplicate, excerpt: 'Who would they answer to?', state: 'waiting' }]);
    expect((await staff.request('POST', `/api/ideas/${duplicate}/merge`, { into })).status).toBe(200);
    expect(await offBoard(author, into)).toEqual([{ id: held, ideaId: into, excerpt: 'Who would they answer to?', state: 'waiting' }]);
  });
});

describe('a guest who signs up or in', () => {
  it('keeps their comments and helpful marks: counts unchanged, and a comment the member had marked too counts once', async () => {
    const ideaId = await newIdea('Safety reviews before a platform launches a feature');
    const other = await person();
    const both = await comment(other.http, ideaId, 'for', 'Cheaper than fixing harm after launch.');
    const guestOnly = await comment(other.http, ideaId, 'against', 'Reviews turn into box-ticking.');
    const password = 'correct horse battery staple';
    const email = `reviewer-${Date.now()}@example.org`;
    const account = await person();
    const memberId = (await signUpByLink(account.http, run.dataDir, { email, password, name: 'Ravi Rao' })).body.user.id as string;
    expect((await account.http.request('PUT', `/api/comments/${both}/helpful`)).body.helpful).toBe(1);

    const visitor = await person();
    const mine = await comment(visitor.http, ideaId, 'question', 'Who would do the reviews?');
    for (const commentId of [both, guestOnly]) expect((await visitor.http.request('PUT', `/api/comments/${commentId}/helpful`)).status).toBe(200);
    const helpful = async () => Object.fromEntries(((await other.http.request('GET', `/api/ideas/${ideaId}/comments`)).body.comments as { id: string; helpful: number }[]).map((c) => [c.id, c.helpful]));
    expect(await helpful()).toEqual({ [both]: 2, [guestOnly]: 1, [mine]: 0 });

    expect((await visitor.http.request('POST', '/api/auth/signin', { email, password })).body.user.id).toBe(memberId);
    expect(await helpful()).toEqual({ [both]: 1, [guestOnly]: 1, [mine]: 0 });
    expect((await Comment.findById(mine).lean())!.author.toString()).toBe(memberId);
    expect(await HelpfulMark.countDocuments({ marker: visitor.id })).toBe(0);
    const signedIn = (await visitor.http.request('GET', `/api/ideas/${ideaId}/comments`)).body.comments as { id: string; markedByMe: boolean }[];
    expect(signedIn.filter((c) => c.markedByMe).map((c) => c.id).sort()).toEqual([both, guestOnly].sort());
    // The mark moved rather than stacked: taking it back leaves nobody's.
    expect((await visitor.http.request('DELETE', `/api/comments/${both}/helpful`)).body.helpful).toBe(0);

    // Staff see the member as its author once the comment is reported.
    expect((await other.http.request('POST', `/api/comments/${mine}/report`, { reason: 'spam' })).status).toBe(200);
    const queue = (await (await moderator()).request('GET', '/api/moderation')).body.comments as { comment: { id: string }; postedBy: { userId: string; name: string } }[];
    expect(queue.find((item) => item.comment.id === mine)?.postedBy).toMatchObject({ userId: memberId, name: 'Ravi Rao' });
  });
});

describe('rankings and search', () => {
  it('shuffles `random` the same way for one visitor and differently for another', async () => {
    for (let i = 0; i < 8; i++) await newIdea(`Random order idea number ${i}`, 'employers');
    const order = async (who: HttpClient, query = '') => ids((await who.request('GET', `/api/ideas?area=employers&sort=random&limit=100${query}`)).body.ideas);
    const [first, second] = [new HttpClient(run.url), new HttpClient(run.url)];
    await first.session();
    await second.session();
    const firstOrder = await order(first);
    expect(firstOrder.length).toBeGreaterThanOrEqual(8);
    expect(await order(first)).toEqual(firstOrder);
    expect(await order(second)).not.toEqual(firstOrder);
    // Without a session, the seed it is given keeps its order, page after page.
    const stranger = new HttpClient(run.url);
    expect(await order(stranger, '&seed=abc')).toEqual(await order(stranger, '&seed=abc'));
    const pageOne = await stranger.request('GET', '/api/ideas?area=employers&sort=random&limit=4&seed=abc');
    const pageTwo = await stranger.request('GET', `/api/ideas?area=employers&sort=random&limit=4&cursor=${pageOne.body.next}`);
    expect([...ids(pageOne.body.ideas), ...ids(pageTwo.body.ideas)]).toEqual((await order(stranger, '&seed=abc')).slice(0, 8));
  });

  it('puts a fresh, active idea above an old one with the same votes in `trending`', async () => {
    const fresh = await newIdea('Evening classes on staying safe online', 'education');
    for (const voter of await Promise.all(Array.from({ length: 3 }, () => person()))) expect((await ask(voter.socket, 'vote:cast', { ideaId: fresh })).ok).toBe(true);
    const reader = new HttpClient(run.url);
    await reader.session();
    const top = (await reader.request('GET', '/api/ideas?area=education&sort=top')).body.ideas;
    expect(top.find((i: { id: string }) => i.id === oldIdea.id).votes).toBe(3);
    expect(top.find((i: { id: string }) => i.id === fresh).votes).toBe(3);
    const trending = ids((await reader.request('GET', '/api/ideas?area=education&sort=trending')).body.ideas);
    expect(trending.indexOf(fresh)).toBeLessThan(trending.indexOf(oldIdea.id));

    const discussed = await newIdea('Mentors for teenagers new to social media', 'education');
    await comment(reader, discussed, 'question', 'From which age?');
    expect(ids((await reader.request('GET', '/api/ideas?area=education&sort=discussed')).body.ideas)[0]).toBe(discussed);
  });

  it('finds ideas by a word of their body, and filters by status', async () => {
    const ideaId = await newIdea('Clear rules for content moderators', 'individuals', 'Moderators need counselling and fair pay.');
    await newIdea('Something else entirely', 'individuals', 'Nothing about that here.');
    const reader = new HttpClient(run.url);
    expect(ids((await reader.request('GET', '/api/ideas?sort=top&q=counselling')).body.ideas)).toEqual([ideaId]);
    expect(ids((await reader.request('GET', '/api/ideas?area=individuals&q=counsel')).body.ideas)).toEqual([ideaId]);
    expect((await reader.request('GET', '/api/ideas?area=police&q=counselling')).body.ideas).toEqual([]);
    expect((await reader.request('GET', '/api/ideas?status=adopted&area=individuals')).body.ideas).toEqual([]);
    expect((await reader.request('GET', '/api/ideas?status=done')).status).toBe(400);
  });

  it('suggests near-duplicates of a title being typed', async () => {
    const ideaId = await newIdea('Ban anonymous accounts from replying to strangers', 'police');
    await newIdea('Train police officers in digital evidence', 'police');
    const reader = new HttpClient(run.url);
    const similar = await reader.request('GET', `/api/ideas/similar?area=police&text=${encodeURIComponent('ban anonymus acounts replying')}`);
    expect(similar.status).toBe(200);
    expect(similar.body.ideas[0].id).toBe(ideaId);
    expect(similar.body.ideas.length).toBeLessThanOrEqual(5);
    expect((await reader.request('GET', '/api/ideas/similar?text=a')).status).toBe(400);
  });
});

describe('merges and statuses', () => {
  it('merges a duplicate (its voters count once) and unmerging restores both exactly', async () => {
    const target = await newIdea('Police training on online harassment', 'police');
    const duplicate = await newIdea('Train the police about online harassment', 'police');
    const [both, targetOnly, duplicateOnly, lateVoter] = await Promise.all([person(), person(), person(), person()]);
    for (const [who, ideaId] of [[both, target], [both, duplicate], [targetOnly, target], [duplicateOnly, duplicate]] as const) {
      expect((await ask(who.socket, 'vote:cast', { ideaId })).ok).toBe(true);
    }
    const argument = await comment(duplicateOnly.http, duplicate, 'for', 'Officers say they need it.');
    const board = await openSocket(run.url);
    sockets.push(board);
    expect((await ask(board, 'board:watch', { area: 'police' })).ok).toBe(true);
    const staff = await moderator();

    const merged = nextEvent(board, 'idea:merged');
    const told = nextEvent(duplicateOnly.socket, 'notification:new');
    const answer = await staff.request('POST', `/api/ideas/${duplicate}/merge`, { into: target });
    expect(answer.status).toBe(200);
    expect(answer.body.idea).toMatchObject({ id: target, votes: 3, comments: 1 });
    expect(await merged).toEqual({ ideaId: duplicate, into: target, area: 'police' });
    expect((await told).notification).toMatchObject({ kind: 'merged', ideaId: duplicate, read: false });
    expect((await both.http.request('GET', `/api/ideas/${duplicate}`)).body).toMatchObject({ mergedInto: target, idea: { id: duplicate } });
    expect(ids((await both.http.request('GET', '/api/ideas?area=police&limit=100')).body.ideas)).not.toContain(duplicate);
    expect(ids((await both.http.request('GET', `/api/ideas/${target}/comments`)).body.comments)).toEqual([argument]);

    // While merged: a voter already counted through the duplicate adds nothing; a new one counts.
    expect((await ask(duplicateOnly.socket, 'vote:cast', { ideaId: target })).ok).toBe(true);
    expect(run.board.state.get(target)?.votes).toBe(3);
    expect(await ask(lateVoter.socket, 'vote:cast', { ideaId: target })).toMatchObject({ ok: true, data: { votes: 4 } });
    expect(await ask(lateVoter.socket, 'vote:cast', { ideaId: duplicate })).toMatchObject({ ok: false, code: 'NOT_FOUND' });

    const restored = nextEvent(board, 'idea:restored');
    expect((await staff.request('POST', `/api/ideas/${duplicate}/unmerge`)).body.idea).toMatchObject({ id: duplicate, votes: 2, comments: 1 });
    expect((await restored).idea).toMatchObject({ id: duplicate, votes: 2 });
    // The target keeps the votes cast on it meanwhile (two of them) besides its own two.
    expect(run.board.state.get(target)?.votes).toBe(4);
    expect(await Vote.countDocuments({ idea: new Types.ObjectId(duplicate) })).toBe(2);
    expect((await both.http.request('GET', `/api/ideas/${target}/comments`)).body.comments).toEqual([]);
    expect((await both.http.request('GET', `/api/ideas/${duplicate}`)).body).toMatchObject({ mergedInto: null, idea: { votes: 2, comments: 1 } });
    expect((await both.http.request('POST', `/api/ideas/${duplicate}/merge`, { into: target })).status).toBe(403);
    expect((await staff.request('POST', `/api/ideas/${target}/merge`, { into: target })).status).toBe(400);
  });

  it('lets someone counted through a duplicate take their vote back on the idea it was merged into', async () => {
    const target = await newIdea('Clear report buttons on every platform', 'platforms');
    const duplicate = await newIdea('A report button that is easy to find', 'platforms');
    const [onTarget, onDuplicate] = await Promise.all([person(), person()]);
    expect((await ask(onTarget.socket, 'vote:cast', { ideaId: target })).ok).toBe(true);
    expect((await ask(onDuplicate.socket, 'vote:cast', { ideaId: duplicate })).ok).toBe(true);
    const staff = await moderator();
    expect((await staff.request('POST', `/api/ideas/${duplicate}/merge`, { into: target })).body.idea).toMatchObject({ votes: 2 });
    expect((await onDuplicate.http.request('GET', `/api/ideas/${target}`)).body.idea).toMatchObject({ votes: 2, votedByMe: true });

    expect(await ask(onDuplicate.socket, 'vote:retract', { ideaId: target })).toMatchObject({ ok: true, data: { votes: 1, votedByMe: false } });
    expect((await onDuplicate.http.request('GET', `/api/ideas/${target}`)).body.idea).toMatchObject({ votes: 1, votedByMe: false });
    expect(run.board.state.get(target)?.votes).toBe(1);

    // Taken back for good: unmerged, the duplicate no longer has it.
    expect((await staff.request('POST', `/api/ideas/${duplicate}/unmerge`)).body.idea).toMatchObject({ id: duplicate, votes: 0 });
    expect(await Vote.countDocuments({ idea: new Types.ObjectId(duplicate) })).toBe(0);
    expect(run.board.state.get(target)?.votes).toBe(1);
  });

  it('a status change shows on the idea and notifies its voters live', async () => {
    const ideaId = await newIdea('A yearly report on abuse numbers from every platform', 'platforms');
    const voter = await person();
    expect((await ask(voter.socket, 'vote:cast', { ideaId })).ok).toBe(true);
    // Never notified yet: every page's header asks, and nothing is read.
    const reads = [vi.spyOn(Notification, 'find'), vi.spyOn(Notification, 'findById')];
    try {
      expect((await voter.http.request('GET', '/api/notifications')).body).toEqual({ notifications: [], unread: 0 });
      for (const read of reads) expect(read).not.toHaveBeenCalled();
    } finally {
      for (const read of reads) read.mockRestore();
    }
    const staff = await moderator();
    const told = nextEvent(voter.socket, 'notification:new');
    const bad = await staff.request('PUT', `/api/ideas/${ideaId}/status`, { status: 'done' });
    expect(bad.status).toBe(400);
    const changed = await staff.request('PUT', `/api/ideas/${ideaId}/status`, { status: 'shortlisted' });
    expect(changed.body.idea).toMatchObject({ id: ideaId, status: 'shortlisted' });
    expect(await told).toMatchObject({ unread: 1, notification: { kind: 'status', ideaId, text: 'Now: Shortlisted for the conference', read: false } });
    expect(ids((await voter.http.request('GET', '/api/ideas?status=shortlisted')).body.ideas)).toEqual([ideaId]);

    // Found by id, never by searching every notification for the person's (a full read on FerretDB).
    const search = vi.spyOn(Notification, 'find');
    try {
      const mine = await voter.http.request('GET', '/api/notifications');
      expect(mine.body).toMatchObject({ unread: 1, notifications: [{ ideaId, read: false }] });
      const caller = { user: (await voter.http.request('GET', '/api/session')).body.user, via: 'page', token: null, cookie: null, socket: null, address: null, network: null } as const;
      expect(await run.board.dispatcher.run('notifications:unread', {}, caller)).toEqual({ unread: 1 });
      expect(search).not.toHaveBeenCalled();
    } finally {
      search.mockRestore();
    }
    expect((await voter.http.request('POST', '/api/notifications/read')).body).toEqual({ unread: 0 });
    expect((await voter.http.request('GET', '/api/notifications')).body).toMatchObject({ unread: 0, notifications: [{ ideaId, read: true }] });
    expect(await Notification.countDocuments({ idea: new Types.ObjectId(ideaId) })).toBe(1);
  });
});
