import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWebHandler } from '../server/web.js';
import { startTestBoard, type TestBoard } from './harness.js';

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

describe('in Chromium', () => {
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
});
