import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { isPostgres } from './database.js';
import { processCpuMs } from './process-cpu.js';

/** How often the backends are sampled during the work: a backend that exits loses at most this much of its last work. */
const SAMPLE_MS = 250;

/** CPU time (ms) used so far by each PostgreSQL backend connected to the client's database (the client's own left out), by pid. */
async function backendCpu(client: pg.Client): Promise<Map<number, number>> {
  const { rows } = await client.query<{ pid: number }>(
    'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
  );
  return new Map(
    rows.flatMap(({ pid }) => {
      const ms = processCpuMs(pid);
      return ms === undefined ? [] : [[pid, ms] as [number, number]];
    }),
  );
}

/**
 * The database server's CPU (ms) spent on `location` while `work` runs:
 * the /proc CPU time of its PostgreSQL backends, sampled every SAMPLE_MS.
 * A backend already there counts from its time at the start; one that
 * connects during the work (a pool opening a connection for it, or
 * replacing one it closed when idle) counts whole, from 0. Counting only
 * the backends alive both before and after read 0.3 s for imports whose
 * connection was opened after the start. SQLite runs inside the server
 * process, so there it is undefined.
 */
export async function databaseCpuDuring<T>(location: string, work: () => Promise<T>): Promise<{ result: T; dbCpuMs?: number }> {
  if (!isPostgres(location)) return { result: await work() };
  const client = new pg.Client({ connectionString: location });
  await client.connect();
  try {
    const first = await backendCpu(client);
    const last = new Map(first);
    const take = (seen: Map<number, number>) => {
      for (const [pid, ms] of seen) last.set(pid, ms);
    };
    let working = true;
    const sampling = (async () => {
      while (working) {
        await sleep(SAMPLE_MS);
        if (working) take(await backendCpu(client));
      }
    })();
    let result: T;
    try {
      result = await work();
    } finally {
      working = false;
      await sampling;
    }
    take(await backendCpu(client));
    let ms = 0;
    for (const [pid, t] of last) ms += t - (first.get(pid) ?? 0);
    return { result, dbCpuMs: ms };
  } finally {
    await client.end();
  }
}
