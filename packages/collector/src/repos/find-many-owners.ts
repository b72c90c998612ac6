import { CompiledQuery } from 'kysely';
import type { Identifier } from '../domain/identity/types.js';
import { IN_LIST_MAX } from './chunks.js';
import type { Db } from './db.js';
import { pgTextArrays, SHORT_ARRAY } from './pg-arrays.js';
import { createSqlTextCache } from './sql-text-cache.js';

/** One text a list length up to SHORT_ARRAY, and one for longer lists (pgTextArrays), each prepared. */
const texts = createSqlTextCache(SHORT_ARRAY + 2, { prepared: true });

/**
 * findOwners on plain PostgreSQL, from a message's one identifier to an
 * import chunk's thousands: the pairs as two `text[]` (pgTextArrays), each
 * pair probed through the primary key by a `lateral` subquery with `limit 1`.
 * As `kind in (…) and value in (…)` (or a join with the arrays) the planner
 * took a parallel scan of the whole table (70 ms at 200,000 identities,
 * growing with the table) over 2,400 index probes (15 ms), and in a store not
 * yet analyzed a scan of the workspace's identities for a single value; the
 * `limit 1` lateral cannot be flattened into a join, so it stays on the index
 * (ARCHITECTURE.md, "PostgreSQL: lookups that stay probes"). Answers the owner of each
 * identifier (`kind:value`) that has one; with `retired`, adds there the keys
 * whose row is a retired one (an import's held rows write those as upserts,
 * the keys with no row at all as plain inserts).
 *
 * @example
 * await findManyOwners(trx, ws, chunkIdentifiers); // → Map { 'email:ana@example.com' => 'p1', … }
 */
export async function findManyOwners(db: Db, workspaceId: string, ids: Identifier[], retired?: Set<string>): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const { arrays, params, shape } = pgTextArrays(2, ownerPairs(ids));
  const text = texts(`${shape}${retired ? ':retired' : ''}`, () => OWNERS_PG('$1', arrays[0]!, arrays[1]!, !!retired));
  const { rows } = await db.executeQuery<{ kind: string; value: string; profile_id: string; replaced_at?: unknown }>(
    CompiledQuery.raw(text, [workspaceId, ...params]),
  );
  const owners = new Map<string, string>();
  for (const r of rows) {
    const key = `${r.kind}:${r.value}`;
    if (r.replaced_at == null) owners.set(key, r.profile_id);
    else retired?.add(key);
  }
  return owners;
}

/** The distinct pairs of `ids` as two lists, kinds and values: OWNERS_PG's. */
export function ownerPairs(ids: Identifier[]): [string[], string[]] {
  const kinds: string[] = [];
  const values: string[] = [];
  for (const i of new Map(ids.map((i) => [`${i.kind}:${i.value}`, i])).values()) {
    kinds.push(i.kind);
    values.push(i.value);
  }
  return [kinds, values];
}

/**
 * The owner of each pair of `kinds` and `values` (two `text[]` expressions)
 * in the workspace `ws`, each probed through the primary key: rows of
 * `kind`, `value`, `profile_id`, only for the pairs owned. With `retired`,
 * the pairs whose row is retired too, with their `replaced_at`.
 */
export const OWNERS_PG = (ws: string, kinds: string, values: string, retired = false) =>
  `select w."kind", w."value", x."profile_id"${retired ? ', x."replaced_at"' : ''} from unnest(${kinds}, ${values}) as w("kind", "value") cross join lateral (select "profile_id"${retired ? ', "replaced_at"' : ''} from "identities" where "workspace_id" = ${ws} and "kind" = w."kind" and "value" = w."value"${retired ? '' : ' and "replaced_at" is null'} limit 1) as x`;

/**
 * Lengths a long `in (…)` value list of an owners read is padded to (with
 * its last value again: the same rows), so SQLite compiles a few texts once
 * instead of one for every length an import chunk happens to look up (each
 * ~1,000-value text kept by db/statement-cache.ts, which grew the process
 * with the file). Lists of `short` values or fewer keep their length.
 *
 * @example
 * paddedValues(['a', 'b', 'c'], 2); // → ['a', 'b', 'c', 'c', …] (64 values)
 */
export function paddedValues(values: string[], short: number): string[] {
  const size = values.length <= short ? values.length : PADDED_LENGTHS.find((n) => n >= values.length)!;
  return values.length === size ? values : [...values, ...new Array<string>(size - values.length).fill(values.at(-1)!)];
}

/** The lengths paddedValues pads a long list to: the last is the longest list a read takes. */
export const PADDED_LENGTHS = [64, 256, IN_LIST_MAX];
