import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWebHandler } from '../server/transport/web.js';
import { FACILITATOR_CODE, HttpClient, launchBrowser, removeDataDir, startTestBoard, type TestBoard } from './harness.js';

/**
 * What a new user types on a phone: a word longer than any screen is wide (112 letters), and a long
 * link. Every page that shows what people wrote must wrap them, never the page sideways.
 */
const WORD = 'Antidisestablishmentarianism'.repeat(4);
const URL_TEXT = `https://example.org/reports/${'online-abuse-'.repeat(8)}final.pdf?utm_source=${'x'.repeat(40)}`;

let run: TestBoard;
let browser: Browser;
let staff: HttpClient;
/** What the seeding made: the pages that show it. */
const made = { ideaId: '', code: '', area: 'police' };

beforeAll(async () => {
  run = await startTestBoard({ web: await loadWebHandler() });
  browser = await launchBrowser();
  staff = new HttpClient(run.url);
  await staff.session();
  expect((await staff.request('POST', '/api/facilitator/session', { code: FACILITATOR_CODE })).status).toBe(200);

  const author = new HttpClient(run.url);
  await author.signUp(run.dataDir, `N${'a'.repeat(40)}`);
  const idea = await author.request('POST', '/api/ideas', { area: made.area, title: `${WORD} idea`, body: `${WORD} ${URL_TEXT}` });
  expect(idea.status).toBe(201);
  made.ideaId = idea.body.idea.id;
  await author.request('PUT', `/api/ideas/${made.ideaId}/vote`);
  for (const stance of ['for', 'against', 'question']) {
    const comment = await author.request('POST', `/api/ideas/${made.ideaId}/comments`, { stance, body: `${stance} ${WORD} ${URL_TEXT}` });
    expect(comment.status).toBe(201);
    const reply = await author.request('POST', `/api/ideas/${made.ideaId}/comments`, { stance, body: `Reply ${WORD}`, parentId: comment.body.comment.id });
    expect(reply.status).toBe(201);
  }
  // Taken down, so the public moderation log names it.
  const hidden = await author.request('POST', '/api/ideas', { area: made.area, title: `Hidden ${WORD}`.slice(0, 120), body: '' });
  expect((await staff.request('POST', `/api/ideas/${hidden.body.idea.id}/hide`)).status).toBe(200);

  const evidence = await staff.request('POST', '/api/evidence', {
    headline: `${WORD} finding`,
    summary: `${WORD} ${URL_TEXT}`,
    source: { organisation: WORD, title: WORD, url: URL_TEXT },
    areas: [made.area],
    kind: 'study',
  });
  expect(evidence.status).toBe(201);
  const asked = await author.request('POST', '/api/organisations/requests', {
    name: WORD,
    website: URL_TEXT,
    contact: 'Priya Shah',
    email: `asker-${Date.now()}@example.org`,
    statement: `${WORD} backs this campaign. ${URL_TEXT}`,
  });
  expect(asked.status).toBe(201);
  expect((await staff.request('POST', `/api/organisations/requests/${asked.body.request.id}/approve`)).status).toBe(200);
  expect((await staff.request('PUT', '/api/conference', { place: `${WORD} hall`, about: `${WORD} ${URL_TEXT}` })).status).toBe(200);

  const live = await staff.request('POST', '/api/live', { title: `${WORD}`.slice(0, 120), areas: [made.area], roomIdeas: true });
  expect(live.status).toBe(201);
  made.code = live.body.code;
  expect((await staff.request('POST', `/api/live/${made.code}/control`, { action: 'publish' })).status).toBe(200);
  const room = await author.request('POST', `/api/live/${made.code}/ideas`, { area: made.area, title: `Room ${WORD}`.slice(0, 120), body: WORD });
  expect(room.status).toBe(201);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await run?.teardown();
});

/** A context signed in as a facilitator (the conference-day code), for the staff pages. */
async function staffContext(width: number, height: number): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width, height } });
  const [name, value] = staff.cookie.split('=');
  await context.addCookies([{ name: name!, value: value!, url: run.url }]);
  return context;
}

async function overflow(page: Page, path: string): Promise<string | null> {
  await page.goto(`${run.url}${path}`, { waitUntil: 'networkidle' });
  // Run in the page (a string: these tests are compiled without the DOM's types).
  const measured = (await page.evaluate(`(() => {
    const { scrollWidth } = document.documentElement;
    const widest = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > innerWidth + 1 && getComputedStyle(el).position !== 'fixed' && !el.closest('.visually-hidden'))
      .slice(-3)
      .map((el) => el.tagName.toLowerCase() + '.' + [...el.classList].join('.') + ' (' + Math.round(el.getBoundingClientRect().right) + ')');
    return { scrollWidth, innerWidth, widest };
  })()`)) as { scrollWidth: number; innerWidth: number; widest: string[] };
  return measured.scrollWidth <= measured.innerWidth ? null : `${path}: ${measured.scrollWidth} px wide on ${measured.innerWidth} (${measured.widest.join(', ')})`;
}

describe('on a 320 px phone', () => {
  it('no page scrolls sideways, whatever people typed', async () => {
    const publicPaths = [
      '/',
      `/areas/${made.area}`,
      '/ideas',
      `/ideas?q=${WORD.slice(0, 20)}`,
      `/ideas/${made.ideaId}`,
      '/evidence',
      '/evidence/send',
      '/supporters',
      '/conference',
      '/join',
      `/live/${made.code}`,
      `/live/${made.code}/results`,
      `/screen/${made.code}`,
      '/screen',
      '/signin',
      '/signup',
      '/reset',
      '/moderation-log',
      '/nowhere-at-all',
    ];
    const staffPaths = ['/moderate', '/moderate/words', '/facilitate', `/facilitate/${made.code}`, `/ideas/${made.ideaId}`, '/profile', '/notifications'];
    const failures: string[] = [];
    const guest = await (await browser.newContext({ viewport: { width: 320, height: 700 } })).newPage();
    for (const path of publicPaths) {
      const failed = await overflow(guest, path);
      if (failed) failures.push(failed);
    }
    const facilitator = await (await staffContext(320, 700)).newPage();
    for (const path of staffPaths) {
      const failed = await overflow(facilitator, path);
      if (failed) failures.push(`(staff) ${failed}`);
    }
    expect(failures).toEqual([]);
  }, 120_000);
});

/** A free TCP port on this machine, for Chromium's DevTools. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Debian's Chromium with a DevTools port Lighthouse can drive (Lighthouse opens its own tab per run). */
async function chromiumWithPort(): Promise<{ port: number; stop(): Promise<void> }> {
  const port = await freePort();
  const profile = mkdtempSync(join(tmpdir(), 'reclaim-lighthouse-'));
  const child: ChildProcess = spawn(
    process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', `--remote-debugging-port=${port}`, `--user-data-dir=${profile}`, 'about:blank'],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Its profile goes once Chromium has stopped writing to it.
  const stop = async () => {
    child.kill();
    await exited;
    removeDataDir(profile);
  };
  for (let tries = 0; tries < 100; tries++) {
    const ready = await fetch(`http://127.0.0.1:${port}/json/version`).then((r) => r.ok, () => false);
    if (ready) return { port, stop };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error('Chromium did not open its DevTools port within 10 s');
}

describe('Lighthouse', () => {
  it('scores 100 for accessibility on every main page, at phone size', async () => {
    const { default: lighthouse } = await import('lighthouse');
    const chrome = await chromiumWithPort();
    const pages = [
      '/',
      `/areas/${made.area}`,
      '/ideas',
      `/ideas/${made.ideaId}`,
      '/evidence',
      '/supporters',
      '/conference',
      '/join',
      `/live/${made.code}`,
      `/screen/${made.code}`,
      '/signin',
      '/moderation-log',
    ];
    const scores: Record<string, number | null> = {};
    const failing: Record<string, string[]> = {};
    try {
      for (const path of pages) {
        // Mobile is Lighthouse's default: a phone's screen (412 × 823) and touch.
        const result = await lighthouse(`${run.url}${path}`, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['accessibility'] });
        const lhr = result!.lhr;
        const score = lhr.categories.accessibility!.score;
        scores[path] = score === null ? null : Math.round(score * 100);
        const failed = Object.values(lhr.audits)
          .filter((audit) => audit.score !== null && audit.score < 1 && audit.scoreDisplayMode === 'binary')
          .map((audit) => audit.id);
        if (failed.length) failing[path] = failed;
      }
    } finally {
      await chrome.stop();
    }
    console.log('Lighthouse accessibility:', scores);
    expect(failing).toEqual({});
    expect(Object.values(scores).every((score) => score === 100)).toBe(true);
  }, 150_000);
});

describe('a moving leaderboard', () => {
  it('is summarised to screen readers at most every 5 s, and does not animate for those who ask for less motion', async () => {
    const area = 'education';
    const post = async (title: string) => {
      const author = new HttpClient(run.url);
      await author.session();
      const { body } = await author.request('POST', '/api/ideas', { area, title, body: '' });
      return body.idea.id as string;
    };
    // Each voter votes online and in the room, so the board and the session's projector count alike.
    let room: string | null = null;
    const vote = (ideaId: string, times: number) =>
      Promise.all(
        Array.from({ length: times }, async () => {
          const voter = new HttpClient(run.url);
          await voter.session();
          expect((await voter.request('PUT', `/api/ideas/${ideaId}/vote`)).status).toBe(200);
          if (room) expect((await voter.request('PUT', `/api/ideas/${ideaId}/vote`, { code: room })).status).toBe(200);
        }),
      );
    const a = await post('Abuse education in teacher training');
    const b = await post('A reporting button in every school app');
    const c = await post('Peer mentors for pupils abused online');
    const session = await staff.request('POST', '/api/live', { title: 'Schools', ideaIds: [a, b, c] });
    const code = session.body.code as string;
    expect((await staff.request('POST', `/api/live/${code}/control`, { action: 'publish' })).status).toBe(200);
    room = code;
    await vote(a, 1);

    const open = async (path: string, options: { reducedMotion?: 'reduce' | 'no-preference'; width?: number; height?: number } = {}) => {
      const context = await browser.newContext({ viewport: { width: options.width ?? 1920, height: options.height ?? 1080 }, reducedMotion: options.reducedMotion ?? 'no-preference' });
      const page = await context.newPage();
      await page.goto(`${run.url}${path}`);
      await page.locator('.status.live').first().waitFor({ timeout: 10_000 });
      // What the live region says, when; and the most animations running at once.
      await page.evaluate(`(() => {
        const region = document.querySelector('[data-rank-news]');
        window.said = [];
        window.opened = performance.now();
        new MutationObserver(() => region.textContent && window.said.push({ at: performance.now() - window.opened, text: region.textContent })).observe(region, { childList: true, characterData: true, subtree: true });
        window.moving = 0;
        window.kinds = new Set();
        const look = () => {
          // What a person could see move: running for longer than a frame or so (reduced motion leaves 0.01 ms).
          const running = document.getAnimations().filter((x) => x.playState === 'running' && Number(x.effect?.getComputedTiming().duration) > 50);
          for (const x of running) window.kinds.add((x.animationName || x.transitionProperty || x.constructor.name) + ':' + (x.effect?.target?.className ?? ''));
          window.moving = Math.max(window.moving, running.length);
          requestAnimationFrame(look);
        };
        look();
      })()`);
      return page;
    };
    const projector = await open(`/screen/${code}`, { reducedMotion: 'reduce' });
    const moving = await open(`/screen/${code}`);
    const board = await open(`/areas/${area}`, { width: 390, height: 844 });
    const areaScreen = await open(`/screen?area=${area}`, { reducedMotion: 'reduce' });

    // b takes the lead: said at once, the page having been quiet for long enough.
    await vote(b, 2);
    for (const page of [projector, board, areaScreen]) {
      // Its first vote ties a's and the newer leads a tie: said then, with the count it had.
      await expect.poll(() => page.locator('[data-rank-news]').innerText(), { timeout: 10_000 }).toMatch(/^Now first: A reporting button in every school app, (1 vote|2 votes)\.$/);
      expect(await page.locator('[data-rank-news]').getAttribute('aria-live')).toBe('polite');
    }
    // Then c and a race past it: what stands once 5 s have passed since the last news is said, never sooner.
    await Promise.all([vote(c, 3), vote(a, 3)]);
    for (const page of [projector, board, areaScreen]) {
      await expect.poll(() => page.locator('[data-rank-news]').innerText(), { timeout: 10_000 }).toBe('Now first: Abuse education in teacher training, 4 votes.');
      const said = (await page.evaluate('window.said')) as { at: number; text: string }[];
      expect(said[0]!.text).toMatch(/^Now first: A reporting button/);
      expect(said.at(-1)!.text).toBe('Now first: Abuse education in teacher training, 4 votes.');
      for (let i = 1; i < said.length; i++) expect(said[i]!.at - said[i - 1]!.at, JSON.stringify(said)).toBeGreaterThanOrEqual(4_900);
    }
    // The rows moved on both projectors; only the one asking for less motion moved them without animation.
    await expect.poll(() => moving.evaluate('window.moving')).toBeGreaterThan(0);
    expect(await projector.evaluate('window.moving'), String(await projector.evaluate('[...window.kinds].join()'))).toBe(0);
    expect(await areaScreen.evaluate('window.moving')).toBe(0);
  }, 60_000);
});

describe('by keyboard alone', () => {
  it('shows where the focus is on every stop of the main flows: voting, posting, commenting, the console and moderation', async () => {
    const missing: string[] = [];
    const walk = async (page: Page, path: string, stops = 80) => {
      await page.goto(`${run.url}${path}`, { waitUntil: 'networkidle' });
      const seen = new Set<string>();
      for (let i = 0; i < stops; i++) {
        await page.keyboard.press('Tab');
        // The focused element, or the card round it that draws the ring (:focus-within), must show a ring.
        const found = (await page.evaluate(`(() => {
          const el = document.activeElement;
          if (!el || el === document.body) return null;
          const ringed = (node) => {
            const style = getComputedStyle(node);
            return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== 'none';
          };
          let ring = false;
          for (let node = el, depth = 0; node && depth < 4 && !ring; node = node.parentElement, depth++) ring = ringed(node);
          const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' “' + (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 40) + '”';
          return { name, ring };
        })()`)) as { name: string; ring: boolean } | null;
        if (!found || seen.has(found.name)) continue;
        seen.add(found.name);
        if (!found.ring) missing.push(`${path}: ${found.name}`);
      }
    };
    const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    for (const path of [`/areas/${made.area}`, `/ideas/${made.ideaId}`, `/live/${made.code}`, '/join', '/signin']) await walk(phone, path);
    const laptop = await (await staffContext(1366, 768)).newPage();
    for (const path of [`/facilitate/${made.code}`, '/moderate', '/facilitate']) await walk(laptop, path);
    expect(missing).toEqual([]);
  }, 90_000);
});
