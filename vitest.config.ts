import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The adapter suites start servers; two workers match this machine's two cores.
    maxWorkers: 2,
  },
});
