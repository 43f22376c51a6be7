import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS } from '../realtime/vocabulary.js';
import { grantRole } from '../server/accounts/people.js';
import { loadWebHandler } from '../server/transport/web.js';
import { HttpClient, signUpByLink, launchBrowser, outbox, startTestBoard, type TestBoard } from './harness.js';

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

const phone = async () => (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();

/** A member made over the API, as a second device would. */
async function member(name: string, email: string) {
  const client = new HttpClient(run.url);
  await client.session();
  const { status, body } = await signUpByLink(client, run.db.dataDir, { name, email, password: 'sturdy walnut compass 19' });
  expect(status).toBe(200);
  return { client, id: body.user.id as string, email, password: 'sturdy walnut compass 19' };
}

async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The link in the latest e-mail of this kind to `to`, on this board (the outbox is written a moment after the answer). */
async function linkIn(to: string, path: '/verify' | '/reset'): Promise<string> {
  const pattern = new RegExp(`https?://\\S+${path}\\?token=\\w+`);
  const latest = () => outbox(run.db.dataDir).filter((mail) => mail.to === to).map((mail) => mail.text.match(pattern)?.[0]).filter(Boolean).pop();
  await expect.poll(latest, { timeout: 10_000 }).toBeTruthy();
  const link = new URL(latest()!);
  return link.pathname + link.search;
}

/** Fills in /signup as a person would; the page must already be open. */
async function signUp(page: Page, name: string, email: string, password: string) {
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
}

/** After /signup: the page says to check the e-mail; its link, opened in this browser, makes the account and signs in. */
async function finishSignUp(page: Page, email: string) {
  await page.getByRole('heading', { name: 'Check your e-mail' }).waitFor({ timeout: 10_000 });
  await page.goto(run.url + (await linkIn(email, '/verify')));
  await page.getByRole('button', { name: 'Confirm my address' }).click();
  await page.getByText('Welcome: your account is ready, and you are signed in.').waitFor({ timeout: 10_000 });
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
    await finishSignUp(page, 'priya@example.org');
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

    // The forms start from the profile's choice, and one post may go the other way.
    const box = page.getByLabel(`Post as “${ANONYMOUS}” instead of Priya Shah`);
    expect(await box.isChecked()).toBe(true);
    await box.uncheck();
    const named = 'Victims told within a week what happens next';
    await page.getByLabel('Title').fill(named);
    await page.getByRole('button', { name: 'Post idea' }).click();
    const namedCard = page.locator('article.idea', { hasText: named });
    await expect.poll(() => namedCard.locator('.by').textContent(), { timeout: 10_000 }).toBe('Posted by Priya Shah');

    await namedCard.getByRole('link', { name: named, exact: true }).click();
    await page.locator('.status.live').waitFor({ timeout: 10_000 });
    expect(await page.locator('#comment-anonymous').isChecked()).toBe(true);
    await page.getByRole('radio', { name: /^For/ }).check();
    await page.getByLabel('Your comment').fill('A week is long enough to check, and short enough to matter.');
    await page.getByRole('button', { name: 'Post comment' }).click();
    await page.getByRole('article', { name: `For: ${ANONYMOUS}` }).waitFor({ timeout: 10_000 });
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
    await finishSignUp(page, 'tomasz@example.org');
    await page.goto(`${run.url}/areas/education`);
    await page.locator('header.site summary', { hasText: 'Tomasz' }).waitFor({ timeout: 10_000 });

    const after = page.getByRole('button', { name: new RegExp(`Upvote “${title}”`) });
    await expect.poll(() => after.getAttribute('aria-pressed'), { timeout: 10_000 }).toBe('true');
    expect(await after.locator('.count').innerText()).toBe('1');
  });

  it('lets an admin approve an organisation request and grant a role, asks before they demote themselves, and keeps others out', async () => {
    const admin = await member('Ada Admin', 'ada@example.org');
    await grantRole(admin.id, 'admin', 'test');
    const asker = await member('Sam Supporter', 'sam@example.org');
    expect((await asker.client.request('POST', '/api/profile/organisation', { organisation: 'fawcett' })).status).toBe(200);

    // A participant is told plainly that the page is not for them.
    const outsider = await phone();
    await outsider.goto(`${run.url}/signin?next=/admin`);
    await signIn(outsider, asker.email, asker.password);
    await outsider.getByRole('heading', { name: 'This page is not open to you' }).waitFor({ timeout: 10_000 });

    const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
    await page.goto(`${run.url}/admin`);
    await page.waitForURL(/\/signin\?next=%2Fadmin$/);
    await signIn(page, admin.email, admin.password);
    await page.waitForURL(`${run.url}/admin`, { timeout: 10_000 });

    const request = page.locator('article.request', { hasText: 'Sam Supporter' });
    await request.getByText('Fawcett Society').waitFor({ timeout: 10_000 });
    await request.getByRole('button', { name: 'Approve Sam Supporter' }).click();
    await page.getByText('Sam Supporter now shows Fawcett Society on what they post.').waitFor({ timeout: 10_000 });
    expect(await page.locator('article.request').count()).toBe(0);

    await page.getByLabel('Find people by name or e-mail').fill('sam@');
    await page.getByRole('button', { name: 'Search' }).click();
    const row = page.locator('article.person', { hasText: 'Sam Supporter' });
    await row.getByLabel('Role of Sam Supporter').selectOption('moderator');
    await row.getByRole('button', { name: 'Change the role of Sam Supporter' }).click();
    await row.getByText('Sam Supporter is now a moderator.').waitFor({ timeout: 10_000 });
    expect((await asker.client.request('GET', '/api/session')).body.user).toMatchObject({ role: 'moderator', organisation: 'Fawcett Society' });

    // Their own row: giving up admin needs the box ticked.
    await page.goto(`${run.url}/admin?q=ada`);
    const own = page.locator('article.person', { hasText: 'Ada Admin' });
    await own.getByLabel('Role of Ada Admin').selectOption('participant');
    await own.getByRole('button', { name: 'Change the role of Ada Admin' }).click();
    await own.getByText('tick the box to confirm').waitFor({ timeout: 10_000 });
    expect((await admin.client.request('GET', '/api/session')).body.user.role).toBe('admin');
  });

  it('tells a guest where they vote that only members may, once a moderator says so, and shows staff the member/guest split', async () => {
    const title = 'Free legal advice for people abused online';
    const author = await member('Noor', 'noor@example.org');
    const { body } = await author.client.request('POST', '/api/ideas', { area: 'individuals', title });
    await author.client.request('PUT', `/api/ideas/${body.idea.id}/vote`);
    const guest = new HttpClient(run.url);
    await guest.session();
    await guest.request('PUT', `/api/ideas/${body.idea.id}/vote`);

    const moderator = await member('Mo Derator', 'mo@example.org');
    await grantRole(moderator.id, 'moderator', 'test');
    const staff = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
    await staff.goto(`${run.url}/signin?next=/moderate`);
    await signIn(staff, moderator.email, moderator.password);
    await staff.getByRole('button', { name: 'Let only members vote' }).click();
    await staff.getByText('Members only.').waitFor({ timeout: 10_000 });

    await staff.goto(`${run.url}/moderate?q=legal advice`);
    const item = staff.locator('#item-' + body.idea.id);
    await item.getByText('2 votes: 1 member, 1 guest').waitFor({ timeout: 10_000 });
    await item.getByText('Posted by Noor').waitFor();

    const page = await phone();
    await page.goto(`${run.url}/areas/individuals`);
    await page.locator('.status.live').waitFor({ timeout: 10_000 });
    await page.getByText('Only members can vote on this board.').waitFor();
    expect(await page.getByRole('link', { name: 'Sign in to vote' }).getAttribute('href')).toBe('/signin?next=%2Fareas%2Findividuals');
    const vote = page.getByRole('button', { name: new RegExp(`Upvote “${title}”`) });
    await vote.click();
    await page.locator('.notice', { hasText: 'members only' }).waitFor({ timeout: 10_000 });
    await expect.poll(() => vote.getAttribute('aria-pressed')).toBe('false');
    expect(await vote.locator('.count').innerText()).toBe('2');

    await staff.goto(`${run.url}/moderate`);
    await staff.getByRole('button', { name: 'Let everyone vote' }).click();
    await staff.getByText('Everyone.').waitFor({ timeout: 10_000 });
  });

  it('makes an account only when the person presses the button in the e-mailed link, and resets a forgotten password from the e-mailed link', async () => {
    const email = 'lin@example.org';
    const password = 'sturdy walnut compass 19';
    const client = new HttpClient(run.url);
    await client.session();
    expect((await client.request('POST', '/api/auth/signup', { name: 'Lin', email, password })).status).toBe(202);
    const page = await phone();

    // Opening the link (as a mail scanner would) makes nothing; the button does.
    await page.goto(run.url + (await linkIn(email, '/verify')));
    expect((await client.request('POST', '/api/auth/signin', { email, password })).status).toBe(401);
    await page.getByRole('button', { name: 'Confirm my address' }).click();
    await page.getByText('Welcome: your account is ready, and you are signed in.').waitFor({ timeout: 10_000 });
    expect((await client.request('POST', '/api/auth/signin', { email, password })).status).toBe(200);
    expect((await client.request('GET', '/api/profile')).body.emailVerified).toBe(true);

    const stranger = await phone();
    await stranger.goto(`${run.url}/reset`);
    await stranger.getByLabel('E-mail address').fill(email);
    await stranger.getByRole('button', { name: 'Send me a link' }).click();
    await stranger.getByText('a link is on its way').waitFor({ timeout: 10_000 });
    const reset = await linkIn(email, '/reset');
    await stranger.goto(run.url + reset);
    await stranger.getByLabel('New password').fill('short');
    await stranger.getByRole('button', { name: 'Save new password' }).click();
    await expect.poll(() => stranger.getByLabel('New password').getAttribute('aria-invalid'), { timeout: 10_000 }).toBe('true');
    await stranger.getByLabel('New password').fill('marble festival quietly 3');
    await stranger.getByRole('button', { name: 'Save new password' }).click();
    await stranger.getByText('Your new password is saved, and you are signed in.').waitFor({ timeout: 10_000 });
    // Signed out everywhere else, the first device included.
    expect((await client.request('GET', '/api/profile')).status).toBe(401);

    // The link works once.
    await stranger.goto(run.url + reset);
    await stranger.getByLabel('New password').fill('another fine sentence 8');
    await stranger.getByRole('button', { name: 'Save new password' }).click();
    await stranger.getByRole('link', { name: 'Ask for a new link' }).waitFor({ timeout: 10_000 });
  });
});
