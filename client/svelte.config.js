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
  },
};
