// What the site's build (vite.config.ts) and the npm package's views
// (vite.views.config.ts) share: `latentlab` resolves to the npm API built in
// ../dist, whose engine fetches engine.wasm beside itself; Vite turns that
// `new URL('engine.wasm', import.meta.url)` into a hashed asset.
import { fileURLToPath } from 'node:url';
import type { UserConfig } from 'vite';

export const fromHere = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

export const shared = {
  root: fromHere('.'),
  // Relative URLs: the files work from any folder of any origin.
  base: './',
  resolve: {
    alias: { latentlab: fromHere('../dist/index.js') },
  },
  // The dev server must not pre-bundle the engine, or the .wasm beside it is lost.
  optimizeDeps: { exclude: ['latentlab'] },
  worker: { format: 'es' },
} satisfies UserConfig;

export const target = 'es2022';
