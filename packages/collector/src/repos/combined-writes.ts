import { CompiledQuery } from 'kysely';
import { isDistributed } from '../db/distributed.js';
import type { Db } from './db.js';
import { placeholders } from './insert-rows.js';

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
  if (placeholders(db)(1) === '?' || isDistributed(db)) {
    for (const w of writes) await db.executeQuery(w);
    return (await db.executeQuery(last)).rows;
  }
  const params: unknown[] = [];
  // Each part numbers its parameters from $1: they are renumbered after the parts before it.
  const renumbered = (q: CompiledQuery) => {
    const offset = params.length;
    params.push(...q.parameters);
    return offset ? q.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`) : q.sql;
  };
  const parts = writes.map((w, i) => `w${i + 1} as (${renumbered(w)})`);
  const text = `with ${parts.join(', ')} ${renumbered(last)}`;
  return (await db.executeQuery<R>(CompiledQuery.raw(text, params))).rows;
}
