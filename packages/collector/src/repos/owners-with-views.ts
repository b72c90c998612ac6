import { CompiledQuery } from 'kysely';
import type { Identifier, PersonKind, ProfileView } from '../domain/identity/types.js';
import type { Db } from './db.js';
import { placeholders } from './insert-rows.js';
import { type ProfileRecord, type ProfileRow, toRecord } from './profiles.js';
import { createSqlTextCache } from './sql-text-cache.js';

type Row = ProfileRow & { owned_kind: string | null; owned_value: string | null; kind: string | null; value: string | null };

/** The most identifier values read this way: a message's few (a batch's many are read by findOwners). */
export const OWNERS_WITH_VIEWS_MAX = 16;

const texts = createSqlTextCache(64);
function statement(spell: (n: number) => string, kinds: number, values: number): string {
  const list = (from: number, n: number) => Array.from({ length: n }, (_, i) => spell(from + i)).join(', ');
  // The workspace is bound twice: SQLite's `?` are positional.
  return texts(
    `${spell(2)}:${kinds}:${values}`,
    // Owner rows first (part 0), then the owners' view rows as repos/profile-views.ts reads them (part 1, oldest identifier first).
    () => `with "o" as (select "kind", "value", "profile_id" from "identities" where "workspace_id" = ${spell(1)}
      and "kind" in (${list(2, kinds)}) and "value" in (${list(2 + kinds, values)}) and "replaced_at" is null)
    select "o"."kind" as "owned_kind", "o"."value" as "owned_value", "o"."profile_id" as "id", null as "status", null as "traits",
      null as "merged_into", null as "created_at", null as "updated_at", null as "kind", null as "value", 0 as "part", null as "at" from "o"
    union all
    select null, null, "p"."id", "p"."status", "p"."traits", "p"."merged_into", "p"."created_at", "p"."updated_at", "i"."kind", "i"."value", 1, "i"."created_at"
    from "profiles" as "p" left join "identities" as "i" on "i"."workspace_id" = "p"."workspace_id" and "i"."profile_id" = "p"."id"
      and "i"."kind" != 'anonymousId' and "i"."replaced_at" is null
    where "p"."workspace_id" = ${spell(2 + kinds + values)} and "p"."id" in (select "profile_id" from "o")
    order by "part", "at"`,
  );
}

/**
 * findOwners and profileViewsAndRecords of the owners found, in one
 * statement: who owns each identifier (keyed by `kind:value`), and each
 * owner's resolver view and record. At most OWNERS_WITH_VIEWS_MAX values;
 * not for a Citus coordinator (profiles and identities are hashed apart there).
 *
 * @example
 * const { owners, views, records } = await ownersWithViews(trx, ws, [{ kind: 'email', value: 'ana@example.com' }]);
 */
export async function ownersWithViews(
  db: Db,
  workspaceId: string,
  ids: Identifier[],
): Promise<{ owners: Map<string, string>; views: Map<string, ProfileView>; records: Map<string, ProfileRecord> }> {
  const owners = new Map<string, string>();
  const views = new Map<string, ProfileView>();
  const records = new Map<string, ProfileRecord>();
  const kinds = [...new Set(ids.map((i) => i.kind))];
  const values = [...new Set(ids.map((i) => i.value))];
  if (values.length > OWNERS_WITH_VIEWS_MAX) throw new Error(`ownersWithViews: at most ${OWNERS_WITH_VIEWS_MAX} values`);
  const wanted = new Set(ids.map((i) => `${i.kind}:${i.value}`));
  const text = statement(placeholders(db), kinds.length, values.length);
  const { rows } = await db.executeQuery<Row>(CompiledQuery.raw(text, [workspaceId, ...kinds, ...values, workspaceId]));
  for (const r of rows) {
    if (r.owned_kind !== null) {
      // A value asked under one kind may be held under another: only the pairs asked count.
      const key = `${r.owned_kind}:${r.owned_value}`;
      if (wanted.has(key)) owners.set(key, r.id);
      continue;
    }
    let view = views.get(r.id);
    if (!view) {
      view = { id: r.id, createdAt: r.created_at, updatedAt: r.updated_at, ids: {} };
      views.set(r.id, view);
      records.set(r.id, toRecord(r));
    }
    if (r.kind !== null && r.value !== null) view.ids[r.kind as PersonKind] = r.value;
  }
  return { owners, views, records };
}
