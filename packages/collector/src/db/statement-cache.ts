import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * A better-sqlite3 database for Kysely whose `prepare` keeps the last `size`
 * statements by SQL text. Kysely prepares every query anew, and compiling an
 * ingest insert of a few hundred parameters costs more than running it; the
 * same texts come back request after request (one per row count). Safe
 * because Kysely's SQLite driver runs one query at a time on its one
 * connection, so a cached statement is never in use twice at once.
 * @example new SqliteDialect({ database: cachingStatements(new SQLite(path)) })
 */
export function cachingStatements(native: SqliteDatabase, size = 200): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => native.close(),
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (statement) {
        // Most recently used last: a Map iterates in insertion order.
        cache.delete(sql);
      } else {
        statement = native.prepare(sql);
        if (cache.size >= size) cache.delete(cache.keys().next().value as string);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}
