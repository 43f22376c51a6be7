import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadWebHandler } from '../server/transport/web.js';
import { FACILITATOR_CODE, HttpClient, launchBrowser, startTestBoard, watchCsp, type TestBoard } from './harness.js';

let run: TestBoard;
let browser: Browser;
let cspViolations: string[] = [];

beforeAll(async () => {
  run = await startTestBoard({ web: await loadWebHandler() });
  browser = await launchBrowser();
  cspViolations = watchCsp(browser);
});

// Pages and their sockets work under the CSP (kit.csp): no page of any test here broke it.
afterEach(() => {
  expect(cspViolations.splice(0)).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await run?.teardown();
});

describe('in Chromium', () => {
  it('runs the main pages, live, with no Content Security Policy violation', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    for (const path of ['/', '/areas/police', '/screen?area=police']) {
      await page.goto(`${run.url}${path}`);
      if (path !== '/') await page.locator('.status.live').waitFor({ timeout: 10_000 });
    }
    for (const path of ['/signin', '/signup', '/moderate', '/join', '/evidence', '/supporters', '/moderation-log', '/no-such-page']) {
      await page.goto(`${run.url}${path}`);
      await page.locator('h1').first().waitFor({ timeout: 10_000 });
    }
    // The script that runs before first paint (app.html) carried its nonce.
    expect(await page.locator('html.js').count()).toBe(1);
    expect(cspViolations).toEqual([]);
  });

  it('shows an idea put forward on an area page, and its vote, on /screen open in another browser', async () => {
    const participant = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    const projector = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();

    await projector.goto(`${run.url}/screen?area=police`);
    await participant.goto(`${run.url}/areas/police`);
    // Both pages must be live before anything happens, or the test would pass on a page reload's data.
    await projector.locator('.status.live').waitFor({ timeout: 10_000 });
    await participant.locator('.status.live').waitFor({ timeout: 10_000 });

    const title = 'Specialist online abuse officers in every force';
    await participant.getByLabel('Title').fill(title);
    await participant.getByRole('button', { name: 'Post idea' }).click();

    const row = projector.locator('li', { hasText: title });
    await row.waitFor({ timeout: 10_000 });
    await expect.poll(() => row.locator('.votes').innerText()).toMatch(/^0/);

    const vote = participant.getByRole('button', { name: new RegExp(`Upvote “${title}”`) });
    await vote.click();
    await expect.poll(() => vote.getAttribute('aria-pressed'), { timeout: 10_000 }).toBe('true');
    await expect.poll(() => row.locator('.votes').innerText(), { timeout: 10_000 }).toMatch(/^1/);
  });

  it('keeps a vote made while the page reloads its data after a post, though that data was read before the vote', async () => {
    const author = new HttpClient(run.url);
    await author.session();
    const older = 'Fund helplines that answer at night';
    const created = await author.request('POST', '/api/ideas', { area: 'education', title: older, body: '' });
    expect(created.status).toBe(201);

    const participant = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await participant.goto(`${run.url}/areas/education`);
    await participant.locator('.status.live').waitFor({ timeout: 10_000 });

    // The reload that follows the post is read at once, and handed over only after the vote is stored.
    let read = () => {};
    const wasRead = new Promise<void>((resolve) => (read = resolve));
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let handOver = () => {};
    const handedOver = new Promise<void>((resolve) => (handOver = resolve));
    await participant.route('**/__data.json*', async (route) => {
      const response = await route.fetch();
      read();
      await held;
      await route.fulfill({ response });
      handOver();
    });
    const title = 'Lessons on reporting abuse in every school';
    await participant.getByLabel('Title').fill(title);
    await participant.getByRole('button', { name: 'Post idea' }).click();
    await wasRead;

    const vote = participant.getByRole('button', { name: new RegExp(`Upvote “${older}”`) });
    await vote.click();
    const stored = async () => (await author.request('GET', `/api/ideas/${created.body.idea.id}`)).body.idea.votes;
    await expect.poll(stored, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => vote.getAttribute('aria-pressed'), { timeout: 10_000 }).toBe('true');
    release();
    await handedOver;

    // The new idea's card is drawn from that data only: the list was redrawn with it.
    await participant.locator('article.idea', { hasText: title }).waitFor({ timeout: 10_000 });
    expect(await vote.getAttribute('aria-pressed')).toBe('true');
    expect(await participant.locator('article.idea', { hasText: older }).locator('.count').innerText()).toMatch(/^1\b/);
  });

  it("keeps the home page's idea counts live over a socket that carries no ideas and no tallies", async () => {
    const home = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    const frames: string[] = [];
    // Every message the page receives, over Socket.IO's first transport (HTTP polling) and after the upgrade.
    home.on('websocket', (socket) => socket.on('framereceived', ({ payload }) => frames.push(String(payload))));
    home.on('response', async (response) => {
      if (!response.url().includes('transport=polling') || response.request().method() !== 'GET') return;
      frames.push(...(await response.text().catch(() => '')).split('\x1e'));
    });
    await home.goto(`${run.url}/`);
    const card = home.locator('li', { hasText: 'Individuals' }).locator('.count');
    const before = Number((await card.innerText()).split(' ')[0]);
    // The answer to `areas:watch`: from here on the page hears every change of counts.
    await expect.poll(() => frames.some((frame) => frame.startsWith('43')), { timeout: 10_000 }).toBe(true);

    const author = new HttpClient(run.url);
    await author.session();
    const { body } = await author.request('POST', '/api/ideas', { area: 'individuals', title: 'Peer support circles after a pile-on' });
    await author.request('PUT', `/api/ideas/${body.idea.id}/vote`);
    await expect.poll(() => card.innerText(), { timeout: 10_000 }).toBe(`${before + 1} idea${before + 1 === 1 ? '' : 's'}`);
    expect(frames.some((frame) => frame.includes('"areas:changed"'))).toBe(true);
    expect(frames.filter((frame) => frame.includes('"tally:changed"') || frame.includes('"idea:created"'))).toEqual([]);
  });

  it('takes an idea a facilitator hides at /moderate off an open area page at once, and puts it back with its votes', async () => {
    const title = 'Compulsory online safety lessons from year 7';
    const author = new HttpClient(run.url);
    await author.session();
    const { body } = await author.request('POST', '/api/ideas', { area: 'education', title, body: 'Taught by people trained for it.' });
    await author.request('PUT', `/api/ideas/${body.idea.id}/vote`);

    const participant = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    const facilitator = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();

    await participant.goto(`${run.url}/areas/education`);
    await participant.locator('.status.live').waitFor({ timeout: 10_000 });
    // Set once: if the page reloaded, it would be gone.
    await participant.evaluate(() => ((globalThis as unknown as { sameDocument: boolean }).sameDocument = true));
    const card = participant.locator('article.idea', { hasText: title });

    // Only reported or hidden ideas are in the queue: the participant reports it first.
    await card.locator('summary').click();
    await card.getByLabel('Spam or advertising').check();
    await card.getByRole('button', { name: 'Send report' }).click();
    await card.getByText('Thanks — facilitators will look at it.').waitFor({ timeout: 10_000 });
    // Opened again, the page still knows: it thanks rather than offering the form a second time.
    const again = await participant.context().newPage();
    await again.goto(`${run.url}/areas/education`);
    const cardAgain = again.locator('article.idea', { hasText: title });
    await cardAgain.getByText('Thanks — facilitators will look at it.').waitFor({ timeout: 10_000 });
    expect(await cardAgain.locator('summary').count()).toBe(0);
    await again.close();

    await facilitator.goto(`${run.url}/moderate`);
    await facilitator.getByLabel('Facilitator code').fill(FACILITATOR_CODE);
    await facilitator.getByRole('button', { name: 'Sign in' }).click();
    const item = facilitator.locator('article.item', { hasText: title });
    await item.getByText('Reported, still up').waitFor({ timeout: 10_000 });

    await item.getByRole('button', { name: `Hide “${title}”` }).click();
    await item.getByText('Hidden by a facilitator').waitFor({ timeout: 10_000 });
    await card.waitFor({ state: 'detached', timeout: 10_000 });

    await item.getByRole('button', { name: `Put back “${title}”` }).click();
    await item.getByText('Put back by a facilitator').waitFor({ timeout: 10_000 });
    await card.waitFor({ timeout: 10_000 });
    await expect.poll(() => card.locator('.vote .count').innerText(), { timeout: 10_000 }).toBe('1');
    expect(await participant.evaluate(() => (globalThis as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
  });

  it('holds new ideas for review once a facilitator switches it on, shows them in the open queue, and publishes one live to an open phone page', async () => {
    const title = 'Paid time off for staff who are targeted online';
    const facilitator = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    const author = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    const watcher = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();

    await facilitator.goto(`${run.url}/moderate`);
    await facilitator.getByLabel('Facilitator code').fill(FACILITATOR_CODE);
    await facilitator.getByRole('button', { name: 'Sign in' }).click();
    await facilitator.getByRole('button', { name: 'Hold new ideas for review' }).click();
    await facilitator.getByText('Held for review.').waitFor({ timeout: 10_000 });
    try {
      await watcher.goto(`${run.url}/areas/employers`);
      await watcher.locator('.status.live').waitFor({ timeout: 10_000 });
      await watcher.evaluate(() => ((globalThis as unknown as { sameDocument: boolean }).sameDocument = true));
      await author.goto(`${run.url}/areas/employers`);
      await author.getByText('A facilitator reads new ideas before they go on the board.').waitFor({ timeout: 10_000 });
      await author.getByLabel('Title').fill(title);
      await author.getByRole('button', { name: 'Post idea' }).click();
      await author.getByText('Thank you. A facilitator will read your idea before it goes on the board.').waitFor({ timeout: 10_000 });
      expect(await author.locator('article.idea', { hasText: title }).count()).toBe(0);
      // Back later, the author still sees it waiting, so there is no need to post it again.
      await author.goto(`${run.url}/areas/employers`);
      const waiting = author.locator('.off-board li', { hasText: title });
      await waiting.waitFor({ timeout: 10_000 });
      await author.locator('.status.live').waitFor({ timeout: 10_000 });

      // No reload: the open queue hears of the held idea.
      const item = facilitator.locator('article.item', { hasText: title });
      await item.getByText('New — waiting for review').waitFor({ timeout: 10_000 });
      expect(await watcher.locator('article.idea', { hasText: title }).count()).toBe(0);
      await item.getByRole('button', { name: `Publish “${title}”` }).click();
      await facilitator.getByText('Published: it is on every screen now.').waitFor({ timeout: 10_000 });

      await watcher.locator('article.idea', { hasText: title }).waitFor({ timeout: 10_000 });
      expect(await watcher.evaluate(() => (globalThis as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
      // On the author's open page it moves from waiting onto the board.
      await author.locator('article.idea', { hasText: title }).waitFor({ timeout: 10_000 });
      await waiting.waitFor({ state: 'detached', timeout: 10_000 });

      // Rejected: the author's open page says so, rather than the idea silently going.
      const refused = 'Name every troll on the big screen';
      await author.getByLabel('Title').fill(refused);
      await author.getByRole('button', { name: 'Post idea' }).click();
      const mine = author.locator('.off-board li', { hasText: refused });
      await mine.getByText('Waiting for a facilitator to read it.').waitFor({ timeout: 10_000 });
      await facilitator.locator('article.item', { hasText: refused }).getByRole('button', { name: `Reject “${refused}”` }).click();
      await facilitator.getByText('Rejected: nobody else will see it.').waitFor({ timeout: 10_000 });
      await mine.getByText('A facilitator did not put it on the board.').waitFor({ timeout: 10_000 });
      expect(await watcher.locator('article.idea', { hasText: refused }).count()).toBe(0);

      await facilitator.getByRole('button', { name: 'Publish new ideas at once' }).click();
      await facilitator.getByText('Go on the board at once.').waitFor({ timeout: 10_000 });
    } finally {
      // Whatever failed above, the later tests of this file must find new ideas going on the board at once.
      const staff = (await facilitator.context().cookies()).find((c) => c.name === 'reclaim_session');
      if (staff) await fetch(`${run.url}/api/moderation/settings`, { method: 'PUT', headers: { 'content-type': 'application/json', cookie: `${staff.name}=${staff.value}` }, body: '{"reviewNewIdeas":false}' });
    }

    // A switch value the form never sends is refused, and changes nothing.
    const session = (await facilitator.context().cookies()).find((c) => c.name === 'reclaim_session')!;
    const odd = await fetch(`${run.url}/moderate?/review`, {
      method: 'POST',
      headers: { origin: run.url, cookie: `${session.name}=${session.value}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: 'reviewNewIdeas=maybe',
      redirect: 'manual',
    });
    expect(odd.status).toBe(400);
    expect(await odd.text()).toContain('That switch could not be read.');
    await facilitator.reload();
    await facilitator.getByText('Go on the board at once.').waitFor({ timeout: 10_000 });

    // On a shared laptop, signing out takes the powers away from this browser.
    await facilitator.getByRole('button', { name: 'Sign out' }).click();
    await facilitator.getByLabel('Facilitator code').waitFor({ timeout: 10_000 });
    await facilitator.reload();
    await facilitator.getByLabel('Facilitator code').waitFor({ timeout: 10_000 });
  });
  it('ranks equal votes alike on the projector, names its challenge, folds a long idea behind "Show more", and links the neighbouring challenges', async () => {
    const long = 'Platforms should publish how fast they act on reports of abuse, by kind of abuse and by country. '.repeat(21).slice(0, 2000);
    const ideas: [string, string, number][] = [
      ['Publish response times for abuse reports', long, 2],
      ['A human reviewer for every appeal', '', 2],
      ['Let people block pile-ons in one tap', '', 1],
    ];
    const voters = [new HttpClient(run.url), new HttpClient(run.url)];
    for (const voter of voters) await voter.session();
    for (const [title, body, votes] of ideas) {
      const author = new HttpClient(run.url);
      await author.session();
      const { body: created } = await author.request('POST', '/api/ideas', { area: 'platforms', title, body });
      for (const voter of voters.slice(0, votes)) await voter.request('PUT', `/api/ideas/${created.idea.id}/vote`);
    }

    const projector = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
    await projector.goto(`${run.url}/screen?area=platforms`);
    await projector.getByRole('heading', { level: 1, name: 'Social media and publishing platforms' }).waitFor({ timeout: 10_000 });
    const rank = (title: string) => projector.locator('li', { hasText: title }).locator('.rank [aria-hidden="true"]').innerText();
    expect([await rank(ideas[0]![0]), await rank(ideas[1]![0]), await rank(ideas[2]![0])]).toEqual(['=1', '=1', '3']);
    await projector.goto(`${run.url}/screen`);
    await projector.getByRole('heading', { level: 1, name: 'All challenges' }).waitFor({ timeout: 10_000 });

    const reader = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await reader.goto(`${run.url}/areas/platforms`);
    const card = reader.locator('article.idea', { hasText: ideas[0]![0] });
    const more = card.getByRole('button', { name: /^Show more/ });
    await expect.poll(() => more.getAttribute('aria-expanded'), { timeout: 10_000 }).toBe('false');
    const text = card.locator('.text');
    const folded = (await text.boundingBox())!.height;
    await more.click();
    await expect.poll(() => card.getByRole('button', { name: /^Show less/ }).getAttribute('aria-expanded')).toBe('true');
    expect((await text.boundingBox())!.height).toBeGreaterThan(folded * 3);
    // Short texts have nothing to unfold.
    expect(await reader.locator('article.idea', { hasText: ideas[1]![0] }).getByRole('button', { name: /^Show/ }).count()).toBe(0);

    await reader.getByRole('link', { name: /Previous challenge\s+Police and prosecutors/ }).waitFor();
    await reader.getByRole('link', { name: /Next challenge\s+Organisations and employers/ }).click();
    await reader.getByRole('heading', { level: 1, name: 'Organisations and employers' }).waitFor({ timeout: 10_000 });
  });

  it('shows the site header and a way back on the 404 page', async () => {
    const visitor = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    for (const [path, says] of [['/no-such-page', 'The link may be mistyped'], ['/areas/nowhere', 'There is no challenge with that name.']] as const) {
      const response = await visitor.goto(`${run.url}${path}`);
      expect(response?.status()).toBe(404);
      await visitor.getByRole('heading', { level: 1, name: 'We could not find that page' }).waitFor();
      await visitor.getByText(says).waitFor();
      await visitor.locator('header.site').getByRole('link', { name: 'Recl@im the Internet' }).waitFor();
    }
    await visitor.getByRole('link', { name: 'See the five challenges' }).click();
    await visitor.locator('#challenges').waitFor({ timeout: 10_000 });
  });

  it('thanks a participant without JavaScript for an idea on the board, and shows a long idea whole', async () => {
    const title = 'Helplines open in the evening, when the abuse happens';
    const body = 'Most people are targeted after work and at weekends, when the helplines are shut. '.repeat(20);
    const participant = await (await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false })).newPage();
    await participant.goto(`${run.url}/areas/individuals`);
    await participant.getByLabel('Title').fill(title);
    await participant.getByRole('textbox', { name: /^Details/ }).fill(body);
    await participant.getByRole('button', { name: 'Post idea' }).click();
    await participant.waitForURL(/[?&]posted=/, { timeout: 10_000 });
    const item = participant.locator('li', { hasText: title });
    await item.getByText('Thank you, your idea is on the board.').waitFor();
    // Without the script nothing could unfold a folded text, so none is folded.
    expect(await item.getByRole('button', { name: /^Show more/ }).count()).toBe(0);
    const text = item.locator('.text');
    expect(await text.evaluate((el) => el.scrollHeight <= el.clientHeight + 1)).toBe(true);
  });

  it('takes the last success notice away when the next post is refused for posting too fast', async () => {
    const author = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await author.goto(`${run.url}/areas/individuals`);
    await author.locator('.status.live').waitFor({ timeout: 10_000 });
    const post = async (title: string) => {
      await author.getByLabel('Title').fill(title);
      await author.getByRole('button', { name: 'Post idea' }).click();
    };
    const notice = author.locator('.notice');
    // The limit is five ideas in ten minutes; the fifth is still thanked when the sixth is refused.
    for (let n = 1; n <= 5; n++) {
      await post(`Idea number ${n} from a busy participant`);
      await author.locator('article.idea', { hasText: `Idea number ${n} from` }).waitFor({ timeout: 10_000 });
    }
    await notice.getByText('Thank you, your idea is on the board.').waitFor({ timeout: 10_000 });
    await post('Idea number 6 from a busy participant');
    await author.getByRole('alert').getByText('You can put forward 5 ideas').waitFor({ timeout: 10_000 });
    expect(await notice.count()).toBe(0);
  });

  it("lets a facilitator hide an unreported idea from its card, after a second step, and takes it off another open page at once", async () => {
    const title = 'Evidence packs the police accept without a second visit';
    const author = new HttpClient(run.url);
    await author.session();
    await author.request('POST', '/api/ideas', { area: 'police', title });

    const facilitator = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    const watcher = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
    await watcher.goto(`${run.url}/areas/police`);
    await watcher.locator('.status.live').waitFor({ timeout: 10_000 });
    const watched = watcher.locator('article.idea', { hasText: title });
    await watched.waitFor();
    // Only facilitators are offered Hide.
    expect(await watched.locator('summary', { hasText: 'Hide' }).count()).toBe(0);

    await facilitator.goto(`${run.url}/moderate`);
    await facilitator.getByLabel('Facilitator code').fill(FACILITATOR_CODE);
    await facilitator.getByRole('button', { name: 'Sign in' }).click();
    await facilitator.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 10_000 });
    await facilitator.goto(`${run.url}/areas/police`);
    await facilitator.locator('.status.live').waitFor({ timeout: 10_000 });
    const card = facilitator.locator('article.idea', { hasText: title });
    // The first tap only asks: a mis-tap takes nothing down.
    await card.locator('summary', { hasText: 'Hide' }).click();
    const confirm = card.getByRole('button', { name: `Hide it from every screen “${title}”` });
    await confirm.waitFor();
    expect(await watched.count()).toBe(1);

    await confirm.click();
    await facilitator.locator('.notice').getByText('Hidden from every screen.').waitFor({ timeout: 10_000 });
    await card.waitFor({ state: 'detached', timeout: 10_000 });
    await watched.waitFor({ state: 'detached', timeout: 10_000 });
  });

  it('lets an author reword their idea on the page and then withdraw it, and another open page follows both', async () => {
    const title = 'Online safety lessons for parents too';
    const reworded = 'Online safety evenings for parents and carers';
    const author = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    const watcher = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();

    await author.goto(`${run.url}/areas/education`);
    await author.locator('.status.live').waitFor({ timeout: 10_000 });
    await author.getByLabel('Title').fill(title);
    await author.getByRole('button', { name: 'Post idea' }).click();
    // Posted during the visit: the card offers its author Edit and Withdraw, and no Report.
    const posted = author.locator('article.idea', { hasText: title });
    await posted.locator('summary', { hasText: 'Edit' }).waitFor({ timeout: 10_000 });
    expect(await posted.locator('summary', { hasText: 'Report' }).count()).toBe(0);
    const card = author.locator(`article[aria-labelledby="${await posted.getAttribute('aria-labelledby')}"]`);

    await watcher.goto(`${run.url}/areas/education`);
    await watcher.locator('.status.live').waitFor({ timeout: 10_000 });
    const watched = watcher.locator(`article[aria-labelledby="${await posted.getAttribute('aria-labelledby')}"]`);
    await watched.getByRole('heading', { name: title }).waitFor();
    expect(await watched.locator('summary', { hasText: 'Edit' }).count()).toBe(0);

    await card.locator('summary', { hasText: 'Edit' }).click();
    const field = card.getByRole('textbox', { name: 'Title' });
    await field.fill('No');
    await card.getByRole('button', { name: 'Save changes' }).click();
    await card.getByText(/at least 3 characters/).waitFor({ timeout: 10_000 });
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    await field.fill(reworded);
    // Saved, the page reloads its data and redraws the list: the next step waits for that, as a
    // person does, or the redraw could shut the disclosure it opens.
    const drawn = await card.elementHandle();
    await card.getByRole('button', { name: 'Save changes' }).click();
    await author.waitForFunction((element) => !element?.isConnected, drawn, { timeout: 10_000 });
    await card.getByRole('heading', { name: reworded }).waitFor({ timeout: 10_000 });
    await watched.getByRole('heading', { name: reworded }).waitFor({ timeout: 10_000 });

    await card.locator('summary', { hasText: 'Withdraw' }).click();
    await card.getByText('This cannot be undone.', { exact: false }).waitFor();
    await card.getByRole('button', { name: `Withdraw it for good “${reworded}”` }).click();
    await author.locator('.notice').getByText('Your idea is withdrawn').waitFor({ timeout: 10_000 });
    await card.waitFor({ state: 'detached', timeout: 10_000 });
    await watched.waitFor({ state: 'detached', timeout: 10_000 });
  });

  it('finds an idea at /moderate by a word of its body, in any case, and hides it from the results', async () => {
    const title = 'A plain guide to keeping evidence';
    const author = new HttpClient(run.url);
    await author.session();
    await author.request('POST', '/api/ideas', { area: 'individuals', title, body: 'One page: screenshots, dates, links, and a checklist before you report.' });

    const facilitator = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
    await facilitator.goto(`${run.url}/moderate`);
    await facilitator.getByLabel('Facilitator code').fill(FACILITATOR_CODE);
    await facilitator.getByRole('button', { name: 'Sign in' }).click();
    await facilitator.getByLabel('Find any idea on the board').fill('CHECKLIST');
    await facilitator.getByRole('button', { name: 'Search', exact: true }).click();
    await facilitator.waitForURL(/\?q=CHECKLIST/, { timeout: 10_000 });

    const results = facilitator.getByRole('region', { name: 'Results for “CHECKLIST”' });
    const found = results.locator('article.item', { hasText: title });
    await found.getByText('On the board, not reported').waitFor({ timeout: 10_000 });
    await results.getByText('1 idea').waitFor();
    await found.getByRole('button', { name: `Hide “${title}”` }).click();
    await facilitator.getByText('Hidden: it has gone from every screen.').waitFor({ timeout: 10_000 });
    // Off the board, so no longer a result; the queue has it, to put back.
    await found.waitFor({ state: 'detached', timeout: 10_000 });
    const queue = facilitator.getByRole('region', { name: 'Ideas' });
    await queue.locator('article.item', { hasText: title }).getByText('Hidden by a facilitator').waitFor({ timeout: 10_000 });

    await results.getByRole('link', { name: 'Clear the search' }).click();
    await results.waitFor({ state: 'detached', timeout: 10_000 });
  });
});
