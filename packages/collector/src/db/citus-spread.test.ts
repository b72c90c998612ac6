import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { CompiledQuery } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../test-support/app.js';
import { testDatabases } from '../test-support/databases.js';

// Runs in the Citus suite (npm run test:citus) only: elsewhere there is no Citus store.
const citus = (await testDatabases()).find((d) => d.name === 'citus');

type Executed = { text: string; values: unknown[] };

/** Every statement the pool's clients send while `work` runs. */
async function statementsOf(work: () => Promise<unknown>): Promise<Executed[]> {
  const seen: Executed[] = [];
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    if (typeof args[0] === 'string') seen.push({ text: args[0], values: (args[1] as unknown[]) ?? [] });
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  try {
    await work();
  } finally {
    pg.Client.prototype.query = original;
  }
  return seen;
}

describe.skipIf(!citus)('one workspace spread across the Citus workers', () => {
  const t = useTestApp(citus!);
  const run = async <R>(text: string, values: unknown[] = []) => t.database.db.executeQuery<R>(CompiledQuery.raw(text, values));
  const workers = async () =>
    (await run<{ node_port: number }>('select node_port from citus_get_active_worker_nodes()')).rows.map((r) => Number(r.node_port));
  /** Rows of a distributed table per worker port, counted shard by shard where they are stored. */
  const rowsPerWorker = async (table: string) => {
    const { rows } = await run<{ nodeport: number; n: number }>(
      `select s.nodeport, sum(r.result::int)::int as n
         from run_command_on_shards($1, 'select count(*) from %s') r
         join citus_shards s on s.shardid = r.shardid
        group by s.nodeport`,
      [table],
    );
    return new Map(rows.map((r) => [Number(r.nodeport), Number(r.n)]));
  };
  it("stores one workspace's identities, events and profiles on both workers, and counts a segment on both", async () => {
    // 120 people, each an anonymous visitor who views a product, then leaves an email.
    const batch = Array.from({ length: 120 }, (_, n) => [
      { type: 'track', messageId: randomUUID(), anonymousId: `v-${n}`, event: 'Product Viewed', properties: { sku: `s${n % 7}` } },
      { type: 'identify', messageId: randomUUID(), anonymousId: `v-${n}`, traits: { email: `p${n}@example.com` } },
    ]).flat();
    const res = await t.send('/v1/batch', { batch });
    expect(res.status).toBe(200);
    expect((await res.json()).accepted).toBe(240);

    const ports = await workers();
    expect(ports).toHaveLength(2);
    for (const table of ['identities', 'events', 'profiles']) {
      const placed = await rowsPerWorker(table);
      for (const port of ports) expect(placed.get(port) ?? 0, `${table} rows on worker ${port}`).toBeGreaterThan(0);
    }
    expect([...(await rowsPerWorker('events')).values()].reduce((a, b) => a + b, 0)).toBe(240);

    // The segment count the console's preview runs, explained where it ran.
    let size = 0;
    const sent = await statementsOf(async () => {
      const preview = await t.admin('/api/segments/preview', { method: 'POST', body: { definition: { event: 'Product Viewed' } } });
      expect(preview.status).toBe(200);
      size = preview.body.size;
    });
    expect(size).toBe(120);
    const count = sent.find((s) => /count\(distinct m\.id\)/.test(s.text));
    expect(count, 'the preview ran an audience count').toBeDefined();
    // Every task listed (Citus shows one by default), on one connection for the setting to hold.
    const plan = await t.database.db.connection().execute(async (conn) => {
      await conn.executeQuery(CompiledQuery.raw('set citus.explain_all_tasks = on'));
      const { rows } = await conn.executeQuery<{ 'QUERY PLAN': string }>(
        CompiledQuery.raw(`explain (analyze, verbose) ${count!.text}`, count!.values),
      );
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toMatch(/Task Count: [1-9]/);
    for (const port of ports) expect(plan, `a task on worker ${port}`).toContain(`port=${port}`);
  });
});
