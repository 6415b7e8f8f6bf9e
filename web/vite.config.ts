// Builds the demo page (root web/, output web/dist). `latentlab` resolves to the
// npm API built in ../dist, whose engine fetches engine.wasm beside itself; Vite
// turns that `new URL('engine.wasm', import.meta.url)` into a hashed asset.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { gzipFilesAsIs } from './vite-plugin-gzip-files';

const fromHere = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

export default defineConfig({
  root: fromHere('.'),
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
  },
});
