import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testDatabases } from '../test-support/databases.js';
import { PG_TEST_URL } from '../test-support/databases.js';
import { openDatabase } from './connection.js';

const hasPostgres = (await testDatabases()).some((d) => d.name === 'postgres');

describe.runIf(hasPostgres)('openDatabase on PostgreSQL', () => {
  it('holds at most `pool` connections, however many queries wait (THREADLINE_DB_POOL)', async () => {
    // The migrated store is not needed: a pool's size shows in the backends it uses.
    const database = await openDatabase(PG_TEST_URL, { migrate: false, pool: 2 });
    try {
      const pids = await Promise.all(
        Array.from({ length: 6 }, async () => {
          const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid, pg_sleep(0.05)`.execute(database.db);
          return rows[0]!.pid;
        }),
      );
      expect(new Set(pids).size).toBe(2);
    } finally {
      await database.close();
    }
  });
});
