import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/connection.js';
import { testDatabases } from '../test-support/databases.js';
import { type TimelinePosition, timelineQuery } from './events.js';

// SQLite plans without statistics, so the plan is the same on an empty store
// as on a large one: what it reads first is what a timeline costs.
describe('the timeline on SQLite', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openDatabase(':memory:');
  });
  afterAll(() => database.close());

  const planOf = async (after?: TimelinePosition) => {
    const q = timelineQuery(database.db, 'w', 'p', 1001, after).compile();
    const { rows } = await database.db.executeQuery<{ detail: string }>(
      CompiledQuery.raw(`explain query plan ${q.sql}`, [...q.parameters]),
    );
    return rows.map((r) => r.detail);
  };

  it("starts from the profile's identities and finds their events by source, never scanning the workspace's events", async () => {
    for (const after of [undefined, { timestamp: 1, receivedAt: 1, seq: 0, messageId: 'm' }]) {
      const plan = await planOf(after);
      expect(plan[0]).toMatch(/^SEARCH i USING INDEX identities_profile \(workspace_id=\? AND profile_id=\?\)/);
      expect(plan[1]).toMatch(/^SEARCH e USING INDEX events_source \(workspace_id=\? AND source_kind=\? AND source_value=\?/);
    }
  });
});

const WS = 'w';
/** Profile `p`'s events, recorded under two identities and three to a timestamp, so a page's order rests on every key. */
async function seedProfile(db: Database['db'], dialect: Database['dialect'], events: number): Promise<void> {
  await sql`insert into identities (workspace_id, kind, value, profile_id, replaced_at, created_at)
    values (${WS}, 'anonymousId', 'a1', 'p', null, 0), (${WS}, 'email', 'x@example.com', 'p', null, 0)`.execute(db);
  const series =
    dialect === 'postgres'
      ? sql`generate_series(1, ${events}) as s(g)`
      : sql`(with recursive s(g) as (select 1 union all select g + 1 from s where g < ${events}) select g from s)`;
  await sql`insert into events (workspace_id, message_id, type, event, name, properties, traits, context, anonymous_id, user_id,
      source_kind, source_value, timestamp, received_at, seq)
    select ${WS}, 'm' || g, 'track', 'Product Viewed', null, null, null, null, 'a1', null,
      case when g % 2 = 0 then 'email' else 'anonymousId' end, case when g % 2 = 0 then 'x@example.com' else 'a1' end,
      (g / 3) * 1000, 5000 - g % 5, g % 2
    from ${series}`.execute(db);
}

type Row = { message_id: string; timestamp: number | string; received_at: number | string; seq: number };
const position = (r: Row): TimelinePosition => ({
  timestamp: Number(r.timestamp),
  receivedAt: Number(r.received_at),
  seq: r.seq,
  messageId: r.message_id,
});

describe.each(await testDatabases())('the timeline on $name', (store) => {
  let database: Database;
  beforeAll(async () => {
    database = await store.open();
    await seedProfile(database.db, database.dialect, 3_000);
    if (database.dialect === 'postgres') await sql`analyze identities, events`.execute(database.db);
  }, 60_000);
  afterAll(() => database.close());

  it("walks every event of a profile's identities once, in time order, a page at a time", async () => {
    const { rows: all } = await sql<Row>`select message_id, timestamp, received_at, seq from events where workspace_id = ${WS}
      order by timestamp, received_at, seq, message_id`.execute(database.db);
    const walked: string[] = [];
    let after: TimelinePosition | undefined;
    for (;;) {
      const page = (await timelineQuery(database.db, WS, 'p', 250, after).execute()) as Row[];
      walked.push(...page.map((r) => r.message_id));
      if (page.length < 250) break;
      after = position(page.at(-1)!);
    }
    expect(walked).toHaveLength(3_000);
    expect(walked).toEqual(all.map((r) => r.message_id));
  });

  // Rows read, never time: what a page costs as the profile grows.
  it.runIf(store.name === 'postgres')("reads about a page of each identity's events, not the profile's whole history", async () => {
    const readOfEvents = async (after?: TimelinePosition) => {
      const q = timelineQuery(database.db, WS, 'p', 51, after).compile();
      const { rows } = await database.db.executeQuery<{ 'QUERY PLAN': unknown }>(
        CompiledQuery.raw(`explain (analyze, format json) ${q.sql}`, [...q.parameters]),
      );
      let read = 0;
      const visit = (node: Record<string, unknown>) => {
        if (node['Relation Name'] === 'events') read += Number(node['Actual Rows']) * Number(node['Actual Loops']);
        for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) visit(child);
      };
      const [{ Plan }] = rows[0]!['QUERY PLAN'] as [{ Plan: Record<string, unknown> }];
      visit(Plan);
      return read;
    };
    // Two identities, 51 a page and the ties of the page's last timestamp: well under the 3,000 events.
    expect(await readOfEvents()).toBeLessThanOrEqual(2 * 60);
    expect(await readOfEvents({ timestamp: 500_000, receivedAt: 0, seq: 0, messageId: '' })).toBeLessThanOrEqual(2 * 60);
  });
});
