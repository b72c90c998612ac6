import { config } from '../config.js';
import { compiled, compiledCollector } from '../lib/compiled.js';
import { startServer, type ServerProcess } from '../lib/server-process.js';

/** Extra node flags and environment, for the instrumented diagnosis runs. */
export interface Extra {
  nodeArgs?: string[];
  env?: Record<string, string>;
  /**
   * Runs the TypeScript entry through tsx instead of the compiled bundle: for
   * the diagnosis, whose CPU profiles book time to source files.
   */
  fromSource?: boolean;
}

/** The real collector on `db`, with the bench keys: what `npm start` runs (packages/collector/dist/server.js), unless `fromSource`. */
export const startCollector = async (db: string, extra: Extra = {}): Promise<ServerProcess> =>
  startServer(
    extra.fromSource ? 'packages/collector/src/server.ts' : await compiledCollector(),
    { THREADLINE_DB: db, THREADLINE_WRITE_KEY: config.writeKey, THREADLINE_SECRET_KEY: config.secretKey, ...extra.env },
    extra.nodeArgs,
  );

/** A bench server's TypeScript `entry` on `db`, compiled as the collector is unless `fromSource`. */
const startBenchServer = async (entry: string, db: string, extra: Extra): Promise<ServerProcess> =>
  startServer(extra.fromSource ? entry : await compiled(entry), { THREADLINE_DB: db, ...extra.env }, extra.nodeArgs);

/** The bare-route baseline (bench/baseline-server.ts) on `db`. */
export const startBaseline = (db: string, extra: Extra = {}): Promise<ServerProcess> =>
  startBenchServer('bench/baseline-server.ts', db, extra);

/** The truly bare ceiling (bench/bare-server.ts) on `db`: raw JSON a message, one prepared statement. */
export const startBare = (db: string, extra: Extra = {}): Promise<ServerProcess> => startBenchServer('bench/bare-server.ts', db, extra);

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
