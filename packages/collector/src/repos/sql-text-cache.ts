import { markPreparable } from '../db/prepared-statements.js';

/**
 * A bounded memo of SQL texts by key: each text is built once and then reused,
 * so a hot statement is neither built by Kysely (a frozen node per value,
 * compiled on every call) nor concatenated again on every request. Once
 * `max` texts are kept, further ones are built but not kept: the first,
 * commonest shapes stay, and a burst of odd lengths cannot grow it. With
 * `prepared`, each kept text also runs as a named prepared statement on a
 * single-node PostgreSQL (db/prepared-statements.ts): only for statements
 * whose plan does not depend on their values (by key).
 *
 * @example
 * const texts = createSqlTextCache(64);
 * const text = texts(`${spell(2)}:${n}`, () => `select … in (${list(n)})`);
 */
export function createSqlTextCache(max: number, options: { prepared?: boolean } = {}): (key: string, build: () => string) => string {
  const texts = new Map<string, string>();
  return (key, build) => {
    let text = texts.get(key);
    if (text === undefined) {
      text = build();
      if (texts.size < max) {
        texts.set(key, text);
        if (options.prepared) markPreparable(text);
      }
    }
    return text;
  };
}
