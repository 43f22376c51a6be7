import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RequestHandler } from 'express';
import { PROJECT_ROOT } from '../platform/project-root.js';

const CLIENT_DIR = join(PROJECT_ROOT, 'client');
const CLIENT_HANDLER = join(CLIENT_DIR, 'build', 'handler.js');
const PROTOCOL_HEADER = 'x-forwarded-proto';

/**
 * The SvelteKit pages as Express middleware: the production build, or Vite's dev server with hot reload.
 * adapter-node assumes https unless told the protocol, which would make SvelteKit refuse every form
 * post on plain http as cross-site; Express (trusting only a loopback proxy) knows the real one.
 */
export async function loadWebHandler(dev = false): Promise<RequestHandler> {
  process.env.PROTOCOL_HEADER ??= PROTOCOL_HEADER;
  const handler = dev ? await devHandler() : await builtHandler();
  return (req, res, next) => {
    req.headers[PROTOCOL_HEADER] = req.protocol;
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
