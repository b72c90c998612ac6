import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { config, type StoreName } from '../config.js';

/** Where bench databases live: one fresh, empty database per server and run. */
export interface BenchStore {
  name: StoreName;
  /** A new empty database for one server (`tag` keeps several apart); answers its THREADLINE_DB location. */
  fresh(tag: string): string | Promise<string>;
  /**
   * Removes one database `fresh` made, once its measure is done: a kept one
   * (hundreds of thousands of rows after ingest) would have PostgreSQL's
   * autovacuum and checkpoints working on it during the next measure.
   */
  release(location: string): Promise<void>;
  /** Removes every database this store made. */
  dispose(): Promise<void>;
}

/** The role and server the test suite uses (scripts/postgres-test-server.sh); bench databases are made beside threadline_test. */
const PG_URL =
  process.env.THREADLINE_BENCH_PG_URL ??
  process.env.THREADLINE_TEST_PG_URL ??
  'postgres://threadline:threadline@127.0.0.1:5432/threadline_test';

function sqliteStore(): BenchStore {
  const dir = mkdtempSync(join(tmpdir(), 'threadline-bench-'));
  return {
    name: 'sqlite',
    fresh: (tag) => join(dir, `${tag}.db`),
    release: async (location) => {
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${location}${suffix}`, { force: true });
    },
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Runs SQL as the PostgreSQL superuser over the local socket: needs root (`su postgres`), as scripts/postgres-test-server.sh does. */
const asSuperuser = (...statements: string[]) =>
  execFileSync('su', ['postgres', '-c', `psql -v ON_ERROR_STOP=1 -qtA ${statements.map((s) => `-c "${s}"`).join(' ')}`], { stdio: 'pipe' });

async function postgresStore(): Promise<BenchStore> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(
      `PostgreSQL not reachable at ${PG_URL.replace(/:[^:@/]+@/, ':***@')} (start it with scripts/postgres-test-server.sh): ${(err as Error).message}`,
    );
  } finally {
    await client.end().catch(() => {});
  }
  if (process.getuid?.() !== 0) throw new Error('creating the bench databases needs root (su postgres -c psql)');
  const role = decodeURIComponent(new URL(PG_URL).username);
  const made = new Set<string>();
  return {
    name: 'postgres',
    fresh(tag) {
      const db = `threadline_bench_${tag.replace(/\W/g, '_')}`;
      asSuperuser(`drop database if exists ${db} with (force)`, `create database ${db} owner ${role}`);
      made.add(db);
      const url = new URL(PG_URL);
      url.pathname = `/${db}`;
      return url.toString();
    },
    async release(location) {
      const db = new URL(location).pathname.slice(1);
      if (made.delete(db)) asSuperuser(`drop database if exists ${db} with (force)`);
    },
    async dispose() {
      for (const db of made) asSuperuser(`drop database if exists ${db} with (force)`);
      made.clear();
    },
  };
}

/** A schema a run on the Citus coordinator (its migrations distribute the tables there). */
async function citusStore(): Promise<BenchStore> {
  const base = config.citusUrl;
  if (!base) throw new Error('no Citus coordinator: set BENCH_CITUS_URL (scripts/citus-test-cluster.sh prints one)');
  const admin = new pg.Client({ connectionString: base, connectionTimeoutMillis: 3000 });
  await admin.connect();
  const made = new Set<string>();
  return {
    name: 'citus',
    async fresh(tag) {
      const schema = `bench_${tag.replace(/\W/g, '_')}`;
      await admin.query(`drop schema if exists ${schema} cascade`);
      await admin.query(`create schema ${schema}`);
      made.add(schema);
      const url = new URL(base);
      url.searchParams.set('options', `-c search_path=${schema}`);
      return url.toString();
    },
    async release(location) {
      const schema = new URL(location).searchParams.get('options')?.split('search_path=')[1];
      if (schema && made.delete(schema)) await admin.query(`drop schema if exists ${schema} cascade`);
    },
    async dispose() {
      for (const schema of made) await admin.query(`drop schema if exists ${schema} cascade`);
      await admin.end();
    },
  };
}

/** The store named `name`, or the reason it cannot be benchmarked here. */
export async function openBenchStore(name: StoreName): Promise<BenchStore | { unavailable: string }> {
  try {
    if (name === 'citus') return await citusStore();
    return name === 'sqlite' ? sqliteStore() : await postgresStore();
  } catch (err) {
    return { unavailable: (err as Error).message };
  }
}
