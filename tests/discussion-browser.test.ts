import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWebHandler } from '../server/transport/web.js';
import { FACILITATOR_CODE, HttpClient, launchBrowser, startTestBoard, type TestBoard } from './harness.js';

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

  it('re-ranks the strongest case live as arguments and helpful marks arrive, and shuts the reply box once a reply is posted, by keyboard', async () => {
    const author = new HttpClient(run.url);
    await author.session();
    const { body } = await author.request('POST', '/api/ideas', { area: 'platforms', title: 'A named person to appeal to at every platform', body: '' });
    const ideaId = body.idea.id as string;

    const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await phone.goto(`${run.url}/ideas/${ideaId}`);
    await live(phone);
    await phone.locator('.lead.for').getByText('No argument for it yet.').waitFor();

    // Posted here, by keyboard alone: the empty lead takes the new argument at once.
    const first = 'Appeals that reach a person get settled.';
    await phone.getByRole('radio', { name: /^For/ }).focus();
    await phone.keyboard.press('Space');
    await phone.getByLabel('Your comment').focus();
    await phone.keyboard.type(first);
    await phone.getByRole('button', { name: 'Post comment' }).focus();
    await phone.keyboard.press('Enter');
    await expect.poll(() => phone.locator('.lead.for article.comment .body').innerText(), { timeout: 10_000 }).toBe(first);

    // Someone else's argument, marked helpful twice: it takes the lead on the open page.
    const other = new HttpClient(run.url);
    await other.session();
    const second = 'Without a name, nobody owns the answer.';
    const posted = await other.request('POST', `/api/ideas/${ideaId}/comments`, { stance: 'for', body: second });
    await phone.locator('article.comment', { hasText: second }).waitFor({ timeout: 10_000 });
    expect(await phone.locator('.lead.for article.comment .body').innerText()).toBe(first);
    for (let i = 0; i < 2; i++) {
      const reader = new HttpClient(run.url);
      await reader.session();
      expect((await reader.request('PUT', `/api/comments/${posted.body.comment.id}/helpful`)).status).toBe(200);
    }
    await expect.poll(() => phone.locator('.lead.for article.comment .body').innerText(), { timeout: 10_000 }).toBe(second);
    // The first argument is now among the rest, once.
    await expect.poll(() => phone.locator('.rest article.comment', { hasText: first }).count()).toBe(1);

    // A reply: the box opens by keyboard, and shuts once the reply is on the page.
    const lead = phone.locator('.lead.for > article.comment');
    const reply = lead.locator('summary', { hasText: 'Reply' });
    await reply.focus();
    await phone.keyboard.press('Enter');
    const replyBox = lead.getByLabel('Your reply');
    await replyBox.waitFor();
    await lead.getByRole('radio', { name: /^Question/ }).check();
    await replyBox.fill('Who would that person answer to?');
    await lead.getByRole('button', { name: 'Post reply' }).click();
    await lead.locator('.replies article.comment', { hasText: 'Who would that person answer to?' }).waitFor({ timeout: 10_000 });
    await expect.poll(() => lead.locator('details:has(> summary:has-text("Reply"))').first().evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(false);
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

  it('holds a comment while new posts are reviewed; a moderator publishes it from /moderate and it appears live on the open idea page', async () => {
    const { ideaId, strongFor } = await ideaWithArguments('Report buttons that work with a screen reader');
    const replier = new HttpClient(run.url);
    await replier.session();
    expect((await replier.request('POST', `/api/ideas/${ideaId}/comments`, { stance: 'question', body: 'Does it happen on every platform?', parentId: strongFor })).status).toBe(201);
    const facilitator = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await facilitator.goto(`${run.url}/moderate?show=comments`);
    await facilitator.getByLabel('Facilitator code').fill(FACILITATOR_CODE);
    await facilitator.getByRole('button', { name: 'Sign in' }).click();
    await facilitator.getByRole('button', { name: 'Hold new ideas for review' }).click();
    await facilitator.getByText('Held for review.').waitFor({ timeout: 10_000 });
    await facilitator.getByRole('link', { name: /^Comments/ }).click();
    await facilitator.getByRole('heading', { name: 'Comments' }).waitFor();

    const reader = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await reader.goto(`${run.url}/ideas/${ideaId}`);
    await live(reader);
    // "All" counts every comment it shows, the reply included, as the idea's card does; the tally adds up to it.
    await expect.poll(() => reader.locator('.stances a', { hasText: 'All' }).innerText()).toMatch(/^All\s+5$/);
    await expect.poll(() => reader.locator('.stances a', { hasText: 'For' }).innerText()).toMatch(/^For\s+3$/);
    expect(await reader.locator('.tally').innerText()).toBe('2 for · 1 against · 1 question · 1 reply');

    const text = 'Screen reader users are reported against more than they report.';
    const someone = new HttpClient(run.url);
    await someone.session();
    const posted = await someone.request('POST', `/api/ideas/${ideaId}/comments`, { stance: 'for', body: text });
    expect(posted).toMatchObject({ status: 201, body: { pending: true } });
    const commentId = posted.body.comment.id as string;

    // Its author's page lists it as theirs, waiting, with the way to learn why and appeal.
    const [cookieName, cookieValue] = someone.cookie.split('=') as [string, string];
    const authorContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
    await authorContext.addCookies([{ name: cookieName, value: cookieValue, url: run.url }]);
    const author = await authorContext.newPage();
    await author.goto(`${run.url}/ideas/${ideaId}`);
    await live(author);
    const own = author.locator('.off-board li', { hasText: text });
    await own.getByText('Waiting for a moderator to read it.').waitFor({ timeout: 10_000 });
    expect(await own.getByRole('link', { name: 'Why, and appeal' }).getAttribute('href')).toBe(`/appeal/comment/${commentId}`);
    expect(await reader.locator('.off-board').count()).toBe(0);

    // No reload: the open queue hears of the held comment, under its idea, with the way to publish it.
    const item = facilitator.locator(`#comment-${commentId}`);
    await item.getByText('New — waiting for review').waitFor({ timeout: 10_000 });
    expect(await item.getByRole('link', { name: 'Report buttons that work with a screen reader' }).getAttribute('href')).toBe(`/ideas/${ideaId}#discussion`);
    await expect.poll(() => facilitator.getByRole('link', { name: /^Comments/ }).innerText()).toMatch(/1/);
    expect(await reader.locator('article.comment', { hasText: text }).count()).toBe(0);

    await item.getByRole('button', { name: /^Publish/ }).click();
    await facilitator.getByText('Published: it is on the idea’s page now.').waitFor({ timeout: 10_000 });
    await reader.locator('article.comment', { hasText: text }).waitFor({ timeout: 10_000 });
    await expect.poll(() => reader.locator('.stances a', { hasText: 'All' }).innerText()).toMatch(/^All\s+6$/);
    // Published, it leaves the queue, and its author's list.
    await expect.poll(() => item.count(), { timeout: 10_000 }).toBe(0);
    await author.locator('article.comment', { hasText: text }).waitFor({ timeout: 10_000 });
    expect(await own.count()).toBe(0);

    // Taken down while its author reads the page: it leaves the discussion and joins their list, saying why.
    const staff = new HttpClient(run.url);
    await staff.session();
    expect((await staff.request('POST', '/api/facilitator/session', { code: FACILITATOR_CODE })).status).toBe(200);
    expect((await staff.request('POST', `/api/comments/${commentId}/hide`)).status).toBe(200);
    await own.getByText('Taken off the page by a moderator.').waitFor({ timeout: 10_000 });
    expect(await author.locator('article.comment', { hasText: text }).count()).toBe(0);
    await own.getByRole('link', { name: 'Why, and appeal' }).click();
    await author.waitForURL(`${run.url}/appeal/comment/${commentId}`);
    // Why, in words: a moderator's decision (logged as `staff`).
    await author.getByText('A moderator decided it does not belong here.').waitFor({ timeout: 10_000 });
    // The public log names the reason in words too.
    await author.goto(`${run.url}/moderation-log`);
    const logged = author.locator('tr', { hasText: text.slice(0, 40) }).first();
    expect(await logged.locator('td').nth(2).innerText()).toBe('Staff decision');
    await authorContext.close();

    await facilitator.getByRole('button', { name: 'Publish new ideas at once' }).click();
    await facilitator.getByText('Go on the board at once.').waitFor({ timeout: 10_000 });
  });

  it('finds ideas in every challenge from the home page by a word of their details, without JavaScript, and filters them by status', async () => {
    const author = new HttpClient(run.url);
    await author.session();
    const post = async (area: string, title: string, body: string) => (await author.request('POST', '/api/ideas', { area, title, body })).body.idea.id as string;
    const police = await post('police', 'A named officer for every case of online stalking', 'With a direct line, like a helpline, open in the evening.');
    await post('education', 'Assemblies run by older pupils', 'Pupils trust a helpline more when pupils have run it.');
    await post('employers', 'Leave for staff targeted online', 'Paid, and no questions asked.');
    const staff = new HttpClient(run.url);
    await staff.session();
    await staff.request('POST', '/api/facilitator/session', { code: FACILITATOR_CODE });
    expect((await staff.request('PUT', `/api/ideas/${police}/status`, { status: 'shortlisted' })).status).toBe(200);

    const page = await (await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false })).newPage();
    await page.goto(`${run.url}/`);
    await page.getByRole('search', { name: 'Search the ideas of every challenge' }).getByRole('searchbox').fill('HELPLINE');
    await page.getByRole('search', { name: 'Search the ideas of every challenge' }).getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/\/ideas\?q=HELPLINE/);
    const results = page.locator('ol.results article');
    expect(await results.count()).toBe(2);
    const stalking = results.filter({ hasText: 'A named officer for every case of online stalking' });
    expect(await stalking.innerText()).toContain('Police and prosecutors');
    expect(await results.filter({ hasText: 'Assemblies run by older pupils' }).innerText()).toContain('The next generation');

    await page.getByLabel('Status').selectOption('shortlisted');
    await page.getByRole('search', { name: 'Search the ideas of every challenge' }).getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/status=shortlisted/);
    expect(await results.count()).toBe(1);
    await stalking.getByRole('link', { name: 'A named officer for every case of online stalking' }).click();
    await page.waitForURL(`${run.url}/ideas/${police}`);

    // A search on one challenge's page leads on to all five.
    await page.goto(`${run.url}/areas/education?q=helpline`);
    await page.getByRole('link', { name: 'Look in all five challenges' }).click();
    await page.waitForURL(`${run.url}/ideas?q=helpline`);
    expect(await results.count()).toBe(2);
  });
});
