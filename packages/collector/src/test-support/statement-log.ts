import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface StatementLog {
  /** The SQL text of every statement sent since the log started, in order (whitespace collapsed). */
  readonly texts: string[];
  /** Every pg query with bound values since the log started, its text as sent. */
  readonly bound: Array<{ text: string; values: unknown[] }>;
  /** Stops recording and puts the drivers back as they were. */
  stop(): void;
}

/**
 * Records every SQL statement the drivers run (better-sqlite3 statements,
 * pg queries), `begin` and `commit` included: what a request costs in
 * statements and transactions is tested as a count, never as a time.
 *
 * @example
 * const log = logStatements(); await t.send('/v1/batch', body); log.stop(); expect(log.texts.filter((s) => s === 'commit')).toHaveLength(1);
 */
export function logStatements(): StatementLog {
  const texts: string[] = [];
  const bound: Array<{ text: string; values: unknown[] }> = [];
  const restore: Array<() => void> = [];
  const wrap = (proto: Record<string, unknown>, name: string, textOf: (self: unknown, args: unknown[]) => unknown) => {
    const original = proto[name] as (...args: unknown[]) => unknown;
    proto[name] = function logged(this: unknown, ...args: unknown[]) {
      const text = textOf(this, args);
      if (typeof text === 'string') texts.push(text.replace(/\s+/g, ' ').trim());
      return original.apply(this, args);
    };
    restore.push(() => {
      proto[name] = original;
    });
  };
  const SQLite = require('better-sqlite3');
  const probe = new SQLite(':memory:');
  const statement = Object.getPrototypeOf(probe.prepare('select 1'));
  probe.close();
  for (const name of ['run', 'all', 'get', 'iterate']) wrap(statement, name, (self) => (self as { source: string }).source);
  wrap(require('pg').Client.prototype, 'query', (_self, [query, values]) => {
    const sent = typeof query === 'string' ? { text: query, values } : ((query ?? {}) as { text?: string; values?: unknown });
    if (sent.text && Array.isArray(sent.values) && sent.values.length) bound.push({ text: sent.text, values: sent.values });
    return sent.text;
  });
  return {
    texts,
    bound,
    stop: () => {
      for (const undo of restore.splice(0).reverse()) undo();
    },
  };
}
