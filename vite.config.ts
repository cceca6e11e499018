import { defineConfig } from 'vite';

/** Builds the web console (renderer/) into dist/console, which the server serves at `/`. */
export default defineConfig({
  root: 'renderer',
  base: './',
  build: {
    outDir: '../dist/console',
    emptyOutDir: true,
    sourcemap: true,
    // One chunk for the app, one for vendor libraries; recharts is the bulk.
    chunkSizeWarningLimit: 1200,
  },
});
