import { CompiledQuery, sql } from 'kysely';
import { isDistributed } from '../db/distributed.js';
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
 * Whether `db` is a plain, single-node PostgreSQL: not SQLite (`?`
 * parameters) and not a Citus coordinator. The statements that bind arrays
 * or JSON documents, or fold several writes into one, are written for it;
 * the others keep one SQL for every store.
 *
 * @example
 * if (singleNodePostgres(db)) return findManyOwners(db, ws, ids);
 */
export const singleNodePostgres = (db: Db): boolean => placeholders(db)(1) !== '?' && !isDistributed(db);

/**
 * Row counts a long SQLite insert is cut into, largest first; a remainder
 * under the last is one statement of its own length. SQLite prepares each
 * distinct text (db/statement-cache.ts keeps it): a 1,000-row insert takes
 * about 2 ms to compile, more than half of running it, and a text for every
 * length an import chunk happens to write would fill that cache with big
 * statements. A few fixed lengths are compiled once a process.
 */
const SQLITE_BLOCKS = [1000, 200, 40];

/** Rows from which a plain PostgreSQL insert with column types binds its rows as one JSON document instead of a `values` list. */
const DOC_FROM = 20;

/**
 * The select list reading row `r` of a JSON document (an array of rows, each
 * an array of cells) as `types`, each cell named after its column: a text
 * cell as it is, any other type cast from its text (a jsonb column's cell is
 * JSON text, parsed once). With `embedded`, a jsonb cell is the value itself
 * as docValue wraps it, read without a second parse.
 *
 * @example
 * `select ${docCells(['id', 'at'], ['text', 'int8'])} from jsonb_array_elements($1::jsonb) as r`
 */
export const docCells = (columns: readonly string[], types: readonly string[], embedded = false) =>
  columns
    .map((column, c) => {
      const type = types[c];
      const cell = type === 'text' ? `r->>${c}` : type === 'jsonb' && embedded ? `r->${c}->'v'` : `(r->>${c})::${type}`;
      return `${cell} as "${column}"`;
    })
    .join(', ');

/**
 * A jsonb cell's value as a JSON document carries it for docCells'
 * `embedded`: as `{"v": value}`, read by `->'v'`, which keeps SQL NULL (a
 * `null` cell: `->'v'` of a non-object is NULL) apart from a JSON `null`
 * value (`{"v": null}`); an array wrapper would not (PostgreSQL reads
 * `'null'::jsonb -> 0` as the scalar itself). As JSON text in a string
 * cell, the collector serialised the value and then escaped it into the
 * document, and the server parsed it twice. Worth it for big values (an
 * event's context: 4 µs less collector CPU an event, the server's the
 * same); for small ones (a log entry's details) the server's extraction of
 * a nested value costs more than parsing short text (measured: 12 against
 * 9 µs a contact-log row), so insertRowsQuery keeps text.
 */
export const docValue = (value: unknown) => ({ v: value });

/** Cuts `rows` into SQLITE_BLOCKS-sized runs, then the remainder. */
function sqliteBlocks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  let at = 0;
  for (const size of SQLITE_BLOCKS) for (; rows.length - at >= size; at += size) out.push(rows.slice(at, at + size));
  if (at < rows.length) out.push(rows.slice(at));
  return out;
}

/**
 * Runs a multi-row `insert into table (columns) … (…), (…)` with the values
 * bound as parameters, plus an optional `tail` (an `on conflict` clause, the
 * same on both stores, and a `returning` list whose rows it answers).
 * Kysely's insert builder makes and freezes a node per value, which for an
 * import chunk's thousand log entries cost more than running the insert;
 * this builds the SQL as a string (insertRowsQuery). Table and column names
 * are the caller's constants, never input. On SQLite a long insert runs as a
 * few fixed-length statements (SQLITE_BLOCKS), each compiled once.
 *
 * @example
 * await insertRows(db, 'contact_log', ['workspace_id', 'id'], [['ws', 'l1'], ['ws', 'l2']], '', ['text', 'text']);
 */
export async function insertRows<R = never>(
  db: Db,
  table: string,
  columns: readonly string[],
  rows: unknown[][],
  tail = '',
  pgTypes?: readonly string[],
): Promise<R[]> {
  if (!rows.length) return [];
  const blocks = placeholders(db)(1) === '?' ? sqliteBlocks(rows) : [rows];
  if (blocks.length === 1) return (await db.executeQuery<R>(insertRowsQuery(db, table, columns, rows, tail, pgTypes))).rows;
  const out: R[] = [];
  for (const block of blocks) out.push(...(await db.executeQuery<R>(insertRowsQuery(db, table, columns, block, tail, pgTypes))).rows);
  return out;
}

/**
 * When insertRowsQuery binds one JSON document on plain PostgreSQL: `from`
 * rows on (DOC_FROM unless said; 1 for an insert whose text must not
 * depend on its row count), and whether its jsonb cells are `embedded`
 * (docValue) rather than JSON text. A caller embedding builds its rows for
 * the document only where it will be one (singleNodePostgres).
 */
export interface DocForm {
  from?: number;
  embedded?: boolean;
}

/**
 * The DocForm of an insert folded into a combined write
 * (repos/combined-writes.ts) whose row count follows the traffic (a
 * request group's events, audience marks, webhook deliveries): a document
 * however few its rows, so the write has one text whatever the count,
 * prepared once a connection. As `values` lists they gave the write a text
 * for every group size, and those took every prepared slot.
 */
export const ANY_COUNT: DocForm = { from: 1 };

/**
 * `columns`' PostgreSQL types for a document insert: `typed`'s where it
 * names one, text for the rest.
 *
 * @example
 * columnTypes(['id', 'at'], { at: 'int8' }) // ['text', 'int8']
 */
export const columnTypes = (columns: readonly string[], typed: Record<string, string>) => columns.map((c) => typed[c] ?? 'text');

/** Texts of inserts of a few rows (an identify's, an import row's): the same shapes recur on every request. */
const texts = createSqlTextCache(128);
const SHORT = 16;
/** Texts of long inserts (SQLite's SQLITE_BLOCKS lengths): apart, so the short shapes cannot crowd them out. */
const longTexts = createSqlTextCache(64);
/**
 * Texts of JSON-document inserts, one a table and shape, whatever the row
 * count: prepared (db/prepared-statements.ts), as their plan cannot depend
 * on the values. Unnamed, PostgreSQL parsed and planned each anew (an
 * import runs hundreds).
 */
const docTexts = createSqlTextCache(64, { prepared: true });

/**
 * Every row's cells in one list, in order: a statement's parameters. A plain
 * loop, where Array.prototype.flat cost more than the rest of the
 * statement's building.
 *
 * @example
 * rowCells([[1, 'a'], [2, 'b']]); // [1, 'a', 2, 'b']
 */
export function rowCells(rows: readonly (readonly unknown[])[]): unknown[] {
  const cells: unknown[] = [];
  for (const row of rows) for (const value of row) cells.push(value);
  return cells;
}

/**
 * The one statement insertRows runs for `rows`, not run: a caller folding
 * several writes into one statement (repos/combined-writes.ts) takes it as
 * it is. With `pgTypes` (each column's PostgreSQL type) a long insert on
 * plain PostgreSQL binds its rows as one JSON document (`JSON.stringify` of
 * the rows) and reads them back with `jsonb_array_elements`: one short text
 * the server parses and plans in microseconds, where a thousand-row
 * `values` list took ~4 ms to plan and more to bind. The document costs the
 * server about half what one array a column (`unnest`) did: 5.7 against
 * 10.6 µs of its CPU a contact-log row, whose array literals it had to
 * unescape and whose jsonb cells it parsed one array element at a time.
 * On Citus it stays a `values` list (an insert … select is planned across
 * shards there), and on SQLite it always is one.
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
  pgTypes?: readonly string[],
  doc: DocForm = {},
): CompiledQuery<R> {
  const spell = placeholders(db);
  const head = () => `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')})`;
  const end = tail ? ` ${tail}` : '';
  if (pgTypes && rows.length >= (doc.from ?? DOC_FROM) && singleNodePostgres(db)) {
    const embedded = doc.embedded ?? false;
    const build = () => `${head()} select ${docCells(columns, pgTypes, embedded)} from jsonb_array_elements(${spell(1)}::jsonb) as r${end}`;
    return CompiledQuery.raw(docTexts(`${table}|${columns.join()}|${pgTypes.join()}|${embedded}|${tail}`, build), [JSON.stringify(rows)]);
  }
  const params = rowCells(rows);
  const build = () => {
    let n = 0;
    const tuples = rows.map((row) => `(${row.map(() => spell(++n)).join(', ')})`);
    return `${head()} values ${tuples.join(', ')}${end}`;
  };
  const key = `${spell(2)}|${table}|${columns.join()}|${rows.length}|${tail}`;
  // Other lengths (a remainder, a Citus chunk) are built each time: cheap beside their statement.
  const kept = rows.length <= SHORT ? texts : SQLITE_BLOCKS.includes(rows.length) ? longTexts : undefined;
  return CompiledQuery.raw(kept ? kept(key, build) : build(), params);
}
