import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS } from '../realtime/vocabulary.js';
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

const phone = async () => (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();

/** Fills in /signup as a person would; the page must already be open. */
async function signUp(page: Page, name: string, email: string, password: string) {
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
}

describe('accounts in Chromium', () => {
  it('signs up, sets a display name and a group, and posts an idea that shows the name, then one that shows none', async () => {
    const page = await phone();
    await page.goto(`${run.url}/signup?next=/areas/police`);

    // A weak password is refused beside its field; what else was typed stays.
    await signUp(page, 'Priya', 'priya@example.org', 'short');
    const password = page.getByLabel('Password');
    await expect.poll(() => password.getAttribute('aria-invalid'), { timeout: 10_000 }).toBe('true');
    expect(await page.locator('#password-error').innerText()).toMatch(/at least 10 characters/i);
    expect(await page.getByLabel('E-mail address').inputValue()).toBe('priya@example.org');

    await password.fill('kettle lantern orchard 42');
    await page.getByRole('button', { name: 'Create account' }).click();
    // Back where the person came from, signed in.
    await page.waitForURL(`${run.url}/areas/police`, { timeout: 10_000 });
    await page.locator('header.site summary', { hasText: 'Priya' }).waitFor({ timeout: 10_000 });

    await page.goto(`${run.url}/profile`);
    await page.getByLabel('Display name').fill('Priya Shah');
    await page.getByLabel('Which describes you best?').selectOption('researcher');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved.').waitFor({ timeout: 10_000 });
    await page.reload();
    expect(await page.getByLabel('Display name').inputValue()).toBe('Priya Shah');
    expect(await page.getByLabel('Which describes you best?').inputValue()).toBe('researcher');

    await page.goto(`${run.url}/areas/police`);
    await page.locator('.status.live').waitFor({ timeout: 10_000 });
    const title = 'Independent audits of how forces handle online abuse reports';
    await page.getByLabel('Title').fill(title);
    await page.getByRole('button', { name: 'Post idea' }).click();
    const card = page.locator('article.idea', { hasText: title });
    await expect.poll(() => card.locator('.by').textContent(), { timeout: 10_000 }).toBe('Posted by Priya Shah');

    // Anonymous by default from now on: the next idea names nobody, and the first keeps its name.
    await page.goto(`${run.url}/profile`);
    await page.getByLabel('Post anonymously by default').check();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved.').waitFor({ timeout: 10_000 });
    await page.goto(`${run.url}/areas/police`);
    await page.locator('.status.live').waitFor({ timeout: 10_000 });
    const quiet = 'A named officer for every victim of a pile-on';
    await page.getByLabel('Title').fill(quiet);
    await page.getByRole('button', { name: 'Post idea' }).click();
    await expect.poll(() => page.locator('article.idea', { hasText: quiet }).locator('.by').textContent(), { timeout: 10_000 }).toBe(`Posted by ${ANONYMOUS}`);
    expect(await card.locator('.by').textContent()).toBe('Posted by Priya Shah');
  });

  it("keeps a guest's vote when they sign up from the area page, and brings them back to it", async () => {
    const author = new HttpClient(run.url);
    await author.session();
    const title = 'Abuse reporting lessons for every sixth form';
    const { body } = await author.request('POST', '/api/ideas', { area: 'education', title });
    expect(body.idea.author.name).toBeNull();

    const page = await phone();
    await page.goto(`${run.url}/areas/education`);
    await page.locator('.status.live').waitFor({ timeout: 10_000 });
    const vote = page.getByRole('button', { name: new RegExp(`Upvote “${title}”`) });
    await vote.click();
    await expect.poll(() => vote.getAttribute('aria-pressed'), { timeout: 10_000 }).toBe('true');

    // From the header's Sign in to the sign-up page, the way back to the board is kept.
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByText('comes with you').waitFor({ timeout: 10_000 });
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.waitForURL(/\/signup\?next=%2Fareas%2Feducation$/, { timeout: 10_000 });
    await signUp(page, 'Tomasz', 'tomasz@example.org', 'copper harbour violin 7');
    await page.waitForURL(`${run.url}/areas/education`, { timeout: 10_000 });
    await page.locator('header.site summary', { hasText: 'Tomasz' }).waitFor({ timeout: 10_000 });

    const after = page.getByRole('button', { name: new RegExp(`Upvote “${title}”`) });
    await expect.poll(() => after.getAttribute('aria-pressed'), { timeout: 10_000 }).toBe('true');
    expect(await after.locator('.count').innerText()).toBe('1');
  });
});
