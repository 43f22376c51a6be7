import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../server/platform/project-root.js';
import { loadWebHandler } from '../server/transport/web.js';
import { startBoard, startTestBoard, type RunningBoard, type TestBoard } from './harness.js';

let run: TestBoard;
let https: RunningBoard;

beforeAll(async () => {
  const web = await loadWebHandler();
  run = await startTestBoard({ web });
  // A second server on the same database, as people reach it through an https proxy.
  https = await startBoard(run.db.uri, { web, dataDir: run.db.dataDir, publicUrl: 'https://ideas.example.org' });
});

afterAll(async () => {
  await https?.stop();
  await run?.teardown();
});

const COMMON = (headers: Headers) => {
  expect(headers.get('x-content-type-options')).toBe('nosniff');
  expect(headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
  expect(headers.get('x-powered-by')).toBeNull();
};

describe('security headers', () => {
  it('a page: SvelteKit’s CSP with a nonce, no inline scripts, no framing', async () => {
    const response = await fetch(`${run.url}/`);
    expect(response.status).toBe(200);
    COMMON(response.headers);
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toMatch(/frame-ancestors 'none'/);
    const scripts = /script-src ([^;]*)/.exec(csp)![1]!;
    expect(scripts).toMatch(/'nonce-[^']+'/);
    expect(scripts).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(csp).toMatch(/object-src 'none'/);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    // Every inline script carries the nonce.
    const nonce = /'nonce-([^']+)'/.exec(scripts)![1]!;
    const html = await response.text();
    const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1]!);
    expect(inline.length).toBeGreaterThan(0);
    for (const attributes of inline) expect(attributes).toContain(`nonce="${nonce}"`);
    expect(response.headers.get('strict-transport-security')).toBeNull();
  });

  it('a page address that is no valid percent-encoding: 400', async () => {
    for (const path of ['/ideas/%E0%A4%A', '/areas/%ZZ', '/live/%E0%A4%A', '/%E0%A4%A']) expect((await fetch(`${run.url}${path}`)).status, path).toBe(400);
  });

  it('an error page has the page CSP too', async () => {
    const response = await fetch(`${run.url}/areas/no-such-area`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-security-policy')).toMatch(/script-src 'self' 'nonce-/);
  });

  it('an API answer: nothing may load or frame', async () => {
    const response = await fetch(`${run.url}/api/session`);
    expect(response.status).toBe(200);
    COMMON(response.headers);
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
    const missing = await fetch(`${run.url}/api/nothing-here`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
  });

  it('a static asset', async () => {
    const response = await fetch(`${run.url}/favicon.svg`);
    expect(response.status).toBe(200);
    COMMON(response.headers);
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
    const entry = readdirSync(join(PROJECT_ROOT, 'client/build/client/_app/immutable/entry')).find((f) => f.endsWith('.js'));
    const asset = await fetch(`${run.url}/_app/immutable/entry/${entry}`);
    expect(asset.status).toBe(200);
    COMMON(asset.headers);
  });

  it('with an https PUBLIC_URL: HSTS, and the session cookie is Secure though the hop is plain http', async () => {
    const response = await fetch(`${https.url}/api/session`);
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toMatch(/; Secure/i);
    expect(cookie).toMatch(/HttpOnly/i);
    const page = await fetch(`${https.url}/`);
    expect(page.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    // Without https, no Secure: browsers would drop the cookie on plain http.
    expect((await fetch(`${run.url}/api/session`)).headers.get('set-cookie')).not.toMatch(/Secure/i);
  });
});
