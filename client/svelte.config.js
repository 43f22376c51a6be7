import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
export default {
  preprocess: vitePreprocess(),
  kit: {
    // Express imports build/handler.js and mounts it behind its own /api and /socket.io routes.
    adapter: adapter({ out: 'build' }),
    alias: { $realtime: '../realtime' },
    // No origin is trusted besides our own: cross-site form posts (votes, ideas) are refused.
    csrf: { trustedOrigins: [] },
  },
};
