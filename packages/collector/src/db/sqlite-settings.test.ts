import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './connection.js';

describe('a SQLite store as the collector opens it', () => {
  it('checkpoints its WAL itself only past 50,000 pages, and caches 64 MiB of pages', async () => {
    const database = await openDatabase(join(mkdtempSync(join(tmpdir(), 'threadline-settings-')), 'store.db'));
    try {
      const pragma = async (name: string) => Object.values((await sql.raw(`pragma ${name}`).execute(database.db)).rows[0] as object)[0];
      expect(await pragma('wal_autocheckpoint')).toBe(50_000);
      // Negative: KiB rather than pages.
      expect(await pragma('cache_size')).toBe(-64 * 1024);
    } finally {
      await database.close();
    }
  });

  it('keeps savepoint journals in memory, and a savepoint rolled back past their spill size leaves nothing behind', async () => {
    const database = await openDatabase(join(mkdtempSync(join(tmpdir(), 'threadline-settings-')), 'store.db'));
    const { db } = database;
    try {
      // 2 is MEMORY (0 the build's default, temporary files here).
      expect((await sql<{ temp_store: number }>`pragma temp_store`.execute(db)).rows).toEqual([{ temp_store: 2 }]);
      await db.connection().execute(async (conn) => {
        await sql`begin immediate`.execute(conn);
        await conn.insertInto('audience_passes').values({ workspace_id: 'kept', checked_at: 1 }).execute();
        await sql`savepoint request`.execute(conn);
        // About 2 MB of log rows: far past the 64 KiB a journal keeps before it spills.
        for (let i = 0; i < 2000; i++)
          await conn
            .insertInto('contact_log')
            .values({
              workspace_id: 'w',
              id: `l-${i}`,
              profile_id: `p-${i}`,
              type: 'identifier_added',
              at: i,
              details: JSON.stringify({ pad: 'x'.repeat(900) }),
            })
            .execute();
        await sql`rollback to request`.execute(conn);
        await sql`release request`.execute(conn);
        await sql`commit`.execute(conn);
      });
      expect(
        await db
          .selectFrom('contact_log')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow(),
      ).toEqual({ n: 0 });
      expect(await db.selectFrom('audience_passes').select('workspace_id').execute()).toEqual([{ workspace_id: 'kept' }]);
    } finally {
      await database.close();
    }
  });
});
