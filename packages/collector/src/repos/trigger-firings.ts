import { chunks, IN_LIST_MAX } from './chunks.js';
import type { Db } from './db.js';
import { parseJson, toJson } from './json.js';

export type FiringStatus = 'waiting' | 'fired' | 'expired' | 'cancelled';

export interface FiringRecord {
  id: string;
  triggerId: string;
  profileId: string;
  status: FiringStatus;
  matchedAt: number;
  expiresAt: number;
  firedAt: number | null;
  events: unknown[] | null;
  updatedAt: number;
}

type Row = {
  id: string;
  trigger_id: string;
  profile_id: string;
  status: string;
  matched_at: number;
  expires_at: number;
  fired_at: number | null;
  events: unknown;
  updated_at: number;
};

const toRecord = (r: Row): FiringRecord => ({
  id: r.id,
  triggerId: r.trigger_id,
  profileId: r.profile_id,
  status: r.status as FiringStatus,
  matchedAt: Number(r.matched_at),
  expiresAt: Number(r.expires_at),
  firedAt: r.fired_at === null ? null : Number(r.fired_at),
  events: parseJson<unknown[] | null>(r.events, null),
  updatedAt: Number(r.updated_at),
});

/** The firings of one trigger for the given profiles, by profile. */
export async function firingsFor(db: Db, workspaceId: string, triggerId: string, profileIds: string[]): Promise<Map<string, FiringRecord>> {
  const found = new Map<string, FiringRecord>();
  for (const chunk of chunks(profileIds, IN_LIST_MAX)) {
    const rows = await db
      .selectFrom('trigger_firings')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('trigger_id', '=', triggerId)
      .where('profile_id', 'in', chunk)
      .execute();
    for (const r of rows) found.set(r.profile_id, toRecord(r));
  }
  return found;
}

/** Writes a firing whole: a new one, or the next state of an existing one (same trigger and profile). */
export async function saveFiring(db: Db, workspaceId: string, f: FiringRecord): Promise<void> {
  const values = {
    id: f.id,
    status: f.status,
    matched_at: f.matchedAt,
    expires_at: f.expiresAt,
    fired_at: f.firedAt,
    events: f.events === null ? null : toJson(f.events),
    updated_at: f.updatedAt,
  };
  await db
    .insertInto('trigger_firings')
    .values({ workspace_id: workspaceId, trigger_id: f.triggerId, profile_id: f.profileId, ...values })
    .onConflict((oc) => oc.columns(['workspace_id', 'trigger_id', 'profile_id']).doUpdateSet(values))
    .execute();
}

/** Profiles whose wait has run out at `now`, for the pass to expire. */
export async function expiredWaits(db: Db, workspaceId: string, now: number): Promise<Array<{ triggerId: string; profileId: string }>> {
  const rows = await db
    .selectFrom('trigger_firings')
    .select(['trigger_id', 'profile_id'])
    .where('workspace_id', '=', workspaceId)
    .where('status', '=', 'waiting')
    .where('expires_at', '<=', now)
    .execute();
  return rows.map((r) => ({ triggerId: r.trigger_id, profileId: r.profile_id }));
}

/** A page of a trigger's firings in id (creation) order, after the cursor. */
export async function listFirings(db: Db, workspaceId: string, triggerId: string, q: { after?: string; limit: number }) {
  let query = db.selectFrom('trigger_firings').selectAll().where('workspace_id', '=', workspaceId).where('trigger_id', '=', triggerId);
  if (q.after !== undefined) query = query.where('id', '>', q.after);
  return (await query.orderBy('id').limit(q.limit).execute()).map(toRecord);
}
