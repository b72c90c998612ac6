/** A store or a transaction, of any schema. */
interface Store {
  getExecutor(): { readonly adapter: object };
}

/** The dialect adapters of stores on a Citus coordinator (a transaction shares its store's adapter). */
const distributedAdapters = new WeakSet<object>();

/** Records that `db` is a Citus coordinator (db/connection.ts, once, when it opens). */
export function markDistributed(db: Store): void {
  distributedAdapters.add(db.getExecutor().adapter);
}

/**
 * Whether `db` (a store or a transaction on it) is a Citus coordinator: the
 * few repos whose best statement differs there ask this, and keep one SQL
 * for every store otherwise.
 *
 * @example
 * if (isDistributed(db)) return routedPlan(db, rows);
 */
export const isDistributed = (db: Store): boolean => distributedAdapters.has(db.getExecutor().adapter);
