import { sql, type RawBuilder } from 'kysely';
import { chunks, IN_LIST_MAX } from './chunks.js';
import type { Db } from './db.js';

/** The ids the query (rows with an `id` column) answers. */
export async function idsOf(db: Db, query: RawBuilder<unknown>): Promise<Set<string>> {
  const { rows } = await sql<{ id: string }>`select m.id from (${query}) m`.execute(db);
  return new Set(rows.map((r) => r.id));
}

/** Which of the profiles are stored as members of the segment. */
export async function storedMembers(db: Db, workspaceId: string, segmentId: string, profileIds: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const chunk of chunks(profileIds, IN_LIST_MAX)) {
    const rows = await db
      .selectFrom('segment_members')
      .select('profile_id')
      .where('workspace_id', '=', workspaceId)
      .where('segment_id', '=', segmentId)
      .where('profile_id', 'in', chunk)
      .execute();
    for (const r of rows) found.add(r.profile_id);
  }
  return found;
}

/** Inserts members; answers the ones this call inserted (a concurrent writer's are not announced twice). */
export async function addMembers(db: Db, workspaceId: string, segmentId: string, profileIds: string[], now: number): Promise<string[]> {
  const added: string[] = [];
  for (const chunk of chunks(profileIds, IN_LIST_MAX)) {
    const rows = await db
      .insertInto('segment_members')
      .values(chunk.map((profile_id) => ({ workspace_id: workspaceId, segment_id: segmentId, profile_id, entered_at: now })))
      .onConflict((oc) => oc.doNothing())
      .returning('profile_id')
      .execute();
    added.push(...rows.map((r) => r.profile_id));
  }
  return added;
}

/** Deletes members; answers the ones this call deleted. */
export async function removeMembers(db: Db, workspaceId: string, segmentId: string, profileIds: string[]): Promise<string[]> {
  const removed: string[] = [];
  for (const chunk of chunks(profileIds, IN_LIST_MAX)) {
    const rows = await db
      .deleteFrom('segment_members')
      .where('workspace_id', '=', workspaceId)
      .where('segment_id', '=', segmentId)
      .where('profile_id', 'in', chunk)
      .returning('profile_id')
      .execute();
    removed.push(...rows.map((r) => r.profile_id));
  }
  return removed;
}

/** Sets the whole membership of a segment to what `members` (rows `(id, status)`) answers now, in two statements. */
export async function replaceMembers(db: Db, workspaceId: string, segmentId: string, members: RawBuilder<unknown>, now: number) {
  await dropMembers(db, workspaceId, segmentId);
  await sql`insert into segment_members (workspace_id, segment_id, profile_id, entered_at)
    select ${workspaceId}, ${segmentId}, m.id, ${now} from (${members}) m`.execute(db);
}

export async function dropMembers(db: Db, workspaceId: string, segmentId: string): Promise<void> {
  await db.deleteFrom('segment_members').where('workspace_id', '=', workspaceId).where('segment_id', '=', segmentId).execute();
}

/** The saved segments a profile is a member of. */
export async function segmentsOf(db: Db, workspaceId: string, profileId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('segment_members')
    .select('segment_id')
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', '=', profileId)
    .execute();
  return rows.map((r) => r.segment_id);
}

/** A segment's stored members as rows `(id, status)`, the shape counts and lists read. */
export const memberRows = (workspaceId: string, segmentId: string): RawBuilder<unknown> =>
  sql`select p.id, p.status from segment_members sm
    cross join profiles p
    where sm.workspace_id = ${workspaceId} and sm.segment_id = ${segmentId}
      and p.workspace_id = sm.workspace_id and p.id = sm.profile_id and p.status in ('anonymous', 'addressable', 'identified')`;
