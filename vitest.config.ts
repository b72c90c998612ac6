import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'scripts/**/*.test.ts'],
    // Every temporary file of the run under one directory, removed at its end.
    globalSetup: ['scripts/vitest-tmpdir.ts'],
    // The PostgreSQL suite and the SQLite route suites share nothing but the
    // CPU; two cores are all CI has.
    maxWorkers: 2,
    testTimeout: 20_000,
    // A PostgreSQL store is a fresh schema made and migrated (and later
    // dropped) under one server-wide lock (test-support/databases.ts): on a
    // busy machine a hook can queue behind other files' for a while.
    hookTimeout: 60_000,
  },
});
