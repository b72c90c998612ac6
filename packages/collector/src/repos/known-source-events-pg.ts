import { CompiledQuery } from 'kysely';
import { markPreparable } from '../db/prepared-statements.js';
import { retryDeadlocks } from '../db/retry-deadlocks.js';
import { createCoalescer } from '../util/coalescer.js';
import type { Db } from './db.js';
import { MARK_AGAIN } from './audience-dirty.js';
import { EVENT_CELL_TYPES, EVENT_CELLS, eventCells, INSERT_CHUNK, type EventRecord, SKIP_STORED_EVENT } from './events.js';
import { docCells, docValue } from './insert-rows.js';
import { FAST_KIND } from './known-source-events-routed.js';

const byAnonymousId = (value: string) =>
  `cross join lateral (select i.profile_id from identities i
      where i.workspace_id = $2 and i.kind = '${FAST_KIND}' and i.value = ${value} and i.replaced_at is null limit 1) as k`;

/**
 * The statement: the rows bound as one JSON document ($1, read back by
 * `jsonb_array_elements`, as insertRowsQuery does; the JSON columns' values
 * ride in it as values, docValue, parsed once with it), so its text is the same
 * whatever the row count (parsed and planned small, where a VALUES list of
 * 1,400 parameters took longer to plan than to run). Each event's source
 * identity, and then the profiles of the events it inserted, are found by
 * one probe of the identities' primary key a value: a `lateral` subquery
 * with `limit 1`, which the planner cannot flatten into a join, so no
 * estimate can turn the probe into a scan (ARCHITECTURE.md, "PostgreSQL:
 * lookups that stay probes"). Those profiles are marked for the audience
 * pass in the same statement (what `markAnonymousIdsDirty` does on SQLite),
 * in profile order so two requests marking the same profiles wait rather
 * than deadlock. `onRepeat` is how an event already stored is met: skipped,
 * or (with nothing) a unique violation that fails the statement.
 */
const statement = (onRepeat: string) => `with v as (
    select ${docCells(EVENT_CELLS, EVENT_CELL_TYPES, true)} from jsonb_array_elements($1::jsonb) as r
  ), ins as (
    insert into events (workspace_id, ${EVENT_CELLS.map((c) => `"${c}"`).join(', ')})
    select $2, ${EVENT_CELLS.map((c) => `v."${c}"`).join(', ')} from v
    ${byAnonymousId('v.source_value')}
    where v.source_kind = '${FAST_KIND}'
    ${onRepeat}
    returning message_id, source_value
  ), marked as (
    insert into audience_dirty (workspace_id, profile_id, version)
    select distinct $2, k.profile_id, 1 from (select distinct source_value from ins) as s
    ${byAnonymousId('s.source_value')}
    order by k.profile_id
    ${MARK_AGAIN}
  )
  select message_id from ins`;

/** Skips an event already stored (SPEC §3: a repeated messageId is acknowledged and ignored). */
const SKIPPING = statement(SKIP_STORED_EVENT);

/**
 * Fails on an event already stored. Repeats are rare (a client's retry),
 * and a conflict clause costs every row a second descent of the key and a
 * WAL record more (speculative insertion): 200-event statements alternating
 * on one database cost the server 57–72 µs an event without it against
 * 68–88 with it. So a statement outside a transaction is tried this way
 * first, and SKIPPING runs only after a repeat failed it.
 */
const FIRST_TRY = statement('');

// Both prepared on a single-node PostgreSQL (db/prepared-statements.ts):
// parsing and planning it unnamed cost the server ~0.6 ms a request, as much
// as 20 of its events; every plan choice in it is by key or fixed.
markPreparable(SKIPPING);
markPreparable(FIRST_TRY);

/** The unique violation of an event already stored under its source and messageId. */
const isRepeat = (err: unknown) =>
  (err as { code?: unknown }).code === '23505' && (err as { constraint?: unknown }).constraint === 'events_pk';

/** One chunk of events as the statements' document ($1). */
function documentOf(workspaceId: string, events: EventRecord[]): string {
  return JSON.stringify(events.map((e) => eventCells(workspaceId, e, EVENT_CELLS, docValue)));
}

// A deadlock with the audience pass clearing the marks (it deletes them in
// no set order) rolls the statement back whole: it is run again.
const run = (db: Db, text: string, workspaceId: string, document: string) =>
  retryDeadlocks(() => db.executeQuery(CompiledQuery.raw(text, [document, workspaceId]) as CompiledQuery<{ message_id: string }>));

/**
 * Several requests' events in one statement; answers, for each request, the
 * IDs inserted. A messageId that two of them share goes in with the first
 * only: the other's event is answered as not inserted and takes ingest's
 * full path, which finds the first stored (a duplicate) or stores it under
 * its own source, as it would have alone.
 */
async function insertTogether(db: Db, workspaceId: string, parts: EventRecord[][]): Promise<Set<string>[]> {
  const seen = new Set<string>();
  const kept = parts.map((events) => events.filter((e) => !seen.has(e.messageId) && !!seen.add(e.messageId)));
  // Built once: a repeat sends the same document again with SKIPPING.
  const document = documentOf(workspaceId, kept.flat());
  const result = await run(db, FIRST_TRY, workspaceId, document).catch((err) =>
    isRepeat(err) ? run(db, SKIPPING, workspaceId, document) : Promise.reject(err),
  );
  const ids = new Set(result.rows.map((r) => r.message_id));
  return kept.map((part) => new Set(part.filter((e) => ids.has(e.messageId)).map((e) => e.messageId)));
}

/**
 * Statements a workspace's known-source inserts may have under way at once
 * on one pool; requests arriving while they run go together in the next
 * (util/coalescer.ts). At batch 20 a statement's fixed cost (its round
 * trip, executor start, commit and WAL flush) was about 0.9 ms of the
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
 * The known-source insert on a single-node PostgreSQL (see
 * insertEventsOfKnownSources): one statement, gathered with other requests'
 * on the pool; inside a transaction, alone and skipping repeats (a failed
 * statement would abort the caller's transaction).
 */
export async function insertKnownSourcesPg(db: Db, workspaceId: string, events: EventRecord[]): Promise<Set<string>> {
  if (!db.isTransaction) return gatheredFor(db)(workspaceId, events);
  const result = await run(db, SKIPPING, workspaceId, documentOf(workspaceId, events));
  return new Set(result.rows.map((r) => r.message_id));
}
