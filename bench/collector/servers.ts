import { config } from '../config.js';
import { startServer, type ServerProcess } from '../lib/server-process.js';

/** Extra node flags and environment, for the instrumented diagnosis runs. */
export interface Extra {
  nodeArgs?: string[];
  env?: Record<string, string>;
}

/** The real collector entry (packages/collector/src/server.ts) on `db`, with the bench keys. */
export const startCollector = (db: string, extra: Extra = {}): Promise<ServerProcess> =>
  startServer(
    'packages/collector/src/server.ts',
    { THREADLINE_DB: db, THREADLINE_WRITE_KEY: config.writeKey, THREADLINE_SECRET_KEY: config.secretKey, ...extra.env },
    extra.nodeArgs,
  );

/** The bare-route baseline (bench/baseline-server.ts) on `db`. */
export const startBaseline = (db: string, extra: Extra = {}): Promise<ServerProcess> =>
  startServer('bench/baseline-server.ts', { THREADLINE_DB: db, ...extra.env }, extra.nodeArgs);

/** The truly bare ceiling (bench/bare-server.ts) on `db`: raw JSON a message, one prepared statement. */
export const startBare = (db: string, extra: Extra = {}): Promise<ServerProcess> =>
  startServer('bench/bare-server.ts', { THREADLINE_DB: db, ...extra.env }, extra.nodeArgs);

/** Runs `work` with the servers started, and stops them whatever happens. */
export async function withServers<T>(
  starts: Array<() => Promise<ServerProcess>>,
  work: (servers: ServerProcess[]) => Promise<T>,
): Promise<T> {
  const servers: ServerProcess[] = [];
  try {
    for (const start of starts) servers.push(await start());
    return await work(servers);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}
