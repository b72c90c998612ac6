import { CompiledQuery, sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { ownersWithViews } from '../repos/owners-with-views.js';
import { runWrites } from '../repos/combined-writes.js';
import type { EventRecord } from '../repos/events.js';
import { insertRows, placeholders } from '../repos/insert-rows.js';
import { insertEventsOfKnownSources } from '../repos/known-source-events.js';
import { testDatabases } from '../test-support/databases.js';
import { useStore } from '../test-support/store.js';
import { preparedOn } from '../test-support/prepared-on.js';
import { markPreparable } from './prepared-statements.js';

const databases = await testDatabases();

describe.each(databases)('prepared statements on $name', (store) => {
  const database = useStore(store);
  beforeEach(async () => {
    await database.db
      .insertInto('identities')
      .values([
        { workspace_id: 'ws', kind: 'email', value: 'ana@example.com', profile_id: 'p-ana', replaced_at: null, created_at: 1 },
        { workspace_id: 'ws', kind: 'email', value: 'bo@example.com', profile_id: 'p-bo', replaced_at: null, created_at: 2 },
      ])
      .execute();
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
      expect(prepared[0]!.statement).toContain('with "o" as (select w."kind", w."value", x."profile_id" from unnest(');
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

  // A coordinator routes the fast path apart (repos/known-source-events-routed.ts).
  it.skipIf(store.name === 'citus')(
    "stores known visitors' events with one statement, prepared once a connection on PostgreSQL",
    async () => {
      const { db, dialect } = database;
      await db
        .insertInto('identities')
        .values({ workspace_id: 'ws', kind: 'anonymousId', value: 'v-1', profile_id: 'p-v', replaced_at: null, created_at: 3 })
        .execute();
      const [inserted, prepared] = await db.connection().execute(async (conn) => {
        const answered = [];
        for (const batch of [['m-1', 'm-2'], ['m-3'], ['m-4', 'm-5', 'm-6']])
          answered.push([...(await insertEventsOfKnownSources(conn, dialect, 'ws', batch.map(trackOf)))]);
        return [answered, store.name === 'postgres' ? await preparedOn(conn) : []] as const;
      });
      expect(inserted).toEqual([['m-1', 'm-2'], ['m-3'], ['m-4', 'm-5', 'm-6']]);
      const stored = await db.selectFrom('events').select(['message_id', 'properties']).orderBy('message_id').execute();
      expect(stored.map((e) => [e.message_id, typeof e.properties === 'string' ? JSON.parse(e.properties) : e.properties])).toEqual(
        ['m-1', 'm-2', 'm-3', 'm-4', 'm-5', 'm-6'].map((id) => [id, { sku: id }]),
      );
      if (store.name === 'postgres') {
        // Three batches of different lengths: one text, prepared once.
        expect(prepared).toHaveLength(1);
        expect(prepared[0]!.statement).toMatch(/^with v as \(\s+select r->>0 as "message_id".* from jsonb_array_elements\(\$1::jsonb\)/s);
      }
    },
  );

  it.skipIf(store.name !== 'postgres')('prepares a JSON-document insert once a connection, whatever its row count', async () => {
    const { db } = database;
    const rowsOf = (n: number, from: number) => Array.from({ length: n }, (_, i) => ['ws', `p-${from + i}`, 1]);
    const prepared = await db.connection().execute(async (conn) => {
      for (const [n, from] of [
        [20, 0],
        [45, 100],
      ] as const)
        await insertRows(conn, 'audience_dirty', ['workspace_id', 'profile_id', 'version'], rowsOf(n, from), '', [
          'text',
          'text',
          'bigint',
        ]);
      return preparedOn(conn);
    });
    expect(prepared.map((p) => p.statement)).toEqual([
      'insert into "audience_dirty" ("workspace_id", "profile_id", "version") select r->>0 as "workspace_id", r->>1 as "profile_id", (r->>2)::bigint as "version" from jsonb_array_elements($1::jsonb) as r',
    ]);
    expect(
      await db
        .selectFrom('audience_dirty')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ).toEqual({ n: 65 });
  });

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

const trackOf = (messageId: string, seq: number): EventRecord => ({
  messageId,
  type: 'track',
  event: 'Product Viewed',
  name: null,
  properties: { sku: messageId },
  traits: null,
  context: null,
  anonymousId: 'v-1',
  userId: null,
  source: { kind: 'anonymousId', value: 'v-1' },
  timestamp: 1000 + seq,
  receivedAt: 2000,
  seq,
});
