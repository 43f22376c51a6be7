import jsqr from 'jsqr';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWebHandler } from '../server/transport/web.js';
import { FACILITATOR_CODE, HttpClient, signUpByLink, launchBrowser, startTestBoard, type TestBoard } from './harness.js';

// A CommonJS module whose types declare a default export: under NodeNext that is `.default`.
const { default: jsQR } = jsqr;

let run: TestBoard;
let browser: Browser;

beforeAll(async () => {
  run = await startTestBoard({ web: await loadWebHandler() });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await run?.teardown();
});

async function page(width: number, height: number, javaScriptEnabled = true): Promise<Page> {
  return (await browser.newContext({ viewport: { width, height }, javaScriptEnabled })).newPage();
}

async function idea(area: string, title: string, body = ''): Promise<string> {
  const author = new HttpClient(run.url);
  await author.session();
  const { status, body: created } = await author.request('POST', '/api/ideas', { area, title, body });
  expect(status).toBe(201);
  return created.idea.id;
}

/** Signs in at /moderate, as facilitators do, then opens `path`. */
async function facilitator(path: string): Promise<Page> {
  const laptop = await page(1366, 768);
  await laptop.goto(`${run.url}/moderate`);
  await laptop.getByLabel('Facilitator code').fill(FACILITATOR_CODE);
  await laptop.getByRole('button', { name: 'Sign in' }).click();
  await laptop.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 10_000 });
  await laptop.goto(`${run.url}${path}`);
  return laptop;
}

describe('a live session in Chromium', () => {
  it('runs from the console: the phone votes and the projector moves, a pause refuses the vote, spotlight and the QR code reach the projector', async () => {
    const voted = 'Paid leave for staff targeted by online abuse';
    const paused = 'A named contact for abuse in every workplace';
    const body = 'Someone trained, with time set aside, so nobody has to explain twice.';
    const votedId = await idea('employers', voted);
    await idea('employers', paused, body);

    const console_ = await facilitator('/facilitate');
    await console_.getByLabel('Title').fill('Afternoon debate: employers');
    await console_.getByRole('checkbox', { name: /Organisations and employers/ }).check();
    await console_.getByRole('button', { name: 'Create the draft' }).click();
    await console_.waitForURL(/\/facilitate\/[A-Z2-9]{6}$/, { timeout: 10_000 });
    const code = new URL(console_.url()).pathname.split('/').pop()!;
    await console_.getByRole('button', { name: 'Publish', exact: true }).click();
    await console_.getByText('Voting open').first().waitFor({ timeout: 10_000 });

    const phone = await page(390, 844);
    await phone.goto(`${run.url}/join`);
    // Typed as people type it: any case, with a space.
    await phone.getByLabel('Join code').fill(`${code.slice(0, 3).toLowerCase()} ${code.slice(3)}`);
    await phone.getByRole('button', { name: 'Join' }).click();
    await phone.waitForURL(`${run.url}/live/${code}`, { timeout: 10_000 });

    const projector = await page(1920, 1080);
    await projector.goto(`${run.url}/screen/${code}`);
    for (const screen of [console_, phone, projector]) await screen.locator('.status.live').waitFor({ timeout: 10_000 });

    const row = projector.locator('li', { hasText: voted });
    await expect.poll(() => row.locator('.votes').innerText()).toMatch(/^0/);
    const vote = phone.getByRole('button', { name: new RegExp(`Upvote “${voted}”`) });
    await vote.click();
    await expect.poll(() => vote.getAttribute('aria-pressed'), { timeout: 10_000 }).toBe('true');
    await expect.poll(() => row.locator('.votes').innerText(), { timeout: 10_000 }).toMatch(/^1/);

    // A member votes from the online board: not the room's vote; the console shows it apart, as online.
    const member = new HttpClient(run.url);
    await member.session();
    expect((await signUpByLink(member, run.db.dataDir, { email: 'sam@example.org', password: 'correct horse battery staple', name: 'Sam' })).status).toBe(200);
    expect((await member.request('PUT', `/api/ideas/${votedId}/vote`)).status).toBe(200);
    const consoleRow = console_.locator('article', { hasText: voted }).locator('.votes');
    await expect.poll(() => consoleRow.innerText(), { timeout: 10_000 }).toBe('1 vote\nOnline: 1 member\n0 guests');

    await console_.getByRole('button', { name: 'Pause', exact: true }).click();
    await phone.getByRole('status').getByText('Voting paused').waitFor({ timeout: 10_000 });
    await projector.locator('.state', { hasText: 'Voting paused' }).waitFor({ timeout: 10_000 });
    const refused = phone.getByRole('button', { name: new RegExp(`Upvote “${paused}”`) });
    await refused.click();
    await phone.locator('.notice.error', { hasText: 'Voting is paused' }).waitFor({ timeout: 10_000 });
    expect(await refused.getAttribute('aria-pressed')).toBe('false');
    // Not counted: the refusal was the server's, not only this page's.
    const { ideas } = (await (await fetch(`${run.url}/api/live/${code}`)).json()) as { ideas: { title: string; votes: number }[] };
    expect(ideas.find((one) => one.title === paused)?.votes).toBe(0);

    await console_.getByRole('button', { name: `Spotlight “${paused}”` }).click();
    const spotlight = projector.locator('.spotlight');
    await spotlight.getByRole('heading', { name: paused }).waitFor({ timeout: 10_000 });
    await spotlight.getByText(body).waitFor();

    const shot = PNG.sync.read(await projector.locator('.qr').first().screenshot());
    const read = jsQR(new Uint8ClampedArray(shot.data), shot.width, shot.height);
    expect(read?.data).toBe(`${run.url}/join/${code}`);
  });

  it('keeps a vote tapped while the wifi is down, even after the tab is closed, and sends it when the phone is back', async () => {
    const title = 'Time on the agenda for ideas from the room';
    const ideaId = await idea('education', title);
    const staff = new HttpClient(run.url);
    await staff.session();
    await staff.request('POST', '/api/facilitator/session', { code: FACILITATOR_CODE });
    const { body: session } = await staff.request('POST', '/api/live', { title: 'Morning: education', ideaIds: [ideaId] });
    await staff.request('POST', `/api/live/${session.code}/control`, { action: 'publish' });
    const votes = async () => {
      const { ideas } = (await (await fetch(`${run.url}/api/live/${session.code}`)).json()) as { ideas: { id: string; votes: number }[] };
      return ideas.find((one) => one.id === ideaId)?.votes;
    };

    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const phone = await context.newPage();
    await phone.goto(`${run.url}/live/${session.code}`);
    await phone.locator('.status.live').waitFor({ timeout: 10_000 });
    await context.setOffline(true);
    await phone.locator('.status.offline').waitFor({ timeout: 20_000 });
    const vote = phone.getByRole('button', { name: new RegExp(`Upvote “${title}”`) });
    await vote.click();
    // Shown at once, though nothing reached the server.
    expect(await vote.getAttribute('aria-pressed')).toBe('true');
    expect(await votes()).toBe(0);
    await phone.close();

    await context.setOffline(false);
    const again = await context.newPage();
    await again.goto(`${run.url}/live/${session.code}`);
    await expect.poll(votes, { timeout: 10_000 }).toBe(1);
    const pressed = again.getByRole('button', { name: new RegExp(`Upvote “${title}”`) });
    await expect.poll(() => pressed.getAttribute('aria-pressed'), { timeout: 10_000 }).toBe('true');
    // Sent once: a reload has nothing left to send, and the count stays.
    await again.reload();
    await again.locator('.status.live').waitFor({ timeout: 10_000 });
    const keptFor = (code: string) => {
      const storage = (globalThis as unknown as { localStorage: { length: number; key(i: number): string | null } }).localStorage;
      return Array.from({ length: storage.length }, (_, i) => storage.key(i)).filter((key) => key?.startsWith(`live-taps:${code}`));
    };
    expect(await again.evaluate(keptFor, session.code)).toEqual([]);
    expect(await votes()).toBe(1);
  });

  it('works without JavaScript: a wrong code is named, and the phone votes and sends an idea from the room with plain forms', async () => {
    const title = 'Free legal advice for anyone targeted online';
    await idea('individuals', title);
    const admin = new HttpClient(run.url);
    await admin.session();
    await admin.request('POST', '/api/facilitator/session', { code: FACILITATOR_CODE });
    const { body: session } = await admin.request('POST', '/api/live', { title: 'Evening: individuals', areas: ['individuals'], roomIdeas: true });
    await admin.request('POST', `/api/live/${session.code}/control`, { action: 'publish' });

    const phone = await page(390, 844, false);
    await phone.goto(`${run.url}/join`);
    await phone.getByLabel('Join code').fill('ZZZZZZ');
    await phone.getByRole('button', { name: 'Join' }).click();
    await phone.getByRole('alert').getByText('No session has the code ZZZZZZ').waitFor({ timeout: 10_000 });

    await phone.goto(`${run.url}/join/${session.code.toLowerCase()}`);
    await phone.waitForURL(`${run.url}/live/${session.code}`);
    const vote = phone.getByRole('button', { name: new RegExp(`Upvote “${title}”`) });
    await vote.click();
    await phone.waitForURL(new RegExp(`/live/${session.code}#idea-`), { timeout: 10_000 });
    expect(await vote.getAttribute('aria-pressed')).toBe('true');

    await phone.getByLabel('Your idea').fill('Helplines open in the evening');
    await phone.getByRole('button', { name: 'Send to the facilitator' }).click();
    await phone.getByText('A facilitator will read your idea before it goes on the screens.').waitFor({ timeout: 10_000 });
    // Held for a facilitator: not on the phone's list, nor anyone's.
    expect(await phone.locator('.ideas').getByText('Helplines open in the evening').count()).toBe(0);
  });

  it('runs two rounds from one code with console, projector and phone, to their frozen results', async () => {
    const first = 'Round one: a named contact for online abuse';
    const second = 'Round two: reporting training for managers';
    const [firstId, secondId] = [await idea('platforms', first), await idea('platforms', second)];
    const staff = new HttpClient(run.url);
    await staff.session();
    await staff.request('POST', '/api/facilitator/session', { code: FACILITATOR_CODE });
    const { body: session } = await staff.request('POST', '/api/live', { title: 'All day: platforms', ideaIds: [firstId, secondId] });
    const code = session.code as string;
    await staff.request('POST', `/api/live/${code}/control`, { action: 'publish' });
    const shots = process.env.LIVE_SHOTS;
    const shoot = async (screen: Page, name: string) => {
      if (shots) await screen.screenshot({ path: `${shots}/${name}.png` });
    };

    const console_ = await facilitator(`/facilitate/${code}`);
    await console_.setViewportSize({ width: 1280, height: 800 });
    const projector = await page(1920, 1080);
    await projector.goto(`${run.url}/screen/${code}`);
    const phone = await page(390, 844);
    await phone.goto(`${run.url}/live/${code}`);
    for (const screen of [console_, phone, projector]) await screen.locator('.status.live').waitFor({ timeout: 10_000 });

    await phone.getByRole('button', { name: new RegExp(`Upvote “${first}”`) }).click();
    const row = projector.locator('li', { hasText: first });
    await expect.poll(() => row.locator('.votes').innerText(), { timeout: 10_000 }).toMatch(/^1/);
    await shoot(projector, 'round1-projector');
    await shoot(phone, 'round1-phone');

    // Close asks first; then the wall and the phone show the frozen ranking, not a call to vote.
    console_.once('dialog', (dialog) => void dialog.accept());
    await console_.getByRole('button', { name: 'Close', exact: true }).click();
    await projector.getByText('Voting closed').first().waitFor({ timeout: 10_000 });
    expect(await projector.locator('.qr').count()).toBe(0);
    await phone.getByRole('heading', { name: 'Final ranking' }).waitFor({ timeout: 10_000 });
    await shoot(console_, 'round1-console-closed');
    await shoot(projector, 'round1-projector-closed');
    await shoot(phone, 'round1-phone-closed');

    await console_.getByLabel('Title').fill('After lunch');
    await console_.getByRole('button', { name: 'Start a new round' }).click();
    await projector.getByText('Round 2: After lunch').waitFor({ timeout: 10_000 });
    await phone.getByText('Round 2: After lunch').waitFor({ timeout: 10_000 });
    // Every idea at 0, and nobody arrives having voted.
    const firstAgain = phone.getByRole('button', { name: new RegExp(`Upvote “${first}”`) });
    await expect.poll(() => firstAgain.getAttribute('aria-pressed'), { timeout: 10_000 }).toBe('false');
    await expect.poll(() => row.locator('.votes').innerText(), { timeout: 10_000 }).toMatch(/^0/);
    await phone.getByRole('button', { name: new RegExp(`Upvote “${second}”`) }).click();
    await expect.poll(() => projector.locator('li', { hasText: second }).locator('.votes').innerText(), { timeout: 10_000 }).toMatch(/^1/);
    await shoot(console_, 'round2-console');
    await shoot(projector, 'round2-projector');
    console_.once('dialog', (dialog) => void dialog.accept());
    await console_.getByRole('button', { name: 'Close', exact: true }).click();
    await projector.getByText('Voting closed').first().waitFor({ timeout: 10_000 });

    const results = await page(1280, 800);
    await results.goto(`${run.url}/live/${code}/results`);
    await results.getByRole('heading', { name: 'Round 2: After lunch' }).waitFor({ timeout: 10_000 });
    await results.getByRole('heading', { name: 'Round 1: All day: platforms' }).waitFor();
    await shoot(results, 'results');
    await shoot(phone, 'round2-phone-closed');
    const frozen = (await (await fetch(`${run.url}/api/live/${code}/results`)).json()) as { rounds: { rows: { ideaId: string; votes: number }[] }[] };
    expect(frozen.rounds.map((round) => round.rows.map((r) => [r.ideaId, r.votes]))).toEqual([
      [
        [firstId, 1],
        [secondId, 0],
      ],
      [
        [secondId, 1],
        [firstId, 0],
      ],
    ]);
  }, 90_000);
});
