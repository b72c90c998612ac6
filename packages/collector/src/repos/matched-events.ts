import { sql } from 'kysely';
import type { Dialect } from '../db/schema.js';
import type { Plan } from '../domain/segments/plan.js';
import type { Db } from './db.js';
import { parseJson } from './json.js';
import { eventFilters } from './segment-sql.js';

export interface MatchedEvent {
  messageId: string;
  type: string;
  event: string | null;
  properties: Record<string, unknown> | null;
  timestamp: number;
  anonymousId: string | null;
  userId: string | null;
}

/** At most this many events a condition, newest kept: an announcement stays a bounded size. */
export const MATCHED_EVENTS_MAX = 100;

/**
 * The profile's events that satisfy the event conditions, in time order:
 * through the profile's identities, so events sent while anonymous (and
 * under profiles merged into it since) are included.
 *
 * @example
 * await matchedEvents(db, 'sqlite', ws, profileId, matchingEvents(plan));
 */
export async function matchedEvents(
  db: Db,
  dialect: Dialect,
  ws: string,
  profileId: string,
  nodes: Extract<Plan, { kind: 'event' }>[],
): Promise<MatchedEvent[]> {
  const seen = new Map<string, MatchedEvent>();
  for (const node of nodes) {
    const { rows } = await sql<
      Record<string, unknown>
    >`select e.message_id, e.type, e.event, e.properties, e.timestamp, e.anonymous_id, e.user_id, e.seq, e.received_at
      from identities i cross join events e
      where i.workspace_id = ${ws} and i.profile_id = ${profileId} and ${sql.join(eventFilters(dialect, ws, node), sql` and `)}
      order by e.timestamp desc, e.received_at desc, e.seq desc limit ${MATCHED_EVENTS_MAX}`.execute(db);
    for (const r of rows) {
      seen.set(String(r.message_id), {
        messageId: String(r.message_id),
        type: String(r.type),
        event: (r.event as string | null) ?? null,
        properties: parseJson(r.properties, null),
        timestamp: Number(r.timestamp),
        anonymousId: (r.anonymous_id as string | null) ?? null,
        userId: (r.user_id as string | null) ?? null,
      });
    }
  }
  return [...seen.values()].sort((a, b) => a.timestamp - b.timestamp);
}
