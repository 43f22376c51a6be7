import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWebHandler } from '../server/web.js';
import { HttpClient, startTestBoard, type TestBoard } from './harness.js';

let run: TestBoard;
let browser: Browser;

beforeAll(async () => {
  run = await startTestBoard({ web: await loadWebHandler() });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});

afterAll(async () => {
  await browser?.close();
  await run?.teardown();
});

/** An idea with arguments on both sides, each from someone else, the strongest marked helpful by others. */
async function ideaWithArguments(title: string) {
  const author = new HttpClient(run.url);
  await author.session();
  const { body } = await author.request('POST', '/api/ideas', { area: 'platforms', title, body: 'Every report answered by a person within a day, with a reason.' });
  const ideaId = body.idea.id as string;
  const comment = async (stance: string, text: string) => {
    const someone = new HttpClient(run.url);
    await someone.session();
    const { status, body } = await someone.request('POST', `/api/ideas/${ideaId}/comments`, { stance, body: text });
    expect(status).toBe(201);
    return body.comment.id as string;
  };
  const strongFor = await comment('for', 'Victims give up reporting when nothing comes back.');
  await comment('for', 'It would make moderation visible.');
  const strongAgainst = await comment('against', 'Small platforms could not staff it around the clock.');
  await comment('question', 'Would a bot answer count as a person?');
  for (const commentId of [strongFor, strongFor, strongAgainst]) {
    const reader = new HttpClient(run.url);
    await reader.session();
    expect((await reader.request('PUT', `/api/comments/${commentId}/helpful`)).status).toBe(200);
  }
  return { ideaId, strongFor, strongAgainst };
}

const live = (page: Page) => page.locator('.status.live').waitFor({ timeout: 10_000 });

describe('an idea page in Chromium', () => {
  it('leads with the strongest case each way, shows a comment posted in one browser live in another, and toggles helpful', async () => {
    const title = 'A human answer to every abuse report within 24 hours';
    const { ideaId, strongFor, strongAgainst } = await ideaWithArguments(title);

    // The area page's card leads to the idea page and counts its discussion.
    const board = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
    await board.goto(`${run.url}/areas/platforms?sort=discussed`);
    const card = board.locator('article.idea', { hasText: title });
    await expect.poll(() => card.getByRole('link', { name: /4 comments/ }).count()).toBe(1);
    await card.getByRole('link', { name: title, exact: true }).click();
    await board.waitForURL(`${run.url}/ideas/${ideaId}`);

    const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await phone.goto(`${run.url}/ideas/${ideaId}`);
    await Promise.all([live(board), live(phone)]);

    expect(await board.locator('meta[property="og:title"]').getAttribute('content')).toBe(title);
    expect(await board.locator('meta[property="og:url"]').getAttribute('content')).toBe(`${run.url}/ideas/${ideaId}`);
    await expect.poll(() => board.locator('.lead.for article').getAttribute('id')).toBe(`comment-${strongFor}`);
    await expect.poll(() => board.locator('.lead.against article').getAttribute('id')).toBe(`comment-${strongAgainst}`);
    // Side by side on a laptop: the two leads share a row.
    const [forBox, againstBox] = await Promise.all([board.locator('.lead.for').boundingBox(), board.locator('.lead.against').boundingBox()]);
    expect(forBox!.y).toBe(againstBox!.y);
    expect(forBox!.x).toBeLessThan(againstBox!.x);

    const text = 'Platforms already answer advertisers within the hour.';
    await phone.getByRole('radio', { name: /^For/ }).check();
    await phone.getByLabel('Your comment').fill(text);
    await phone.getByRole('button', { name: 'Post comment' }).click();
    await board.locator('article.comment', { hasText: text }).waitFor({ timeout: 10_000 });
    await phone.locator('article.comment', { hasText: text }).waitFor({ timeout: 10_000 });
    await expect.poll(() => phone.getByLabel('Your comment').inputValue()).toBe('');

    const helpful = board.locator(`#comment-${strongAgainst}`).getByRole('button', { name: /^Helpful/ }).first();
    const seenOnPhone = phone.locator(`#comment-${strongAgainst} .helpful .count`).first();
    await expect.poll(() => seenOnPhone.innerText()).toBe('1');
    await helpful.click();
    await expect.poll(() => helpful.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => helpful.locator('.count').innerText()).toBe('2');
    await expect.poll(() => seenOnPhone.innerText(), { timeout: 10_000 }).toBe('2');
    await helpful.click();
    await expect.poll(() => helpful.getAttribute('aria-pressed')).toBe('false');
    await expect.poll(() => seenOnPhone.innerText(), { timeout: 10_000 }).toBe('1');
  });

  it('works without JavaScript: reads the arguments and posts a comment with its stance', async () => {
    const title = 'Publish how many reports each platform acts on';
    const { ideaId, strongFor } = await ideaWithArguments(title);
    const page = await (await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } })).newPage();
    await page.goto(`${run.url}/ideas/${ideaId}`);
    expect(await page.locator('.lead.for article').getAttribute('id')).toBe(`comment-${strongFor}`);

    // Without a stance the form comes back with the reason beside the choice, and the words kept.
    const text = 'Who checks the numbers they publish?';
    await page.getByLabel('Your comment').fill(text);
    await page.getByRole('button', { name: 'Post comment' }).click();
    await page.getByText('Choose for, against or question.').waitFor();
    expect(await page.getByLabel('Your comment').inputValue()).toBe(text);

    await page.getByRole('radio', { name: /^Question/ }).check();
    await page.getByRole('button', { name: 'Post comment' }).click();
    const posted = page.locator('article.comment.question', { hasText: text });
    await posted.waitFor();
    expect(page.url()).toMatch(new RegExp(`/ideas/${ideaId}\\?posted=[0-9a-f]{24}#comment-[0-9a-f]{24}$`));

    // Helpful works as a plain form too.
    const helpful = posted.getByRole('button', { name: /^Helpful/ });
    await helpful.click();
    await expect.poll(() => page.locator('article.comment.question', { hasText: text }).getByRole('button', { name: /^Helpful/ }).getAttribute('aria-pressed')).toBe('true');
  });
});
