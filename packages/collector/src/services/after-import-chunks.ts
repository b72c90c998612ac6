import type { Db } from '../repos/db.js';
import { lockIdentityGraph } from '../repos/locks.js';
import type { ServiceContext } from './context.js';

/**
 * Runs `change` in a transaction once no import chunk is in flight (the
 * workspace's graph lock, shared; a chunk holds it exclusively). A chunk
 * marks its profiles for the audience pass only if a saved segment or an
 * enabled trigger exists when it asks (repos/audience-dirty.ts, marksRead),
 * so saving one must come after the chunk's changes or before its question,
 * never between: a new segment's first membership then sees the chunk's
 * profiles, and a trigger watches only changes made after it.
 *
 * @example
 * await afterImportChunks(ctx, (trx) => insertTrigger(trx, ws, trigger));
 */
export function afterImportChunks<T>(ctx: ServiceContext, change: (trx: Db) => Promise<T>): Promise<T> {
  return ctx.database.db.transaction().execute(async (trx) => {
    await lockIdentityGraph(trx, ctx.database.dialect, ctx.workspace.id, 'shared');
    return change(trx);
  });
}
