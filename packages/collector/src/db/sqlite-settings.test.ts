import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { type Database, openDatabase } from './connection.js';

const freshPath = () => join(mkdtempSync(join(tmpdir(), 'threadline-settings-')), 'store.db');
const pragma = async (database: Database, name: string) =>
  Object.values((await sql.raw(`pragma ${name}`).execute(database.db)).rows[0] as object)[0];

describe('a SQLite store as the collector opens it', () => {
  it('makes a new file with 8 KiB pages, checkpoints its WAL itself only past 200 MB of them, and caches 64 MiB of pages', async () => {
    const database = await openDatabase(freshPath());
    try {
      expect(await pragma(database, 'page_size')).toBe(8192);
      expect(await pragma(database, 'wal_autocheckpoint')).toBe(25_000);
      // Negative: KiB rather than pages.
      expect(await pragma(database, 'cache_size')).toBe(-64 * 1024);
    } finally {
      await database.close();
    }
  });

  it("keeps an existing file's 4 KiB pages and what it holds, its backstop still 200 MB of them", async () => {
    const path = freshPath();
    const before = new SQLite(path);
    before.pragma('journal_mode = WAL');
    before.exec("create table kept (note text); insert into kept values ('written before')");
    before.close();
    const database = await openDatabase(path);
    try {
      expect(await pragma(database, 'page_size')).toBe(4096);
      expect(await pragma(database, 'wal_autocheckpoint')).toBe(50_000);
      expect((await sql`select note from kept`.execute(database.db)).rows).toEqual([{ note: 'written before' }]);
    } finally {
      await database.close();
    }
  });

  it('keeps savepoint journals in memory, and a savepoint rolled back past their spill size leaves nothing behind', async () => {
    const database = await openDatabase(freshPath());
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
