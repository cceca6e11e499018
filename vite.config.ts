import { defineConfig, type HtmlTagDescriptor, type Plugin } from 'vite';

/**
 * The console's entry (main.tsx) is small: it opens the connection, then imports the React console
 * (renderConsole.tsx), whose chart code (ChartView and recharts, the bulk of the script) is a chunk
 * of its own again (components/LazyChartView.tsx). Those imports are dynamic, so this puts a
 * `<link rel="modulepreload">` for each of those chunks and the chunks they import into index.html:
 * everything downloads and compiles at once, in parallel, instead of one after the other.
 */
const PRELOADED = [/[\\/]renderer[\\/]renderConsole\.tsx$/, /[\\/]components[\\/]ChartView\.tsx$/];

function preloadDynamicChunks(): Plugin {
  const name = 'opsdeck:preload-dynamic-chunks';
  return {
    name,
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const chunks = Object.values(ctx.bundle ?? {}).flatMap((out) =>
          out.type === 'chunk' ? [out] : [],
        );
        const entry = chunks.find((c) => c.isEntry);
        const present = new Set(entry ? [entry.fileName, ...entry.imports] : []);
        const files: string[] = [];
        for (const pattern of PRELOADED) {
          const chunk = chunks.find(
            (c) => c.isDynamicEntry && pattern.test(c.facadeModuleId ?? ''),
          );
          if (!chunk) throw new Error(`${name}: no dynamic chunk for ${String(pattern)}`);
          for (const file of [chunk.fileName, ...chunk.imports]) {
            if (!present.has(file)) files.push(file);
            present.add(file);
          }
        }
        return files.map((file): HtmlTagDescriptor => ({
          tag: 'link',
          attrs: { rel: 'modulepreload', crossorigin: true, href: `./${file}` },
          injectTo: 'head',
        }));
      },
    },
  };
}

/** Builds the web console (renderer/) into dist/console, which the server serves at `/`. */
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [preloadDynamicChunks()],
  build: {
    outDir: '../dist/console',
    emptyOutDir: true,
    sourcemap: true,
    // One stylesheet, linked from index.html: a chunk's own CSS would be fetched only once the
    // chunk is imported, and hold its rendering back until then.
    cssCodeSplit: false,
    // The largest chunks: React with the console, and the chart code (recharts).
    chunkSizeWarningLimit: 600,
  },
});
