import { CompiledQuery } from 'kysely';
import { chunks, IN_LIST_MAX } from './chunks.js';
import { combinedWrite, runWrites } from './combined-writes.js';
import type { CommitWith } from './locks.js';
import type { Db } from './db.js';
import {
  EVENT_CELL_TYPES,
  EVENT_COLUMNS,
  type EventRecord,
  eventCells,
  INSERT_CHUNK,
  type MessageRef,
  SKIP_STORED_EVENT,
} from './events.js';
import { ANY_COUNT, docValue, type DocForm, insertRowsQuery, placeholders, singleNodePostgres } from './insert-rows.js';
import { toJson } from './json.js';
import { pgTextArrays } from './pg-arrays.js';
import { createSqlTextCache } from './sql-text-cache.js';

// The events an ingest writes, and the read that keeps each message stored once (SPEC §3).

/** Messages a read names: at most 5 sources each (userId, anonymousId, email, phone, an alias' previousId). */
const REFS_PER_READ = IN_LIST_MAX / 5;

/** storedMessageIds' texts by store and list lengths: a retried identify's read, written once (prepared on plain PostgreSQL). */
const storedTexts = createSqlTextCache(128, { prepared: true });
function storedText(spell: (n: number) => string, ids: number, sources: number): string {
  const list = (from: number, n: number) => Array.from({ length: n }, (_, i) => spell(from + i)).join(', ');
  const build = () =>
    `select "message_id" from "events" where "workspace_id" = ${spell(1)} and "message_id" in (${list(2, ids)}) and "source_value" in (${list(2 + ids, sources)})`;
  return ids <= 16 && sources <= 16 ? storedTexts(`${spell(2)}:${ids}:${sources}`, build) : build();
}

/**
 * storedMessageIds on plain PostgreSQL: each message ID beside each of its
 * own sources (storedPairs), as two `text[]` expressions (pgTextArrays), each
 * pair probed through the primary key by a `lateral` subquery with `limit 1`.
 * As `in (…)` lists the generic plan of a store not yet analyzed scanned every
 * event of the workspace (ARCHITECTURE.md, "PostgreSQL: lookups that stay probes").
 */
export const STORED_PG = (
  ws: string,
  ids: string,
  sources: string,
) => `select e."message_id" from unnest(${ids}, ${sources}) as m("id", "source")
  cross join lateral (select "message_id" from "events" where "workspace_id" = ${ws} and "source_value" = m."source" and "message_id" = m."id" limit 1) as e`;

/** Each message's ID beside each of its sources: STORED_PG's two lists. */
export function storedPairs(messages: MessageRef[]): [string[], string[]] {
  const ids: string[] = [];
  const sources: string[] = [];
  for (const m of messages)
    for (const source of new Set(m.sources)) {
      ids.push(m.messageId);
      sources.push(source);
    }
  return [ids, sources];
}

/** storedMessageIds' query on plain PostgreSQL, its text kept a shape (pgTextArrays). */
function storedQuery(workspaceId: string, messages: MessageRef[]): CompiledQuery<{ message_id: string }> {
  const { arrays, params, shape } = pgTextArrays(2, storedPairs(messages));
  return CompiledQuery.raw(
    storedTexts(`pg:${shape}`, () => STORED_PG('$1', arrays[0]!, arrays[1]!)),
    [workspaceId, ...params],
  );
}

/**
 * The message IDs among `messages` that are already stored (SPEC §3: each
 * event exactly once). The read names the sources as well as the IDs, so a
 * store whose events are spread by source (Citus) asks only their shards.
 */
export async function storedMessageIds(db: Db, workspaceId: string, messages: MessageRef[]): Promise<Set<string>> {
  const stored = new Set<string>();
  const pg = singleNodePostgres(db);
  for (const chunk of chunks(messages, REFS_PER_READ)) {
    const sources = [...new Set(chunk.flatMap((m) => m.sources))];
    // A message carrying no identifier has no stored copy (it is refused).
    if (!sources.length) continue;
    const ids = chunk.map((m) => m.messageId);
    const { rows } = await db.executeQuery<{ message_id: string }>(
      pg
        ? storedQuery(workspaceId, chunk)
        : CompiledQuery.raw(storedText(placeholders(db), ids.length, sources.length), [workspaceId, ...ids, ...sources]),
    );
    for (const r of rows) stored.add(r.message_id);
  }
  return stored;
}

const EVENT_TYPES = ['text', ...EVENT_CELL_TYPES];
/**
 * A group's events, their JSON values embedded (docValue). Against a
 * `values` list, groups of 15–35 alternating on one connection with their
 * marks: 0.82–0.94 against 0.85–1.05 ms of the server's CPU a statement,
 * 1.29–1.37 against 1.45–1.58 ms of wall time.
 */
const EVENTS_DOC: DocForm = { ...ANY_COUNT, embedded: true };

/**
 * The insert of `events` (at most INSERT_CHUNK), skipping any already stored
 * under the same source, answering the IDs it inserted: the statement, not
 * run. On plain PostgreSQL one JSON document (EVENTS_DOC), elsewhere a
 * `values` list.
 *
 * @example
 * const { rows } = await db.executeQuery(insertEventsQuery(db, ws, events));
 */
export function insertEventsQuery(db: Db, workspaceId: string, events: EventRecord[]): CompiledQuery<{ message_id: string }> {
  const json = singleNodePostgres(db) ? docValue : toJson;
  const rows = events.map((e) => eventCells(workspaceId, e, EVENT_COLUMNS, json));
  return insertRowsQuery(db, 'events', EVENT_COLUMNS, rows, EVENTS_CONFLICT, EVENT_TYPES, EVENTS_DOC);
}
/** An event insert's tail: a stored event skipped, the IDs inserted answered. */
export const EVENTS_CONFLICT = `${SKIP_STORED_EVENT} returning "message_id"`;

/**
 * Inserts events, skipping any messageId already stored; answers the IDs
 * actually inserted. `sourcesOf` names the identifier values each event's
 * message carries (see MessageRef); `unseen` names messages the caller has
 * just found not stored (storedMessageIds), which are not asked about again.
 * `writes` (statements not yet run: the identity writes and audience marks
 * of the same transaction) go with the first insert, as one statement on
 * PostgreSQL (repos/combined-writes.ts). With `commitWith` (the
 * transaction's own, repos/locks.ts) a single-node PostgreSQL commits in the
 * same round trip when that one statement is surely the transaction's last:
 * the events fit one insert and none needs asking about. The caller must
 * then run nothing more in the transaction.
 */
export async function insertEvents(
  db: Db,
  workspaceId: string,
  events: EventRecord[],
  sourcesOf: (e: EventRecord) => string[],
  unseen: ReadonlySet<string> = new Set(),
  writes: readonly CompiledQuery[] = [],
  commitWith?: CommitWith,
): Promise<Set<string>> {
  if (commitWith && events.length && events.length <= INSERT_CHUNK && events.every((e) => unseen.has(e.messageId))) {
    const rows = await commitWith(combinedWrite(writes, insertEventsQuery(db, workspaceId, events)));
    return new Set(rows.map((r) => r.message_id));
  }
  const inserted = new Set<string>();
  let pending = writes;
  for (const all of chunks(events, INSERT_CHUNK)) {
    // The key is (workspace, source identity, messageId), so that it can be
    // distributed by identity: a retry resolved to another source since (the
    // graph changed) would not conflict, so stored messageIds are dropped first.
    const asked = all.filter((e) => !unseen.has(e.messageId));
    const stored = asked.length
      ? await storedMessageIds(
          db,
          workspaceId,
          asked.map((e) => ({ messageId: e.messageId, sources: sourcesOf(e) })),
        )
      : new Set<string>();
    const chunk = stored.size ? all.filter((e) => !stored.has(e.messageId)) : all;
    if (!chunk.length) continue;
    for (const r of await runWrites(db, pending, insertEventsQuery(db, workspaceId, chunk))) inserted.add(r.message_id);
    pending = [];
  }
  for (const w of pending) await db.executeQuery(w);
  return inserted;
}
