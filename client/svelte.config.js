import { fileURLToPath } from 'node:url';
import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

// Express imports build/handler.js and mounts it behind its own /api and /socket.io routes.
const node = adapter({ out: here('./build') });

/**
 * adapter-node reads `package.json` from the working directory to decide which packages stay
 * external. This monorepo has one package.json, at the root, so the adapter runs from there;
 * the root's dependencies (zod, socket.io-client) are then loaded from the root node_modules at
 * run time, exactly as the Express server loads them.
 * @type {import('@sveltejs/kit').Adapter}
 */
const rootAdapter = {
  ...node,
  async adapt(builder) {
    const cwd = process.cwd();
    process.chdir(here('..'));
    try {
      await node.adapt(builder);
    } finally {
      process.chdir(cwd);
    }
  },
};

/** @type {import('@sveltejs/kit').Config} */
export default {
  preprocess: vitePreprocess(),
  kit: {
    adapter: rootAdapter,
    alias: { $realtime: '../realtime' },
    // No origin is trusted besides our own: cross-site form posts (votes, ideas) are refused.
    csrf: { trustedOrigins: [] },
    /**
     * A nonce for every script SvelteKit renders (hashes on prerendered pages); no inline script runs
     * otherwise. Styles may be inline: Svelte's `style:` directives and transitions write them, and a
     * style cannot run code. No page may be framed (clickjacking of staff buttons): a route meant to
     * be embedded opts in through `frameable` in hooks.server.ts.
     */
    csp: {
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        'style-src': ['self', 'unsafe-inline'],
        'img-src': ['self', 'data:'],
        'font-src': ['self'],
        // Same-origin Socket.IO (ws: and wss: to this host count as 'self').
        'connect-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none'],
      },
    },
  },
};
