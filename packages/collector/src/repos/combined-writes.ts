import { CompiledQuery } from 'kysely';
import type { Db } from './db.js';
import { pipelined } from '../db/pipeline.js';
import { singleNodePostgres } from './insert-rows.js';
import { createSqlTextCache } from './sql-text-cache.js';

/**
 * Combined texts, kept by their own text (and found again through `shapes`
 * below): an identify's write has one shape per kind of change (which
 * writes, how many rows), so the first 32 seen run as named prepared
 * statements on a single-node PostgreSQL. Parsing and
 * planning a five-part statement took about as long as running it (a
 * new-email identify's: 796 µs a run unnamed, 431 µs prepared, same
 * connection). Every part is an insert, an upsert or an update by key, so
 * no plan depends on the values. At most 32 shapes are kept (and prepared
 * on each connection that runs them); later ones go as they come. The
 * inserts whose row count varies with the traffic (a group's events, its
 * audience marks, its webhook deliveries) bind one JSON document there
 * whatever their count, so they add one shape, not one a group size, and
 * the slots stay with the kinds of change.
 */
const combinedTexts = createSqlTextCache(32, { prepared: true });

/**
 * A combination already built, found part by part (each part's text and
 * parameter count), so a repeated shape is neither renumbered nor
 * concatenated again, nor hashed whole to be looked up. At most SHAPES_MAX
 * steps are kept.
 */
interface Shape {
  next: Map<string, Shape>;
  params: number;
  text?: string;
}
const SHAPES_MAX = 256;
const shapes: Shape = { next: new Map(), params: 0 };
let shapeCount = 0;

/** The kept shape of `parts`, made if there is room; undefined when there is not, or a part's parameters differ in number. */
function shapeOf(parts: readonly CompiledQuery[]): Shape | undefined {
  let shape = shapes;
  for (const { sql, parameters } of parts) {
    let next = shape.next.get(sql);
    if (!next) {
      if (shapeCount >= SHAPES_MAX) return undefined;
      next = { next: new Map(), params: parameters.length };
      shape.next.set(sql, next);
      shapeCount++;
    }
    if (next.params !== parameters.length) return undefined;
    shape = next;
  }
  return shape;
}

/** `with w1 as (<writes[0]>), … <last>`, each part's parameters numbered after those of the parts before it. */
function combinedText(parts: readonly CompiledQuery[]): string {
  let offset = 0;
  const renumbered = parts.map(({ sql, parameters }) => {
    const at = offset;
    offset += parameters.length;
    return at ? sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + at}`) : sql;
  });
  const last = renumbered.pop()!;
  return `with ${renumbered.map((w, i) => `w${i + 1} as (${w})`).join(', ')} ${last}`;
}

/**
 * Runs `writes`, then `last`, answering `last`'s rows. On a single-node
 * PostgreSQL they are one statement, one round trip: each write a
 * data-modifying `with` ahead of `last` (`with w1 as (…), w2 as (…) <last>`).
 * They share one snapshot and none sees another's effect, so the caller
 * folds only writes to different rows that read nothing the others write
 * (an identify's identity upsert, profile update, log entry, audience mark
 * and event insert). SQLite has no data-modifying `with`, and a Citus
 * coordinator runs such a statement across shards slowly: there each is a
 * statement of its own, in order.
 *
 * @example
 * const rows = await runWrites(trx, [updateProfileQuery(trx, ws, id, patch)], insertEventsQuery(trx, ws, events));
 */
export async function runWrites<R>(db: Db, writes: readonly CompiledQuery[], last: CompiledQuery<R>): Promise<R[]> {
  if (!writes.length) return (await db.executeQuery(last)).rows;
  if (!singleNodePostgres(db)) {
    await runInOrder(db, writes);
    return (await db.executeQuery(last)).rows;
  }
  return (await db.executeQuery(combinedWrite(writes, last))).rows;
}

/**
 * runWrites' one statement on a single-node PostgreSQL, not run: `last`
 * itself when there are no writes.
 *
 * @example
 * const rows = await commitWith(combinedWrite([updateProfileQuery(trx, ws, id, patch)], insertEventsQuery(trx, ws, events)));
 */
export function combinedWrite<R>(writes: readonly CompiledQuery[], last: CompiledQuery<R>): CompiledQuery<R> {
  if (!writes.length) return last;
  const parts = [...writes, last];
  const shape = shapeOf(parts);
  let text = shape?.text;
  if (text === undefined) {
    const combined = combinedText(parts);
    text = combinedTexts(combined, () => combined);
    if (shape) shape.text = text;
  }
  const params: unknown[] = [];
  for (const part of parts) for (const p of part.parameters) params.push(p);
  return CompiledQuery.raw(text, params) as CompiledQuery<R>;
}

/**
 * Runs `queries` in order, inside the caller's transaction: on a single-node
 * PostgreSQL in one pipeline (one write; the server runs them back to back
 * with no round trip between them, whatever the collector's event loop is
 * doing meanwhile, and an error stops the rest), elsewhere one after another.
 * Unlike runWrites, each stays a statement of its own, so later ones see
 * what earlier ones wrote.
 *
 * @example
 * await runInOrder(trx, [...insertRejectionsQueries(trx, ws, importId, rejections), addImportCountsQuery(trx, ws, importId, counts)]);
 */
export async function runInOrder(db: Db, queries: readonly CompiledQuery[]): Promise<void> {
  if (!queries.length) return;
  if (singleNodePostgres(db)) {
    await db.executeQuery(pipelined(queries));
    return;
  }
  for (const q of queries) await db.executeQuery(q);
}
