import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { healthPid, startCollector, type CollectorProcess } from './test-support/collector-process.js';
import { freshPostgresUrl, testDatabases, withSchemaLock } from './test-support/databases.js';

const hasPostgres = (await testDatabases()).some((d) => d.name === 'postgres');

/** Polls `check` until it holds (the test's own timeout bounds the wait). */
async function until(check: () => Promise<boolean> | boolean): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 50));
}

/** Whether a process with this pid still runs (signal 0 only checks). */
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe.skipIf(!hasPostgres)('several collector processes on one PostgreSQL', () => {
  const processes: CollectorProcess[] = [];
  const drops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const p of processes.splice(0)) p.child.kill('SIGKILL');
    for (const drop of drops.splice(0)) await drop();
  });

  /** Three separate collectors on one fresh schema; migrating holds the suites' schema lock (test-support/databases.ts). */
  async function threeCollectors(env: Record<string, string> = {}): Promise<{ url: string; collectors: CollectorProcess[] }> {
    const store = await freshPostgresUrl();
    drops.push(store.drop);
    await withSchemaLock(async () => {
      for (let i = 0; i < 3; i++) processes.push(await startCollector({ THREADLINE_DB: store.url, ...env }));
    });
    return { url: store.url, collectors: [...processes] };
  }

  it('100 concurrent identifies of one person spread over three processes end in one profile', async () => {
    const { url, collectors } = await threeCollectors();
    await Promise.all(Array.from({ length: 100 }, (_, i) => collectors[i % 3]!.identify(`anon-${i}`, 'ana@example.com')));
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const live = await client.query(`select id from profiles where status not in ('merged', 'deleted')`);
      expect(live.rows).toHaveLength(1);
      const ids = await client.query(`select kind, profile_id from identities where replaced_at is null`);
      expect(ids.rows.filter((r) => r.kind === 'email')).toHaveLength(1);
      expect(ids.rows.filter((r) => r.kind === 'anonymousId')).toHaveLength(100);
      // Every identity of the person, from whichever process stored it, hangs on the one live profile.
      expect(new Set(ids.rows.map((r) => r.profile_id))).toEqual(new Set([live.rows[0].id]));
    } finally {
      await client.end();
    }
    for (const c of collectors) expect(await c.stop()).toBe(0);
  }, 120_000);

  it('a settings change through one process is seen by the others through NOTIFY, long before the cache would expire', async () => {
    // An hour-long cache: the change can only reach the others by the notice, never by the TTL.
    const { collectors } = await threeCollectors({ THREADLINE_CACHE_TTL_MS: '3600000' });
    const [first, ...others] = collectors;
    // Each process caches the workspace as it is now.
    for (const c of collectors) expect((await c.admin('/api/settings')).body.hardBounceThreshold).not.toBe(7);
    expect((await first!.admin('/api/settings', { method: 'PATCH', body: { hardBounceThreshold: 7 } })).status).toBe(200);
    for (const c of others) await until(async () => (await c.admin('/api/settings')).body.hardBounceThreshold === 7);
  }, 120_000);

  it('a webhook endpoint made through one process is announced by another (its subscriber cache is dropped by NOTIFY)', async () => {
    // An hour-long cache and no delivery attempts: a queued delivery stays pending, and only the notice can reach the second process.
    const { url, collectors } = await threeCollectors({ THREADLINE_WEBHOOK_POLL_MS: '3600000', THREADLINE_CACHE_TTL_MS: '3600000' });
    const [first, second] = collectors;
    // The second process reads (and caches) "no subscribers" while storing this person.
    await second!.identify('before', 'before@example.com');
    await first!.admin('/api/webhooks', { method: 'POST', body: { url: 'http://127.0.0.1:9/hook', events: ['profile.created'] } });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      // The notice may trail the POST by a moment: identify again until the second process queues a delivery.
      let n = 0;
      await until(async () => {
        await second!.identify(`after-${n}`, `after-${n++}@example.com`);
        return (await client.query('select count(*)::int as n from webhook_deliveries')).rows[0].n > 0;
      });
    } finally {
      await client.end();
    }
  }, 120_000);

  it('THREADLINE_PROCESSES=3 serves from three worker pids, restarts one that dies, and SIGTERM drains all and exits 0', async () => {
    const store = await freshPostgresUrl();
    drops.push(store.drop);
    const primary = await withSchemaLock(() => startCollector({ THREADLINE_DB: store.url, THREADLINE_PROCESSES: '3' }));
    processes.push(primary);
    const pids = new Set<number>();
    await until(async () => pids.add(await healthPid(primary.base)).size === 3);
    expect(pids.has(primary.child.pid!)).toBe(false);

    const [victim] = pids;
    process.kill(victim!, 'SIGKILL');
    const after = new Set<number>();
    await until(async () => {
      const pid = await healthPid(primary.base).catch(() => undefined);
      if (pid !== undefined && pid !== victim) after.add(pid);
      return [...after].some((p) => !pids.has(p));
    });

    expect(await primary.stop()).toBe(0);
    for (const pid of [...pids, ...after]) expect(alive(pid)).toBe(false);
  }, 120_000);
});
