import type { IdentifierKind } from '../domain/identity/types.js';
import { chunks } from './chunks.js';
import type { Db } from './db.js';
import { insertRows } from './insert-rows.js';
import { toJson } from './json.js';
import type { ProfileRecord } from './profiles.js';

/** A profile an import chunk built in memory, as it is to be stored (a merged one included). */
export type ProfileRow = ProfileRecord;

/** An identity row an import chunk built in memory. */
export interface IdentityRowWrite {
  kind: IdentifierKind;
  value: string;
  profileId: string;
  replacedAt: number | null;
  createdAt: number;
}

// Rows a statement: 7 and 6 parameters a row stay far under SQLite's bound-parameter limit, and a
// values list (not INSERT … SELECT unnest) keeps a Citus insert into a distributed table cheap.
const ROWS_A_STATEMENT = 1000;

/**
 * Inserts profiles in their final state, each with its own timestamps and
 * merge pointer, in one multi-row insert per thousand.
 *
 * @example
 * await insertProfileRows(trx, ws, [{ id, status: 'identified', traits: {}, mergedInto: null, createdAt: now, updatedAt: now }]);
 */
export async function insertProfileRows(db: Db, workspaceId: string, profiles: ProfileRow[]): Promise<void> {
  const columns = ['workspace_id', 'id', 'status', 'traits', 'merged_into', 'created_at', 'updated_at'];
  for (const chunk of chunks(profiles, ROWS_A_STATEMENT)) {
    const rows = chunk.map((p) => [workspaceId, p.id, p.status, toJson(p.traits), p.mergedInto, p.createdAt, p.updatedAt]);
    await insertRows(db, 'profiles', columns, rows);
  }
}

/** A replaced (retired) row of the same value is taken over, as assignIdentities does; its created_at stays. */
const UPSERT_OWNER =
  'on conflict ("workspace_id", "kind", "value") do update set "profile_id" = "excluded"."profile_id", "replaced_at" = "excluded"."replaced_at"';

/**
 * Writes identity rows in their final state (owner, replaced_at, created_at),
 * one multi-row upsert per thousand.
 *
 * @example
 * await upsertIdentityRows(trx, ws, [{ kind: 'email', value: 'ana@example.com', profileId, replacedAt: null, createdAt: now }]);
 */
export async function upsertIdentityRows(db: Db, workspaceId: string, identities: IdentityRowWrite[]): Promise<void> {
  const columns = ['workspace_id', 'kind', 'value', 'profile_id', 'replaced_at', 'created_at'];
  for (const chunk of chunks(identities, ROWS_A_STATEMENT)) {
    const rows = chunk.map((i) => [workspaceId, i.kind, i.value, i.profileId, i.replacedAt, i.createdAt]);
    await insertRows(db, 'identities', columns, rows, UPSERT_OWNER);
  }
}
