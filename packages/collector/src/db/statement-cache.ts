import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Distinct statements kept: the collector's queries are a few hundred shapes (an `in (…)` or bulk insert is one shape a length). */
const MAX_STATEMENTS = 500;

/**
 * A better-sqlite3 database for Kysely whose `prepare` keeps the last `size`
 * statements by SQL text. Kysely prepares every query anew, and compiling a
 * statement costs SQLite about as much as running a small one; the same texts
 * come back request after request. A cached statement still being iterated
 * (a stream) is busy: the same SQL then gets a fresh, uncached one.
 * @example new SqliteDialect({ database: cachingStatements(new SQLite(path)) })
 */
export function cachingStatements(native: SqliteDatabase, size = MAX_STATEMENTS): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => native.close(),
    prepare(sql: string) {
      const hit = cache.get(sql);
      if (hit && !(hit as { busy?: boolean }).busy) {
        // Most recently used last: a Map iterates in insertion order.
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const statement = native.prepare(sql);
      if (hit) return statement;
      if (cache.size >= size) cache.delete(cache.keys().next().value as string);
      cache.set(sql, statement);
      return statement;
    },
  };
}
