import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../db/connection.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestDatabase {
  name: 'sqlite' | 'postgres' | 'citus';
  /** A fresh, migrated, empty store; `close()` also removes it. */
  open(): Promise<Database>;
}

export const PG_TEST_URL = process.env.THREADLINE_TEST_PG_URL ?? 'postgres://threadline:threadline@127.0.0.1:5432/threadline_test';
/** CI must run the PostgreSQL suite: there a missing server fails the run instead of skipping. */
const PG_REQUIRED = process.env.CI === 'true' || process.env.THREADLINE_REQUIRE_PG === '1';

async function postgresReachable(url = PG_TEST_URL): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** `database`, whose `close()` then removes the store with `remove`. */
const removedOnClose = (database: Database, remove: () => unknown): Database => ({
  ...database,
  async close() {
    await database.close();
    await remove();
  },
});

const sqlite: TestDatabase = {
  name: 'sqlite',
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'threadline-test-'));
    return removedOnClose(await openDatabase(join(dir, 'test.db')), () => rmSync(dir, { recursive: true, force: true }));
  },
};

// Kysely's migrator introspects the tables of every schema, which fails if
// another test file drops its schema at that moment; creating-and-migrating
// and dropping therefore hold one server-wide advisory lock.
const SCHEMA_LOCK = 0x74_6c_73_63;

export async function withSchemaLock<T>(work: (client: pg.Client) => Promise<T>, serverUrl = PG_TEST_URL): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [SCHEMA_LOCK]);
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Each PostgreSQL store is its own schema, so suites run side by side on one server. */
const schemaStore = (name: TestDatabase['name'], serverUrl: string, options = ''): TestDatabase => ({
  name,
  async open() {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const url = new URL(serverUrl);
    url.searchParams.set('options', `-c search_path=${schema}${options}`);
    const database = await withSchemaLock(async (client) => {
      await client.query(`create schema ${schema}`);
      return openDatabase(url.toString());
    }, serverUrl);
    return removedOnClose(database, () => withSchemaLock((client) => client.query(`drop schema ${schema} cascade`), serverUrl));
  },
});

const postgres = schemaStore('postgres', PG_TEST_URL);

/**
 * The stores a shared suite runs against: SQLite always, PostgreSQL when its
 * server answers. In CI (CI=true) or with THREADLINE_REQUIRE_PG=1 a missing
 * server throws, so the suite fails rather than silently skipping.
 */
export async function testDatabases(): Promise<TestDatabase[]> {
  if (process.env.THREADLINE_TEST_STORES === 'citus') return citusDatabases();
  if (await postgresReachable()) return [sqlite, postgres];
  if (PG_REQUIRED) throw new Error(`PostgreSQL is required (CI) but not reachable at ${PG_TEST_URL.replace(/:[^:@/]+@/, ':***@')}`);
  console.warn(`PostgreSQL not reachable at ${PG_TEST_URL}: running the SQLite half only (set THREADLINE_REQUIRE_PG=1 to make this fail)`);
  return [sqlite];
}

/**
 * A fresh, empty PostgreSQL schema for a collector run in another process:
 * its URL (the schema as search_path; the server migrates it at boot) and a
 * `drop` for afterwards.
 */
export async function freshPostgresUrl(): Promise<{ url: string; drop(): Promise<void> }> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const url = new URL(PG_TEST_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  await withSchemaLock((client) => client.query(`create schema ${schema}`));
  return { url: url.toString(), drop: () => withSchemaLock((client) => client.query(`drop schema ${schema} cascade`)).then(() => {}) };
}

/** The Citus coordinator the Citus suite runs on (scripts/citus-test-cluster.sh prints one). */
export const CITUS_TEST_URL = process.env.THREADLINE_TEST_CITUS_URL;
const CITUS_REQUIRED = process.env.THREADLINE_REQUIRE_CITUS === '1';

/**
 * The Citus store: a schema on the coordinator whose migrations distribute
 * its tables (4 shards a table keep a test's store quick to make; the layout
 * is the same at any count).
 */
async function citusDatabases(): Promise<TestDatabase[]> {
  if (CITUS_TEST_URL && (await postgresReachable(CITUS_TEST_URL))) return [schemaStore('citus', CITUS_TEST_URL, ' -c citus.shard_count=4')];
  const why = CITUS_TEST_URL ? `not reachable at ${CITUS_TEST_URL}` : 'THREADLINE_TEST_CITUS_URL is not set';
  if (CITUS_REQUIRED)
    throw new Error(`Citus is required (THREADLINE_REQUIRE_CITUS=1) but ${why}: start one with scripts/citus-test-cluster.sh`);
  console.warn(`Citus suite skipped: ${why} (scripts/citus-test-cluster.sh starts a cluster)`);
  return [];
}
