import { CompiledQuery, sql } from 'kysely';
import { markPreparable } from '../db/prepared-statements.js';
import { ANY_COUNT, columnTypes, insertRowsQuery, singleNodePostgres } from './insert-rows.js';
import { chunks, IN_LIST_MAX } from './chunks.js';
import type { Db } from './db.js';

/** A mark as a pass read it: cleared afterwards only if no one marked the profile again meanwhile. */
export interface DirtyMark {
  profileId: string;
  version: number;
}

const upsert = (db: Db) =>
  db
    .insertInto('audience_dirty')
    .onConflict((oc) => oc.columns(['workspace_id', 'profile_id']).doUpdateSet({ version: sql`audience_dirty.version + 1` }));

/**
 * Marks profiles for the next audience pass: ingest's only cost for live
 * membership and triggers (one upsert a batch). Call it after the change is
 * written, or inside its transaction.
 *
 * @example
 * await markProfilesDirty(trx, ws, [survivorId, ...mergedIds]);
 */
export async function markProfilesDirty(db: Db, workspaceId: string, profileIds: Iterable<string>): Promise<void> {
  for (const query of markProfilesDirtyQueries(db, workspaceId, profileIds)) await db.executeQuery(query);
}

/** A mark's conflict clause: a profile marked again gets a new version, so a pass that read the old mark leaves it (DirtyMark). */
export const MARK_AGAIN = 'on conflict ("workspace_id", "profile_id") do update set "version" = audience_dirty.version + 1';
const MARK_COLUMNS = ['workspace_id', 'profile_id', 'version'];
/** MARK_COLUMNS' PostgreSQL types: marks bind as one JSON document there, however few (insertRowsQuery, ANY_COUNT). */
const MARK_TYPES = columnTypes(MARK_COLUMNS, { version: 'int8' });

/**
 * markProfilesDirty's statements (one a thousand profiles), not run: a caller folding writes into one statement takes them.
 *
 * @example
 * const [mark] = markProfilesDirtyQueries(trx, ws, [survivorId]);
 */
export function markProfilesDirtyQueries(db: Db, workspaceId: string, profileIds: Iterable<string>): CompiledQuery[] {
  const ids = [...new Set(profileIds)];
  return chunks(ids, IN_LIST_MAX).map((chunk) =>
    insertRowsQuery(
      db,
      'audience_dirty',
      MARK_COLUMNS,
      chunk.map((id) => [workspaceId, id, 1]),
      MARK_AGAIN,
      MARK_TYPES,
      ANY_COUNT,
    ),
  );
}

/**
 * Whether anything of the workspace reads marks: a saved segment (its live
 * membership) or an enabled trigger. An import chunk asks under the graph
 * lock, which saving a segment or a trigger takes shared, so a segment saved
 * meanwhile either is seen here or sees the chunk's profiles in its first
 * membership.
 *
 * @example
 * if (await marksRead(trx, ws)) writes.push(...markProfilesDirtyQueries(trx, ws, changed));
 */
export async function marksRead(db: Db, workspaceId: string): Promise<boolean> {
  const row = await db
    .selectNoFrom((eb) => [
      eb.exists(eb.selectFrom('segments').select('id').where('workspace_id', '=', workspaceId)).as('segments'),
      eb.exists(eb.selectFrom('triggers').select('id').where('workspace_id', '=', workspaceId).where('enabled', '=', 1)).as('triggers'),
    ])
    .executeTakeFirstOrThrow();
  return Boolean(Number(row.segments)) || Boolean(Number(row.triggers));
}

/** Marks the profiles owning these anonymous IDs (the fast ingest path knows IDs, not profiles): one INSERT … SELECT. */
export async function markAnonymousIdsDirty(db: Db, workspaceId: string, anonymousIds: Iterable<string>): Promise<void> {
  const ids = [...new Set(anonymousIds)];
  for (const chunk of chunks(ids, IN_LIST_MAX)) {
    await upsert(db)
      .columns(['workspace_id', 'profile_id', 'version'])
      .expression((eb) =>
        eb
          .selectFrom('identities')
          .select([sql.lit(workspaceId).as('workspace_id'), 'profile_id', sql.lit(1).as('version')])
          .where('workspace_id', '=', workspaceId)
          .where('kind', '=', 'anonymousId')
          .where('value', 'in', chunk)
          .where('replaced_at', 'is', null)
          // SQLite's upsert after INSERT … SELECT needs a WHERE to parse (its documented ambiguity with ON).
          .where(sql<boolean>`1 = 1`)
          .distinct(),
      )
      .execute();
  }
}

/** Marks the profiles holding an address (a suppression added or lifted changes what they match). */
export async function markAddressDirty(db: Db, workspaceId: string, address: string): Promise<void> {
  const rows = await db
    .selectFrom('identities')
    .select('profile_id')
    .where('workspace_id', '=', workspaceId)
    .where('value', '=', address)
    .where('kind', 'in', ['email', 'phone'])
    .execute();
  await markProfilesDirty(
    db,
    workspaceId,
    rows.map((r) => r.profile_id),
  );
}

/** Up to `limit` marked profiles of a workspace. */
export async function readDirty(db: Db, workspaceId: string, limit: number): Promise<DirtyMark[]> {
  const rows = await db
    .selectFrom('audience_dirty')
    .select(['profile_id', 'version'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('profile_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ profileId: r.profile_id, version: Number(r.version) }));
}

/** clearDirty on plain PostgreSQL: every mark read, as arrays of profiles and versions, deleted by key. */
const CLEAR_MARKS = `delete from "audience_dirty" as d using unnest($2::text[], $3::int8[]) as m("profile_id", "version")
  where d."workspace_id" = $1 and d."profile_id" = m."profile_id" and d."version" = m."version"`;
markPreparable(CLEAR_MARKS);

/**
 * Clears the marks a pass settled, each only at the version it read. On
 * plain PostgreSQL one statement takes them all as two arrays (a prepared
 * text: a pass clears up to 500 marks a batch, and an `in` list of 500
 * values was planned anew every time); elsewhere one delete a version and
 * IN_LIST_MAX profiles.
 */
export async function clearDirty(db: Db, workspaceId: string, marks: DirtyMark[]): Promise<void> {
  if (!marks.length) return;
  if (singleNodePostgres(db)) {
    await db.executeQuery(CompiledQuery.raw(CLEAR_MARKS, [workspaceId, marks.map((m) => m.profileId), marks.map((m) => m.version)]));
    return;
  }
  const byVersion = new Map<number, string[]>();
  for (const m of marks) {
    const ids = byVersion.get(m.version);
    if (ids) ids.push(m.profileId);
    else byVersion.set(m.version, [m.profileId]);
  }
  for (const [version, ids] of byVersion) {
    for (const chunk of chunks(ids, IN_LIST_MAX)) {
      await db
        .deleteFrom('audience_dirty')
        .where('workspace_id', '=', workspaceId)
        .where('version', '=', version)
        .where('profile_id', 'in', chunk)
        .execute();
    }
  }
}

/** The time of the workspace's last pass, or undefined before its first. */
export async function lastPassAt(db: Db, workspaceId: string): Promise<number | undefined> {
  const row = await db.selectFrom('audience_passes').select('checked_at').where('workspace_id', '=', workspaceId).executeTakeFirst();
  return row ? Number(row.checked_at) : undefined;
}

export async function recordPass(db: Db, workspaceId: string, at: number): Promise<void> {
  await db
    .insertInto('audience_passes')
    .values({ workspace_id: workspaceId, checked_at: at })
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ checked_at: at }))
    .execute();
}

/** Every workspace, for the background pass. */
export async function workspaceIds(db: Db): Promise<string[]> {
  return (await db.selectFrom('workspaces').select('id').orderBy('id').execute()).map((r) => r.id);
}
