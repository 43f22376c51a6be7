import { EventBus } from '../server/platform/bus.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Evidence, EvidenceSubmission, Organisation, OrganisationRequest } from '../models/index.js';
import { COMMANDS, type CommandName, type PageCommandName } from '../realtime/commands.js';
import { EVIDENCE_KIND_SLUGS } from '../realtime/vocabulary.js';
import { EvidenceService, PUBLIC_SUBMITTER } from '../server/campaign/evidence.js';
import { EVIDENCE_SEED } from '../server/campaign/evidence-seed.js';
import { pageGateway } from '../server/transport/gateway.js';
import { KeyedQueue } from '../server/platform/keyed-queue.js';
import { Limits } from '../server/platform/limits.js';
import { Organisations } from '../server/campaign/organisations.js';
import { ask, FACILITATOR_CODE, HttpClient, signUpByLink, nextEvent, openSocket, record, startTestBoard, type ClientSocket, type TestBoard } from './harness.js';

let run: TestBoard;
const sockets: ClientSocket[] = [];
let seq = 0;
const unique = (text: string) => `${text} ${++seq}-${Date.now()}`;
const address = () => `private${++seq}-${Date.now()}@example.org`;

beforeAll(async () => {
  run = await startTestBoard();
});

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});

afterAll(async () => {
  await run?.teardown();
});

async function guest(): Promise<HttpClient> {
  const http = new HttpClient(run.url);
  await http.session();
  return http;
}

async function socketOf(http?: HttpClient): Promise<ClientSocket> {
  const socket = await openSocket(run.url, http?.cookie ?? '');
  sockets.push(socket);
  return socket;
}

/** Signed in with the facilitator code, with a socket that hears `moderation:changed`. */
async function staff() {
  const http = await guest();
  const signedIn = await http.request('POST', '/api/facilitator/session', { code: FACILITATOR_CODE });
  expect(signedIn.body.user.role).toBe('facilitator');
  const socket = await socketOf(http);
  expect(await ask(socket, 'moderation:watch', {})).toEqual({ ok: true, data: { watching: true } });
  return { http, socket };
}

/** A command as the SvelteKit pages call it, through the page gateway, with this client's session. */
async function page<N extends PageCommandName>(http: HttpClient, name: N, input: unknown) {
  const token = http.cookie.split('=')[1]!;
  const session = await run.board.sessions.validateSessionToken(token);
  const gateway = pageGateway(run.board.dispatcher, run.board.sessions);
  return gateway.run(name, input, { user: session!.user, token, cookie: { set: () => undefined, clear: () => undefined }, address: '127.0.0.1' });
}

/** Checks an answer against its row's result schema: nothing missing, nothing more. */
function matches(name: CommandName, body: unknown): void {
  expect(COMMANDS[name].result.parse(body), name).toEqual(body);
}

async function evidence(query = '') {
  const answer = await (await guest()).request('GET', `/api/evidence${query}`);
  expect(answer.status).toBe(200);
  matches('evidence:list', answer.body);
  return answer.body.items as { id: string; headline: string; summary: string; source: { organisation: string; title: string; year: number | null; url: string | null }; areas: string[]; kind: string; submittedBy: string | null }[];
}

async function supporters() {
  const answer = await (await guest()).request('GET', '/api/organisations');
  expect(answer.status).toBe(200);
  matches('organisations:list', answer.body);
  return answer.body.organisations as { slug: string; name: string; about: string; website: string | null; joinedAt: string }[];
}

async function queue(http: HttpClient) {
  const answer = await http.request('GET', '/api/moderation');
  expect(answer.status).toBe(200);
  matches('moderation:queue', answer.body);
  return answer.body as { submissions: { id: string; status: string; email: string | null; reason: string | null }[]; requests: { id: string; status: string; email: string; name: string }[] };
}

async function submit(http: HttpClient, fields: Record<string, unknown> = {}) {
  const answer = await http.request('POST', '/api/evidence/submissions', { title: unique('Abuse of councillors online'), summary: 'We surveyed 400 councillors about abuse they receive online.', ...fields });
  expect(answer.status).toBe(201);
  matches('evidence:submit', answer.body);
  return answer.body.submission as { id: string; title: string; status: string };
}

async function requestToJoin(http: HttpClient, fields: Record<string, unknown> = {}) {
  const answer = await http.request('POST', '/api/organisations/requests', {
    name: unique('Northern Safety Network'),
    website: 'https://northern-safety.example.org',
    contact: 'Priya Shah',
    email: address(),
    statement: 'We support people abused online across the north of England and back this campaign.',
    ...fields,
  });
  expect(answer.status).toBe(201);
  matches('organisations:request', answer.body);
  return answer.body.request as { id: string; name: string; status: string };
}

describe('the evidence library and the supporters', () => {
  it('seeds the six findings with their sources and the eleven supporters, once however often servers start', async () => {
    const items = await evidence();
    expect(items).toHaveLength(6);
    expect(items.map((i) => i.source.organisation)).toEqual(['Demos', 'NASUWT', 'Revenge Porn Helpline', 'The Guardian', 'Tell MAMA', 'Community Security Trust (CST)']);
    expect(items[0]).toMatchObject({ headline: expect.stringContaining('10,000'), source: { title: expect.stringMatching(/misogynistic/), year: 2016, url: null }, kind: 'study', submittedBy: null });
    for (const item of items) {
      expect(item.areas.length).toBeGreaterThan(0);
      expect(EVIDENCE_KIND_SLUGS).toContain(item.kind);
    }
    const education = await evidence('?area=education');
    expect(education.map((i) => i.source.organisation)).toEqual(['NASUWT', 'Revenge Porn Helpline']);
    expect((await (await guest()).request('GET', '/api/evidence?area=nowhere')).status).toBe(400);

    const organisations = await supporters();
    expect(organisations).toHaveLength(11);
    expect(organisations.map((o) => o.slug)).toEqual(['fawcett', 'demos', 'evaw', 'imkaan', 'twitter', 'tellmama', 'facebook', 'stonewall', 'google', 'tuc', 'womens-aid']);

    // A second server starting on the same database seeds nothing again.
    await new EvidenceService(new EventBus(), new KeyedQueue(), new Limits(null)).load();
    await new Organisations().load();
    expect(await Evidence.countDocuments({ seedKey: { $ne: null } })).toBe(EVIDENCE_SEED.length);
    expect(await Organisation.countDocuments({})).toBe(organisations.length);
  });

  it('keeps a submission out of sight until a moderator publishes it, then shows it with its source and who made it', async () => {
    const moderator = await staff();
    const sender = await guest();
    const email = address();
    const changed = nextEvent(moderator.socket, 'moderation:changed');
    const sent = await submit(sender, { url: 'https://research.example.org/councillors', author: 'Dr Ruth Okafor, University of Leeds', email });
    await changed;
    expect(sent.status).toBe('pending');
    expect((await evidence()).map((i) => i.headline)).not.toContain(sent.title);
    expect(await page(sender, 'evidence:mine', {})).toEqual({ submissions: [expect.objectContaining({ id: sent.id, status: 'pending', reason: null, evidenceId: null })] });
    expect((await queue(moderator.http)).submissions.find((s) => s.id === sent.id)).toMatchObject({ status: 'pending', email });

    const published = nextEvent(moderator.socket, 'moderation:changed');
    const answer = await moderator.http.request('POST', `/api/evidence/submissions/${sent.id}/publish`);
    expect(answer.status).toBe(200);
    matches('evidence:publish', answer.body);
    await published;
    const item = answer.body.item;
    expect(item).toMatchObject({
      headline: sent.title,
      kind: 'submission',
      submittedBy: 'Dr Ruth Okafor, University of Leeds',
      source: { organisation: 'Dr Ruth Okafor, University of Leeds', title: sent.title, url: 'https://research.example.org/councillors' },
    });
    expect((await evidence()).find((i) => i.id === item.id)).toEqual(item);
    expect(await page(sender, 'evidence:mine', {})).toEqual({ submissions: [expect.objectContaining({ id: sent.id, status: 'published', evidenceId: item.id })] });

    // Publishing twice makes one item.
    expect((await moderator.http.request('POST', `/api/evidence/submissions/${sent.id}/publish`)).body.item).toEqual(item);
    expect((await evidence()).filter((i) => i.headline === sent.title)).toHaveLength(1);
  });

  it('puts published analysis on the pages of the challenges the moderator ticks, and refuses a challenge that does not exist', async () => {
    const moderator = await staff();
    const sent = await submit(await guest());
    const wrong = await moderator.http.request('POST', `/api/evidence/submissions/${sent.id}/publish`, { areas: ['police', 'parliament'] });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('BAD_REQUEST');
    expect((await evidence()).map((i) => i.headline)).not.toContain(sent.title);

    const answer = await moderator.http.request('POST', `/api/evidence/submissions/${sent.id}/publish`, { areas: ['police', 'education', 'police'] });
    expect(answer.status).toBe(200);
    expect(answer.body.item.areas).toEqual(['police', 'education']);
    expect((await evidence('?area=education')).map((i) => i.headline)).toContain(sent.title);
    expect((await evidence('?area=employers')).map((i) => i.headline)).not.toContain(sent.title);
  });

  it('credits analysis sent without a name to the sender’s name on the board, or to a member of the public', async () => {
    const moderator = await staff();
    const member = await guest();
    expect((await signUpByLink(member, run.db.dataDir, { email: address(), password: 'correct horse battery staple', name: 'Asha Patel' })).status).toBe(200);
    const byMember = await submit(member);
    const byGuest = await submit(await guest());
    const credit = async (id: string) => (await moderator.http.request('POST', `/api/evidence/submissions/${id}/publish`)).body.item.submittedBy;
    expect(await credit(byMember.id)).toBe('Asha Patel');
    expect(await credit(byGuest.id)).toBe(PUBLIC_SUBMITTER);
  });

  it('never shows a declined submission; its sender sees why', async () => {
    const moderator = await staff();
    const sender = await guest();
    const sent = await submit(sender);
    const declined = nextEvent(moderator.socket, 'moderation:changed');
    const answer = await moderator.http.request('POST', `/api/evidence/submissions/${sent.id}/decline`, { reason: 'This is about councillors in another country; please send UK figures.' });
    expect(answer.status).toBe(200);
    matches('evidence:decline', answer.body);
    await declined;
    expect(await page(sender, 'evidence:mine', {})).toEqual({
      submissions: [expect.objectContaining({ id: sent.id, status: 'declined', reason: 'This is about councillors in another country; please send UK figures.', evidenceId: null })],
    });
    expect((await moderator.http.request('POST', `/api/evidence/submissions/${sent.id}/publish`)).status).toBe(400);
    expect((await evidence()).map((i) => i.headline)).not.toContain(sent.title);

    // The queue: waiting ones first, oldest first, then what was decided lately.
    const waiting = [await submit(sender), await submit(sender)];
    const listed = (await queue(moderator.http)).submissions;
    const pending = listed.filter((s) => s.status === 'pending').map((s) => s.id);
    expect(pending.slice(-2)).toEqual(waiting.map((w) => w.id));
    expect(listed.findIndex((s) => s.id === sent.id)).toBeGreaterThan(listed.findIndex((s) => s.id === waiting[1]!.id));
  });

  it('lets staff add, edit, retire and bring back evidence, each decision reaching other staff screens', async () => {
    const moderator = await staff();
    const colleague = await staff();
    const input = {
      headline: unique('One in five young people has been bullied online'),
      summary: 'A survey of young people across the UK about bullying on social media.',
      source: { organisation: 'Ditch the Label', title: 'Annual Bullying Survey', year: 2017, url: 'https://example.org/survey' },
      areas: ['education'],
      kind: 'survey',
    };
    let changed = nextEvent(colleague.socket, 'moderation:changed');
    const created = await moderator.http.request('POST', '/api/evidence', input);
    expect(created.status).toBe(201);
    matches('evidence:create', created.body);
    await changed;
    const id = created.body.item.id as string;
    expect((await evidence('?area=education')).map((i) => i.id)).toContain(id);
    expect((await evidence('?area=police')).map((i) => i.id)).not.toContain(id);

    changed = nextEvent(colleague.socket, 'moderation:changed');
    const edited = await moderator.http.request('PATCH', `/api/evidence/${id}`, { areas: ['education', 'police'], source: { organisation: 'Ditch the Label', title: 'Annual Bullying Survey 2017' } });
    matches('evidence:update', edited.body);
    await changed;
    expect(edited.body.item).toMatchObject({ areas: ['education', 'police'], source: { title: 'Annual Bullying Survey 2017', year: null, url: null }, headline: input.headline });
    expect((await evidence('?area=police')).map((i) => i.id)).toContain(id);

    changed = nextEvent(colleague.socket, 'moderation:changed');
    const retired = await moderator.http.request('DELETE', `/api/evidence/${id}`);
    matches('evidence:retire', retired.body);
    expect(retired.body.item.retired).toBe(true);
    await changed;
    expect((await evidence()).map((i) => i.id)).not.toContain(id);
    // Staff find it among the retired, to bring back; nobody else may look there.
    const shelf = await moderator.http.request('GET', '/api/evidence/retired');
    matches('evidence:retired', shelf.body);
    expect(shelf.body.items.map((i: { id: string }) => i.id)).toContain(id);
    expect((await (await guest()).request('GET', '/api/evidence/retired')).status).toBe(403);

    expect((await moderator.http.request('PATCH', `/api/evidence/${id}`, {})).body.item.retired).toBe(false);
    expect((await evidence()).map((i) => i.id)).toContain(id);
    expect((await moderator.http.request('GET', '/api/evidence/retired')).body.items.map((i: { id: string }) => i.id)).not.toContain(id);
    expect((await moderator.http.request('PATCH', '/api/evidence/0123456789abcdef01234567', {})).status).toBe(404);
  });

  it('shows an organisation only once staff approve it, and every open screen hears the new count at once', async () => {
    const moderator = await staff();
    const before = (await supporters()).length;
    const screen = await socketOf();
    const counts = record(screen, 'supporters:changed');
    const asked = await requestToJoin(await guest(), { name: 'Northern Safety Network & Friends' });
    // Someone else from the same organisation asks too, before either is approved.
    const twice = await requestToJoin(await guest(), { name: 'northern safety network and friends' });
    expect(asked.status).toBe('pending');
    expect(await supporters()).toHaveLength(before);
    expect((await queue(moderator.http)).requests.find((r) => r.id === asked.id)).toMatchObject({ status: 'pending', name: 'Northern Safety Network & Friends' });

    const participant = await guest();
    expect((await participant.request('POST', `/api/organisations/requests/${asked.id}/approve`)).status).toBe(403);
    expect(await supporters()).toHaveLength(before);

    const heard = nextEvent(screen, 'supporters:changed');
    const staffHeard = nextEvent(moderator.socket, 'moderation:changed');
    const approved = await moderator.http.request('POST', `/api/organisations/requests/${asked.id}/approve`);
    expect(approved.status).toBe(200);
    matches('organisations:approve', approved.body);
    expect(approved.body.organisation).toMatchObject({ slug: 'northern-safety-network-and-friends', name: 'Northern Safety Network & Friends', website: 'https://northern-safety.example.org' });
    expect(await heard).toEqual({ count: before + 1 });
    await staffHeard;
    expect(counts.seen).toEqual([{ count: before + 1 }]);
    const listed = await supporters();
    expect(listed).toHaveLength(before + 1);
    expect(listed.at(-1)).toEqual(approved.body.organisation);
    expect((await queue(moderator.http)).requests.find((r) => r.id === asked.id)).toMatchObject({ status: 'published' });
    // Approving again changes nothing and tells nobody.
    expect((await moderator.http.request('POST', `/api/organisations/requests/${asked.id}/approve`)).body).toEqual(approved.body);

    // The same name again, however written, is refused clearly: approving the other ask, or asking anew.
    const clash = await moderator.http.request('POST', `/api/organisations/requests/${twice.id}/approve`);
    expect(clash).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST', message: 'Northern Safety Network & Friends already supports the campaign.' } } });
    const refused = await (await guest()).request('POST', '/api/organisations/requests', { name: 'DEMOS', contact: 'Al', email: address(), statement: 'We would like to join as well.' });
    expect(refused).toMatchObject({ status: 400, body: { error: { message: 'Demos already supports the campaign.' } } });

    const declined = await moderator.http.request('POST', `/api/organisations/requests/${twice.id}/decline`, { reason: 'Already a supporter.' });
    matches('organisations:decline', declined.body);
    expect(declined.body.request).toMatchObject({ status: 'declined', reason: 'Already a supporter.' });
    expect(await supporters()).toHaveLength(before + 1);
    expect(counts.seen).toHaveLength(1);
  });

  it('lets staff reword an organisation and give its website; participants cannot', async () => {
    const moderator = await staff();
    const participant = await guest();
    const change = { about: 'Campaigns for equal pay and equal power for women.', website: 'https://www.fawcettsociety.org.uk' };
    expect((await participant.request('PATCH', '/api/organisations/fawcett', change)).status).toBe(403);
    const answer = await moderator.http.request('PATCH', '/api/organisations/fawcett', change);
    matches('organisations:update', answer.body);
    expect(answer.body.organisation).toMatchObject({ slug: 'fawcett', name: 'Fawcett Society', ...change });
    expect((await supporters()).find((o) => o.slug === 'fawcett')).toMatchObject(change);
    expect((await moderator.http.request('PATCH', '/api/organisations/fawcett', { website: null })).body.organisation.website).toBeNull();
    expect((await moderator.http.request('PATCH', '/api/organisations/nobody', { about: 'Nobody at all.' })).status).toBe(404);
  });

  it('keeps private e-mails out of every public answer', async () => {
    const moderator = await staff();
    const sender = await guest();
    const [submitterEmail, contactEmail] = [address(), address()];
    const sent = await sender.request('POST', '/api/evidence/submissions', { title: unique('Abuse of MPs'), summary: 'Counted abusive replies to MPs over a month.', email: submitterEmail });
    const asked = await sender.request('POST', '/api/organisations/requests', { name: unique('Safe Streets Online'), contact: 'Sam Lee', email: contactEmail, statement: 'We support the campaign with all our members.' });
    expect(await moderator.http.request('POST', `/api/evidence/submissions/${sent.body.submission.id}/publish`)).toMatchObject({ status: 200 });
    expect(await moderator.http.request('POST', `/api/organisations/requests/${asked.body.request.id}/approve`)).toMatchObject({ status: 200 });

    const answers = [sent.body, asked.body, await evidence(), await supporters(), await page(sender, 'evidence:mine', {}), await page(sender, 'evidence:list', {}), await page(sender, 'organisations:list', {})];
    for (const answer of answers) {
      const json = JSON.stringify(answer);
      expect(json).not.toContain(submitterEmail);
      expect(json).not.toContain(contactEmail);
      expect(json).not.toMatch(/"email"/);
    }
    // Staff alone see them.
    const staffQueue = JSON.stringify(await queue(moderator.http));
    expect(staffQueue).toContain(submitterEmail);
    expect(staffQueue).toContain(contactEmail);
  });

  it('refuses participants every staff route, and nothing changes', async () => {
    const moderator = await staff();
    const participant = await guest();
    const sent = await submit(participant);
    const asked = await requestToJoin(participant);
    const [item] = await evidence();
    const conferenceBefore = (await participant.request('GET', '/api/conference')).body;
    const evidenceBefore = await evidence();
    const supportersBefore = await supporters();
    const heard = record(moderator.socket, 'moderation:changed');
    const screen = await socketOf();
    const counts = record(screen, 'supporters:changed');

    const routes: [string, string, unknown?][] = [
      ['GET', '/api/moderation'],
      ['POST', '/api/evidence', { headline: 'A made-up figure', summary: 'Nothing that anyone measured at all.', source: { organisation: 'Nobody', title: 'Nothing' }, areas: ['police'], kind: 'study' }],
      ['PATCH', `/api/evidence/${item!.id}`, { headline: 'Changed by a participant' }],
      ['DELETE', `/api/evidence/${item!.id}`],
      ['POST', `/api/evidence/submissions/${sent.id}/publish`],
      ['POST', `/api/evidence/submissions/${sent.id}/decline`, { reason: 'Not wanted.' }],
      ['POST', `/api/organisations/requests/${asked.id}/approve`],
      ['POST', `/api/organisations/requests/${asked.id}/decline`],
      ['PATCH', '/api/organisations/demos', { about: 'Changed by a participant.' }],
      ['PUT', '/api/conference', { place: 'My kitchen' }],
    ];
    for (const [method, path, body] of routes) {
      expect(await participant.request(method, path, body), `${method} ${path}`).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    }

    expect(await evidence()).toEqual(evidenceBefore);
    expect(await supporters()).toEqual(supportersBefore);
    expect((await participant.request('GET', '/api/conference')).body).toEqual(conferenceBefore);
    expect(await EvidenceSubmission.findById(sent.id).lean()).toMatchObject({ status: 'pending', decidedAt: null });
    expect(await OrganisationRequest.findById(asked.id).lean()).toMatchObject({ status: 'pending', decidedAt: null });
    // Anything broadcast by the refused calls would have come before the staff's own answer's event.
    const changed = nextEvent(moderator.socket, 'moderation:changed');
    await moderator.http.request('POST', `/api/evidence/submissions/${sent.id}/decline`, { reason: 'Tidying up after the test.' });
    await changed;
    expect(heard.seen).toHaveLength(1);
    expect(counts.seen).toEqual([]);
  });

  it('stores and returns markup as the literal text it is', async () => {
    const moderator = await staff();
    const sender = await guest();
    const markup = (field: string) => `<script>alert("${field}")</script><b onmouseover="x()">${field}</b> &amp; <a href="javascript:alert(1)">link</a>`;
    const sent = await submit(sender, { title: markup('title'), summary: markup('summary'), author: markup('author') });
    expect(sent.title).toBe(markup('title'));
    const mine = (await page(sender, 'evidence:mine', {})).submissions[0]!;
    expect(mine).toMatchObject({ title: markup('title'), summary: markup('summary'), author: markup('author') });
    const item = (await moderator.http.request('POST', `/api/evidence/submissions/${sent.id}/publish`)).body.item;
    expect((await evidence()).find((i) => i.id === item.id)).toMatchObject({ headline: markup('title'), summary: markup('summary'), submittedBy: markup('author') });

    const created = await moderator.http.request('POST', '/api/evidence', {
      headline: markup('headline'),
      summary: markup('evidence summary'),
      source: { organisation: markup('organisation'), title: markup('source') },
      areas: ['platforms'],
      kind: 'media',
    });
    expect(created.body.item).toMatchObject({ headline: markup('headline'), summary: markup('evidence summary'), source: { organisation: markup('organisation'), title: markup('source') } });

    const n = ++seq;
    const asked = await requestToJoin(sender, { name: `<i>Tags & Co</i> ${n}`, contact: markup('contact'), statement: markup('statement') });
    const request = (await queue(moderator.http)).requests.find((r) => r.id === asked.id)!;
    expect(request).toMatchObject({ name: `<i>Tags & Co</i> ${n}`, contact: markup('contact'), statement: markup('statement') });
    const joined = (await moderator.http.request('POST', `/api/organisations/requests/${asked.id}/approve`)).body.organisation;
    expect(joined).toMatchObject({ name: `<i>Tags & Co</i> ${n}`, slug: `i-tags-and-co-i-${n}` });
    expect((await supporters()).find((o) => o.slug === joined.slug)!.about).toBe(markup('statement'));

    const conference = { date: markup('date'), place: markup('place'), about: markup('about the day') };
    expect((await moderator.http.request('PUT', '/api/conference', conference)).body).toEqual(conference);
    expect((await sender.request('GET', '/api/conference')).body).toEqual(conference);
  });

  it('refuses a javascript: link with a clear 400, and stores nothing', async () => {
    const moderator = await staff();
    const sender = await guest();
    const counts = async () => [await Evidence.countDocuments({}), await EvidenceSubmission.countDocuments({}), await OrganisationRequest.countDocuments({}), await Organisation.countDocuments({})];
    const before = await counts();
    const [item] = await evidence();
    const attempts: [HttpClient, string, string, unknown][] = [
      [sender, 'POST', '/api/evidence/submissions', { title: 'Sneaky', summary: 'A link that runs code when clicked.', url: 'javascript:alert(document.cookie)' }],
      [sender, 'POST', '/api/organisations/requests', { name: 'Sneaky Ltd', website: 'JavaScript:alert(1)', contact: 'Mallory', email: address(), statement: 'We support the campaign, honestly.' }],
      [moderator.http, 'POST', '/api/evidence', { headline: 'Sneaky figure', summary: 'Nothing measured here at all.', source: { organisation: 'Sneaky', title: 'Sneaky', url: 'javascript:alert(1)' }, areas: ['police'], kind: 'study' }],
      [moderator.http, 'PATCH', `/api/evidence/${item!.id}`, { source: { organisation: 'Demos', title: 'Sneaky', url: ' javascript:alert(1)' } }],
      [moderator.http, 'PATCH', '/api/organisations/demos', { website: 'data:text/html,<script>alert(1)</script>' }],
    ];
    for (const [client, method, path, body] of attempts) {
      expect(await client.request(method, path, body), `${method} ${path}`).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST', message: expect.stringMatching(/link must start with http:\/\/ or https:\/\//) } } });
    }
    expect(await counts()).toEqual(before);
    expect((await evidence())[0]).toEqual(item);
    expect((await supporters()).find((o) => o.slug === 'demos')!.website).toBeNull();
  });

  it('gives the conference’s date and place as staff write them', async () => {
    const moderator = await staff();
    const visitor = await guest();
    const change = { date: 'Saturday 11 July', place: 'Conway Hall, London' };
    const answer = await moderator.http.request('PUT', '/api/conference', change);
    expect(answer.status).toBe(200);
    matches('conference:update', answer.body);
    expect(answer.body).toMatchObject(change);
    const shown = await visitor.request('GET', '/api/conference');
    matches('conference:get', shown.body);
    expect(shown.body).toEqual(answer.body);
    expect((await moderator.http.request('PUT', '/api/conference', {})).status).toBe(400);
    // The board's switches live in the same document and are untouched.
    expect((await moderator.http.request('PUT', '/api/moderation/settings', { reviewNewIdeas: false })).body.reviewNewIdeas).toBe(false);
    expect((await visitor.request('GET', '/api/conference')).body).toEqual(answer.body);
  });

  it('lets a guest who signs up still see what became of the analysis they sent', async () => {
    const sender = await guest();
    const sent = await submit(sender);
    expect((await signUpByLink(sender, run.db.dataDir, { email: address(), password: 'correct horse battery staple', name: 'Jo Bloggs' })).status).toBe(200);
    expect((await page(sender, 'evidence:mine', {})).submissions.map((s) => s.id)).toEqual([sent.id]);
  });
});
