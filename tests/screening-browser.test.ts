import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWebHandler } from '../server/transport/web.js';
import { FACILITATOR_CODE, HttpClient, launchBrowser, startTestBoard, type TestBoard } from './harness.js';

let run: TestBoard;
let browser: Browser;
/** Set SCREENSHOTS to a folder to keep what the pages looked like. */
const shots = process.env.SCREENSHOTS;

beforeAll(async () => {
  run = await startTestBoard({ web: await loadWebHandler() });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await run?.teardown();
});

async function page(width: number, height: number, cookie = ''): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height } });
  if (cookie) {
    const [name, value] = cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: run.url }]);
  }
  return context.newPage();
}

const snap = (p: Page, name: string) => (shots ? p.screenshot({ path: `${shots}/${name}.png`, fullPage: true }) : undefined);

describe('word screening in the browser', () => {
  it('shows an author the words to reword beside the field, and keeps what they typed', async () => {
    for (const [width, height] of [[390, 844], [1280, 800]] as const) {
      const author = await page(width, height);
      await author.goto(`${run.url}/areas/platforms`);
      await author.getByLabel('Title').fill('Ban the sh1t trolls from every platform');
      await author.getByRole('button', { name: 'Post idea' }).click();
      const error = author.locator('#idea-title-error');
      await expect.poll(() => error.textContent()).toMatch(/reword “sh1t”/);
      expect(await author.getByLabel('Title').inputValue()).toBe('Ban the sh1t trolls from every platform');
      await author.locator('#idea-title').scrollIntoViewIfNeeded();
      await snap(author, `refused-idea-${width}`);
      await author.context().close();
    }
  });

  it('lets staff test a text and add a term on /moderate/words', async () => {
    const staff = new HttpClient(run.url);
    await staff.session();
    expect((await staff.request('POST', '/api/facilitator/session', { code: FACILITATOR_CODE })).status).toBe(200);
    for (const [width, height] of [[390, 844], [1280, 800]] as const) {
      const words = await page(width, height, staff.cookie);
      await words.goto(`${run.url}/moderate/words`);
      await expect.poll(() => words.getByRole('heading', { name: 'Word screening' }).count()).toBe(1);
      await words.getByRole('textbox', { name: 'Text' }).fill('What a b1tch of a day, you tw4t');
      await words.getByRole('button', { name: 'Test' }).click();
      const verdict = words.getByRole('status').filter({ hasText: 'Refused' });
      await expect.poll(() => verdict.textContent()).toMatch(/“tw4t” — term “twat”/);
      expect(await verdict.textContent()).toMatch(/“b1tch” — term “bitch”: hold for a moderator/);
      expect(await words.getByRole('textbox', { name: 'Text' }).inputValue()).toBe('What a b1tch of a day, you tw4t');
      await snap(words, `words-${width}`);
      await words.context().close();
    }
    const words = await page(1280, 800, staff.cookie);
    await words.goto(`${run.url}/moderate/words`);
    await words.getByLabel('Term', { exact: true }).fill('Keyboard Warrior');
    await words.getByRole('button', { name: 'Add term' }).click();
    await expect.poll(() => words.getByRole('status').filter({ hasText: '“keyboard warrior” now: hold' }).count()).toBe(1);
    await expect.poll(() => words.locator('li', { hasText: 'keyboard warrior' }).count()).toBe(1);
  });
});
