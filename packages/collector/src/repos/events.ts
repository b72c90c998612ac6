import type { Identifier } from '../domain/identity/types.js';
import type { Db } from './db.js';
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

/** An event as its `events` row, JSON columns serialised. */
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

export const eventRow = (workspaceId: string, e: EventRecord) => ({
  workspace_id: workspaceId,
  message_id: e.messageId,
  type: e.type,
  event: e.event,
  name: e.name,
  properties: e.properties && toJson(e.properties),
  traits: e.traits && toJson(e.traits),
  context: e.context && toJson(e.context),
  anonymous_id: e.anonymousId,
  user_id: e.userId,
  source_kind: e.source.kind,
  source_value: e.source.value,
  timestamp: e.timestamp,
  received_at: e.receivedAt,
  seq: e.seq,
});

/** 14 parameters a row: 500 rows stay under SQLite's 32,766 bound parameters. */
export const INSERT_CHUNK = 500;

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
  let query = db
    .selectFrom('events as e')
    .innerJoin('identities as i', (j) =>
      j.onRef('i.workspace_id', '=', 'e.workspace_id').onRef('i.kind', '=', 'e.source_kind').onRef('i.value', '=', 'e.source_value'),
    )
    .selectAll('e')
    .where('i.workspace_id', '=', workspaceId)
    .where('i.profile_id', '=', profileId);
  if (after) {
    // Keyset paging on the sort key, which ends in the unique message_id: no event is skipped or repeated.
    query = query.where((eb) =>
      eb(
        eb.refTuple('e.timestamp', 'e.received_at', 'e.seq', 'e.message_id'),
        '>',
        eb.tuple(after.timestamp, after.receivedAt, after.seq, after.messageId),
      ),
    );
  }
  const rows = await query.orderBy('e.timestamp').orderBy('e.received_at').orderBy('e.seq').orderBy('e.message_id').limit(limit).execute();
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
