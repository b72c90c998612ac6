import type { PersonKind, ProfileView } from '../domain/identity/types.js';
import type { Db } from './db.js';
import { type ProfileRecord, toRecord } from './profiles.js';

/** Resolver views of the profiles: their current person identifiers and age, in one statement. */
export async function profileViews(db: Db, workspaceId: string, profileIds: string[]): Promise<Map<string, ProfileView>> {
  return (await profileViewsAndRecords(db, workspaceId, profileIds)).views;
}

/**
 * profileViews, and the profiles' records from the same statement: a plan
 * applied right after (under the locks the views were read with) needs no
 * second read of its survivor and losers.
 */
export async function profileViewsAndRecords(
  db: Db,
  workspaceId: string,
  profileIds: string[],
): Promise<{ views: Map<string, ProfileView>; records: Map<string, ProfileRecord> }> {
  const views = new Map<string, ProfileView>();
  const records = new Map<string, ProfileRecord>();
  if (!profileIds.length) return { views, records };
  // The profiles as a subquery: on Citus they and their identities are
  // hashed by different columns, and an outer join is planned only when its
  // outer side is a subquery Citus can run first (here on the profiles' shards).
  const profiles = db
    .selectFrom('profiles')
    .select(['workspace_id', 'id', 'status', 'traits', 'merged_into', 'created_at', 'updated_at'])
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', profileIds)
    .as('p');
  const rows = await db
    .selectFrom(profiles)
    .leftJoin('identities as i', (join) =>
      join
        .onRef('i.workspace_id', '=', 'p.workspace_id')
        .onRef('i.profile_id', '=', 'p.id')
        .on('i.kind', '!=', 'anonymousId')
        .on('i.replaced_at', 'is', null),
    )
    .select(['p.id', 'p.status', 'p.traits', 'p.merged_into', 'p.created_at', 'p.updated_at', 'i.kind', 'i.value'])
    .orderBy('i.created_at')
    .execute();
  for (const r of rows) {
    let view = views.get(r.id);
    if (!view) {
      view = { id: r.id, createdAt: r.created_at, updatedAt: r.updated_at, ids: {} };
      views.set(r.id, view);
      records.set(r.id, toRecord(r));
    }
    if (r.kind !== null && r.value !== null) view.ids[r.kind as PersonKind] = r.value;
  }
  return { views, records };
}
