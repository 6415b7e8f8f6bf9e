// Builds the demo page, the tutorial and the embedding script (root web/,
// output web/dist). The embedding script keeps a fixed name,
// latentlab-embed.js, at the root, so that articles of the same site can
// include it with one line (other sites use the npm package's views:
// vite.views.config.ts).
import { defineConfig } from 'vite';
import { gzipFilesAsIs } from './vite-plugin-gzip-files';
import { fromHere, shared, target } from './vite.shared';

// Cross-origin isolation lets the engine use SharedArrayBuffer, hence its
// threaded build; the demo loads nothing from other origins.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  ...shared,
  server: { headers: isolation },
  preview: { headers: isolation },
  plugins: [gzipFilesAsIs()],
  build: {
    outDir: fromHere('dist'),
    emptyOutDir: true,
    target,
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
