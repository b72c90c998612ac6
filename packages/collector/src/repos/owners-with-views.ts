import { CompiledQuery } from 'kysely';
import type { Identifier, PersonKind, ProfileView } from '../domain/identity/types.js';
import type { Db } from './db.js';
import type { MessageRef } from './events.js';
import { STORED_PG, storedPairs } from './event-inserts.js';
import { OWNERS_PG, ownerPairs } from './find-many-owners.js';
import { pgTextArrays } from './pg-arrays.js';
import { placeholders, singleNodePostgres } from './insert-rows.js';
import { type ProfileRecord, type ProfileRow, toRecord } from './profiles.js';
import { createSqlTextCache } from './sql-text-cache.js';

type Row = ProfileRow & { owned_kind: string | null; owned_value: string | null; kind: string | null; value: string | null; part: number };

/** The most identifier values, and message IDs and their sources, read this way: a message's few (a batch's many are read apart). */
export const OWNERS_WITH_VIEWS_MAX = 16;

/** What one read answers: owners by `kind:value`, their views and records (when asked), and which messages are stored. */
export interface OwnersRead {
  owners: Map<string, string>;
  views: Map<string, ProfileView>;
  records: Map<string, ProfileRecord>;
  stored: Set<string>;
}

// The read's parts after its owners `o`: the owner rows (part 0), the owners'
// view rows as repos/profile-views.ts reads them (part 1, oldest identifier
// first), stored message IDs (part 2), in one column list.
const OWNER_ROWS = `select "o"."kind" as "owned_kind", "o"."value" as "owned_value", "o"."profile_id" as "id", null as "status", null as "traits",
        null as "merged_into", null as "created_at", null as "updated_at", null as "kind", null as "value", 0 as "part", null as "at" from "o"`;
const VIEW_ROWS = `select null, null, "p"."id", "p"."status", "p"."traits", "p"."merged_into", "p"."created_at", "p"."updated_at", "i"."kind", "i"."value", 1, "i"."created_at"`;
const STORED_ROWS = `select null, null, "message_id", null, null, null, null, null, null, null, 2, null from`;
const read = (owners: string, parts: string[]) =>
  `with "o" as (${owners})
    ${[OWNER_ROWS, ...parts].join('\n    union all\n    ')}
    order by "part", "at"`;

// Run twice by every identify (before its locks and again under them): parsed and planned once a connection.
const texts = createSqlTextCache(64, { prepared: true });
/** SQLite's read, by shape: kinds and values asked, whether views come along, message IDs and their sources (0 for none). */
function statement(spell: (n: number) => string, kinds: number, values: number, views: boolean, ids: number, sources: number): string {
  return texts(`${spell(2)}:${kinds}:${values}:${views}:${ids}:${sources}`, () => {
    const list = (from: number, n: number) => Array.from({ length: n }, (_, i) => spell(from + i)).join(', ');
    // The workspace is bound once a part: SQLite's `?` are positional.
    const ws2 = 2 + kinds + values;
    const ws3 = ws2 + (views ? 1 : 0);
    const parts = [
      ...(views
        ? [
            `${VIEW_ROWS}
      from "profiles" as "p" left join "identities" as "i" on "i"."workspace_id" = "p"."workspace_id" and "i"."profile_id" = "p"."id"
        and "i"."kind" != 'anonymousId' and "i"."replaced_at" is null
      where "p"."workspace_id" = ${spell(ws2)} and "p"."id" in (select "profile_id" from "o")`,
          ]
        : []),
      ...(ids
        ? [
            `${STORED_ROWS} "events"
      where "workspace_id" = ${spell(ws3)} and "message_id" in (${list(ws3 + 1, ids)}) and "source_value" in (${list(ws3 + 1 + ids, sources)})`,
          ]
        : []),
    ];
    return read(
      `select "kind", "value", "profile_id" from "identities" where "workspace_id" = ${spell(1)}
      and "kind" in (${list(2, kinds)}) and "value" in (${list(2 + kinds, values)}) and "replaced_at" is null`,
      parts,
    );
  });
}

/** The read on SQLite: `in (…)` lists, which its planner probes a value. */
function sqliteQuery(db: Db, workspaceId: string, ids: Identifier[], views: boolean, messages: MessageRef[]): CompiledQuery<Row> {
  const kinds = [...new Set(ids.map((i) => i.kind))];
  const values = [...new Set(ids.map((i) => i.value))];
  const messageIds = messages.map((m) => m.messageId);
  const sources = [...new Set(messages.flatMap((m) => m.sources))];
  const text = statement(placeholders(db), kinds.length, values.length, views, messageIds.length, sources.length);
  const params = [
    workspaceId,
    ...kinds,
    ...values,
    ...(views ? [workspaceId] : []),
    ...(messageIds.length ? [workspaceId, ...messageIds, ...sources] : []),
  ];
  return CompiledQuery.raw(text, params);
}

/**
 * The same read on plain PostgreSQL: the pairs asked, and each message ID
 * beside each of its sources, as `text[]` expressions (pgTextArrays), and
 * every row found by a probe of a primary key (a `lateral` subquery with
 * `limit 1` a key, which the planner cannot turn into a scan; ARCHITECTURE.md,
 * "PostgreSQL: lookups that stay probes"). As `in (…)` lists the generic plan of a fresh
 * store scanned every event of the workspace for the stored IDs.
 */
function pgQuery(workspaceId: string, ids: Identifier[], views: boolean, messages: MessageRef[]): CompiledQuery<Row> {
  const pairs = pgTextArrays(2, ownerPairs(ids));
  const stored = storedPairs(messages);
  const messageArrays = stored[0].length ? pgTextArrays(2 + pairs.params.length, stored) : undefined;
  const text = texts(`pg:${views}:${pairs.shape}:${messageArrays?.shape ?? 0}`, () => {
    const parts = [
      ...(views
        ? [
            `${VIEW_ROWS}
      from (select distinct "profile_id" from "o") as "d"
      cross join lateral (select * from "profiles" where "workspace_id" = $1 and "id" = "d"."profile_id" limit 1) as "p"
      left join lateral (select "kind", "value", "created_at" from "identities" where "workspace_id" = $1 and "profile_id" = "p"."id"
        and "kind" != 'anonymousId' and "replaced_at" is null offset 0) as "i" on true`,
          ]
        : []),
      ...(messageArrays ? [`${STORED_ROWS} (${STORED_PG('$1', messageArrays.arrays[0]!, messageArrays.arrays[1]!)}) as "stored"`] : []),
    ];
    return read(OWNERS_PG('$1', pairs.arrays[0]!, pairs.arrays[1]!), parts);
  });
  return CompiledQuery.raw(text, [workspaceId, ...pairs.params, ...(messageArrays?.params ?? [])]);
}

/**
 * findOwners, profileViewsAndRecords of the owners found (with `views`) and
 * storedMessageIds of `messages`, in one statement: at most `max` values,
 * message IDs and sources (a message's few; on a single-node PostgreSQL a
 * group of requests' many, services/identify-groups.ts). Not for a Citus
 * coordinator (there profiles, identities and events are hashed apart).
 *
 * @example
 * const { owners, views, records, stored } = await ownersWithViews(trx, ws, [{ kind: 'email', value: 'ana@example.com' }], true, []);
 */
export async function ownersWithViews(
  db: Db,
  workspaceId: string,
  ids: Identifier[],
  views: boolean,
  messages: MessageRef[],
  max = OWNERS_WITH_VIEWS_MAX,
): Promise<OwnersRead> {
  const read: OwnersRead = { owners: new Map(), views: new Map(), records: new Map(), stored: new Set() };
  if (!fitsOneRead(ids, messages, max)) throw new Error(`ownersWithViews: at most ${max} values, IDs and sources`);
  // A message carrying no identifier has no stored copy (it is refused).
  const asked = messages.some((m) => m.sources.length) ? messages : [];
  const query = singleNodePostgres(db) ? pgQuery(workspaceId, ids, views, asked) : sqliteQuery(db, workspaceId, ids, views, asked);
  const wanted = new Set(ids.map((i) => `${i.kind}:${i.value}`));
  for (const r of (await db.executeQuery(query)).rows) {
    const part = Number(r.part);
    // A value asked under one kind may be held under another: only the pairs asked count.
    if (part === 0 && wanted.has(`${r.owned_kind}:${r.owned_value}`)) read.owners.set(`${r.owned_kind}:${r.owned_value}`, r.id);
    if (part === 2) read.stored.add(r.id);
    if (part !== 1) continue;
    let view = read.views.get(r.id);
    if (!view) {
      view = { id: r.id, createdAt: r.created_at, updatedAt: r.updated_at, ids: {} };
      read.views.set(r.id, view);
      read.records.set(r.id, toRecord(r));
    }
    if (r.kind !== null && r.value !== null) view.ids[r.kind as PersonKind] = r.value;
  }
  return read;
}

/** Whether these identifiers and messages fit one ownersWithViews read of at most `max` values, IDs and sources. */
export const fitsOneRead = (ids: Identifier[], messages: MessageRef[], max = OWNERS_WITH_VIEWS_MAX) =>
  ids.length > 0 &&
  new Set(ids.map((i) => i.value)).size <= max &&
  messages.length <= max &&
  new Set(messages.flatMap((m) => m.sources)).size <= max;
