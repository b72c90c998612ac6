import type { Identifier } from '../domain/identity/types.js';
import type { ExpressionBuilder } from 'kysely';
import type { EventsTable, Schema } from '../db/schema.js';
import type { Db } from './db.js';
import { columnTypes, singleNodePostgres } from './insert-rows.js';
import { parseJson, toJson } from './json.js';

export interface EventRecord {
  messageId: string;
  type: string;
  event: string | null;
  name: string | null;
  properties: Record<string, unknown> | null;
  traits: Record<string, unknown> | null;
  context: Record<string, unknown> | null;
  anonymousId: string | null;
  userId: string | null;
  source: Identifier;
  timestamp: number;
  receivedAt: number;
  /** Position in the request that carried it. */
  seq: number;
}

/** Where a timeline page ended: the sort key of its last event. */
export interface TimelinePosition {
  timestamp: number;
  receivedAt: number;
  seq: number;
  messageId: string;
}

/**
 * A message to look for among the stored events: its ID, and the identifier
 * values a stored copy of it could be recorded under (an event's source is
 * always one of the identifiers its message carries).
 */
export interface MessageRef {
  messageId: string;
  sources: string[];
}

/** An event row's cells besides its workspace, in one order for every insert that lists them. */
export const EVENT_CELLS = [
  'message_id',
  'type',
  'event',
  'name',
  'properties',
  'traits',
  'context',
  'anonymous_id',
  'user_id',
  'source_kind',
  'source_value',
  'timestamp',
  'received_at',
  'seq',
] as const;

/** An `events` row's columns in the order every insert lists them: its workspace, then EVENT_CELLS. */
export const EVENT_COLUMNS = ['workspace_id', ...EVENT_CELLS] as const;

/** Every insert's conflict clause: an event already stored under its source is skipped (SPEC §3, a repeated messageId is acknowledged and ignored). */
export const SKIP_STORED_EVENT = 'on conflict ("workspace_id", "source_value", "message_id") do nothing';

/** EVENT_CELLS' PostgreSQL types, for the inserts that bind one JSON document there (repos/insert-rows.ts, docCells). */
export const EVENT_CELL_TYPES = columnTypes(EVENT_CELLS, {
  timestamp: 'bigint',
  received_at: 'bigint',
  seq: 'integer',
  properties: 'jsonb',
  traits: 'jsonb',
  context: 'jsonb',
});

/**
 * An event as its `events` row. Its JSON columns are made by `json`:
 * serialised text by default (SQLite stores text, and `values` lists bind
 * it); a JSON-document insert on PostgreSQL embeds the values instead
 * (repos/insert-rows.ts, `docValue`).
 */
export const eventRow = (workspaceId: string, e: EventRecord, json: (value: object) => unknown = toJson) => ({
  workspace_id: workspaceId,
  message_id: e.messageId,
  type: e.type,
  event: e.event,
  name: e.name,
  properties: e.properties && json(e.properties),
  traits: e.traits && json(e.traits),
  context: e.context && json(e.context),
  anonymous_id: e.anonymousId,
  user_id: e.userId,
  source_kind: e.source.kind,
  source_value: e.source.value,
  timestamp: e.timestamp,
  received_at: e.receivedAt,
  seq: e.seq,
});

/** An event's cells in `columns`' order, as eventRow makes them: the rows of the inserts that list them. */
export const eventCells = (
  workspaceId: string,
  e: EventRecord,
  columns: ReadonlyArray<keyof ReturnType<typeof eventRow>>,
  json?: (value: object) => unknown,
) => {
  const row = eventRow(workspaceId, e, json);
  return columns.map((column) => row[column]);
};

/** 14 parameters a row: 500 rows stay under SQLite's 32,766 bound parameters. */
export const INSERT_CHUNK = 500;

/** After `after` in the timeline's order: keyset paging on the sort key, which ends in the unique message_id, so no event is skipped or repeated. */
const afterPosition = (after: TimelinePosition) => (eb: ExpressionBuilder<Schema & { e: EventsTable }, 'e'>) =>
  eb(
    eb.refTuple('e.timestamp', 'e.received_at', 'e.seq', 'e.message_id'),
    '>',
    eb.tuple(after.timestamp, after.receivedAt, after.seq, after.messageId),
  );

/** The timeline's order, on `e`. */
const ordered = <Q extends { orderBy(ref: 'e.timestamp' | 'e.received_at' | 'e.seq' | 'e.message_id'): Q }>(q: Q) =>
  q.orderBy('e.timestamp').orderBy('e.received_at').orderBy('e.seq').orderBy('e.message_id');

type SourceRef = ['e.workspace_id', 'i.workspace_id'] | ['e.source_kind', 'i.kind'] | ['e.source_value', 'i.value'];
/** Events `e` recorded under identity `i`. */
const recordedUnder = <Q extends { whereRef(left: SourceRef[0], op: '=', right: SourceRef[1]): Q }>(q: Q) =>
  q.whereRef('e.workspace_id', '=', 'i.workspace_id').whereRef('e.source_kind', '=', 'i.kind').whereRef('e.source_value', '=', 'i.value');

/**
 * The timeline's statement: a profile's events through the identities they
 * were recorded under, in time order from `after`.
 *
 * @example
 * await timelineQuery(db, ws, profileId, 1001).execute();
 */
export function timelineQuery(db: Db, workspaceId: string, profileId: string, limit: number, after?: TimelinePosition) {
  if (singleNodePostgres(db)) {
    // A page of each identity's events, read in `events_source` order (an
    // incremental sort settles equal timestamps), then the pages merged: a
    // page's worth read for any profile size. As a join, PostgreSQL read and
    // sorted every event of the profile for each page: 60–200 ms for a
    // 100,000-event profile, 1–5 ms this way. A Citus coordinator keeps the
    // join below (the lateral form was not tried there).
    return ordered(
      db
        .selectFrom('identities as i')
        .crossJoinLateral((eb) => {
          let events = recordedUnder(eb.selectFrom('events as e').selectAll('e'));
          if (after) events = events.where(afterPosition(after));
          return ordered(events).limit(limit).as('e');
        })
        .selectAll('e')
        .where('i.workspace_id', '=', workspaceId)
        .where('i.profile_id', '=', profileId),
    ).limit(limit);
  }
  // `cross join` pins the order on SQLite: the profile's identities first,
  // then their events by source. Without statistics its planner otherwise
  // started from every event of the workspace (through events_name_time)
  // and probed an identity for each: 8.7 s for a 10-event profile among
  // 1.2 million events, 0.4 ms this way.
  let query = recordedUnder(
    db
      .selectFrom('identities as i')
      .crossJoin('events as e')
      .selectAll('e')
      .where('i.workspace_id', '=', workspaceId)
      .where('i.profile_id', '=', profileId),
  );
  if (after) query = query.where(afterPosition(after));
  return ordered(query).limit(limit);
}

/**
 * A profile's timeline: events resolve to the profile through the identities
 * they were recorded under, so merged history appears without any copy.
 */
export async function eventsOfProfile(
  db: Db,
  workspaceId: string,
  profileId: string,
  limit: number,
  after?: TimelinePosition,
): Promise<EventRecord[]> {
  const rows = await timelineQuery(db, workspaceId, profileId, limit, after).execute();
  return rows.map((r) => ({
    messageId: r.message_id,
    type: r.type,
    event: r.event,
    name: r.name,
    properties: parseJson(r.properties, null),
    traits: parseJson(r.traits, null),
    context: parseJson(r.context, null),
    anonymousId: r.anonymous_id,
    userId: r.user_id,
    source: { kind: r.source_kind as Identifier['kind'], value: r.source_value },
    timestamp: r.timestamp,
    receivedAt: r.received_at,
    seq: r.seq,
  }));
}
