import pg from 'pg';
import { isPostgres } from './database.js';
import { processCpuMs } from './process-cpu.js';

/** CPU time (ms) used so far by each PostgreSQL backend connected to the database at `location`, by pid. */
async function backendCpu(location: string): Promise<Map<number, number>> {
  const client = new pg.Client({ connectionString: location });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    );
    return new Map(
      rows.flatMap(({ pid }) => {
        const ms = processCpuMs(pid);
        return ms === undefined ? [] : [[pid, ms] as [number, number]];
      }),
    );
  } finally {
    await client.end();
  }
}

/**
 * The database server's CPU (ms) spent on `location` while `work` runs:
 * the /proc CPU time of its PostgreSQL backends (those alive before and
 * after). SQLite runs inside the server process, so there it is undefined.
 */
export async function databaseCpuDuring<T>(location: string, work: () => Promise<T>): Promise<{ result: T; dbCpuMs?: number }> {
  if (!isPostgres(location)) return { result: await work() };
  const before = await backendCpu(location);
  const result = await work();
  const after = await backendCpu(location);
  let ms = 0;
  for (const [pid, t] of after) ms += t - (before.get(pid) ?? t);
  return { result, dbCpuMs: ms };
}
