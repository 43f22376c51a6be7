import { createHash } from 'node:crypto';
import { unzipSync, strFromU8 } from 'fflate';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantRole } from '../server/accounts/people.js';
import { FACILITATOR_CODE, HttpClient, startTestBoard, type TestBoard, signUpByLink } from './harness.js';

let run: TestBoard;
const PASSWORD = 'Tall-harbour-lantern-41-quietly';
let n = 0;

beforeAll(async () => {
  run = await startTestBoard();
});
afterAll(async () => {
  await run?.teardown();
});

async function member(name: string) {
  const http = new HttpClient(run.url);
  await http.session();
  const email = `results-${++n}-${Date.now()}@example.org`;
  const signedUp = await signUpByLink(http, run.dataDir, { email, password: PASSWORD, name });
  expect(signedUp.status).toBe(200);
  return { http, email, id: signedUp.body.user.id as string };
}

async function guest() {
  const http = new HttpClient(run.url);
  await http.session();
  return http;
}

async function idea(http: HttpClient, title: string, area = 'platforms'): Promise<string> {
  const { status, body } = await http.request('POST', '/api/ideas', { area, title, body: 'Explained at some length for the board.' });
  expect(status).toBe(201);
  return body.idea.id as string;
}

async function facilitator() {
  const http = await guest();
  expect((await http.request('POST', '/api/facilitator/session', { code: FACILITATOR_CODE })).status).toBe(200);
  return http;
}

/** A file as bytes, with its ETag and status. */
async function raw(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(run.url + path, { headers });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

describe('campaign results, open data, seals and the report', () => {
  let author: Awaited<ReturnType<typeof member>>;
  let top: string;
  let hiddenTitle: string;

  beforeAll(async () => {
    author = await member('Results Author');
    top = await idea(author.http, 'Publish takedown times for every platform');
    await idea(author.http, 'Teach consent online in every school', 'education');
    const voters = await Promise.all([guest(), guest(), member('Voter One').then((m) => m.http)]);
    for (const voter of voters) expect((await voter.request('PUT', `/api/ideas/${top}/vote`)).status).toBe(200);
    const argument = await voters[2]!.request('POST', `/api/ideas/${top}/comments`, { stance: 'for', body: 'Numbers make platforms answer for slow takedowns.' });
    expect(argument.status).toBe(201);
    hiddenTitle = 'Hidden idea words that must never be published';
    const hidden = await idea(author.http, hiddenTitle);
    const moderator = await member('Moderator');
    await grantRole(moderator.id, 'moderator', 'test');
    expect((await moderator.http.request('POST', `/api/ideas/${hidden}/hide`)).status).toBe(200);
  });

  it('ranks each challenge with online and room votes, comments, balance, status and the lead argument', async () => {
    const { status, body } = await new HttpClient(run.url).request('GET', '/api/results');
    expect(status).toBe(200);
    expect(body.areas).toHaveLength(5);
    const platforms = body.areas.find((a: { slug: string }) => a.slug === 'platforms');
    expect(platforms.ideas[0]).toMatchObject({ id: top, online: 3, room: 0, comments: 1, balance: { for: 1, against: 0 }, status: 'new' });
    expect(platforms.ideas[0].lead.for.body).toContain('Numbers make platforms');
    expect(platforms.ideas.map((i: { title: string }) => i.title)).not.toContain(hiddenTitle);
    expect(platforms.charts).toMatchObject({ members: 1, guests: 2 });
    expect(platforms.charts.timeline[0].points.at(-1).votes).toBe(3);
    expect(platforms.charts.groups.reduce((sum: number, g: { votes: number }) => sum + g.votes, 0)).toBe(3);
  });

  it('seals a closed round once: the bytes hash to the published SHA-256, and later votes elsewhere leave them unchanged', async () => {
    const admin = await facilitator();
    const created = await admin.request('POST', '/api/live', { title: 'Morning plenary', areas: ['platforms'] });
    expect(created.status).toBe(201);
    const code = created.body.code as string;
    expect((await admin.request('POST', `/api/live/${code}/control`, { action: 'publish' })).status).toBe(200);
    const phone = await guest();
    expect((await phone.request('PUT', `/api/ideas/${top}/vote`, { code })).status).toBe(200);
    expect((await admin.request('POST', `/api/live/${code}/control`, { action: 'close' })).status).toBe(200);

    const results = await admin.request('GET', `/api/live/${code}/results`);
    expect(results.body.final).toBe(true);
    const { sha256, url } = results.body.sealed;
    expect(url).toBe(`/api/live/${code}/rounds/1/sealed.json`);
    const sealed = await raw(url);
    expect(sealed.status).toBe(200);
    expect(createHash('sha256').update(sealed.bytes).digest('hex')).toBe(sha256);
    const parsed = JSON.parse(sealed.bytes.toString('utf8'));
    expect(parsed).toMatchObject({ round: 1, session: { code } });
    // The room's own vote; the board's three stand beside it as `online`.
    expect(parsed.rows[0]).toMatchObject({ ideaId: top, votes: 1, online: 3 });
    // Canonical: no whitespace, keys sorted.
    expect(sealed.bytes.toString('utf8')).not.toMatch(/\s(?=(?:[^"]*"[^"]*")*[^"]*$)/);
    expect(Object.keys(parsed)).toEqual([...Object.keys(parsed)].sort());

    // Another session runs on: votes there leave the sealed round as it was.
    const other = await admin.request('POST', '/api/live', { title: 'Afternoon session', areas: ['platforms'] });
    await admin.request('POST', `/api/live/${other.body.code}/control`, { action: 'publish' });
    for (const voter of [await guest(), await guest()]) expect((await voter.request('PUT', `/api/ideas/${top}/vote`, { code: other.body.code })).status).toBe(200);
    const again = await raw(url);
    expect(again.bytes.equals(sealed.bytes)).toBe(true);
    expect((await admin.request('GET', `/api/live/${code}/results`)).body.sealed.sha256).toBe(sha256);
    const listed = (await admin.request('GET', '/api/results')).body.sealed;
    expect(listed).toContainEqual(expect.objectContaining({ code, round: 1, sha256 }));
    expect((await raw(`/api/live/${other.body.code}/rounds/1/sealed.json`)).status).toBe(404);
  });

  it('publishes open data: every file, each field described, no e-mail and no hidden post, with an ETag', async () => {
    const zip = await raw('/api/open-data.zip');
    expect(zip.status).toBe(200);
    expect(zip.headers.get('content-type')).toContain('application/zip');
    const files = unzipSync(new Uint8Array(zip.bytes));
    const expected = ['ideas', 'comments', 'sessions', 'evidence', 'organisations'].flatMap((t) => [`${t}.csv`, `${t}.json`]).concat('moderation-log.csv', 'datapackage.json');
    expect(Object.keys(files).sort()).toEqual(expected.sort());
    const pkg = JSON.parse(strFromU8(files['datapackage.json']!));
    expect(pkg.licenses[0].name).toBe('CC-BY-4.0');
    for (const name of expected.filter((f) => f !== 'datapackage.json')) {
      const resource = pkg.resources.find((r: { path: string }) => r.path === name);
      expect(resource, name).toBeDefined();
      const fields = resource.schema.fields.map((f: { name: string }) => f.name);
      for (const f of resource.schema.fields) expect(f.description, `${name} ${f.name}`).toBeTruthy();
      const text = Buffer.from(files[name]!).toString('utf8');
      if (name.endsWith('.csv')) {
        expect([...files[name]!.subarray(0, 3)], `${name} starts with a BOM`).toEqual([0xef, 0xbb, 0xbf]);
        expect(text.slice(1).split('\r\n')[0]!.split(','), name).toEqual(fields);
      } else {
        for (const row of JSON.parse(text)) expect(Object.keys(row).sort(), name).toEqual([...fields].sort());
      }
    }
    const everything = Object.values(files).map((bytes) => strFromU8(bytes)).join('\n');
    expect(everything).not.toMatch(/@example\.org/);
    expect(everything).not.toContain(hiddenTitle);
    expect(everything).toContain('Publish takedown times for every platform');
    expect(everything).toContain('Morning plenary');

    const one = await raw('/api/open-data/ideas.csv');
    expect(one.status).toBe(200);
    expect(one.bytes.equals(Buffer.from(files['ideas.csv']!))).toBe(true);
    const etag = one.headers.get('etag')!;
    expect(etag).toBe(zip.headers.get('etag'));
    expect((await raw('/api/open-data/ideas.csv', { 'if-none-match': etag })).status).toBe(304);
    expect((await raw('/api/open-data/secrets.csv')).status).toBe(404);
  });

  it('makes report.pdf: a valid PDF whose text holds the top ideas\u2019 titles', async () => {
    const pdf = await raw('/report.pdf');
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toContain('application/pdf');
    expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(pdf.bytes)), { mergePages: true });
    expect(text).toContain('Publish takedown times for every platform');
    expect(text).toContain('Teach consent online in every school');
    expect(text).toContain('Method');
    expect(text).not.toContain(hiddenTitle);
  });
});

describe('a member\u2019s own data', () => {
  it('exports what they contributed; deleted, they cannot sign in and their idea says "Former participant"', async () => {
    const person = await member('Leaving Keeper');
    const ideaId = await idea(person.http, 'An idea that outlives its account');
    await person.http.request('PUT', `/api/ideas/${ideaId}/vote`);
    const exported = await person.http.request('GET', '/api/profile/export');
    expect(exported.status).toBe(200);
    expect(exported.body.profile.email).toBe(person.email);
    expect(exported.body.ideas.map((i: { id: string }) => i.id)).toContain(ideaId);
    expect(exported.body.votes).toHaveLength(1);

    const deleted = await person.http.request('DELETE', '/api/profile', { keepPosts: true });
    expect(deleted.status).toBe(204);
    expect((await new HttpClient(run.url).request('POST', '/api/auth/signin', { email: person.email, password: PASSWORD })).status).toBe(401);
    const page = await new HttpClient(run.url).request('GET', `/api/ideas/${ideaId}`);
    expect(page.body.idea.author.name).toBe('Former participant');
    expect(page.body.idea.votes).toBe(1);
  });

  it('removes their posts when asked, and ends every session', async () => {
    const person = await member('Leaving Clean');
    const ideaId = await idea(person.http, 'An idea that leaves with its author');
    const elsewhere = new HttpClient(run.url);
    expect((await elsewhere.request('POST', '/api/auth/signin', { email: person.email, password: PASSWORD })).status).toBe(200);
    expect((await person.http.request('DELETE', '/api/profile', { keepPosts: false })).status).toBe(204);
    expect((await new HttpClient(run.url).request('GET', `/api/ideas/${ideaId}`)).status).toBe(404);
    expect((await elsewhere.request('GET', '/api/profile')).status).toBe(401);
  });
});
