import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/connection.js';
import { parseDefinition } from '../domain/segments/parse.js';
import { planSegment } from '../domain/segments/plan.js';
import { segmentMembers, segmentSql } from '../repos/segment-sql.js';
import { testDatabases } from '../test-support/databases.js';
import { PASS_BATCH, planForFewProfiles } from './audience-pass.js';

const postgres = (await testDatabases()).find((d) => d.name === 'postgres');
const WS = 'w';
const PROFILES = 20_000;
const EVENTS = 200_000;
const now = Date.UTC(2026, 5, 1);

// PostgreSQL plans from statistics, so the store is seeded to the size of
// the membership benchmark (BENCHMARKS.md §10) and analyzed: at this size
// its default costs scan the identities and profiles for a pass batch's
// 500 profiles (and, in the benchmark's store, every event).
describe.runIf(postgres)('an audience pass batch on PostgreSQL', () => {
  let database: Database;
  beforeAll(async () => {
    database = await postgres!.open();
    const { db } = database;
    await sql`insert into profiles (workspace_id, id, status, traits, merged_into, created_at, updated_at)
      select ${WS}, 'p' || g, 'anonymous', '{}', null, 0, 0 from generate_series(1, ${PROFILES}) g`.execute(db);
    await sql`insert into identities (workspace_id, kind, value, profile_id, replaced_at, created_at)
      select ${WS}, 'anonymousId', 'a' || g, 'p' || g, null, 0 from generate_series(1, ${PROFILES}) g`.execute(db);
    await sql`insert into events (workspace_id, message_id, type, event, name, properties, traits, context, anonymous_id, user_id,
        source_kind, source_value, timestamp, received_at, seq)
      select ${WS}, 'm' || g, 'track', 'Product Viewed', null, jsonb_build_object('price', g % 300), null, '{}', 'a' || (g % ${PROFILES} + 1),
        null, 'anonymousId', 'a' || (g % ${PROFILES} + 1), ${now}::int8 - g * 1000, ${now}::int8, 0
      from generate_series(1, ${EVENTS}) g`.execute(db);
    await sql`analyze profiles, identities, events`.execute(db);
  }, 60_000);
  afterAll(() => database.close());

  /** The plan PostgreSQL picks for a behaviour segment scoped to one batch of marked profiles, after `prepare` in the same transaction. */
  const planOf = (prepare: (trx: Database['db']) => Promise<void>) => {
    const plan = planSegment(
      parseDefinition({ event: 'Product Viewed', where: [{ property: 'price', op: 'gte', value: 150 }], atLeast: 2, within: { days: 30 } }),
      now,
    );
    const ids = Array.from({ length: PASS_BATCH }, (_, i) => `p${1 + i * 37}`);
    const q = segmentMembers(WS, segmentSql('postgres', WS, plan, ids), ids).compile(database.db);
    return database.db.transaction().execute(async (trx) => {
      await prepare(trx);
      const { rows } = await trx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${q.sql}`, [...q.parameters]));
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
  };

  it("finds the batch's profiles, their identities and their events by key, scanning no table", async () => {
    // The default costs, for contrast: what the pass ran before it set its own.
    expect(await planOf(async () => {})).toMatch(/Seq Scan on (events|identities)/);

    const plan = await planOf((trx) => planForFewProfiles(trx, 'postgres'));
    expect(plan).not.toMatch(/Seq Scan on (events|identities|profiles)/);
    expect(plan).toMatch(/Index( Only)? Scan using (events_pk|events_source) on events/);
    expect(plan).toMatch(/Index( Only)? Scan using (identities_profile|identities_pk) on identities/);
  });

  it('sets the cost for its own transaction only', async () => {
    const cost = async (db: Database['db']) =>
      (await sql<{ random_page_cost: string }>`show random_page_cost`.execute(db)).rows[0]!.random_page_cost;
    const before = await cost(database.db);
    const inside = await database.db.transaction().execute(async (trx) => {
      await planForFewProfiles(trx, 'postgres');
      return cost(trx);
    });
    expect(inside).toBe('1.1');
    expect(await cost(database.db)).toBe(before);
  });
});
