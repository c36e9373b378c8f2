import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // DuckDB and the pseudo-terminal tests each want a core; the machine has two.
    maxWorkers: 2,
  },
});
