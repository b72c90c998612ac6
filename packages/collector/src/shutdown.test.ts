import type { ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { freshPostgresUrl, testDatabases } from './test-support/databases.js';
import { exited, SERVER_KEYS, startServer } from './test-support/server-process.js';

const hasPostgres = (await testDatabases()).some((d) => d.name === 'postgres');

/** POSTs on a keep-alive agent; answers status and parsed body, or throws on a network error. */
function post(agent: Agent, base: string, body: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/v1/batch`, { method: 'POST', agent, headers: { 'Content-Type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe.runIf(hasPostgres)('SIGTERM under keep-alive load on PostgreSQL', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill('SIGKILL');
  });

  it('stops accepting, finishes what is in flight, closes the busy keep-alive connections and exits 0', async () => {
    const pgSchema = await freshPostgresUrl();
    try {
      const server = await startServer(pgSchema.url);
      child = server.child;
      const agent = new Agent({ keepAlive: true, maxSockets: 6 });
      let acked = 0;
      const statuses: number[] = [];
      const worker = async (w: number) => {
        for (let i = 0; ; i++) {
          const batch = Array.from({ length: 5 }, (_, k) => ({
            type: 'track',
            messageId: `w${w}-${i}-${k}`,
            anonymousId: `v${w}`,
            event: 'Load',
          }));
          const body = JSON.stringify({ writeKey: SERVER_KEYS.THREADLINE_WRITE_KEY, batch });
          let res: Awaited<ReturnType<typeof post>>;
          try {
            res = await post(agent, server.base, body);
          } catch {
            return; // refused or closed: the server has stopped
          }
          statuses.push(res.status);
          if (res.status === 200) acked += res.body.accepted;
        }
      };
      const workers = Promise.all(Array.from({ length: 6 }, (_, w) => worker(w)));
      while (acked < 300) await new Promise((r) => setTimeout(r, 20));
      const exit = exited(server.child);
      server.child.kill('SIGTERM');
      expect(await exit).toBe(0);
      await workers;
      agent.destroy();

      expect(statuses.every((s) => s === 200)).toBe(true);
      // Every acknowledged message is stored, and nothing was stored unacknowledged (no answer cut).
      const client = new pg.Client({ connectionString: pgSchema.url });
      await client.connect();
      const { rows } = await client.query('select count(*)::int as n from events');
      await client.end();
      expect(rows[0].n).toBe(acked);
      await expect(post(new Agent(), server.base, '{}')).rejects.toThrow();
    } finally {
      await pgSchema.drop();
    }
  }, 60_000);
});
