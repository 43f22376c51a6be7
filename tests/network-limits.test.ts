import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RULES } from '../server/platform/limits.js';
import { HttpClient, startTestBoard, type TestBoard } from './harness.js';

let run: TestBoard;

beforeAll(async () => {
  run = await startTestBoard();
});

afterAll(async () => {
  await run?.teardown();
});

/** A new guest on a network, played through X-Forwarded-For from loopback. */
async function guestOn(network: string): Promise<{ http: HttpClient; status: number }> {
  const http = new HttpClient(run.url);
  const { status } = await http.request('GET', '/api/session', undefined, { 'x-forwarded-for': network });
  return { http, status };
}

describe('limits per network', () => {
  it('let a hall of 2,000 phones on one address in within five minutes', () => {
    const { guestSessionsPerNetwork: window, guestSessionsBurstPerNetwork: burst } = RULES;
    expect(window.points).toBeGreaterThanOrEqual(2_000);
    expect(window.seconds).toBeLessThanOrEqual(10 * 60);
    // Arriving evenly over five minutes, the hall never fills the short window.
    expect((2_000 / (5 * 60)) * burst.seconds).toBeLessThan(burst.points);
  });

  it('let a crowd join from one network, but stop one script rotating cookies from posting dozens of ideas a second', async () => {
    const hall = await Promise.all(Array.from({ length: 60 }, () => guestOn('192.0.2.10')));
    expect(hall.every((guest) => guest.status === 200)).toBe(true);

    const script = await Promise.all(Array.from({ length: 40 }, () => guestOn('198.51.100.20')));
    const answers = await Promise.all(
      script.map((guest, i) => guest.http.request('POST', '/api/ideas', { area: 'police', title: `Scripted idea number ${i}`, body: '' }, { 'x-forwarded-for': '198.51.100.20' })),
    );
    const refused = answers.filter((answer) => answer.status === 429);
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(RULES.ideasBurstPerNetwork.points);
    expect(refused.length).toBe(40 - RULES.ideasBurstPerNetwork.points);
    expect(refused[0]!.body.error).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringMatching(/your network .* try again in \d+ seconds?/) });

    // Another network is not held back by that one.
    const elsewhere = await guestOn('203.0.113.30');
    expect((await elsewhere.http.request('POST', '/api/ideas', { area: 'police', title: 'An idea from somewhere else', body: '' }, { 'x-forwarded-for': '203.0.113.30' })).status).toBe(201);
  });

  it('record where an idea came from as a hash of its network, never the address', async () => {
    const guest = await guestOn('203.0.113.77');
    const { body } = await guest.http.request('POST', '/api/ideas', { area: 'education', title: 'Where did this idea come from', body: '' }, { 'x-forwarded-for': '203.0.113.77' });
    const { Idea } = await import('../models/index.js');
    const doc = await Idea.findById(body.idea.id).lean();
    expect(doc?.origin).toMatchObject({ kind: 'guest', network: expect.stringMatching(/^[\w-]{16}$/) });
    expect(doc!.origin!.age).toBeLessThan(60_000);
    expect(JSON.stringify(doc)).not.toContain('203.0.113');
    // The same /24 is the same network.
    const neighbour = await guestOn('203.0.113.200');
    const second = await neighbour.http.request('POST', '/api/ideas', { area: 'education', title: 'A neighbour on the same network', body: '' }, { 'x-forwarded-for': '203.0.113.200' });
    expect((await Idea.findById(second.body.idea.id).lean())?.origin?.network).toBe(doc!.origin!.network);
  });
});
