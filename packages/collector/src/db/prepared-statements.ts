import { createHash } from 'node:crypto';
import { CompiledQuery } from 'kysely';
import type pg from 'pg';
import { DEFER_TEXT, PIPELINE_TEXT, PipelineQuery, Statements } from './pipeline.js';

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
 * It also runs db/pipeline.ts's markers: `pipelined` statements go out in
 * one write, and `deferred` ones wait on the connection for its next
 * statement and go out with it. Kysely calls `query(text, values)`.
 *
 * @example new pg.Pool({ connectionString, Client: preparingClient(pg) })
 */
export function preparingClient(driver: typeof pg): typeof pg.Client {
  class PreparingClient extends driver.Client {}
  // Looked up on each call, not kept: whatever wraps pg's own query (tests count statements) still sees every one.
  const query = () => driver.Client.prototype.query as (...args: unknown[]) => unknown;
  // Statements deferred on each connection, not yet sent.
  const held = new WeakMap<pg.Client, CompiledQuery[]>();
  // A text marked preparable goes by its name; any other as it came.
  function send(client: pg.Client, text: string, values: unknown[], ...rest: unknown[]): unknown {
    const name = names.get(text);
    return name === undefined ? query().call(client, text, values, ...rest) : query().call(client, { name, text, values }, ...rest);
  }
  // In one round trip when every prepared text among them is parsed on this connection already. A text not yet
  // parsed goes alone, as a named statement (so it is, for the next time), between pipelines of the others.
  async function run(client: pg.Client, queries: readonly CompiledQuery[], answer = queries.length - 1) {
    const parsed = (client as unknown as { connection: { parsedStatements: Record<string, string> } }).connection.parsedStatements;
    const types = (client as unknown as { _types: unknown })._types;
    const steps = queries.map((q) => ({ text: q.sql, values: q.parameters, name: names.get(q.sql) }));
    // PipelineQuery binds a named step to its statement: only once the connection has it.
    const ready = (i: number) => steps[i]!.name === undefined || parsed[steps[i]!.name!] === steps[i]!.text;
    let answered: unknown;
    for (let from = 0; from < steps.length; ) {
      let to = from;
      while (to < steps.length && ready(to)) to++;
      if (to > from) {
        const pipeline = new PipelineQuery(steps.slice(from, to), types, answer >= from && answer < to ? answer - from : to - from - 1);
        query().call(client, pipeline);
        const result = await pipeline.done;
        if (answer >= from && answer < to) answered = result;
      }
      if (to < steps.length) {
        const result = await send(client, steps[to]!.text, [...steps[to]!.values]);
        if (answer === to) answered = result;
        to++;
      }
      from = to;
    }
    return answered;
  }
  Object.defineProperty(PreparingClient.prototype, 'query', {
    value: function preparedQuery(this: pg.Client, config: unknown, ...rest: unknown[]) {
      const values = rest[0];
      const statements = Array.isArray(values) && values[0] instanceof Statements ? values[0] : undefined;
      const marked = statements?.queries;
      if (config === DEFER_TEXT && marked) {
        held.set(this, [...(held.get(this) ?? []), ...marked]);
        return Promise.resolve({ command: null, rowCount: 0, rows: [] });
      }
      const before = held.get(this);
      if (config === PIPELINE_TEXT && marked) {
        held.delete(this);
        return run(this, [...(before ?? []), ...marked], (before?.length ?? 0) + statements!.answer);
      }
      if (before && typeof config === 'string') {
        held.delete(this);
        // Nothing deferred was sent (a transaction's opening, its locks): a rollback has nothing to undo.
        if (config === 'rollback') return query().call(this, config, ...rest);
        return run(this, [...before, CompiledQuery.raw(config, Array.isArray(values) ? values : [])]);
      }
      if (typeof config === 'string' && Array.isArray(values)) return send(this, config, values, ...rest.slice(1));
      return query().call(this, config, ...rest);
    },
    writable: true,
    configurable: true,
  });
  return PreparingClient;
}
