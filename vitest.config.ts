import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'scripts/**/*.test.ts'],
    // The PostgreSQL suite and the SQLite route suites share nothing but the
    // CPU; two cores are all CI has.
    maxWorkers: 2,
    testTimeout: 20_000,
  },
});
