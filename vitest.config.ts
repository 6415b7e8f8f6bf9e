import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Unit and API tests in Node against the built package in dist/.
export default defineConfig({
  resolve: {
    // Exact matches: a plain 'latentlab' alias would also rewrite 'latentlab/node'.
    alias: [
      { find: /^latentlab$/, replacement: fileURLToPath(new URL('./dist/index.js', import.meta.url)) },
      { find: /^latentlab\/node$/, replacement: fileURLToPath(new URL('./dist/node.js', import.meta.url)) },
    ],
  },
  test: {
    include: ['tests/js/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Training tests are CPU-bound: running files in parallel on a 2-core
    // machine only makes each slower.
    fileParallelism: false,
  },
});
