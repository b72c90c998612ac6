/** PostgreSQL's `deadlock_detected`: the server rolled the victim's transaction back, so it can simply run again. */
const DEADLOCK = '40P01';

/**
 * Runs `work` (one statement, or one whole transaction) and runs it again
 * when PostgreSQL chose it as a deadlock's victim, up to `attempts` times in
 * all. For writes that take row locks in an order they cannot fully control
 * against other work (the fast ingest path's audience marks against the
 * audience pass clearing them): the deadlock is transient, and a request
 * should not fail for it.
 *
 * @example
 * const ids = await retryDeadlocks(() => db.executeQuery(statement));
 */
export async function retryDeadlocks<T>(work: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (attempt >= attempts || (err as { code?: unknown }).code !== DEADLOCK) throw err;
    }
  }
}
