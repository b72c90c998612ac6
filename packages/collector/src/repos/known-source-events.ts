import { CompiledQuery } from 'kysely';
import { isDistributed } from '../db/distributed.js';
import { markPreparable } from '../db/prepared-statements.js';
import { retryDeadlocks } from '../db/retry-deadlocks.js';
import type { Dialect } from '../db/schema.js';
import { markAnonymousIdsDirty } from './audience-dirty.js';
import { chunks } from './chunks.js';
import type { Db } from './db.js';
import { EVENT_CELLS, eventRow, INSERT_CHUNK, type EventRecord } from './events.js';
import { FAST_KIND, insertKnownSourcesRouted } from './known-source-events-routed.js';
import { docCells, docValue } from './insert-rows.js';
import { createSqlTextCache } from './sql-text-cache.js';
import { createCoalescer } from '../util/coalescer.js';

/** The cells an event row carries besides its workspace. */
const COLUMNS = EVENT_CELLS;

/** SQLite's statement for `rows` events, made once per row count (better-sqlite3 then keeps it prepared: db/statement-cache.ts). */
const statements = createSqlTextCache(INSERT_CHUNK);
function sqliteStatement(rows: number): string {
  return statements(String(rows), () => {
    // The workspace comes after the cells as two `?` (better-sqlite3 binds no numbered `?n`).
    const values = Array.from({ length: rows }, () => `(${COLUMNS.map(() => '?').join(', ')})`).join(', ');
    // Quoted: `timestamp` is a keyword on both dialects.
    const columns = COLUMNS.map((c) => `"${c}"`).join(', ');
    // An uncorrelated IN: SQLite probes the identities' primary key a value (`explain query plan`).
    return `with v (${columns}) as (values ${values})
    insert into events (workspace_id, ${columns})
    select ?, ${COLUMNS.map((c) => `v."${c}"`).join(', ')} from v
    where (v.source_kind, v.source_value) in (select i.kind, i.value from identities i where i.workspace_id = ? and i.replaced_at is null
      and i.kind = '${FAST_KIND}' and i.value in (select source_value from v))
    on conflict (workspace_id, source_value, message_id) do nothing
    returning message_id`;
  });
}

/** PostgreSQL types of the columns; the rest are text. The JSON columns' values ride in the document as values (docValue), parsed once with it. */
const PG_TYPES = COLUMNS.map(
  (c) =>
    ({ timestamp: 'bigint', received_at: 'bigint', seq: 'integer', properties: 'jsonb', traits: 'jsonb', context: 'jsonb' })[c as string] ??
    'text',
);

/**
 * PostgreSQL's statement: the rows bound as one JSON document ($1, read
 * back by `jsonb_array_elements`, as insertRowsQuery does), so its text is
 * the same whatever the row count (parsed and planned small, where a VALUES
 * list of 1,400 parameters took longer to plan than to run). Each event's
 * source identity, and then the profiles of the events it inserted, are
 * found by one probe of the identities' primary key a value: a `lateral`
 * subquery with `limit 1`, which the planner cannot flatten into a join, so
 * no estimate can turn the probe into a scan (ARCHITECTURE.md,
 * "PostgreSQL: lookups that stay probes"). Those profiles are marked for the audience pass in the
 * same statement (what `markAnonymousIdsDirty` does on SQLite), in profile
 * order so two requests marking the same profiles wait rather than deadlock.
 */
const byAnonymousId = (value: string) =>
  `cross join lateral (select i.profile_id from identities i
      where i.workspace_id = $2 and i.kind = '${FAST_KIND}' and i.value = ${value} and i.replaced_at is null limit 1) as k`;
const PG_STATEMENT = `with v as (
    select ${docCells(COLUMNS, PG_TYPES, true)} from jsonb_array_elements($1::jsonb) as r
  ), ins as (
    insert into events (workspace_id, ${COLUMNS.map((c) => `"${c}"`).join(', ')})
    select $2, ${COLUMNS.map((c) => `v."${c}"`).join(', ')} from v
    ${byAnonymousId('v.source_value')}
    where v.source_kind = '${FAST_KIND}'
    on conflict (workspace_id, source_value, message_id) do nothing
    returning message_id, source_value
  ), marked as (
    insert into audience_dirty (workspace_id, profile_id, version)
    select distinct $2, k.profile_id, 1 from (select distinct source_value from ins) as s
    ${byAnonymousId('s.source_value')}
    order by k.profile_id
    on conflict (workspace_id, profile_id) do update set version = audience_dirty.version + 1
  )
  select message_id from ins`;
// Prepared on a single-node PostgreSQL (db/prepared-statements.ts): parsing
// and planning it unnamed cost the server ~0.6 ms a request, as much as 20
// of its events; every plan choice in it is by key or fixed.
markPreparable(PG_STATEMENT);

/** The statement and its parameters for one chunk of events. */
function compiled(dialect: Dialect, workspaceId: string, chunk: EventRecord[]): CompiledQuery<{ message_id: string }> {
  // PostgreSQL's document carries the JSON columns as values; SQLite binds their text.
  const rows = chunk.map((e) => eventRow(workspaceId, e, dialect === 'postgres' ? docValue : undefined));
  if (dialect === 'postgres') {
    const cells = rows.map((r) => COLUMNS.map((column) => r[column]));
    return CompiledQuery.raw(PG_STATEMENT, [JSON.stringify(cells), workspaceId]);
  }
  const params: unknown[] = [];
  for (const row of rows) for (const column of COLUMNS) params.push(row[column]);
  params.push(workspaceId, workspaceId);
  return CompiledQuery.raw(sqliteStatement(chunk.length), params);
}

/**
 * Inserts, in one statement a chunk, the events whose source identity is
 * already in the graph (and not retired), skipping any messageId already
 * stored, and marks the profiles they were inserted for to be re-checked by
 * the audience pass; answers the IDs inserted. The rest (unknown visitors,
 * duplicates) are left for the caller's full path. This is the ingest fast
 * path for events recorded under anonymous IDs: a known visitor's event
 * costs no read, and one statement on PostgreSQL (two on SQLite, which has
 * no data-modifying WITH). A Citus coordinator gets a plan of its own
 * (known-source-events-routed.ts).
 */
export async function insertEventsOfKnownSources(
  db: Db,
  dialect: Dialect,
  workspaceId: string,
  events: EventRecord[],
): Promise<Set<string>> {
  const inserted = new Set<string>();
  for (const chunk of chunks(events, INSERT_CHUNK)) {
    // A deadlock with the audience pass clearing the marks (it deletes them
    // in no set order) rolls the statement back whole: it is run again.
    if (isDistributed(db)) {
      for (const id of await retryDeadlocks(() => insertKnownSourcesRouted(db, workspaceId, chunk))) inserted.add(id);
      continue;
    }
    if (dialect === 'postgres' && !db.isTransaction) {
      for (const id of await gatheredFor(db)(workspaceId, chunk)) inserted.add(id);
      continue;
    }
    const result = await retryDeadlocks(() => db.executeQuery(compiled(dialect, workspaceId, chunk)));
    for (const r of result.rows) inserted.add(r.message_id);
    if (dialect === 'sqlite' && result.rows.length)
      await markAnonymousIdsDirty(
        db,
        workspaceId,
        chunk.filter((e) => inserted.has(e.messageId)).map((e) => e.source.value),
      );
  }
  return inserted;
}

/**
 * Statements a workspace's known-source inserts may have under way at once
 * on one PostgreSQL pool; requests arriving while they run go together in
 * the next (util/coalescer.ts). At batch 20 a statement's fixed cost (its
 * round trip, executor start, commit and WAL flush) was about 0.9 ms of the
 * server's CPU, as much as a dozen of its events. Measured in the ingest
 * probe against the bare server, alternating: 0.57–0.59 → 0.75–0.77 of it
 * with 1 or 2, 0.65 with 4.
 */
const IN_FLIGHT = 2;

/** Each pool's gathering of known-source inserts, a workspace a lane. */
const gathered = new WeakMap<Db, (workspaceId: string, events: EventRecord[]) => Promise<Set<string>>>();

function gatheredFor(db: Db) {
  let insert = gathered.get(db);
  if (!insert) {
    insert = createCoalescer<EventRecord[], Set<string>>({
      inFlight: IN_FLIGHT,
      maxSize: INSERT_CHUNK,
      size: (events) => events.length,
      run: (workspaceId, parts) => insertTogether(db, workspaceId, parts),
    });
    gathered.set(db, insert);
  }
  return insert;
}

/**
 * Several requests' events in one PostgreSQL statement; answers, for each
 * request, the IDs inserted. A messageId that two of them share goes in
 * with the first only: the other's event is answered as not inserted and
 * takes ingest's full path, which finds the first stored (a duplicate) or
 * stores it under its own source, as it would have alone.
 */
async function insertTogether(db: Db, workspaceId: string, parts: EventRecord[][]): Promise<Set<string>[]> {
  const seen = new Set<string>();
  const kept = parts.map((events) => events.filter((e) => !seen.has(e.messageId) && !!seen.add(e.messageId)));
  const result = await retryDeadlocks(() => db.executeQuery(compiled('postgres', workspaceId, kept.flat())));
  const ids = new Set(result.rows.map((r) => r.message_id));
  return kept.map((events) => new Set(events.filter((e) => ids.has(e.messageId)).map((e) => e.messageId)));
}
