import type { Db } from './db.js';
import { parseJson, toJson } from './json.js';

export interface SegmentRecord {
  id: string;
  name: string;
  definition: unknown;
  createdAt: number;
  updatedAt: number;
  /** When the stored membership was last rebuilt whole; null when it never was. */
  membersAt: number | null;
}

type Row = { id: string; name: string; definition: unknown; created_at: number; updated_at: number; members_at: number | null };

const toRecord = (r: Row): SegmentRecord => ({
  id: r.id,
  name: r.name,
  definition: parseJson(r.definition, {}),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  membersAt: r.members_at === null ? null : Number(r.members_at),
});

/** Records that the segment's membership was just rebuilt from the whole query. */
export async function markMembersBuilt(db: Db, workspaceId: string, id: string, at: number): Promise<void> {
  await db.updateTable('segments').set({ members_at: at }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

export async function insertSegment(
  db: Db,
  workspaceId: string,
  s: { id: string; name: string; definition: unknown; now: number },
): Promise<void> {
  await db
    .insertInto('segments')
    .values({ workspace_id: workspaceId, id: s.id, name: s.name, definition: toJson(s.definition), created_at: s.now, updated_at: s.now })
    .execute();
}

export async function getSegment(db: Db, workspaceId: string, id: string): Promise<SegmentRecord | undefined> {
  const row = await db.selectFrom('segments').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return row && toRecord(row);
}

export async function listSegments(db: Db, workspaceId: string): Promise<SegmentRecord[]> {
  const rows = await db
    .selectFrom('segments')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toRecord);
}

/** Answers whether the segment existed. */
export async function updateSegment(
  db: Db,
  workspaceId: string,
  id: string,
  patch: { name?: string; definition?: unknown; now: number },
): Promise<boolean> {
  const res = await db
    .updateTable('segments')
    .set({
      updated_at: patch.now,
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.definition !== undefined ? { definition: toJson(patch.definition) } : {}),
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Answers whether the segment existed. */
export async function deleteSegment(db: Db, workspaceId: string, id: string): Promise<boolean> {
  const res = await db.deleteFrom('segments').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}
