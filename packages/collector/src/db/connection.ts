import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import type { Dialect, Schema } from './schema.js';
import { markDistributed } from './distributed.js';
import { migrateToLatest } from './migrations.js';
import { preparingClient } from './prepared-statements.js';
import { startCheckpoints } from './sqlite-checkpoints.js';
import { cachingStatements } from './statement-cache.js';

export interface Database {
  db: Kysely<Schema>;
  dialect: Dialect;
  close(): Promise<void>;
}

/** True when `location` names a PostgreSQL server rather than a SQLite file. */
export const isPostgresUrl = (location: string) => /^postgres(ql)?:\/\//.test(location);

/**
 * Opens the store named by `location` (a SQLite path or a postgres:// URL) and
 * migrates it, unless `migrate` is false (a cluster worker: its primary has
 * migrated). `pool` caps the PostgreSQL connections this process holds. One code path for both: the repos only see Kysely.
 */
export async function openDatabase(
  location: string,
  { migrate = true, pool = 10 }: { migrate?: boolean; pool?: number } = {},
): Promise<Database> {
  const database = isPostgresUrl(location) ? await openPostgres(location, pool) : await openSqlite(location);
  if (!migrate) return database;
  try {
    await migrateToLatest(database.db, database.dialect);
  } catch (err) {
    // Do not leave a pool (or the SQLite handle) open behind a failed start.
    await database.close().catch(() => {});
    throw err;
  }
  return database;
}

/**
 * The page size a new SQLite file is made with (SQLite's default is 4,096;
 * an existing file keeps its own, the pragma is then a no-op). A commit
 * writes each dirty page to the WAL as a frame of its own, two system calls
 * each, and an import appends pages: a 2,000-row chunk wrote about 1,300
 * frames of 4 KiB. With 8 KiB pages half as many frames carry the same rows
 * and the b-trees are shallower; 16 KiB pages made the import faster still
 * but cost ingest at batch 20 a fifth, each random index page it dirties
 * being four times the bytes (ARCHITECTURE.md, "SQLite: prepared statements
 * and checkpoints").
 */
export const SQLITE_PAGE_SIZE = 8192;

/** WAL past which the writer checkpoints itself (the thread's checkpoints fell behind): 50,000 pages of 4 KiB, 25,000 of 8. */
export const WAL_BACKSTOP_BYTES = 50_000 * 4096;

async function openSqlite(path: string): Promise<Database> {
  const { default: SQLite } = await import('better-sqlite3');
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const native = new SQLite(path);
  native.pragma(`page_size = ${SQLITE_PAGE_SIZE}`);
  // WAL lets readers run beside the one writer; NORMAL sync is durable across
  // process crashes (only an OS crash can lose the last commits) and is what
  // SQLite recommends with WAL.
  native.pragma('journal_mode = WAL');
  native.pragma('synchronous = NORMAL');
  native.pragma('busy_timeout = 5000');
  // Savepoint journals (every request of a shared transaction runs in one,
  // services/request-transaction.ts) and temporary b-trees in memory: by
  // default a savepoint's journal goes to a temporary file past 64 KiB, and
  // a batch of 100 events from as many visitors touches hundreds of pages.
  // Measured on the collector, alternating: identify 1,323 / 1,276 / 806 →
  // 1,563 / 1,506 / 919 a second; ingest at batch 100 0.40 → 0.49 of the
  // bare server (one bench run each way: ARCHITECTURE.md, "Ingest against
  // the bare ceiling").
  native.pragma('temp_store = MEMORY');
  if (path === ':memory:') {
    const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: cachingStatements(native) }) });
    return { db, dialect: 'sqlite', close: () => db.destroy() };
  }
  // Checkpoints run on their own thread (sqlite-checkpoints.ts). Under
  // steady writes its PASSIVE checkpoint rarely finds the WAL all copied
  // before the next write begins, so the log is reset by the writer's own
  // automatic checkpoint: past 200 MB of WAL (WAL_BACKSTOP_BYTES), counted
  // in the file's own pages. At 40 MB, ingest at full speed kept the WAL
  // past it, and the writer then checkpointed on the event loop after
  // nearly every commit. A page cache of 64 MiB (SQLite's default is 2 MiB)
  // keeps the index pages ingest writes at its visitors' places. Measured
  // together (ARCHITECTURE.md, "Ingest against the bare ceiling").
  const pageSize = native.pragma('page_size', { simple: true }) as number;
  native.pragma(`wal_autocheckpoint = ${WAL_BACKSTOP_BYTES / pageSize}`);
  native.pragma(`cache_size = ${-64 * 1024}`);
  const checkpoints = startCheckpoints(path);
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: cachingStatements(native) }) });
  return {
    db,
    dialect: 'sqlite',
    close: async () => {
      await checkpoints.stop();
      await db.destroy();
    },
  };
}

const CITUS_SESSION = `set citus.enable_repartition_joins = on; set citus.multi_shard_modify_mode = 'sequential'`;

async function openPostgres(url: string, max: number): Promise<Database> {
  const pg = await import('pg');
  // int8 (bigint) columns hold epoch milliseconds, well inside 2^53.
  pg.default.types.setTypeParser(20, (v: string) => Number(v));
  const distributed = await citusInstalled(pg.default, url);
  // A Citus coordinator plans each statement for its shards: it keeps pg's own client.
  const pool = new pg.default.Pool({ connectionString: url, max, ...(distributed ? {} : { Client: preparingClient(pg.default) }) });
  // On a Citus coordinator every connection asks, before its first query,
  // for repartition joins (identities hashed by value joined to profiles by
  // id run on the workers) and for sequential multi-shard writes: a request
  // writes a few rows over several shards, and sending them over the one
  // connection a worker the session holds costs less than a connection a
  // shard, and takes none of the shard locks that make concurrent parallel
  // multi-shard writes queue behind each other (ARCHITECTURE.md).
  if (distributed) pool.on('connect', (client) => void client.query(CITUS_SESSION).catch(() => {}));
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  if (distributed) markDistributed(db);
  await sql`select 1`.execute(db);
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

/** Whether the database at `url` has the citus extension (asked once, before the pool opens). */
async function citusInstalled(pg: typeof import('pg').default, url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(`select count(*)::int as n from pg_extension where extname = 'citus'`);
    return (rows[0]?.n ?? 0) > 0;
  } finally {
    await client.end().catch(() => {});
  }
}
