import { sql } from 'kysely';
import type { Db } from '../repos/db.js';
import type { ServiceContext } from './context.js';

/**
 * Runs `body` as one SQLite transaction, `BEGIN IMMEDIATE`: every statement
 * an ingest request makes (identity writes, events, audience marks) commits
 * once, and the write lock is taken up front, so no read made in it goes
 * stale before its write (another process cannot write in between, and a
 * read-then-write transaction never fails to upgrade its lock). The context
 * `body` gets has `inTransaction` set: identityTransaction and transact run
 * in it rather than beginning their own. On PostgreSQL `body` runs with the
 * context as given: there each identity change is its own transaction under
 * its advisory locks, so identifies of different people run side by side.
 *
 * @example
 * await requestTransaction(ctx, (inTrx) => settleIdentified(inTrx, items, opts));
 */
export async function requestTransaction<T>(ctx: ServiceContext, body: (ctx: ServiceContext) => Promise<T>): Promise<T> {
  if (ctx.database.dialect !== 'sqlite' || ctx.inTransaction) return body(ctx);
  return ctx.database.db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await body({ ...ctx, database: { ...ctx.database, db: conn }, inTransaction: true });
      await sql`commit`.execute(conn);
      return result;
    } catch (err) {
      // SQLite may have rolled back already (a full disk, an interrupt): nothing more to undo then.
      await sql`rollback`.execute(conn).catch(() => {});
      throw err;
    }
  });
}

/**
 * A transaction for `body`: the request's own when the context is inside one (requestTransaction), else a new one.
 *
 * @example
 * await transact(ctx, (trx) => placeDevice(trx, ctx, device));
 */
export function transact<T>(ctx: ServiceContext, body: (trx: Db) => Promise<T>): Promise<T> {
  return ctx.inTransaction ? body(ctx.database.db) : ctx.database.db.transaction().execute(body);
}
