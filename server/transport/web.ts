import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RequestHandler } from 'express';
import { PROJECT_ROOT } from '../platform/project-root.js';

const CLIENT_DIR = join(PROJECT_ROOT, 'client');
const CLIENT_HANDLER = join(CLIENT_DIR, 'build', 'handler.js');
const PROTOCOL_HEADER = 'x-forwarded-proto';
/** Set on every request from Express's own reading of the client's address, whatever the client sent. */
const ADDRESS_HEADER = 'x-reclaim-client-address';

/**
 * The SvelteKit pages as Express middleware: the production build, or Vite's dev server with hot reload.
 * adapter-node assumes https unless told the protocol, which would make SvelteKit refuse every form
 * post on plain http as cross-site; Express (trusting the proxies TRUST_PROXY names) knows the real one,
 * and the client's address, which the pages' limits and records need as much as the API's.
 */
export async function loadWebHandler(dev = false): Promise<RequestHandler> {
  process.env.PROTOCOL_HEADER ??= PROTOCOL_HEADER;
  process.env.ADDRESS_HEADER = ADDRESS_HEADER;
  const handler = dev ? await devHandler() : await builtHandler();
  return (req, res, next) => {
    req.headers[PROTOCOL_HEADER] = req.protocol;
    req.headers[ADDRESS_HEADER] = req.ip ?? '';
    handler(req, res, next);
  };
}

async function builtHandler(): Promise<RequestHandler> {
  if (!existsSync(CLIENT_HANDLER)) throw new Error('The web client is not built: run `npm run build` first (or `npm run dev`).');
  const { handler } = (await import(pathToFileURL(CLIENT_HANDLER).href)) as { handler: RequestHandler };
  return handler;
}

async function devHandler(): Promise<RequestHandler> {
  // SvelteKit's Vite plugin finds svelte.config.js (and writes .svelte-kit) relative to the working folder.
  process.chdir(CLIENT_DIR);
  const { createServer } = await import('vite');
  const vite = await createServer({
    root: CLIENT_DIR,
    configFile: join(CLIENT_DIR, 'vite.config.ts'),
    server: { middlewareMode: true },
    appType: 'custom',
  });
  return vite.middlewares as unknown as RequestHandler;
}
