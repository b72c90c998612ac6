import { CompiledQuery, sql } from 'kysely';
import type { Db } from './db.js';
import { createSqlTextCache } from './sql-text-cache.js';

/** How the store spells its n-th (1-based) bound parameter: `?` on SQLite, `$n` on PostgreSQL. Asked of Kysely once a store. */
const placeholderOf = new WeakMap<object, (n: number) => string>();
/**
 * The store's spelling of bound parameters, for SQL written as text.
 *
 * @example
 * const spell = placeholders(db); `where id = ${spell(1)}` // `?` or `$1`
 */
export function placeholders(db: Db): (n: number) => string {
  const adapter = db.getExecutor().adapter;
  let spell = placeholderOf.get(adapter);
  if (!spell) {
    spell = sql`${1}`.compile(db).sql === '?' ? () => '?' : (n: number) => `$${n}`;
    placeholderOf.set(adapter, spell);
  }
  return spell;
}

/**
 * Runs one multi-row `insert into table (columns) values (…), (…)` with the
 * values bound as parameters, plus an optional `tail` (an `on conflict`
 * clause, the same on both stores, and a `returning` list whose rows it
 * answers). Kysely's insert builder makes and freezes
 * a node per value, which for an import chunk's thousand log entries cost
 * more than running the insert; this builds the same SQL as a string. Table
 * and column names are the caller's constants, never input.
 *
 * @example
 * await insertRows(db, 'contact_log', ['workspace_id', 'id'], [['ws', 'l1'], ['ws', 'l2']]);
 */
export async function insertRows<R = never>(db: Db, table: string, columns: readonly string[], rows: unknown[][], tail = ''): Promise<R[]> {
  if (!rows.length) return [];
  return (await db.executeQuery<R>(insertRowsQuery(db, table, columns, rows, tail))).rows;
}

/** Texts of inserts of a few rows (an identify's, an import row's): the same shapes recur on every request. */
const texts = createSqlTextCache(128);
const SHORT = 16;

/**
 * The statement insertRows runs, not run: a caller folding several writes
 * into one statement (repos/combined-writes.ts) takes it as it is.
 *
 * @example
 * const query = insertRowsQuery(db, 'audience_dirty', ['workspace_id', 'profile_id', 'version'], [[ws, id, 1]]);
 */
export function insertRowsQuery<R = never>(
  db: Db,
  table: string,
  columns: readonly string[],
  rows: unknown[][],
  tail = '',
): CompiledQuery<R> {
  const spell = placeholders(db);
  const params: unknown[] = [];
  for (const row of rows) for (const value of row) params.push(value);
  const build = () => {
    let n = 0;
    const tuples = rows.map((row) => `(${row.map(() => spell(++n)).join(', ')})`);
    const names = columns.map((c) => `"${c}"`).join(', ');
    return `insert into "${table}" (${names}) values ${tuples.join(', ')}${tail ? ` ${tail}` : ''}`;
  };
  const text = rows.length <= SHORT ? texts(`${spell(2)}|${table}|${columns.join()}|${rows.length}|${tail}`, build) : build();
  return CompiledQuery.raw(text, params);
}
