import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { config } from '../config.js';
import { connect, type BenchDatabase } from '../lib/database.js';
import { getJson, post } from '../lib/http.js';
import { median } from '../lib/stats.js';
import { batchBody, identifyJson, messageIds, pageJson } from './traffic.js';

const PROPS = '{"product_id":"SKU-1","price":49.9,"currency":"EUR"}';
const CONTEXT = '{"library":{"name":"threadline","version":"0.1.0"},"page":{"path":"/products/trail-shoe"}}';

/**
 * Gives the anonymous visitor `aid` `count` more events in one SQL statement
 * (a recursive CTE on SQLite, generate_series on PostgreSQL), recorded under
 * its anonymous ID as ingest records them.
 */
async function addHistory(database: BenchDatabase, aid: string, count: number): Promise<void> {
  const { db, dialect } = database;
  const json = sql.raw(dialect === 'postgres' ? '::jsonb' : '');
  const t0 = Date.now() - 30 * 86_400_000;
  // generate_series on PostgreSQL: Citus plans no recursive CTE feeding an INSERT.
  const n = dialect === 'postgres' ? sql`` : sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${count})`;
  const from = dialect === 'postgres' ? sql`generate_series(1, ${count}) as n(i)` : sql`n`;
  await sql`${n}
    insert into events (workspace_id, message_id, type, event, name, properties, traits, context, anonymous_id, user_id, source_kind, source_value, timestamp, received_at)
    select (select id from workspaces order by created_at limit 1), ${`hist-${aid}-`} || i, 'track', 'Product Viewed', null, ${PROPS}${json}, null, ${CONTEXT}${json},
      ${aid}, null, 'anonymousId', ${aid}, cast(${t0} as bigint) + i, cast(${t0} as bigint) + i from ${from}`.execute(db);
}

export interface MergeTimes {
  small: number[];
  large: number[];
  smallMedian: number;
  largeMedian: number;
}

/**
 * The latency of the identify that merges an anonymous profile with
 * `config.mergeEvents` events (and one with 10) into an identified profile,
 * through the tracking API; repeated, alternating sizes, medians reported.
 * Each merge is checked: the anonymous ID must then resolve to the survivor.
 */
export async function timeMerges(baseUrl: string, location: string): Promise<MergeTimes> {
  const database = connect(location);
  const nextId = messageIds();
  const batch = `${baseUrl}/v1/batch`;
  const send = (message: string) => post(batch, batchBody(config.writeKey, [message]));
  const profileOf = async (query: string) =>
    (await getJson<{ id: string }>(`${baseUrl}/api/profiles/lookup?${query}`, config.secretKey)).id;

  /** An anonymous profile with `history` events and an identified profile it will merge into. */
  async function prepare(history: number) {
    const [aid, other, email] = [randomUUID(), randomUUID(), `merge-${randomUUID()}@bench.example`];
    await send(pageJson(aid, nextId())); // the anonymous profile, as a first visit makes it
    if (history > 1) await addHistory(database, aid, history - 1);
    await send(identifyJson(other, nextId(), email)); // the identified profile, made on another device
    return { aid, email, history, survivor: await profileOf(`email=${encodeURIComponent(email)}`) };
  }

  async function merge({ aid, email, history, survivor }: Awaited<ReturnType<typeof prepare>>): Promise<number> {
    const t0 = performance.now();
    await send(identifyJson(aid, nextId(), email)); // links the anonymous ID to the email: a merge
    const ms = performance.now() - t0;
    if ((await profileOf(`anonymousId=${aid}`)) !== survivor)
      throw new Error(`merge of a ${history}-event profile did not happen: ${aid} does not resolve to ${survivor}`);
    return ms;
  }

  try {
    // Every profile first, so no merge runs right after a bulk insert; then the merges, sizes alternating.
    const warm = [await prepare(10), await prepare(10), await prepare(10)];
    const pairs = [];
    for (let r = 0; r < config.mergeRepeats; r++) pairs.push({ small: await prepare(10), large: await prepare(config.mergeEvents) });
    // The bulk inserts would otherwise wake autovacuum in the middle of the timed merges.
    if (database.dialect === 'postgres') await sql`vacuum analyze events`.execute(database.db);
    for (const w of warm) await merge(w); // JIT, statement caches, pool
    const small: number[] = [];
    const large: number[] = [];
    for (const [r, p] of pairs.entries()) {
      if (r % 2) small.push(await merge(p.small)), large.push(await merge(p.large));
      else large.push(await merge(p.large)), small.push(await merge(p.small));
    }
    return { small, large, smallMedian: median(small), largeMedian: median(large) };
  } finally {
    await database.close();
  }
}
