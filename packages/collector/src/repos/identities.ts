import type { Identifier, IdentifierKind } from '../domain/identity/types.js';
import { chunks, IN_LIST_MAX } from './chunks.js';
import type { Db } from './db.js';
import { CompiledQuery } from 'kysely';
import { insertRows, insertRowsQuery, placeholders, singleNodePostgres } from './insert-rows.js';
import { createSqlTextCache } from './sql-text-cache.js';
import { findManyOwners, PADDED_LENGTHS, paddedValues } from './find-many-owners.js';

export interface IdentityRow {
  kind: IdentifierKind;
  value: string;
  profileId: string;
  replacedAt: number | null;
}

/** findOwners' texts by store, kind count and value count: written once, not built by Kysely on every message. */
const ownersTexts = createSqlTextCache(256, { prepared: true });
const SHORT_LIST = 16;
function ownersStatement(spell: (n: number) => string, kinds: number, values: number): string {
  const list = (from: number, n: number) => Array.from({ length: n }, (_, i) => spell(from + i)).join(', ');
  const build = () =>
    `select "kind", "value", "profile_id" from "identities" where "workspace_id" = ${spell(1)} and "kind" in (${list(2, kinds)}) and "value" in (${list(2 + kinds, values)}) and "replaced_at" is null`;
  // The short lists a message names, and the padded lengths of long ones (paddedValues), are kept.
  const kept = values <= SHORT_LIST || PADDED_LENGTHS.includes(values);
  return kept ? ownersTexts(`${spell(2)}:${kinds}:${values}`, build) : build();
}

/**
 * The current owners of the given identifiers (replaced values identify no
 * one). One `kind in (…) and value in (…)` query a chunk of values, whatever
 * the kinds (an identify names two or three): a flat IN list stays inside
 * SQLite's expression-depth and bound-parameter limits for a whole
 * 2,500-message batch, where an OR of pairs would not. The few rows pairing a
 * value with another kind than asked are dropped here. Plain PostgreSQL
 * probes the primary key a pair instead (findManyOwners), and only there
 * fills `retired`, when given, with the keys whose row is a retired one.
 */
export async function findOwners(db: Db, workspaceId: string, ids: Identifier[], retired?: Set<string>): Promise<Map<string, string>> {
  const spell = placeholders(db);
  if (singleNodePostgres(db)) return findManyOwners(db, workspaceId, ids, retired);
  const owners = new Map<string, string>();
  const wanted = new Set(ids.map((i) => `${i.kind}:${i.value}`));
  const kinds = [...new Set(ids.map((i) => i.kind))];
  for (const values of chunks([...new Set(ids.map((i) => i.value))], IN_LIST_MAX)) {
    const chunk = paddedValues(values, SHORT_LIST);
    const text = ownersStatement(spell, kinds.length, chunk.length);
    const { rows } = await db.executeQuery<{ kind: string; value: string; profile_id: string }>(
      CompiledQuery.raw(text, [workspaceId, ...kinds, ...chunk]),
    );
    for (const r of rows) if (wanted.has(`${r.kind}:${r.value}`)) owners.set(`${r.kind}:${r.value}`, r.profile_id);
  }
  return owners;
}

/** Every identity row of the profiles, replaced ones included. */
export async function identitiesOf(db: Db, workspaceId: string, profileIds: string[]): Promise<IdentityRow[]> {
  if (!profileIds.length) return [];
  const rows = await db
    .selectFrom('identities')
    .select(['kind', 'value', 'profile_id', 'replaced_at'])
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', 'in', profileIds)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({ kind: r.kind as IdentifierKind, value: r.value, profileId: r.profile_id, replacedAt: r.replaced_at }));
}

/**
 * Gives the identifiers to the profile; a replaced row is taken over, with the events recorded under it.
 * With `writes` the statement is added there (repos/combined-writes.ts) rather than run.
 */
export async function assignIdentities(
  db: Db,
  workspaceId: string,
  ids: Identifier[],
  profileId: string,
  now: number,
  writes?: CompiledQuery[],
): Promise<void> {
  await upsertIdentityRows(
    db,
    workspaceId,
    ids.map((id) => identityRow(id, profileId, now)),
    writes,
  );
}

/** assignIdentities for many profiles at once. */
export async function assignIdentitiesTo(
  db: Db,
  workspaceId: string,
  ids: Array<Identifier & { profileId: string }>,
  now: number,
  writes?: CompiledQuery[],
): Promise<void> {
  await upsertIdentityRows(
    db,
    workspaceId,
    ids.map((id) => identityRow(id, id.profileId, now)),
    writes,
  );
}

/** An identity row in its final state, as an import chunk builds it in memory. */
export interface IdentityRowWrite {
  kind: IdentifierKind;
  value: string;
  profileId: string;
  replacedAt: number | null;
  createdAt: number;
}

/**
 * A current identity row of `id` for `profileId`, spelled as a literal: on
 * Node 20 `{ ...id, profileId, … }` took about 3.5 µs a row against 0.3 µs,
 * and an import builds two of these a row.
 */
export const identityRow = (id: Identifier, profileId: string, createdAt: number): IdentityRowWrite => ({
  kind: id.kind,
  value: id.value,
  profileId,
  replacedAt: null,
  createdAt,
});

/** A row of the same value (a retired one included) is taken over: owner and replaced_at from the new row, its created_at kept. */
const UPSERT_OWNER =
  'on conflict ("workspace_id", "kind", "value") do update set "profile_id" = "excluded"."profile_id", "replaced_at" = "excluded"."replaced_at"';

const IDENTITY_COLUMNS = ['workspace_id', 'kind', 'value', 'profile_id', 'replaced_at', 'created_at'];
/** IDENTITY_COLUMNS' PostgreSQL types: a long insert binds one JSON document there (insertRowsQuery). */
const IDENTITY_TYPES = ['text', 'text', 'text', 'text', 'int8', 'int8'];

/** Identity rows in statements of a thousand rows (6 parameters a row: far under SQLite's bound-parameter limit), with `tail`. */
async function writeIdentityRows(db: Db, workspaceId: string, identities: IdentityRowWrite[], tail: string, writes?: CompiledQuery[]) {
  for (const chunk of chunks(identities, 1000)) {
    const rows = chunk.map((i) => [workspaceId, i.kind, i.value, i.profileId, i.replacedAt, i.createdAt]);
    if (writes) writes.push(insertRowsQuery(db, 'identities', IDENTITY_COLUMNS, rows, tail, IDENTITY_TYPES));
    else await insertRows(db, 'identities', IDENTITY_COLUMNS, rows, tail, IDENTITY_TYPES);
  }
}

/**
 * Writes identity rows in their final state (owner, replaced_at, created_at),
 * one multi-row upsert per thousand (a `values` list keeps a Citus insert
 * cheap, plain PostgreSQL binds one JSON document: see insertRowsQuery).
 * With `writes` the statements are added there rather than run.
 *
 * @example
 * await upsertIdentityRows(trx, ws, [{ kind: 'email', value: 'ana@example.com', profileId, replacedAt: null, createdAt: now }]);
 */
export function upsertIdentityRows(db: Db, workspaceId: string, identities: IdentityRowWrite[], writes?: CompiledQuery[]): Promise<void> {
  return writeIdentityRows(db, workspaceId, identities, UPSERT_OWNER, writes);
}

/**
 * upsertIdentityRows for rows whose values have no row at all, not even a
 * retired one, while nothing else can write one (the graph lock held): a
 * plain insert. PostgreSQL's upsert inserts speculatively and confirms:
 * 100,000 rows into the table and its two indexes took 716–826 ms as the
 * upsert and 427–473 ms as this insert (psql). A value that has a row makes
 * it fail with a unique violation.
 *
 * @example
 * await insertIdentityRows(trx, ws, heldRowsOfNewValues, writes);
 */
export function insertIdentityRows(db: Db, workspaceId: string, identities: IdentityRowWrite[], writes?: CompiledQuery[]): Promise<void> {
  return writeIdentityRows(db, workspaceId, identities, '', writes);
}

export async function retireIdentity(db: Db, workspaceId: string, id: Identifier, now: number): Promise<void> {
  await db
    .updateTable('identities')
    .set({ replaced_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('kind', '=', id.kind)
    .where('value', '=', id.value)
    .execute();
}

export async function restoreIdentity(
  db: Db,
  workspaceId: string,
  id: Identifier,
  profileId: string,
  replacedAt: number | null,
): Promise<void> {
  await db
    .updateTable('identities')
    .set({ profile_id: profileId, replaced_at: replacedAt })
    .where('workspace_id', '=', workspaceId)
    .where('kind', '=', id.kind)
    .where('value', '=', id.value)
    .execute();
}

/** Moves every identity of one profile to another: the whole cost of a merge, independent of event count. */
export async function moveIdentities(db: Db, workspaceId: string, fromId: string, toId: string): Promise<void> {
  await db
    .updateTable('identities')
    .set({ profile_id: toId })
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', '=', fromId)
    .execute();
}

export async function deleteIdentities(db: Db, workspaceId: string, profileId: string): Promise<void> {
  await db.deleteFrom('identities').where('workspace_id', '=', workspaceId).where('profile_id', '=', profileId).execute();
}
