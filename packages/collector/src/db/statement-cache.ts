import type BetterSqlite3 from 'better-sqlite3';

/** Distinct statements kept: the collector's queries are a few hundred shapes (an `in (…)` or bulk insert is one shape a length). */
const MAX_STATEMENTS = 500;

/**
 * Wraps a better-sqlite3 handle so `prepare` answers a cached statement for
 * SQL it has seen: Kysely prepares every query anew, and preparing (parsing
 * and planning) costs as much as running a small insert. Statements are
 * reused only when idle: one still being iterated (a streamed select) is
 * never handed out again, a fresh one is prepared instead.
 *
 * @example
 * new SqliteDialect({ database: withStatementCache(new SQLite(path)) });
 */
export function withStatementCache(native: BetterSqlite3.Database): BetterSqlite3.Database {
  const cache = new Map<string, BetterSqlite3.Statement>();
  const prepare = native.prepare.bind(native);
  const cached = (source: string) => {
    const hit = cache.get(source);
    if (hit && !hit.busy) {
      // Map order is insertion order: re-inserting makes it the most recently used.
      cache.delete(source);
      cache.set(source, hit);
      return hit;
    }
    const statement = prepare(source);
    if (!hit) {
      cache.set(source, statement);
      if (cache.size > MAX_STATEMENTS) cache.delete(cache.keys().next().value!);
    }
    return statement;
  };
  return new Proxy(native, {
    get(target, key, receiver) {
      if (key === 'prepare') return cached;
      const value = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
