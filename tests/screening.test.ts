import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Comment, Idea, ScreeningTerm, User } from '../models/index.js';
import { ask, FACILITATOR_CODE, HttpClient, signUpByLink, nextEvent, openSocket, record, startTestBoard, type ClientSocket, type TestBoard } from './harness.js';

let run: TestBoard;
let staff: HttpClient;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  run = await startTestBoard();
  staff = new HttpClient(run.url);
  await staff.session();
  expect((await staff.request('POST', '/api/facilitator/session', { code: FACILITATOR_CODE })).status).toBe(200);
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

async function watcher(): Promise<ClientSocket> {
  const socket = await openSocket(run.url);
  sockets.push(socket);
  expect((await ask(socket, 'board:watch', {})).ok).toBe(true);
  return socket;
}

/** Anything the server sent a socket before this ack has arrived by then. */
async function barrier(socket: ClientSocket): Promise<void> {
  expect((await ask(socket, 'areas:watch', {})).ok).toBe(true);
}

describe('word screening', () => {
  it('refuses a word to rephrase with its words, over HTTP and the socket, leet-speak too, and tells no screen', async () => {
    const author = await person();
    const screen = await watcher();
    const created = record(screen, 'idea:created');

    const http = await author.http.request('POST', '/api/ideas', { area: 'platforms', title: 'Ban the shit trolls', body: 'They ruin it.' });
    expect(http.status).toBe(400);
    expect(http.body.error).toMatchObject({ code: 'REPHRASE', terms: ['shit'] });
    expect(http.body.error.message).toMatch(/^title: please reword “shit”/);

    const leet = await ask(author.socket, 'idea:create', { area: 'platforms', title: 'Ban the sh1t trolls', body: '' });
    expect(leet).toMatchObject({ ok: false, code: 'REPHRASE', terms: ['sh1t'] });

    const inBody = await ask(author.socket, 'idea:create', { area: 'platforms', title: 'Ban the trolls', body: 'Every last f.uck of them, fvck them' });
    expect(inBody).toMatchObject({ ok: false, code: 'REPHRASE' });
    expect(inBody.ok === false && inBody.message.startsWith('body:')).toBe(true);

    await barrier(screen);
    expect(created.seen).toEqual([]);
    expect(await Idea.countDocuments({ title: /trolls/ })).toBe(0);
    // Refused posts do not use up the author's allowance: the reworded idea goes up.
    const reworded = await ask(author.socket, 'idea:create', { area: 'platforms', title: 'Ban the worst trolls', body: '' });
    expect(reworded).toMatchObject({ ok: true, data: { pending: false } });
  });

  it('lets allow-listed words pass: the built-in list knows Scunthorpe and assessment, staff add Penistone', async () => {
    const author = await person();
    expect((await author.http.request('POST', '/api/ideas', { area: 'police', title: 'Scunthorpe police: a risk assessment for every report', body: '' })).status).toBe(201);
    expect((await staff.request('POST', '/api/moderation/terms/test', { text: 'Penistone police' })).body).toMatchObject({ action: 'hold', terms: ['Penistone'] });

    expect((await staff.request('PUT', '/api/moderation/terms/penistone', { action: 'allow' })).body).toEqual({ term: { term: 'penistone', action: 'allow', builtIn: false, standard: null } });
    expect((await staff.request('POST', '/api/moderation/terms/test', { text: 'Penistone police' })).body).toEqual({ action: 'pass', terms: [], hits: [] });
    const posted = await author.http.request('POST', '/api/ideas', { area: 'police', title: 'Penistone police: officers trained in online abuse', body: '' });
    expect(posted.status).toBe(201);
    expect(posted.body.pending).toBe(false);
  });

  it('reads figures as figures: 455 and 717 pass, the same words in leet-speak with letters do not', async () => {
    expect((await staff.request('POST', '/api/moderation/terms/test', { text: 'We logged 455 reports in March and 717 in April' })).body).toEqual({ action: 'pass', terms: [], hits: [] });
    expect((await staff.request('POST', '/api/moderation/terms/test', { text: 'what an a55 and a 5h1t' })).body.action).toBe('rephrase');
  });

  it('holds a word people use about themselves: stored pending, on no screen until a moderator publishes it', async () => {
    const author = await person();
    const screen = await watcher();
    const created = record(screen, 'idea:created');
    const moderators = await openSocket(run.url, staff.cookie);
    sockets.push(moderators);
    expect((await ask(moderators, 'moderation:watch', {})).ok).toBe(true);
    const queueNews = nextEvent(moderators, 'moderation:changed');

    const held = await author.http.request('POST', '/api/ideas', { area: 'individuals', title: 'They called me a b1tch: make pile-ons an offence', body: '' });
    expect(held.status).toBe(201);
    expect(held.body.pending).toBe(true);
    await queueNews;
    const ideaId = held.body.idea.id as string;
    expect(await Idea.findById(ideaId).lean()).toMatchObject({ status: 'pending', heldFor: ['b1tch'] });

    await barrier(screen);
    expect(created.seen).toEqual([]);
    const snapshot = await ask(await watcher(), 'board:watch', {});
    expect(snapshot.ok && snapshot.data.ideas.some((idea) => idea.id === ideaId)).toBe(false);
    const queue = await staff.request('GET', '/api/moderation');
    expect(queue.body.items.find((item: { idea: { id: string } }) => item.idea.id === ideaId)).toMatchObject({ status: 'pending', heldFor: ['b1tch'] });

    const published = nextEvent(screen, 'idea:created', ({ idea }) => idea.id === ideaId);
    expect((await staff.request('POST', `/api/ideas/${ideaId}/publish`)).status).toBe(200);
    expect((await published).idea.title).toBe('They called me a b1tch: make pile-ons an offence');
  });

  it('screens comments: rephrase refused with its words, hold stored pending', async () => {
    const author = await person();
    const idea = await author.http.request('POST', '/api/ideas', { area: 'employers', title: 'Employers to back staff abused online', body: '' });
    const ideaId = idea.body.idea.id as string;
    const refused = await ask(author.socket, 'comment:create', { ideaId, stance: 'for', body: 'About bloody time, this shit has to stop' });
    expect(refused).toMatchObject({ ok: false, code: 'REPHRASE', terms: ['shit'] });
    const held = await author.http.request('POST', `/api/ideas/${ideaId}/comments`, { stance: 'for', body: 'I was called a slut at work for a year' });
    expect(held.status).toBe(201);
    expect(held.body.pending).toBe(true);
    expect(await Comment.findById(held.body.comment.id).lean()).toMatchObject({ status: 'pending', heldFor: ['slut'] });
  });

  it('refuses a display name screening would refuse or hold, at sign-up and on the profile', async () => {
    const someone = new HttpClient(run.url);
    await someone.session();
    const email = `screened-${Date.now()}@example.org`;
    const refused = await someone.request('POST', '/api/auth/signup', { email, password: 'a long and unusual passphrase', name: 'Twat Face' });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'REPHRASE', terms: ['Twat'] });
    expect(await User.countDocuments({ email })).toBe(0);

    expect((await signUpByLink(someone, run.db.dataDir, { email, password: 'a long and unusual passphrase', name: 'Sam' })).status).toBe(200);
    const renamed = await someone.request('PATCH', '/api/profile', { name: 'Proud dyke' });
    expect(renamed.status).toBe(400);
    expect(renamed.body.error).toMatchObject({ code: 'REPHRASE', terms: ['dyke'] });
    expect((await someone.request('GET', '/api/profile')).body.name).toBe('Sam');
  });

  it('keeps the term routes for staff', async () => {
    const participant = await person();
    expect((await participant.http.request('GET', '/api/moderation/terms')).status).toBe(403);
    expect((await participant.http.request('PUT', '/api/moderation/terms/troll', { action: 'rephrase' })).status).toBe(403);
    expect((await participant.http.request('POST', '/api/moderation/terms/test', { text: 'x' })).status).toBe(403);
    expect((await fetch(`${run.url}/api/moderation/terms.csv`, { headers: { cookie: participant.http.cookie } })).status).toBe(403);
    expect((await staff.request('PUT', '/api/moderation/terms/x%3Dy', { action: 'rephrase' })).status).toBe(400);
    expect((await staff.request('PUT', '/api/moderation/terms/troll', { action: 'ban' })).status).toBe(400);
  });

  it('adds, changes and removes terms, on the list and in what it screens', async () => {
    const bitch = (await staff.request('GET', '/api/moderation/terms')).body.terms.find((t: { term: string }) => t.term === 'bitch');
    expect(bitch).toEqual({ term: 'bitch', action: 'hold', builtIn: true, standard: 'hold' });

    expect((await staff.request('PUT', '/api/moderation/terms/%20Keyboard%20Warrior%20', { action: 'hold' })).body.term).toMatchObject({ term: 'keyboard warrior', action: 'hold' });
    expect((await staff.request('POST', '/api/moderation/terms/test', { text: 'Another keyb0ard warrior.' })).body).toMatchObject({ action: 'hold', terms: ['keyb0ard warrior'] });
    expect((await staff.request('PUT', '/api/moderation/terms/keyboard warrior', { action: 'rephrase' })).status).toBe(200);
    expect((await staff.request('POST', '/api/moderation/terms/test', { text: 'Another keyboard warrior.' })).body.action).toBe('rephrase');
    expect((await staff.request('DELETE', '/api/moderation/terms/keyboard%20warrior')).body).toEqual({ term: 'keyboard warrior', now: null });
    expect(await ScreeningTerm.findById('keyboard warrior').lean()).toBeNull();
    expect((await staff.request('POST', '/api/moderation/terms/test', { text: 'Another keyboard warrior.' })).body.action).toBe('pass');

    // A built-in word goes back to its default; one never changed cannot be removed.
    expect((await staff.request('PUT', '/api/moderation/terms/rape', { action: 'allow' })).body.term).toEqual({ term: 'rape', action: 'allow', builtIn: true, standard: 'hold' });
    expect((await staff.request('DELETE', '/api/moderation/terms/rape')).body.now).toEqual({ term: 'rape', action: 'hold', builtIn: true, standard: 'hold' });
    expect((await staff.request('DELETE', '/api/moderation/terms/rape')).status).toBe(404);
  });

  it('exports the list as formula-safe CSV and imports it back, row by row', async () => {
    const imported = await staff.request('POST', '/api/moderation/terms/import', {
      csv: 'term,action\r\ntroll,rephrase\r\n"pile on",hold\r\nbitch,hold\r\n=cmd(),rephrase\r\nsnowflake,ban\r\ntroll,hold\r\nDick Turpin,allow\r\n',
    });
    expect(imported.status).toBe(200);
    expect(imported.body).toEqual({
      added: 3,
      updated: 0,
      unchanged: 1,
      rejected: [
        { line: 5, reason: expect.stringMatching(/not a term/) },
        { line: 6, reason: expect.stringMatching(/action must be one of/) },
        { line: 7, reason: 'the term is on line 2 already' },
      ],
    });
    expect((await staff.request('POST', '/api/moderation/terms/test', { text: 'Dick Turpin was no tr0ll' })).body).toMatchObject({ action: 'rephrase', terms: ['tr0ll'] });

    const response = await fetch(`${run.url}/api/moderation/terms.csv`, { headers: { cookie: staff.cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const csv = await response.text();
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('term,action,list');
    expect(lines).toContain('troll,rephrase,staff');
    expect(lines).toContain('pile on,hold,staff');
    expect(lines).toContain('bitch,hold,built-in');

    // The export read back changes nothing.
    const again = await staff.request('POST', '/api/moderation/terms/import', { csv });
    expect(again.body).toMatchObject({ added: 0, updated: 0, rejected: [] });
    expect(again.body.unchanged).toBe(lines.length - 1);
  });
});
