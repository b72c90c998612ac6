import { CompiledQuery } from 'kysely';
import { isDistributed } from '../db/distributed.js';
import { retryDeadlocks } from '../db/retry-deadlocks.js';
import type { Dialect } from '../db/schema.js';
import { markAnonymousIdsDirty } from './audience-dirty.js';
import { chunks } from './chunks.js';
import type { Db } from './db.js';
import { EVENT_CELLS, eventCells, INSERT_CHUNK, type EventRecord, SKIP_STORED_EVENT } from './events.js';
import { insertKnownSourcesPg } from './known-source-events-pg.js';
import { FAST_KIND, insertKnownSourcesRouted } from './known-source-events-routed.js';
import { rowCells } from './insert-rows.js';
import { createSqlTextCache } from './sql-text-cache.js';

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
    ${SKIP_STORED_EVENT}
    returning message_id`;
  });
}

/** SQLite's statement and its parameters for one chunk of events. */
function compiled(workspaceId: string, chunk: EventRecord[]): CompiledQuery<{ message_id: string }> {
  const params = rowCells(chunk.map((e) => eventCells(workspaceId, e, COLUMNS)));
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
 * costs no read, and one statement on PostgreSQL, where requests arriving
 * together share it (known-source-events-pg.ts), and two on SQLite, which
 * has no data-modifying WITH. A Citus coordinator gets a plan of its own
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
    for (const id of await insertChunk(db, dialect, workspaceId, chunk)) inserted.add(id);
  }
  return inserted;
}

/** One chunk through the store's own plan. */
function insertChunk(db: Db, dialect: Dialect, workspaceId: string, chunk: EventRecord[]): Promise<Set<string>> {
  // A deadlock with the audience pass clearing the marks (it deletes them in
  // no set order) rolls a Citus transaction back whole: it is run again.
  if (isDistributed(db)) return retryDeadlocks(() => insertKnownSourcesRouted(db, workspaceId, chunk));
  return dialect === 'postgres' ? insertKnownSourcesPg(db, workspaceId, chunk) : insertOnSqlite(db, workspaceId, chunk);
}

/** SQLite's two statements for a chunk: the insert, then the marks of the profiles it inserted for (SQLite has no data-modifying WITH). */
async function insertOnSqlite(db: Db, workspaceId: string, chunk: EventRecord[]): Promise<Set<string>> {
  const result = await db.executeQuery(compiled(workspaceId, chunk));
  const inserted = new Set(result.rows.map((r) => r.message_id));
  if (inserted.size)
    await markAnonymousIdsDirty(
      db,
      workspaceId,
      chunk.filter((e) => inserted.has(e.messageId)).map((e) => e.source.value),
    );
  return inserted;
}
