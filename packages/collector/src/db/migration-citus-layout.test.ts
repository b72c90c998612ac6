import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest, migrations } from './migrations.js';

// 0014_citus_layout on a SQLite store written before it: SQLite cannot alter
// a primary key, so events and contact_log are rebuilt; rows and indexes stay.
describe('migration 0014_citus_layout on SQLite', () => {
  it('rekeys events by source identity and contact_log by profile, keeping rows and indexes', async () => {
    const db = new Kysely<any>({
      dialect: new SqliteDialect({ database: new SQLite(join(mkdtempSync(join(tmpdir(), 'threadline-mig-')), 'old.db')) }),
    });
    const before = Object.fromEntries(Object.entries(migrations('sqlite')).filter(([name]) => name < '0014'));
    expect((await new Migrator({ db, provider: { getMigrations: async () => before } }).migrateToLatest()).error).toBeUndefined();

    const event = (message_id: string, source_value: string) => ({
      workspace_id: 'w',
      message_id,
      type: 'track',
      event: 'Viewed',
      properties: '{"sku":"a"}',
      source_kind: 'anonymousId',
      source_value,
      timestamp: 1,
      received_at: 2,
      seq: 0,
    });
    await db
      .insertInto('events')
      .values([event('m1', 'v1'), event('m2', 'v2')])
      .execute();
    const entry = (id: string, profile_id: string) => ({ workspace_id: 'w', id, profile_id, type: 'created', at: 1, details: '{}' });
    await db
      .insertInto('contact_log')
      .values([entry('l1', 'p1'), entry('l2', 'p2')])
      .execute();

    await migrateToLatest(db, 'sqlite');

    expect(
      await db.selectFrom('events').select(['message_id', 'source_value', 'properties', 'seq']).orderBy('message_id').execute(),
    ).toEqual([
      { message_id: 'm1', source_value: 'v1', properties: '{"sku":"a"}', seq: 0 },
      { message_id: 'm2', source_value: 'v2', properties: '{"sku":"a"}', seq: 0 },
    ]);
    expect(await db.selectFrom('contact_log').select(['id', 'profile_id']).orderBy('id').execute()).toEqual([
      { id: 'l1', profile_id: 'p1' },
      { id: 'l2', profile_id: 'p2' },
    ]);
    // The key is now (workspace, source, messageId): a repeat under the same source conflicts, another source does not.
    await expect(db.insertInto('events').values(event('m1', 'v1')).execute()).rejects.toThrow(/UNIQUE/);
    await db.insertInto('events').values(event('m1', 'v9')).execute();
    await expect(db.insertInto('contact_log').values(entry('l1', 'p1')).execute()).rejects.toThrow(/UNIQUE/);

    const indexes = await sql<{ name: string; tbl_name: string }>`select name, tbl_name from sqlite_master
      where type = 'index' and tbl_name in ('events', 'contact_log') and sql is not null order by name`.execute(db);
    expect(indexes.rows.map((r) => r.name)).toEqual(['contact_log_entry', 'events_name_time', 'events_source']);
    await db.destroy();
  });
});
