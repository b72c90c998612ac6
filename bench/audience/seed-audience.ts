import { sql, type RawBuilder } from 'kysely';
import type { BenchDatabase } from '../lib/database.js';

/**
 * The integers 1..n as a row source `n(i)`: generate_series on PostgreSQL, a
 * recursive CTE on SQLite (which has no table-valued series function built in).
 */
const series = (dialect: BenchDatabase['dialect'], n: number): RawBuilder<unknown> =>
  dialect === 'postgres'
    ? sql`generate_series(1, ${sql.lit(n)}) as n(i)`
    : sql`(with recursive s(i) as (select 1 union all select i + 1 from s where i < ${sql.lit(n)}) select i from s) as n`;

/** A UUID-shaped ID from an integer, so keys are as long as real ones. */
const uuid = (prefix: string, i: RawBuilder<unknown>) => sql`${sql.lit(`${prefix}-0000-4000-8000-`)} || cast(100000000000 + ${i} as text)`;

export interface AudienceShape {
  profiles: number;
  events: number;
}

/**
 * Seeds one workspace with `profiles` profiles and `events` events in a few
 * set-based statements, straight into the tables as ingest and merges leave
 * them: 30 % identified (email, half with a phone, a plan and a lifetime
 * value), 20 % addressable (email or phone only), 49 % anonymous, 1 % merged
 * tombstones whose anonymous ID now belongs to their survivor; 5 % of emails
 * suppressed on email, 1 in 30 phones on SMS; events spread over 90 days,
 * seven e-commerce names, a SKU and a price on each.
 */
export async function seedAudience(database: BenchDatabase, shape: AudienceShape, now: number): Promise<void> {
  const { db, dialect } = database;
  const json = sql.raw(dialect === 'postgres' ? '::jsonb' : '');
  const ws = (await sql<{ id: string }>`select id from workspaces order by created_at limit 1`.execute(db)).rows[0]!.id;
  const i = sql.ref('i');
  const pid = (x: RawBuilder<unknown>) => uuid('00000000', x);
  const status = sql`case when i % 100 = 99 then 'merged' when i % 10 < 3 then 'identified' when i % 10 < 5 then 'addressable' else 'anonymous' end`;
  const traits = sql`case when i % 10 < 3 and i % 100 <> 99
    then '{"plan":"' || (case i % 3 when 0 then 'free' when 1 then 'pro' else 'gold' end) || '","ltv":' || cast(i % 1000 as text) || '}'
    else '{}' end`;

  await sql`insert into profiles (workspace_id, id, status, traits, merged_into, created_at, updated_at)
    select ${ws}, ${pid(i)}, ${status}, (${traits})${json}, case when i % 100 = 99 then ${pid(sql`i - 1`)} end, ${now}, ${now}
    from ${series(dialect, shape.profiles)}`.execute(db);

  // Every profile's first-visit anonymous ID; a merged tombstone's now belongs to its survivor.
  await sql`insert into identities (workspace_id, kind, value, profile_id, replaced_at, created_at)
    select ${ws}, 'anonymousId', ${uuid('10000000', i)}, case when i % 100 = 99 then ${pid(sql`i - 1`)} else ${pid(i)} end, null, ${now}
    from ${series(dialect, shape.profiles)}`.execute(db);
  await sql`insert into identities (workspace_id, kind, value, profile_id, replaced_at, created_at)
    select ${ws}, 'email', 'u' || cast(i as text) || '@bench.example', ${pid(i)}, null, ${now}
    from ${series(dialect, shape.profiles)} where i % 100 <> 99 and i % 10 < 4`.execute(db);
  await sql`insert into identities (workspace_id, kind, value, profile_id, replaced_at, created_at)
    select ${ws}, 'phone', '+1415' || cast(1000000 + i as text), ${pid(i)}, null, ${now}
    from ${series(dialect, shape.profiles)} where i % 100 <> 99 and ((i % 10 < 3 and i % 2 = 0) or i % 10 = 4)`.execute(db);

  await sql`insert into suppressions (workspace_id, channel, address, reason, source, at)
    select ${ws}, 'email', 'u' || cast(i as text) || '@bench.example', 'unsubscribed', 'bench', ${now}
    from ${series(dialect, shape.profiles)} where i % 100 <> 99 and i % 10 < 4 and i % 20 = 0`.execute(db);
  await sql`insert into suppressions (workspace_id, channel, address, reason, source, at)
    select ${ws}, 'sms', '+1415' || cast(1000000 + i as text), 'unsubscribed', 'bench', ${now}
    from ${series(dialect, shape.profiles)} where i % 100 <> 99 and ((i % 10 < 3 and i % 2 = 0) or i % 10 = 4) and i % 30 = 0`.execute(db);

  // Event j belongs to visitor (j·7919 mod profiles) + 1: every visitor gets about the same number, in no order.
  const name = sql`case when i % 20 < 8 then 'Product Viewed' when i % 20 < 11 then 'Product Added' when i % 20 < 13 then 'Cart Viewed'
    when i % 20 = 13 then 'Checkout Started' when i % 20 = 14 then 'Order Completed' when i % 20 < 18 then 'Products Searched' else 'Product List Viewed' end`;
  const properties = sql`'{"sku":"SKU-' || cast(i % 500 as text) || '","price":' || cast(i % 200 as text) || ',"currency":"EUR"}'`;
  const time = sql`cast(${now} as bigint) - cast((cast(i as bigint) * 37) % ${sql.lit(90 * 86_400)} as bigint) * 1000`;
  const visitor = uuid('10000000', sql`((cast(i as bigint) * 7919) % ${sql.lit(shape.profiles)}) + 1`);
  const chunk = 250_000;
  for (let from = 0; from < shape.events; from += chunk) {
    const n = Math.min(chunk, shape.events - from);
    await sql`insert into events (workspace_id, message_id, type, event, name, properties, traits, context, anonymous_id, user_id, source_kind, source_value, timestamp, received_at, seq)
      select ${ws}, 'm-' || cast(i as text), 'track', ${name}, null, (${properties})${json}, null, null, ${visitor}, null, 'anonymousId', ${visitor}, ${time}, ${time}, 0
      from (select i + ${sql.lit(from)} as i from ${series(dialect, n)}) as n`.execute(db);
  }
}
