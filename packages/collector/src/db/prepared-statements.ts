import { createHash } from 'node:crypto';
import type pg from 'pg';

/** SQL text → the name of its prepared statement, for the texts marked preparable. */
const names = new Map<string, string>();

/**
 * Marks `text` as worth a named prepared statement on a single-node
 * PostgreSQL: parsed and planned once a connection instead of once a query.
 * Only for hot texts from a bounded set (createSqlTextCache with `prepared`):
 * each name stays prepared on every connection that ran it, for its life.
 * The plan cache's own rules then apply (a generic plan after five runs only
 * where it costs no more than the custom ones), so mark only statements
 * whose plan does not depend on their values: lookups, inserts and updates
 * by key (repos/combined-writes.ts marks an identify's folded write).
 */
export function markPreparable(text: string): void {
  if (!names.has(text)) names.set(text, `tl_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`);
}

/**
 * A pg Client class for the pool of a single-node PostgreSQL: a query whose
 * text was marked preparable goes as a named prepared statement (pg parses
 * it on a connection the first time only); every other query as it came.
 * Kysely calls `query(text, values)`.
 *
 * @example new pg.Pool({ connectionString, Client: preparingClient(pg) })
 */
export function preparingClient(driver: typeof pg): typeof pg.Client {
  class PreparingClient extends driver.Client {}
  // Looked up on each call, not kept: whatever wraps pg's own query (tests count statements) still sees every one.
  const query = () => driver.Client.prototype.query as (...args: unknown[]) => unknown;
  Object.defineProperty(PreparingClient.prototype, 'query', {
    value: function preparedQuery(this: pg.Client, config: unknown, ...rest: unknown[]) {
      const name = typeof config === 'string' && rest.length > 0 && Array.isArray(rest[0]) ? names.get(config) : undefined;
      if (name === undefined) return query().call(this, config, ...rest);
      return query().call(this, { name, text: config, values: rest[0] }, ...rest.slice(1));
    },
    writable: true,
    configurable: true,
  });
  return PreparingClient;
}
