import { fileURLToPath } from 'node:url';

export interface Config {
  port: number;
  host: string;
  /** A SQLite file path or a postgres:// URL. */
  database: string;
  writeKey?: string;
  secretKey?: string;
  logLevel: string;
  sdkScriptPath: string;
  demoDir: string;
  /** Cap on a CSV import body: imports stream, so this bounds time and disk, not memory. */
  importMaxBytes: number;
  /** How long a request body may take to arrive (ms); 0 turns it off. A CSV import is exempt. */
  bodyTimeoutMs: number;
  /** Open connections at most. */
  maxConnections: number;
  /** After SIGTERM, how long requests in flight may take before the process exits anyway (code 1). */
  shutdownTimeoutMs: number;
  /** Time between audience passes (live segment membership, triggers): THREADLINE_AUDIENCE_INTERVAL_MS, default 1 s. */
  audienceIntervalMs: number;
  /** Collector processes on this machine (node:cluster): THREADLINE_PROCESSES, default 1 (no cluster). */
  processes: number;
  /** How long a cached workspace is trusted without a change notice: THREADLINE_CACHE_TTL_MS, default 5 s. */
  cacheTtlMs: number;
  /** PostgreSQL connections each collector process holds at most: THREADLINE_DB_POOL, default 10. */
  dbPool: number;
}

/** 30 s: a full 500 KB batch at 17 KB/s, far slower than any real client. */
export const DEFAULT_BODY_TIMEOUT_MS = 30_000;
/** Inside the common 1,024 open-files limit, with room for the database and logs. */
export const DEFAULT_MAX_CONNECTIONS = 900;
/** Inside the 30 s an orchestrator (Kubernetes' default grace period) waits before SIGKILL. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 25_000;

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const n = Number(env[name] ?? fallback);
  if (!Number.isSafeInteger(n) || n < min) throw new Error(`${name}: must be a whole number of at least ${min}, got "${env[name]}"`);
  return n;
}

/** 1 GiB: some 10 million typical contact rows. */
export const DEFAULT_IMPORT_MAX_BYTES = 1024 ** 3;

const repoPath = (rel: string) => fileURLToPath(new URL(`../../../${rel}`, import.meta.url));

/** Environment → typed config (SPEC §9); fails at boot with the variable at fault. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT: must be a port number, got "${env.PORT}"`);
  const database = env.THREADLINE_DB ?? './data/threadline.db';
  if (!database.trim()) throw new Error('THREADLINE_DB: must be a SQLite file path or a postgres:// URL');
  for (const name of ['THREADLINE_WRITE_KEY', 'THREADLINE_SECRET_KEY'] as const) {
    const v = env[name];
    if (v !== undefined && v.length < 8) throw new Error(`${name}: must be at least 8 characters`);
  }
  if (env.THREADLINE_WRITE_KEY && env.THREADLINE_WRITE_KEY === env.THREADLINE_SECRET_KEY) {
    throw new Error('THREADLINE_SECRET_KEY: must differ from THREADLINE_WRITE_KEY (the write key is public)');
  }
  const importMaxBytes = Number(env.THREADLINE_IMPORT_MAX_BYTES ?? DEFAULT_IMPORT_MAX_BYTES);
  if (!Number.isSafeInteger(importMaxBytes) || importMaxBytes < 1) {
    throw new Error(`THREADLINE_IMPORT_MAX_BYTES: must be a whole number of bytes, got "${env.THREADLINE_IMPORT_MAX_BYTES}"`);
  }
  const audienceIntervalMs = Number(env.THREADLINE_AUDIENCE_INTERVAL_MS ?? 1000);
  if (!Number.isSafeInteger(audienceIntervalMs) || audienceIntervalMs < 10) {
    throw new Error(
      `THREADLINE_AUDIENCE_INTERVAL_MS: must be a whole number of milliseconds, at least 10, got "${env.THREADLINE_AUDIENCE_INTERVAL_MS}"`,
    );
  }
  const processes = wholeNumber(env, 'THREADLINE_PROCESSES', 1, 1);
  // SQLite has one writer: several processes would queue on its lock, not share the work.
  if (processes > 1 && !/^postgres(ql)?:\/\//.test(database)) {
    throw new Error(
      `THREADLINE_PROCESSES: ${processes} processes need a postgres:// URL in THREADLINE_DB (SQLite has one writer); got a SQLite file`,
    );
  }
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    database,
    writeKey: env.THREADLINE_WRITE_KEY,
    secretKey: env.THREADLINE_SECRET_KEY,
    logLevel: env.LOG_LEVEL ?? 'info',
    sdkScriptPath: env.THREADLINE_SDK_SCRIPT ?? repoPath('packages/sdk/dist/threadline.js'),
    demoDir: env.THREADLINE_DEMO_DIR ?? repoPath('examples/storefront'),
    importMaxBytes,
    bodyTimeoutMs: wholeNumber(env, 'THREADLINE_BODY_TIMEOUT_MS', DEFAULT_BODY_TIMEOUT_MS, 0),
    maxConnections: wholeNumber(env, 'THREADLINE_MAX_CONNECTIONS', DEFAULT_MAX_CONNECTIONS, 1),
    shutdownTimeoutMs: wholeNumber(env, 'THREADLINE_SHUTDOWN_TIMEOUT_MS', DEFAULT_SHUTDOWN_TIMEOUT_MS, 1),
    audienceIntervalMs,
    processes,
    cacheTtlMs: wholeNumber(env, 'THREADLINE_CACHE_TTL_MS', 5_000, 0),
    dbPool: wholeNumber(env, 'THREADLINE_DB_POOL', 10, 1),
  };
}
