import { defineConfig } from 'vitest/config';

/**
 * The Citus suite (npm run test:citus): the part of the collector's
 * PostgreSQL suite that covers ingest, identity rules, merges, unmerge,
 * segments and imports, run on a Citus coordinator whose migrations
 * distribute the tables (test-support/databases.ts, THREADLINE_TEST_CITUS_URL).
 */
export const CITUS_SUITE = [
  'packages/collector/src/db/citus-spread.test.ts',
  // Named prepared statements stay off on a coordinator.
  'packages/collector/src/db/prepared-statements.test.ts',
  'packages/collector/src/repos/known-source-events.test.ts',
  // Long inserts and owner reads keep their values and in-lists there (no unnest).
  'packages/collector/src/repos/insert-rows-statements.test.ts',
  'packages/collector/src/routes/ingest.test.ts',
  'packages/collector/src/routes/ingest-batch-identity.test.ts',
  'packages/collector/src/routes/ingest-identifiers.test.ts',
  'packages/collector/src/services/ingest.test.ts',
  'packages/collector/src/services/identity-rules.test.ts',
  'packages/collector/src/services/identity-scenarios.test.ts',
  'packages/collector/src/services/identity-locks.test.ts',
  'packages/collector/src/services/import-identity.test.ts',
  'packages/collector/src/routes/api/imports-csv.test.ts',
  'packages/collector/src/routes/api/imports-bulk.test.ts',
  'packages/collector/src/routes/api/profiles.test.ts',
  'packages/collector/src/routes/api/segments.test.ts',
  'packages/collector/src/routes/api/segments-saved.test.ts',
  // The webhook worker's claim (FOR UPDATE SKIP LOCKED) on reference tables.
  'packages/collector/src/services/webhook-delivery.test.ts',
];

export default defineConfig({
  test: {
    include: CITUS_SUITE,
    env: { THREADLINE_TEST_STORES: 'citus' },
    globalSetup: ['scripts/vitest-tmpdir.ts'],
    // Three PostgreSQL servers share the machine's cores already.
    maxWorkers: 1,
    // A 2,500-message batch of new visitors is 2,500 identity transactions,
    // each a two-phase commit across the workers on one machine.
    testTimeout: 300_000,
    hookTimeout: 60_000,
  },
});
