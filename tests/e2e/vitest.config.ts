// Vitest config of the browser end-to-end test: one file, run alone, with
// generous timeouts (the page downloads MNIST and trains on a slow machine).
//   bash scripts/build.sh && npx vitest run --config tests/e2e/vitest.config.ts
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['tests/e2e/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
