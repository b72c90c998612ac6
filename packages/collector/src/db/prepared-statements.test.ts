import { CompiledQuery, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../repos/db.js';
import { ownersWithViews } from '../repos/owners-with-views.js';
import { runWrites } from '../repos/combined-writes.js';
import { placeholders } from '../repos/insert-rows.js';
import { testDatabases } from '../test-support/databases.js';
import type { Database } from './connection.js';
import { markPreparable } from './prepared-statements.js';

const databases = await testDatabases();

describe.each(databases)('prepared statements on $name', (store) => {
  let database: Database;
  beforeEach(async () => {
    database = await store.open();
    await database.db
      .insertInto('identities')
      .values([
        { workspace_id: 'ws', kind: 'email', value: 'ana@example.com', profile_id: 'p-ana', replaced_at: null, created_at: 1 },
        { workspace_id: 'ws', kind: 'email', value: 'bo@example.com', profile_id: 'p-bo', replaced_at: null, created_at: 2 },
      ])
      .execute();
  });
  afterEach(async () => {
    await database.close();
  });

  // The owners read is not a Citus coordinator's (repos/owners-with-views.ts).
  it.skipIf(store.name === 'citus')('answers an owners read the same every time, parsed once a connection on PostgreSQL', async () => {
    const { db } = database;
    const prepared = await db.connection().execute(async (conn) => {
      for (const value of ['ana@example.com', 'bo@example.com', 'ana@example.com']) {
        const read = await ownersWithViews(conn, 'ws', [{ kind: 'email', value }], false, []);
        expect(read.owners).toEqual(new Map([[`email:${value}`, value === 'ana@example.com' ? 'p-ana' : 'p-bo']]));
      }
      // A text not marked preparable goes as it came.
      await sql`select count(*) from identities where workspace_id = ${'ws'}`.execute(conn);
      return store.name === 'postgres' ? preparedOn(conn) : [];
    });
    if (store.name === 'postgres') {
      // Three reads of one shape: one statement, prepared once.
      expect(prepared).toHaveLength(1);
      expect(prepared[0]!.name).toMatch(/^tl_[0-9a-f]{24}$/);
      expect(prepared[0]!.statement).toContain('with "o" as (select "kind", "value", "profile_id" from "identities"');
    }
  });

  // A coordinator runs each write apart (repos/combined-writes.ts).
  it.skipIf(store.name === 'citus')(
    'runs an identify-shaped combined write as one statement, prepared once a connection on PostgreSQL',
    async () => {
      const { db } = database;
      const $ = placeholders(db);
      const mark = (profile: string) =>
        CompiledQuery.raw(
          `insert into audience_dirty (workspace_id, profile_id, version) values (${$(1)}, ${$(2)}, ${$(3)}) on conflict (workspace_id, profile_id) do update set version = audience_dirty.version + 1`,
          ['ws', profile, 1],
        );
      const touch = (value: string, at: number): CompiledQuery<{ profile_id: string }> =>
        CompiledQuery.raw(
          `update identities set created_at = ${$(1)} where workspace_id = ${$(2)} and kind = ${$(3)} and value = ${$(4)} returning profile_id`,
          [at, 'ws', 'email', value],
        );
      const [answers, prepared] = await db.connection().execute(async (conn) => {
        const answered = [];
        for (const [value, profile, at] of [
          ['ana@example.com', 'p-ana', 10],
          ['bo@example.com', 'p-bo', 20],
          ['ana@example.com', 'p-ana', 30],
        ] as const)
          answered.push((await runWrites(conn, [mark(profile)], touch(value, at))).map((r) => r.profile_id));
        return [answered, store.name === 'postgres' ? await preparedOn(conn) : []] as const;
      });
      expect(answers).toEqual([['p-ana'], ['p-bo'], ['p-ana']]);
      // Every write landed, whether folded or run apart.
      const marks = await db.selectFrom('audience_dirty').select(['profile_id', 'version']).orderBy('profile_id').execute();
      expect(marks).toEqual([
        { profile_id: 'p-ana', version: 2 },
        { profile_id: 'p-bo', version: 1 },
      ]);
      const ana = await db.selectFrom('identities').select('created_at').where('value', '=', 'ana@example.com').executeTakeFirstOrThrow();
      expect(ana.created_at).toBe(30);
      if (store.name === 'postgres') {
        // Three writes of one shape: one statement, folded and prepared once.
        expect(prepared.map((p) => p.statement.slice(0, 35))).toEqual(['with w1 as (insert into audience_di']);
      }
    },
  );

  it.skipIf(store.name === 'sqlite')('prepares a marked text on a single-node PostgreSQL, never on a Citus coordinator', async () => {
    const text = 'select count(*)::int as n from identities where workspace_id = $1';
    markPreparable(text);
    const { db } = database;
    const [counts, prepared] = await db.connection().execute(async (conn) => {
      const runs = [];
      for (const ws of ['ws', 'other']) runs.push((await conn.executeQuery<{ n: number }>(CompiledQuery.raw(text, [ws]))).rows[0]!.n);
      return [runs, await preparedOn(conn)] as const;
    });
    expect(counts).toEqual([2, 0]);
    expect(prepared.map((p) => p.statement)).toEqual(store.name === 'postgres' ? [text] : []);
  });
});

const preparedOn = async (conn: Db) =>
  (await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(conn)).rows;
