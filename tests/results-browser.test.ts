import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWebHandler } from '../server/transport/web.js';
import { FACILITATOR_CODE, HttpClient, launchBrowser, startTestBoard, type TestBoard } from './harness.js';

let run: TestBoard;
let browser: Browser;
let code: string;

const SIZES = { phone: { width: 390, height: 844 }, laptop: { width: 1366, height: 768 } } as const;
/** Where the screenshots go, to look at (SHOTS_DIR to keep them elsewhere). */
const SHOTS = process.env.SHOTS_DIR ?? null;

beforeAll(async () => {
  run = await startTestBoard({ web: await loadWebHandler() });
  browser = await launchBrowser();
  const author = new HttpClient(run.url);
  await author.signUp(run.dataDir, 'Board Author');
  const titles = ['Publish takedown times for every platform', 'A duty of care with a regulator that can fine', 'Report abuse once, reach every platform'];
  const ids: string[] = [];
  for (const title of titles) ids.push((await author.request('POST', '/api/ideas', { area: 'platforms', title, body: 'Explained for the results.' })).body.idea.id);
  await author.request('POST', '/api/ideas', { area: 'education', title: 'Teach consent online in every school', body: 'From year 7.' });
  for (let i = 0; i < 6; i++) {
    const voter = new HttpClient(run.url);
    await voter.session();
    for (const id of ids.slice(0, 1 + (i % 3))) await voter.request('PUT', `/api/ideas/${id}/vote`);
  }
  await author.request('POST', `/api/ideas/${ids[0]}/comments`, { stance: 'for', body: 'Published numbers let users compare platforms.' });
  await author.request('POST', `/api/ideas/${ids[0]}/comments`, { stance: 'against', body: 'Platforms will game a single number.' });
  const staff = new HttpClient(run.url);
  await staff.session();
  await staff.request('POST', '/api/facilitator/session', { code: FACILITATOR_CODE });
  code = (await staff.request('POST', '/api/live', { title: 'Morning plenary', areas: ['platforms'] })).body.code;
  await staff.request('POST', `/api/live/${code}/control`, { action: 'publish' });
  await staff.request('POST', `/api/live/${code}/control`, { action: 'close' });
});

afterAll(async () => {
  await browser?.close();
  await run?.teardown();
});

describe('results and the report in Chromium', () => {
  for (const [size, viewport] of Object.entries(SIZES)) {
    it(`shows /results without JavaScript on a ${size}: rankings, charts with their tables, the seal`, async () => {
      const context = await browser.newContext({ viewport, javaScriptEnabled: false });
      const page = await context.newPage();
      await page.goto(`${run.url}/results`);
      await expect(page.getByRole('heading', { level: 1, name: 'Results' }).isVisible()).resolves.toBe(true);
      const platforms = page.locator('section[aria-labelledby="area-platforms"]');
      await expect(platforms.getByRole('link', { name: 'Publish takedown times for every platform' }).first().isVisible()).resolves.toBe(true);
      expect(await platforms.locator('svg[role="img"]').count()).toBe(3);
      expect(await platforms.locator('table').count()).toBe(4);
      await expect(platforms.getByText('Platforms will game a single number.').isVisible()).resolves.toBe(true);
      await expect(page.locator('#sealed ~ ul code, section[aria-labelledby="sealed"] code').first().textContent()).resolves.toMatch(/^[0-9a-f]{64}$/);
      // Nothing wider than the screen but the ranking's own scroller.
      const overflow = await page.evaluate(() => {
        const w = globalThis as unknown as { innerWidth: number; document: { documentElement: { scrollWidth: number } } };
        return w.document.documentElement.scrollWidth - w.innerWidth;
      });
      expect(overflow).toBeLessThanOrEqual(1);
      if (SHOTS) {
        await page.screenshot({ path: `${SHOTS}/results-${size}.png`, fullPage: true });
        await platforms.scrollIntoViewIfNeeded();
        await page.screenshot({ path: `${SHOTS}/results-${size}-platforms.png` });
      }
      await context.close();
    });

    it(`prints /report on A4 from a ${size}: contents, chapters on their own pages, no download button`, async () => {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      await page.goto(`${run.url}/report`);
      await page.emulateMedia({ media: 'print' });
      await expect(page.getByRole('heading', { name: 'Contents' }).isVisible()).resolves.toBe(true);
      await expect(page.getByRole('link', { name: 'Download the PDF' }).isVisible()).resolves.toBe(false);
      await expect(page.getByText(/Sealed: SHA-256/).isVisible()).resolves.toBe(true);
      const breaks = await page.locator('.chapter').evaluateAll((els) => {
        const style = (globalThis as unknown as { getComputedStyle(el: unknown): { breakBefore: string } }).getComputedStyle;
        return els.map((el) => style(el).breakBefore);
      });
      expect(breaks.every((b) => b === 'page')).toBe(true);
      if (SHOTS) {
        await page.screenshot({ path: `${SHOTS}/report-print-${size}.png`, fullPage: true });
        if (size === 'laptop') await page.pdf({ path: `${SHOTS}/report-print.pdf`, format: 'A4' });
      }
      await context.close();
    });
  }

  it('lets any site frame an embed and no site frame any other page', async () => {
    const embed = await fetch(`${run.url}/embed/areas/platforms`);
    expect(embed.status).toBe(200);
    expect(embed.headers.get('x-frame-options')).toBeNull();
    expect(embed.headers.get('content-security-policy')).toMatch(/(^|;)\s*frame-ancestors \*(;|$)/);
    expect(embed.headers.get('set-cookie')).toBeNull();
    expect(await embed.text()).toContain('Publish takedown times for every platform');
    const live = await fetch(`${run.url}/embed/live/${code}`);
    expect(live.status).toBe(200);
    expect(live.headers.get('content-security-policy')).toMatch(/frame-ancestors \*/);

    for (const path of ['/', '/results', '/report', '/areas/platforms', `/live/${code}`, '/signin', '/embedded', '/api/results']) {
      const response = await fetch(run.url + path);
      const csp = response.headers.get('content-security-policy') ?? '';
      const xfo = response.headers.get('x-frame-options') ?? '';
      const denied = /frame-ancestors 'none'/.test(csp) || /frame-ancestors 'self'/.test(csp) || /^(deny|sameorigin)$/i.test(xfo);
      expect(denied, `${path}: ${csp} / ${xfo}`).toBe(true);
      expect(csp, path).not.toMatch(/frame-ancestors \*/);
    }

    // In a browser: a page of another origin shows the embed in a frame; a frame of /results stays empty.
    const page = await browser.newPage();
    // Another origin (another port) on this machine: a page fulfilled by the test would count as public, and public pages may not frame loopback ones.
    const partnerServer = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(`<iframe id="ok" src="${run.url}/embed/areas/platforms"></iframe><iframe id="no" src="${run.url}/results"></iframe>`);
    });
    await new Promise<void>((resolve) => partnerServer.listen(0, '127.0.0.1', resolve));
    const partner = `http://127.0.0.1:${(partnerServer.address() as AddressInfo).port}/`;
    const problems: string[] = [];
    page.on('console', (m) => problems.push(m.text()));
    page.on('requestfailed', (r) => problems.push(`${r.url()} ${r.failure()?.errorText}`));
    await page.goto(partner);
    await page.waitForTimeout(1500);
    const framed = page.frames().map((frame) => frame.url());
    const embedFrame = page.frames().find((frame) => frame.url().includes('/embed/areas/platforms'));
    expect(embedFrame, framed.join(', ') + problems.join(' | ')).toBeDefined();
    await expect(embedFrame!.getByText('Publish takedown times for every platform').isVisible()).resolves.toBe(true);
    const resultsFrame = page.frames().find((frame) => frame.url().endsWith('/results'));
    const blocked = resultsFrame ? await resultsFrame.locator('h1').count().catch(() => 0) : 0;
    expect(blocked).toBe(0);
    await page.close();
    partnerServer.close();
  });
});
