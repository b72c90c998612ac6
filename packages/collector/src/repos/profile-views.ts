import type { PersonKind, ProfileView } from '../domain/identity/types.js';
import { CompiledQuery } from 'kysely';
import { isDistributed } from '../db/distributed.js';
import type { Db } from './db.js';
import { placeholders } from './insert-rows.js';
import { createSqlTextCache } from './sql-text-cache.js';
import { type ProfileRecord, type ProfileRow, toRecord } from './profiles.js';

type Row = ProfileRow & { kind: string | null; value: string | null };

/** The statement's text a store and profile count: written once, not built by Kysely on every identify. */
const texts = createSqlTextCache(64, { prepared: true });
function viewsStatement(spell: (n: number) => string, count: number): string {
  const build = () => {
    const ids = Array.from({ length: count }, (_, i) => spell(i + 2)).join(', ');
    // The profiles as a subquery: on Citus they and their identities are
    // hashed by different columns, and an outer join is planned only when its
    // outer side is a subquery Citus can run first (here on the profiles' shards).
    return `select "p"."id", "p"."status", "p"."traits", "p"."merged_into", "p"."created_at", "p"."updated_at", "i"."kind", "i"."value"
    from (select "workspace_id", "id", "status", "traits", "merged_into", "created_at", "updated_at" from "profiles"
      where "workspace_id" = ${spell(1)} and "id" in (${ids})) as "p"
    left join "identities" as "i" on "i"."workspace_id" = "p"."workspace_id" and "i"."profile_id" = "p"."id"
      and "i"."kind" != 'anonymousId' and "i"."replaced_at" is null
    order by "i"."created_at"`;
  };
  // Only short lists (an identify's owners) are kept: an import chunk's long ones vary in length and are cheap beside their work.
  return count <= 16 ? texts(`${spell(2)}:${count}`, build) : build();
}

async function viewRows(db: Db, workspaceId: string, profileIds: string[]): Promise<Row[]> {
  const text = viewsStatement(placeholders(db), profileIds.length);
  return (await db.executeQuery<Row>(CompiledQuery.raw(text, [workspaceId, ...profileIds]))).rows;
}

/**
 * viewRows on Citus, where profiles are hashed by ID and identities by
 * value: the join is a repartition join there (about 60 ms on the test
 * cluster), so the profiles are read from their shards and their
 * identities by profile from every shard, side by side: two plain reads of
 * a few milliseconds each. Same rows, profiles without identifiers included.
 */
async function viewRowsRouted(db: Db, workspaceId: string, profileIds: string[]): Promise<Row[]> {
  const [profiles, ids] = await Promise.all([
    db.selectFrom('profiles').selectAll().where('workspace_id', '=', workspaceId).where('id', 'in', profileIds).execute(),
    db
      .selectFrom('identities')
      .select(['profile_id', 'kind', 'value'])
      .where('workspace_id', '=', workspaceId)
      .where('profile_id', 'in', profileIds)
      .where('kind', '!=', 'anonymousId')
      .where('replaced_at', 'is', null)
      .orderBy('created_at')
      .execute(),
  ]);
  const byId = new Map(profiles.map((p) => [p.id, p as ProfileRow]));
  const rows: Row[] = [...byId.values()].map((p) => ({ ...p, kind: null, value: null }));
  for (const i of ids) {
    const p = byId.get(i.profile_id);
    if (p) rows.push({ ...p, kind: i.kind, value: i.value });
  }
  return rows;
}

/** Resolver views of the profiles: their current person identifiers and age, in one statement. */
export async function profileViews(db: Db, workspaceId: string, profileIds: string[]): Promise<Map<string, ProfileView>> {
  return (await profileViewsAndRecords(db, workspaceId, profileIds)).views;
}

/**
 * profileViews, and the profiles' records from the same statement: a plan
 * applied right after (under the locks the views were read with) needs no
 * second read of its survivor and losers.
 *
 * @example
 * const { views, records } = await profileViewsAndRecords(trx, ws, [survivorId]);
 */
export async function profileViewsAndRecords(
  db: Db,
  workspaceId: string,
  profileIds: string[],
): Promise<{ views: Map<string, ProfileView>; records: Map<string, ProfileRecord> }> {
  const views = new Map<string, ProfileView>();
  const records = new Map<string, ProfileRecord>();
  if (!profileIds.length) return { views, records };
  const rows = isDistributed(db) ? await viewRowsRouted(db, workspaceId, profileIds) : await viewRows(db, workspaceId, profileIds);
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
