import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWebHandler } from '../server/transport/web.js';
import { FACILITATOR_CODE, HttpClient, launchBrowser, startTestBoard, type TestBoard } from './harness.js';

let run: TestBoard;
let browser: Browser;
/** A facilitator's session, signed in over the API and handed to browser contexts as a cookie. */
let staff: HttpClient;

const PHONE = { width: 390, height: 844 };

beforeAll(async () => {
  run = await startTestBoard({ web: await loadWebHandler() });
  browser = await launchBrowser();
  staff = new HttpClient(run.url);
  await staff.session();
  expect((await staff.request('POST', '/api/facilitator/session', { code: FACILITATOR_CODE })).status).toBe(200);
});

afterAll(async () => {
  await browser?.close();
  await run?.teardown();
});

async function staffContext(): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const [name, value] = staff.cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: run.url }]);
  return context;
}

describe('the campaign pages in Chromium', () => {
  it('takes analysis without JavaScript, keeps its markup as text once a moderator publishes it, and links only http(s)', async () => {
    const visitor = await (await browser.newContext({ viewport: PHONE, javaScriptEnabled: false })).newPage();
    const title = '<b>Counted</b> abuse of councillors';
    const summary = '<img src=x onerror="document.title=1">Two in three councillors were abused online last year.';

    await visitor.goto(`${run.url}/evidence/send`);
    await visitor.getByLabel('Title').fill(title);
    await visitor.getByLabel('What it found').fill(summary);
    await visitor.getByLabel('Link to it').fill('javascript:alert(1)');
    await visitor.getByLabel('Who made it').fill('<i>Local Voices</i> research');
    await visitor.getByRole('button', { name: 'Send' }).click();
    // Refused, with the reason beside the field and nothing typed lost.
    await expect.poll(() => visitor.locator('#send-url-error').innerText()).toMatch(/http/);
    expect(await visitor.getByLabel('What it found').inputValue()).toBe(summary);

    await visitor.getByLabel('Link to it').fill('https://example.org/councillors');
    await visitor.getByRole('button', { name: 'Send' }).click();
    await visitor.locator('#sent').waitFor();
    const mine = visitor.locator('li', { hasText: title });
    await mine.getByText('Waiting for a moderator').waitFor();

    // Nothing is public before a moderator has read it.
    const before = await visitor.context().newPage();
    await before.goto(`${run.url}/evidence`);
    expect(await before.getByText('Two in three councillors').count()).toBe(0);

    const moderator = await (await staffContext()).newPage();
    await moderator.goto(`${run.url}/moderate?show=evidence`);
    const card = moderator.locator('article', { hasText: title });
    await card.getByText('Analysis sent in — waiting for review').waitFor();
    await card.getByRole('checkbox', { name: /police/i }).check();
    await card.getByRole('button', { name: `Publish “${title}”` }).click();
    await card.getByText('Analysis sent in — published').waitFor({ timeout: 10_000 });

    await before.goto(`${run.url}/evidence`);
    const item = before.locator('article', { hasText: 'Two in three councillors' });
    await item.waitFor();
    expect(await item.innerText()).toContain(summary);
    expect(await item.locator('img, b, i, script').count()).toBe(0);
    expect(await item.locator('a[href="https://example.org/councillors"]').count()).toBe(1);
    expect(await before.locator('a[href^="javascript:" i]').count()).toBe(0);

    // Under the challenge the moderator ticked, and not under another.
    await before.goto(`${run.url}/evidence?area=police`);
    await before.getByRole('heading', { name: title }).waitFor({ timeout: 10_000 });
    await before.goto(`${run.url}/evidence?area=education`);
    expect(await before.getByText(title).count()).toBe(0);

    await visitor.reload();
    await mine.getByText('Published').waitFor();
  });

  it('lets staff retire a finding from the library page and bring it back from the retired ones', async () => {
    const headline = 'Four in ten abused journalists thought of leaving the job';
    const made = await staff.request('POST', '/api/evidence', {
      headline,
      summary: 'A survey of journalists about the abuse they receive online and what it does to their work.',
      source: { organisation: 'A press union', title: 'Abuse of journalists survey' },
      areas: ['platforms'],
      kind: 'survey',
    });
    expect(made.status).toBe(201);
    const page = await (await staffContext()).newPage();
    await page.goto(`${run.url}/evidence`);
    const retiredSection = page.locator('section.retired');
    await page.getByRole('button', { name: `Retire “${headline}”` }).click();
    await page.getByText('Retired: it is off the library').waitFor({ timeout: 10_000 });
    await retiredSection.getByRole('heading', { name: headline }).waitFor();
    expect(await page.locator('ol.findings').first().getByRole('heading', { name: headline }).count()).toBe(0);

    await retiredSection.getByRole('button', { name: `Bring back “${headline}”` }).click();
    await page.getByText('Brought back: it is in the library again.').waitFor({ timeout: 10_000 });
    expect(await page.locator('section.retired').getByRole('heading', { name: headline }).count()).toBe(0);
    const visitor = await (await browser.newContext({ viewport: PHONE })).newPage();
    await visitor.goto(`${run.url}/evidence?area=platforms`);
    await visitor.getByRole('heading', { name: headline }).waitFor();
    expect(await visitor.locator('section.retired').count()).toBe(0);
  });

  it('shows the sender why their analysis was declined', async () => {
    const sender = new HttpClient(run.url);
    await sender.session();
    const title = 'A survey we cannot check';
    const sent = await sender.request('POST', '/api/evidence/submissions', { title, summary: 'Our own survey, method not published.' });
    expect(sent.status).toBe(201);

    // A moderator on a slow connection opens "Decline…" before the page's script has arrived: taking
    // the page over must leave it open.
    const moderator = await (await staffContext()).newPage();
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await moderator.route('**/_app/immutable/**/*.js', async (route) => {
      await held;
      await route.continue();
    });
    await moderator.goto(`${run.url}/moderate?show=evidence`, { waitUntil: 'domcontentloaded' });
    const card = moderator.locator('article', { hasText: title });
    await card.locator('summary', { hasText: 'Decline' }).click();
    const live = moderator.waitForEvent('websocket', { timeout: 10_000 });
    release();
    await live;
    await card.getByLabel(/Reason/).fill('We need the method before we can publish it.');
    await card.getByRole('button', { name: `Decline “${title}”` }).click();
    await card.getByText('Analysis sent in — declined').waitFor({ timeout: 10_000 });

    const page = await (await browser.newContext({ viewport: PHONE })).newPage();
    const [name, value] = sender.cookie.split('=') as [string, string];
    await page.context().addCookies([{ name, value, url: run.url }]);
    await page.goto(`${run.url}/evidence/send`);
    const entry = page.locator('li', { hasText: title });
    await entry.getByText('Not published').waitFor();
    await entry.getByText('We need the method before we can publish it.').waitFor();
  });

  it("moves a visitor's home page count live when staff approve an organisation that asked to join without JavaScript", async () => {
    const home = await (await browser.newContext({ viewport: PHONE })).newPage();
    await home.goto(`${run.url}/`);
    const count = home.locator('.ways strong');
    const before = Number((await count.innerText()).split(' ')[0]);
    await home.evaluate(() => ((globalThis as unknown as { sameDocument: boolean }).sameDocument = true));

    const asker = await (await browser.newContext({ viewport: PHONE, javaScriptEnabled: false })).newPage();
    await asker.goto(`${run.url}/supporters`);
    await asker.getByRole('button', { name: 'Ask to join' }).click();
    // Every refused field says why beside it.
    await expect.poll(() => asker.locator('#join-name-error').innerText()).not.toBe('');
    await expect.poll(() => asker.locator('#join-email-error').innerText()).not.toBe('');
    await asker.getByLabel('Organisation', { exact: true }).fill('Councillors Against Abuse');
    await asker.getByLabel('Website').fill('https://example.org/caa');
    await asker.getByLabel('Contact person').fill('Pat Lee');
    await asker.getByLabel('Their e-mail').fill('pat@example.org');
    await asker.getByLabel('Why you support the campaign').fill('Our members are abused online every week.');
    await asker.getByRole('button', { name: 'Ask to join' }).click();
    await asker.locator('#joined').waitFor();
    expect(await asker.getByText('Councillors Against Abuse').count()).toBe(0);

    const moderator = await (await staffContext()).newPage();
    await moderator.goto(`${run.url}/moderate?show=organisations`);
    const card = moderator.locator('article', { hasText: 'Councillors Against Abuse' });
    await card.getByRole('button', { name: 'Approve “Councillors Against Abuse”' }).click();

    await expect.poll(() => count.innerText(), { timeout: 10_000 }).toBe(`${before + 1} organisations`);
    expect(await home.evaluate(() => (globalThis as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    await asker.goto(`${run.url}/supporters`);
    const listed = asker.locator('article', { hasText: 'Councillors Against Abuse' });
    await listed.waitFor();
    expect(await listed.locator('a[href="https://example.org/caa"]').count()).toBe(1);
    // The private e-mail is on no public page.
    expect(await asker.content()).not.toContain('pat@example.org');
  });
});
