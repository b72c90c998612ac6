import pg from 'pg';
import { isPostgres } from '../lib/database.js';

export interface LockWaits {
  /** Mean and peak number of requests waiting for an advisory lock (one of the collector's identity locks) at a sample. */
  mean: number;
  peak: number;
}

/**
 * Samples pg_locks every 50 ms while `work` runs: how many sessions of the
 * bench database wait for an advisory lock, i.e. for one of the collector's
 * identity locks (per identifier and per profile). PostgreSQL only; answers undefined for SQLite.
 */
export async function sampleLockWaits<T>(location: string, work: Promise<T>): Promise<{ result: T; waits?: LockWaits }> {
  if (!isPostgres(location)) return { result: await work };
  const client = new pg.Client({ connectionString: location });
  await client.connect();
  const counts: number[] = [];
  let done = false;
  const sampling = (async () => {
    while (!done) {
      const { rows } = await client.query<{ n: number }>(
        `select count(*)::int as n from pg_locks l join pg_database d on d.oid = l.database where l.locktype = 'advisory' and not l.granted and d.datname = current_database()`,
      );
      counts.push(rows[0]?.n ?? 0);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  try {
    const result = await work;
    return { result, waits: { mean: counts.reduce((a, b) => a + b, 0) / Math.max(1, counts.length), peak: Math.max(0, ...counts) } };
  } finally {
    done = true;
    await sampling;
    await client.end();
  }
}
