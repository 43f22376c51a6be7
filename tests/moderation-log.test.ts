import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Idea } from '../models/index.js';
import { grantRole } from '../server/accounts/people.js';
import { ask, FACILITATOR_CODE, HttpClient, signUpByLink, openSocket, startTestBoard, type ClientSocket, type TestBoard } from './harness.js';

let run: TestBoard;
const sockets: ClientSocket[] = [];
let n = 0;
const PASSWORD = 'correct horse battery staple';

beforeAll(async () => {
  run = await startTestBoard();
});
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});
afterAll(async () => {
  await run?.teardown();
});

async function guest(): Promise<HttpClient & { id: string }> {
  const http = new HttpClient(run.url) as HttpClient & { id: string };
  http.id = await http.session();
  return http;
}

/** A member with a name and an e-mail address that must never reach the public log. */
async function member(name: string, role?: 'moderator' | 'admin') {
  const http = await guest();
  const email = `person${++n}-${Date.now()}@example.org`;
  const signedUp = await signUpByLink(http, run.db.dataDir, { email, password: PASSWORD, name });
  expect(signedUp.status).toBe(200);
  http.id = signedUp.body.user.id as string;
  if (role) await grantRole(http.id, role, 'test');
  return { http, name, email };
}

async function postIdea(http: HttpClient, title: string): Promise<string> {
  const { status, body } = await http.request('POST', '/api/ideas', { area: 'platforms', title, body: 'Posted for the log.' });
  expect(status).toBe(201);
  return body.idea.id as string;
}

async function socketOf(http: HttpClient): Promise<ClientSocket> {
  const socket = await openSocket(run.url, http.cookie);
  sockets.push(socket);
  return socket;
}

async function logText(): Promise<{ json: string; csv: string; entries: any[] }> {
  const page = await new HttpClient(run.url).request('GET', '/api/moderation/log');
  expect(page.status).toBe(200);
  const csv = await fetch(`${run.url}/api/moderation/log.csv`);
  expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
  const bytes = new Uint8Array(await csv.arrayBuffer());
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  return { json: JSON.stringify(page.body), csv: text, entries: page.body.entries };
}

describe('the public moderation log', () => {
  it('lists decisions with their reason and role, and leaves out abusive words, names and e-mails', async () => {
    const author = await member('Priya Authorname');
    const ideaId = await postIdea(author.http, 'Ban anonymous accounts everywhere');
    const abusiveId = await postIdea(author.http, 'Something truly vile');
    const { bus } = run.board;
    bus.publish('moderation:decided', { action: 'take-down', reason: 'spam', by: 'reports', item: { kind: 'idea', id: ideaId, title: 'Ban anonymous accounts everywhere' }, byUser: null });
    bus.publish('moderation:decided', { action: 'restore', reason: 'spam', by: 'moderator', item: { kind: 'idea', id: ideaId, title: 'Ban anonymous accounts everywhere' }, byUser: null });
    bus.publish('moderation:decided', { action: 'hold', reason: 'review', by: 'moderator', item: { kind: 'idea', id: abusiveId, title: 'Something truly vile' }, byUser: null });
    bus.publish('moderation:decided', { action: 'take-down', reason: 'hate', by: 'moderator', item: { kind: 'idea', id: abusiveId, title: 'Something truly vile' }, byUser: null });
    // Once left out, an item's words stay out of every later entry.
    bus.publish('moderation:decided', { action: 'restore', reason: 'other', by: 'moderator', item: { kind: 'idea', id: abusiveId, title: 'Something truly vile' }, byUser: null });

    const { json, csv, entries } = await logText();
    const about = (id: string) => entries.filter((e) => e.item.id === id).map((e) => [e.action, e.reason, e.by, e.item.title]);
    expect(about(ideaId)).toEqual([
      ['restore', 'spam', 'moderator', 'Ban anonymous accounts everywhere'],
      ['take-down', 'spam', 'reports', 'Ban anonymous accounts everywhere'],
    ]);
    expect(about(abusiveId)).toEqual([
      ['restore', 'other', 'moderator', null],
      ['take-down', 'hate', 'moderator', null],
      ['hold', 'review', 'moderator', 'Something truly vile'],
    ]);
    for (const entry of entries) expect(Object.keys(entry).sort()).toEqual(['action', 'at', 'by', 'item', 'reason']);
    expect(csv.split('\r\n')[0]).toBe('\uFEFFat,action,reason,by,kind,id,title');
    expect(csv).toContain('[removed post]');
    for (const text of [json, csv]) {
      expect(text).not.toContain('truly vile",');
      expect(text).not.toContain(author.name);
      expect(text).not.toContain(author.email);
      expect(text).not.toContain(author.http.id);
    }
  });

  it('records merges, declines of analysis sent in, and suspensions, with roles only', async () => {
    const moderator = await member('Morgan Modname', 'moderator');
    const author = await member('Sam Suspendname');
    const a = await postIdea(author.http, 'Report buttons on every post');
    const b = await postIdea(author.http, 'A report button on each post');
    expect((await moderator.http.request('POST', `/api/ideas/${b}/merge`, { into: a })).status).toBe(200);
    const sent = await author.http.request('POST', '/api/evidence/submissions', { title: 'Our survey of abuse', summary: 'We asked 300 people about abuse they receive online.' });
    expect(sent.status).toBe(201);
    expect((await moderator.http.request('POST', `/api/evidence/submissions/${sent.body.submission.id}/decline`, { reason: 'Sam, this is out of scope' })).status).toBe(200);
    const suspended = await moderator.http.request('POST', '/api/moderation/suspensions', { ideaId: a, hours: 24, reason: 'spam' });
    expect(suspended.status).toBe(201);

    const { json, csv, entries } = await logText();
    expect(entries.slice(0, 3).map((e) => [e.action, e.reason, e.by, e.item.kind])).toEqual([
      ['suspend', 'spam', 'moderator', 'suspension'],
      ['decline', 'review', 'moderator', 'submission'],
      ['merge', 'duplicate', 'moderator', 'idea'],
    ]);
    expect(entries[0].item.title).toBe('A member, for 1 day');
    for (const person of [moderator, author]) {
      for (const text of [json, csv]) {
        expect(text).not.toContain(person.name);
        expect(text).not.toContain(person.email);
        expect(text).not.toContain(person.http.id);
      }
    }
    expect(json).not.toContain('out of scope');
  });

  it('pages by cursor, 50 at a time', async () => {
    for (let i = 0; i < 55; i++) run.board.bus.publish('moderation:decided', { action: 'void', reason: 'vote-burst', by: 'moderator', item: { kind: 'vote-flag', id: `flag-${i}`, title: null }, byUser: null });
    const first = await new HttpClient(run.url).request('GET', '/api/moderation/log');
    expect(first.body.entries).toHaveLength(50);
    expect(first.body.entries[0].item.id).toBe('flag-54');
    const second = await new HttpClient(run.url).request('GET', `/api/moderation/log?cursor=${first.body.next}`);
    expect(second.body.entries[0].item.id).toBe('flag-4');
  });
});

describe('appeals', () => {
  it('reach the staff queue, once, from the author only; a grant puts the idea back, decided by another moderator', async () => {
    const author = await member('Ada Appealname');
    const first = await member('First Moderator', 'moderator');
    const second = await member('Second Moderator', 'moderator');
    const ideaId = await postIdea(author.http, 'Teach online safety in primary schools');
    expect((await first.http.request('POST', `/api/ideas/${ideaId}/hide`)).status).toBe(200);
    // Who took it down, as the moderation log would record it once moderation.ts publishes it.
    run.board.bus.publish('moderation:decided', { action: 'take-down', reason: 'other', by: 'moderator', item: { kind: 'idea', id: ideaId, title: 'x' }, byUser: first.http.id });

    const stranger = await guest();
    expect((await stranger.request('POST', `/api/ideas/${ideaId}/appeal`, { text: 'Not mine, but unfair' })).status).toBe(403);
    const appealed = await author.http.request('POST', `/api/ideas/${ideaId}/appeal`, { text: 'It is about schools, not any person.' });
    expect(appealed.status).toBe(201);
    expect(appealed.body.appeal).toMatchObject({ state: 'waiting', text: 'It is about schools, not any person.' });
    expect((await author.http.request('POST', `/api/ideas/${ideaId}/appeal`, { text: 'Again, please' })).status).toBe(403);

    const queue = await second.http.request('GET', '/api/moderation');
    const appeal = queue.body.appeals.find((a: any) => a.itemId === ideaId);
    expect(appeal).toMatchObject({ kind: 'idea', title: 'Teach online safety in primary schools', text: 'It is about schools, not any person.', itemStatus: 'hidden', reason: 'other' });

    const own = await first.http.request('POST', `/api/moderation/appeals/${appeal.id}/decision`, { decision: 'grant' });
    expect(own.status).toBe(403);
    const granted = await second.http.request('POST', `/api/moderation/appeals/${appeal.id}/decision`, { decision: 'grant', note: 'Fair point.' });
    expect(granted.status).toBe(200);
    expect(granted.body.appeal).toMatchObject({ state: 'granted', note: 'Fair point.' });
    expect((await Idea.findById(ideaId).lean())?.status).toBe('published');
    expect((await second.http.request('POST', `/api/moderation/appeals/${appeal.id}/decision`, { decision: 'refuse' })).status).toBe(400);
    expect((await second.http.request('GET', '/api/moderation')).body.appeals.some((a: any) => a.itemId === ideaId)).toBe(false);

    const { entries } = await logText();
    expect(entries[0]).toMatchObject({ action: 'appeal-granted', reason: 'other', by: 'moderator', item: { kind: 'idea', id: ideaId } });
  });

  it('is refused for an idea on the board', async () => {
    const author = await guest();
    const ideaId = await postIdea(author, 'Fund helplines properly');
    expect((await author.request('POST', `/api/ideas/${ideaId}/appeal`, { text: 'Why?' })).status).toBe(400);
  });
});

describe('suspensions', () => {
  it('answer 403 SUSPENDED with the end time to the author over HTTP and sockets, until an admin lifts them', async () => {
    const moderator = await member('Mo Staffname', 'moderator');
    const admin = await member('Alex Adminname', 'admin');
    const author = await member('Riley Suspendee');
    const other = await guest();
    const ideaId = await postIdea(author.http, 'Ideas from a soon suspended author');
    const otherIdea = await postIdea(other, 'Somebody else entirely');

    const made = await moderator.http.request('POST', '/api/moderation/suspensions', { ideaId, hours: 1, reason: 'abuse' });
    expect(made.status).toBe(201);
    const { suspension } = made.body;
    expect(suspension).toMatchObject({ userId: author.http.id, kind: 'member', network: false, reason: 'abuse', by: 'moderator', liftedAt: null });
    const until = Date.parse(suspension.until);
    expect(until - Date.now()).toBeGreaterThan(59 * 60_000);
    expect(until - Date.now()).toBeLessThanOrEqual(60 * 60_000);

    const refusals = [
      await author.http.request('POST', '/api/ideas', { area: 'platforms', title: 'One more idea', body: '' }),
      await author.http.request('PUT', `/api/ideas/${otherIdea}/vote`),
      await author.http.request('POST', `/api/ideas/${otherIdea}/comments`, { stance: 'for', body: 'A comment' }),
    ];
    for (const refusal of refusals) {
      expect(refusal.status).toBe(403);
      expect(refusal.body.error).toMatchObject({ code: 'SUSPENDED', until: suspension.until });
      expect(refusal.body.error.message).toContain(suspension.until);
    }
    const socket = await socketOf(author.http);
    for (const [name, payload] of [
      ['idea:create', { area: 'platforms', title: 'Over the socket', body: '' }],
      ['vote:cast', { ideaId: otherIdea }],
      ['comment:create', { ideaId: otherIdea, stance: 'for', body: 'Over the socket' }],
    ] as const) {
      const ack = await ask(socket, name, payload);
      expect(ack).toMatchObject({ ok: false, code: 'SUSPENDED', until: suspension.until });
    }
    // Reading still works; others are unaffected.
    expect((await author.http.request('GET', `/api/ideas/${otherIdea}`)).status).toBe(200);
    expect((await other.request('PUT', `/api/ideas/${ideaId}/vote`)).status).toBe(200);
    expect((await other.request('POST', '/api/ideas', { area: 'platforms', title: 'Still allowed to post', body: '' })).status).toBe(201);

    expect((await moderator.http.request('DELETE', `/api/moderation/suspensions/${suspension.id}`)).status).toBe(403);
    const queue = await moderator.http.request('GET', '/api/moderation');
    expect(queue.body.suspensions.map((s: any) => s.id)).toContain(suspension.id);
    const lifted = await admin.http.request('DELETE', `/api/moderation/suspensions/${suspension.id}`);
    expect(lifted.status).toBe(200);
    expect(lifted.body.suspension.liftedAt).not.toBeNull();

    expect((await author.http.request('PUT', `/api/ideas/${otherIdea}/vote`)).status).toBe(200);
    expect((await ask(socket, 'comment:create', { ideaId: otherIdea, stance: 'for', body: 'Back again' })).ok).toBe(true);
    const { entries } = await logText();
    expect(entries.slice(0, 2).map((e) => [e.action, e.by])).toEqual([
      ['lift', 'admin'],
      ['suspend', 'moderator'],
    ]);
  });

  it('stop a guest, and with the tick every guest on their network, for good', async () => {
    const facilitator = new HttpClient(run.url);
    await facilitator.session();
    expect((await facilitator.request('POST', '/api/facilitator/session', { code: FACILITATOR_CODE })).status).toBe(200);
    // Made first: a member signing up from a suspended network is stopped too.
    const admin = await member('Admin Two', 'admin');
    const author = await guest();
    const ideaId = await postIdea(author, 'A guest who will be stopped');
    const made = await facilitator.request('POST', '/api/moderation/suspensions', { ideaId, hours: 'permanent', reason: 'evasion', network: true });
    expect(made.status).toBe(201);
    expect(made.body.suspension).toMatchObject({ kind: 'guest', network: true, until: null, by: 'facilitator' });
    const refused = await author.request('PUT', `/api/ideas/${ideaId}/vote`);
    expect(refused.body.error).toMatchObject({ code: 'SUSPENDED', until: null });
    // A new guest session on the same network (every test client is 127.0.0.1) is stopped too; staff are not.
    const fresh = await guest();
    expect((await fresh.request('PUT', `/api/ideas/${ideaId}/vote`)).body.error.code).toBe('SUSPENDED');
    expect((await facilitator.request('PUT', `/api/ideas/${ideaId}/vote`)).status).toBe(200);
    // Appealing still works for the suspended author.
    await run.board.moderation.hide(ideaId, { id: '0'.repeat(24), kind: 'member', role: 'moderator', name: null, organisation: null });
    expect((await author.request('POST', `/api/ideas/${ideaId}/appeal`, { text: 'Please look again.' })).status).toBe(201);
    expect((await admin.http.request('DELETE', `/api/moderation/suspensions/${made.body.suspension.id}`)).status).toBe(200);
    expect((await fresh.request('PUT', `/api/ideas/${ideaId}/vote`)).status).not.toBe(403);
  });
});
