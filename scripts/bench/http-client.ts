import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';

/** Runs `task(i)` for i < count with at most `concurrency` in flight; stops starting new ones after `deadline`. */
export async function pool<T>(count: number, concurrency: number, deadline: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const lane = async () => {
    while (next < count) {
      if (Date.now() > deadline) throw new Error(`only ${next} of ${count} done before the deadline`);
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return results;
}

/**
 * Where participant `index` seems to be: a network of its own, named in X-Forwarded-For (which the
 * app trusts from loopback), as people voting and commenting online come from many places. The app
 * limits new guest sessions, ideas and comments per network; one loopback /24 for everyone would
 * measure those limits, not the live path.
 */
export function participantAddress(index: number): string {
  return `10.${(index >> 8) & 255}.${index & 255}.7`;
}

/** A guest session, as a browser gets one: returns the cookie pair to send back. */
export async function createSession(base: string, forwardedFor?: string): Promise<string> {
  const response = await fetch(`${base}/api/session`, forwardedFor ? { headers: { 'x-forwarded-for': forwardedFor } } : {});
  const cookie = response.headers.get('set-cookie')?.split(';')[0];
  await response.body?.cancel();
  if (!response.ok || !cookie) throw new Error(`GET /api/session answered ${response.status}`);
  return cookie;
}

export async function createIdea(base: string, cookie: string, idea: { area: string; title: string; body: string }, forwardedFor?: string): Promise<string> {
  const response = await fetch(`${base}/api/ideas`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
    body: JSON.stringify(idea),
  });
  const body = (await response.json()) as { idea?: { id: string }; error?: { message: string } };
  if (response.status !== 201 || !body.idea) throw new Error(`POST /api/ideas answered ${response.status}: ${body.error?.message}`);
  return body.idea.id;
}

/** Signs a guest session in as a facilitator (the app's FACILITATOR_CODE): returns the new session's cookie pair. */
export async function signInFacilitator(base: string, cookie: string, code: string): Promise<string> {
  const response = await fetch(`${base}/api/facilitator/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ code }),
  });
  const renewed = response.headers.get('set-cookie')?.split(';')[0];
  await response.body?.cancel();
  if (!response.ok) throw new Error(`POST /api/facilitator/session answered ${response.status}`);
  return renewed ?? cookie;
}

/** A live session of these areas, made and published by a facilitator: returns its join code. */
export async function createLiveSession(base: string, cookie: string, input: { title: string; areas: string[] }): Promise<string> {
  const response = await fetch(`${base}/api/live`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify(input),
  });
  const body = (await response.json()) as { code?: string; error?: { message: string } };
  if (response.status !== 201 || !body.code) throw new Error(`POST /api/live answered ${response.status}: ${body.error?.message}`);
  // A session is made as a draft: the hall can join once it is published.
  const published = await fetch(`${base}/api/live/${body.code}/control`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ action: 'publish' }),
  });
  await published.body?.cancel();
  if (!published.ok) throw new Error(`publishing the live session answered ${published.status}`);
  return body.code;
}

/** The page itself answered 404: this build has no such route, which is not the same as a broken page. */
export class PageMissing extends Error {
  constructor(readonly path: string) {
    super(`GET ${path} answered 404: no such page in this build`);
  }
}

export interface PageWeight {
  path: string;
  /** Bytes of every response body as sent (gzip where the server compresses). */
  bytes: number;
  files: { url: string; status: number; bytes: number; encoding: string }[];
}

/** Fetches `url` without decoding, like a browser's "transferred" column without headers. */
function fetchRaw(url: string): Promise<{ status: number; bytes: number; encoding: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { 'accept-encoding': 'gzip', accept: '*/*' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, bytes: body.length, encoding: String(res.headers['content-encoding'] ?? 'identity'), body });
      });
      res.on('error', reject);
    });
    req.setTimeout(15_000, () => req.destroy(new Error(`no answer from ${url} within 15 s`)));
    req.on('error', reject);
    req.end();
  });
}

const LINK = /<link\b[^>]*>/gi;
const SCRIPT_SRC = /<script\b[^>]*\bsrc=["']([^"']+)["']/gi;
const DYNAMIC_IMPORT = /import\(\s*["']([^"']+)["']\s*\)/g;
/** `import x from "y"`, `import "y"`, `export {x} from "y"` (minified or not); `import("y")` is not static. */
const STATIC_IMPORT = /(?:^|[;\s}])(?:import|export)\s*(?:[^"'();]*?\bfrom\s*)?["']([^"']+)["']/g;
const NODE_IDS = /node_ids:\s*\[([\d,\s]*)\]/;
const NODE_FILE = /["']([^"']*\/nodes\/(\d+)\.[^"']*\.js)["']/g;
const LOADED_RELS = new Set(['stylesheet', 'modulepreload', 'preload', 'icon']);
const MAX_FILES = 200;

/** What the HTML itself makes the browser fetch: stylesheets, (module)preloads, scripts and the inline script's imports. */
export function htmlAssets(html: string, pageUrl: string): string[] {
  const urls = new Set<string>();
  for (const [tag] of html.matchAll(LINK)) {
    const rel = /\brel=["']([^"']+)["']/i.exec(tag)?.[1]?.toLowerCase();
    const href = /\bhref=["']([^"']+)["']/i.exec(tag)?.[1];
    if (rel && href && rel.split(/\s+/).some((r) => LOADED_RELS.has(r))) urls.add(new URL(href, pageUrl).href);
  }
  for (const [, src] of html.matchAll(SCRIPT_SRC)) urls.add(new URL(src!, pageUrl).href);
  for (const [, src] of html.matchAll(DYNAMIC_IMPORT)) urls.add(new URL(src!, pageUrl).href);
  return [...urls];
}

/**
 * What a script makes the browser fetch before the page is live: its static imports and, for
 * SvelteKit's app entry, the route's nodes the hydration script names (`node_ids`); other
 * dynamic imports (other routes) are not part of this page's first load.
 */
export function scriptAssets(js: string, scriptUrl: string, nodeIds: Set<number>): string[] {
  const urls = new Set<string>();
  for (const [, src] of js.matchAll(STATIC_IMPORT)) urls.add(new URL(src!, scriptUrl).href);
  for (const [, src, id] of js.matchAll(NODE_FILE)) if (nodeIds.has(Number(id))) urls.add(new URL(src!, scriptUrl).href);
  return [...urls];
}

export async function pageWeight(base: string, path: string): Promise<PageWeight> {
  const pageUrl = base + path;
  const page = await fetchRaw(pageUrl);
  if (page.status === 404) throw new PageMissing(path);
  if (page.status !== 200) throw new Error(`GET ${path} answered ${page.status}`);
  const decode = (file: { body: Buffer; encoding: string }) => (file.encoding === 'gzip' ? gunzipSync(file.body) : file.body).toString('utf8');
  const html = decode(page);
  // SvelteKit's client also loads the root layout and root error nodes (0 and 1) on every start.
  const nodeIds = new Set([0, 1, ...(NODE_IDS.exec(html)?.[1] ?? '').split(',').filter((s) => s.trim()).map(Number)]);
  const files = [{ url: pageUrl, status: page.status, bytes: page.bytes, encoding: page.encoding }];
  const queue = htmlAssets(html, pageUrl);
  const seen = new Set([pageUrl, ...queue]);
  while (queue.length > 0 && files.length < MAX_FILES) {
    const url = queue.shift()!;
    const asset = await fetchRaw(url);
    files.push({ url, status: asset.status, bytes: asset.bytes, encoding: asset.encoding });
    if (asset.status !== 200 || !new URL(url).pathname.endsWith('.js')) continue;
    for (const next of scriptAssets(decode(asset), url, nodeIds)) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  const missing = files.filter((f) => f.status !== 200);
  if (missing.length) throw new Error(`${path}: ${missing.map((f) => `${f.url} → ${f.status}`).join(', ')}`);
  return { path, bytes: files.reduce((sum, f) => sum + f.bytes, 0), files };
}
