import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { startCollector, type CollectorProcess } from './test-support/collector-process.js';
import { PG_TEST_URL, testDatabases, withSchemaLock } from './test-support/databases.js';
import { startReceiver, type Receiver } from './test-support/webhook-receiver.js';

const hasPostgres = (await testDatabases()).some((d) => d.name === 'postgres');
/** Short worker settings so a crashed claim runs out within seconds. */
const FAST_WORKER = { THREADLINE_WEBHOOK_POLL_MS: '100', THREADLINE_WEBHOOK_TIMEOUT_MS: '3000', THREADLINE_WEBHOOK_LEASE_MS: '4000' };

/** Polls `check` until it holds (the test's own timeout bounds the wait). */
async function until(check: () => Promise<boolean> | boolean): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 100));
}

describe('webhook delivery across collector processes', () => {
  const processes: CollectorProcess[] = [];
  let receiver: Receiver | undefined;
  afterEach(async () => {
    for (const p of processes.splice(0)) p.child.kill('SIGKILL');
    await receiver?.close();
  });

  it('delivers again, with the same webhook-id, after a kill -9 in the middle of a delivery', async () => {
    receiver = await startReceiver();
    receiver.answer('hang');
    const db = join(mkdtempSync(join(tmpdir(), 'threadline-webhooks-')), 'collector.db');
    const first = await startCollector({ THREADLINE_DB: db, ...FAST_WORKER });
    processes.push(first);
    const endpoint = (await first.admin('/api/webhooks', { method: 'POST', body: { url: receiver.url, events: ['profile.created'] } }))
      .body;
    receiver.secret = endpoint.secret;
    await first.identify('a1', 'ana@example.com');

    await receiver.waitFor(1);
    first.child.kill('SIGKILL');
    await first.stop();
    receiver.answer(200);

    const second = await startCollector({ THREADLINE_DB: db, ...FAST_WORKER });
    processes.push(second);
    await receiver.waitFor(2);
    const [before, after] = receiver.received;
    expect(after!.id).toBe(before!.id);
    expect(after!.body).toBe(before!.body);
    expect(after!.payload).toMatchObject({ type: 'profile.created' });
    await until(async () => (await second.admin(`/api/webhooks/${endpoint.id}/deliveries`)).body.deliveries[0].status === 'delivered');
    // The killed process never recorded its attempt: the one that counts is the second process's.
    expect((await second.admin(`/api/webhooks/${endpoint.id}/deliveries`)).body.deliveries).toMatchObject([
      { id: before!.id, status: 'delivered', attempts: 1 },
    ]);
  }, 120_000);

  it.skipIf(!hasPostgres)(
    'three processes on one PostgreSQL deliver each event exactly once between them',
    async () => {
      const schema = `t_${randomBytes(6).toString('hex')}`;
      const url = new URL(PG_TEST_URL);
      url.searchParams.set('options', `-c search_path=${schema}`);
      // A lease far longer than any attempt here: a copy sent twice would be a claiming bug, not a lease that ran out on a busy machine.
      const env = { THREADLINE_DB: url.toString(), ...FAST_WORKER, THREADLINE_WEBHOOK_LEASE_MS: '60000' };
      // Migrating holds the suites' schema lock (see test-support/databases.ts); one at a time, so the first creates the workspace.
      await withSchemaLock(async (client) => {
        await client.query(`create schema ${schema}`);
        for (let i = 0; i < 3; i++) processes.push(await startCollector(env));
      });
      const admin = new pg.Client({ connectionString: url.toString() });
      await admin.connect();
      try {
        receiver = await startReceiver();
        const endpoint = (await processes[0]!.admin('/api/webhooks', { method: 'POST', body: { url: receiver.url, events: ['*'] } })).body;
        receiver.secret = endpoint.secret;

        const visitors = 90;
        await Promise.all(Array.from({ length: visitors }, (_, i) => processes[i % 3]!.identify(`v${i}`, `p${i}@example.com`)));
        const deliveries = async () => (await processes[1]!.admin(`/api/webhooks/${endpoint.id}/deliveries?limit=1000`)).body.deliveries;
        await until(async () => (await deliveries()).every((d: { status: string }) => d.status === 'delivered'));
        // Stopped cleanly, so a copy still in flight would have been recorded before the counts below are read.
        for (const p of processes) expect(await p.stop()).toBe(0);

        const rows = await admin.query('select count(*)::int as n from webhook_deliveries');
        const attempts = await admin.query('select count(*)::int as n from webhook_attempts');
        expect(rows.rows[0].n).toBe(visitors);
        expect(attempts.rows[0].n).toBe(visitors);
        const counts = new Map<string, number>();
        for (const r of receiver.received) counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
        expect(counts.size).toBe(visitors);
        expect([...counts].filter(([, n]) => n > 1)).toEqual([]);
        expect(receiver.received.filter((r) => r.payload?.type !== 'profile.created').map((r) => r.error)).toEqual([]);
      } finally {
        await admin.end();
        await withSchemaLock((client) => client.query(`drop schema ${schema} cascade`));
      }
    },
    180_000,
  );
});
