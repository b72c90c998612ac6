import { CompiledQuery, type RawBuilder, type SqlBool } from 'kysely';
import { chunks } from './chunks.js';
import type { Db } from './db.js';
import { insertRows, insertRowsQuery, placeholders } from './insert-rows.js';
import { parseJson, toJson } from './json.js';

export type ProfileStatus = 'anonymous' | 'addressable' | 'identified';
export type StoredStatus = ProfileStatus | 'merged' | 'deleted';

export interface ProfileRecord {
  id: string;
  status: StoredStatus;
  traits: Record<string, unknown>;
  mergedInto: string | null;
  createdAt: number;
  updatedAt: number;
}

export type ProfileRow = {
  id: string;
  status: string;
  traits: unknown;
  merged_into: string | null;
  created_at: number;
  updated_at: number;
};

/** A `profiles` row as a record, its traits parsed. */
export const toRecord = (r: ProfileRow): ProfileRecord => ({
  id: r.id,
  status: r.status as StoredStatus,
  traits: parseJson(r.traits, {}),
  mergedInto: r.merged_into,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Inserts new profiles, complete (status and traits as they are to be); with `writes` the statements are added there rather than run. */
export async function insertProfiles(
  db: Db,
  workspaceId: string,
  profiles: Array<{ id: string; status: ProfileStatus; traits: Record<string, unknown>; now: number }>,
  writes?: CompiledQuery[],
): Promise<void> {
  await insertProfileRows(
    db,
    workspaceId,
    profiles.map((p) => ({ id: p.id, status: p.status, traits: p.traits, mergedInto: null, createdAt: p.now, updatedAt: p.now })),
    writes,
  );
}

/**
 * Inserts profiles in their final state, each with its own timestamps and
 * merge pointer (an import chunk's, built in memory), in one multi-row insert
 * per thousand (7 parameters a row: far under SQLite's bound-parameter limit).
 * With `writes` the statements are added there rather than run.
 *
 * @example
 * await insertProfileRows(trx, ws, [{ id, status: 'identified', traits: {}, mergedInto: null, createdAt: now, updatedAt: now }]);
 */
export async function insertProfileRows(db: Db, workspaceId: string, profiles: ProfileRecord[], writes?: CompiledQuery[]): Promise<void> {
  const columns = ['workspace_id', 'id', 'status', 'traits', 'merged_into', 'created_at', 'updated_at'];
  const types = ['text', 'text', 'text', 'jsonb', 'text', 'int8', 'int8'];
  for (const chunk of chunks(profiles, 1000)) {
    const rows = chunk.map((p) => [workspaceId, p.id, p.status, toJson(p.traits), p.mergedInto, p.createdAt, p.updatedAt]);
    if (writes) writes.push(insertRowsQuery(db, 'profiles', columns, rows, '', types));
    else await insertRows(db, 'profiles', columns, rows, '', types);
  }
}

export async function getProfileRecord(db: Db, workspaceId: string, id: string): Promise<ProfileRecord | undefined> {
  const row = await db.selectFrom('profiles').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return row && toRecord(row);
}

export async function getProfileRecords(db: Db, workspaceId: string, ids: string[]): Promise<Map<string, ProfileRecord>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('profiles').selectAll().where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, toRecord(r)]));
}

/** Updates a profile's row; with `writes` the statement is added there (repos/combined-writes.ts) rather than run. */
export async function updateProfile(
  db: Db,
  workspaceId: string,
  id: string,
  patch: { status?: StoredStatus; traits?: Record<string, unknown>; mergedInto?: string | null; now: number },
  writes?: CompiledQuery[],
): Promise<void> {
  // Written as text, not built by Kysely: every identify that changes a profile runs it.
  const spell = placeholders(db);
  const params: unknown[] = [patch.now];
  const sets = [`"updated_at" = ${spell(1)}`];
  const set = (column: string, value: unknown) => {
    params.push(value);
    sets.push(`"${column}" = ${spell(params.length)}`);
  };
  if (patch.status !== undefined) set('status', patch.status);
  if (patch.traits !== undefined) set('traits', toJson(patch.traits));
  if (patch.mergedInto !== undefined) set('merged_into', patch.mergedInto);
  params.push(workspaceId, id);
  const where = `"workspace_id" = ${spell(params.length - 1)} and "id" = ${spell(params.length)}`;
  const query = CompiledQuery.raw(`update "profiles" set ${sets.join(', ')} where ${where}`, params);
  if (writes) writes.push(query);
  else await db.executeQuery(query);
}

/** A condition on the profile row aliased `p`: a segment (repos/segment-sql.ts) narrows a list or a count with it. */
export type ProfileFilter = RawBuilder<SqlBool>;

export async function listProfiles(
  db: Db,
  workspaceId: string,
  q: { status?: ProfileStatus; limit: number; after?: string; filter?: ProfileFilter },
): Promise<ProfileRecord[]> {
  let query = db
    .selectFrom('profiles as p')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('status', 'in', q.status ? [q.status] : ['anonymous', 'addressable', 'identified']);
  if (q.after) query = query.where('id', '>', q.after);
  if (q.filter) query = query.where(q.filter);
  const rows = await query.orderBy('id').limit(q.limit).execute();
  return rows.map(toRecord);
}

export async function countByStatus(db: Db, workspaceId: string): Promise<Record<ProfileStatus, number>> {
  const rows = await db
    .selectFrom('profiles')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('workspace_id', '=', workspaceId)
    .groupBy('status')
    .execute();
  const counts: Record<ProfileStatus, number> = { anonymous: 0, addressable: 0, identified: 0 };
  for (const r of rows) if (r.status in counts) counts[r.status as ProfileStatus] = Number(r.n);
  return counts;
}
