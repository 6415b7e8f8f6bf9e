// Builds the demo page, the tutorial and the embedding script (root web/,
// output web/dist). `latentlab` resolves to the npm API built in ../dist,
// whose engine fetches engine.wasm beside itself; Vite turns that
// `new URL('engine.wasm', import.meta.url)` into a hashed asset. The
// embedding script keeps a fixed name, latentlab-embed.js, at the root, so
// that articles can include it with one line.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { gzipFilesAsIs } from './vite-plugin-gzip-files';

const fromHere = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

// Cross-origin isolation lets the engine use SharedArrayBuffer, hence its
// threaded build; the demo loads nothing from other origins.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: fromHere('.'),
  server: { headers: isolation },
  preview: { headers: isolation },
  base: './',
  resolve: {
    alias: { latentlab: fromHere('../dist/index.js') },
  },
  // The dev server must not pre-bundle the engine, or the .wasm beside it is lost.
  optimizeDeps: { exclude: ['latentlab'] },
  worker: { format: 'es' },
  plugins: [gzipFilesAsIs()],
  build: {
    outDir: fromHere('dist'),
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      input: {
        main: fromHere('index.html'),
        tutorial: fromHere('tutorial.html'),
        embed: fromHere('src/embed.ts'),
      },
      // Keep the embedding script's exports (lab, presets) for pages that script it.
      preserveEntrySignatures: 'exports-only',
      output: {
        entryFileNames: (chunk) =>
          chunk.name === 'embed' ? 'latentlab-embed.js' : 'assets/[name]-[hash].js',
        // The views, the client and Lit: one chunk that the page, the tutorial and the embedding script share.
        manualChunks: (id) =>
          /[\\/](views|client|lab)[\\/]|[\\/]node_modules[\\/](lit|@lit)/.test(id)
            ? 'latentlab-views'
            : undefined,
      },
    },
  },
});
