import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [sveltekit()],
  ssr: {
    // SvelteKit needs cookie@0.6 (nested under it); the root's cookie@1 is the Express server's.
    // Left external, the built handler would load whichever `cookie` the root node_modules holds.
    noExternal: ['cookie'],
  },
});
