import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, sql, SqliteDialect } from 'kysely';
import pg from 'pg';

export interface BenchDatabase {
  // The bench reads and seeds a few tables by name; the collector's schema types would tie it to one version.
  db: Kysely<any>;
  dialect: 'sqlite' | 'postgres';
  close(): Promise<void>;
}

export const isPostgres = (location: string) => /^postgres(ql)?:\/\//.test(location);

/**
 * A connection to a database a server of the bench made and migrated. It
 * never migrates (the server running beside it may be a newer version of
 * the collector than the code this process loaded) and never throws from an
 * idle pool when the database is dropped at the end.
 */
export function connect(location: string): BenchDatabase {
  if (!isPostgres(location)) {
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new SQLite(location, { timeout: 5000 }) }) });
    return { db, dialect: 'sqlite', close: () => db.destroy() };
  }
  const pool = new pg.Pool({ connectionString: location, max: 2 });
  pool.on('error', () => {}); // a terminated idle client is not an error of the benchmark
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

/**
 * `analyze` on a PostgreSQL database a server seeded: its tables' statistics
 * as autovacuum leaves them within a minute (`autovacuum_naptime`) of their
 * first rows, so the server's prepared statements are planned again from
 * them. Nothing on SQLite, whose planner the collector never gives statistics.
 */
export async function analyzeSeeded(location: string): Promise<void> {
  if (!isPostgres(location)) return;
  const database = connect(location);
  try {
    await sql`analyze`.execute(database.db);
  } finally {
    await database.close();
  }
}
