import type { CompiledQuery } from 'kysely';
import { subscribes } from '../domain/webhooks/types.js';
import { uuidv7 } from '../util/uuidv7.js';
import { chunks } from './chunks.js';
import type { Db } from './db.js';
import { ANY_COUNT, columnTypes, insertRows, insertRowsQuery } from './insert-rows.js';
import { parseJson } from './json.js';

/** A change to announce to webhook endpoints (SPEC §9). */
export interface OutboxEvent {
  type: string;
  profileId?: string | null;
  data: Record<string, unknown>;
  at: number;
}

const DELIVERY_COLUMNS = [
  'workspace_id',
  'id',
  'endpoint_id',
  'type',
  'profile_id',
  'body',
  'status',
  'attempts',
  'last_status',
  'last_error',
  'created_at',
  'next_attempt_at',
  'delivered_at',
  'locked_until',
  'retry_once',
] as const;
/** DELIVERY_COLUMNS' PostgreSQL types: deliveries folded into a write bind as one JSON document there, however few (insertRowsQuery, ANY_COUNT). */
const DELIVERY_TYPES = columnTypes(DELIVERY_COLUMNS, {
  attempts: 'integer',
  last_status: 'integer',
  retry_once: 'integer',
  created_at: 'int8',
  next_attempt_at: 'int8',
  delivered_at: 'int8',
  locked_until: 'int8',
});

interface Subscriber {
  id: string;
  events: string[];
}

/**
 * How long this process trusts what it read of a workspace's enabled
 * endpoints. A change made through this process's API is seen at once
 * (invalidateSubscriptions); one made by another collector process sharing
 * a PostgreSQL store, once its NOTIFY arrives (repos/workspace-changes.ts),
 * and at worst within this time if the notice is lost (as workspace keys are,
 * see workspace-directory.ts).
 */
export const SUBSCRIBERS_TTL_MS = 5_000;
let ttlMs = SUBSCRIBERS_TTL_MS;
const cache = new Map<string, { subscribers: Subscriber[]; until: number }>();

/** Sets how long this process trusts its subscriber cache (THREADLINE_CACHE_TTL_MS, read once at boot). */
export function setSubscribersTtl(ms: number): void {
  ttlMs = ms;
}

/** Forget what this process read of a workspace's endpoints (of all, without an ID): after one is created, changed or deleted. */
export function invalidateSubscriptions(workspaceId?: string): void {
  if (workspaceId === undefined) cache.clear();
  else cache.delete(workspaceId);
}

async function subscribersOf(db: Db, workspaceId: string): Promise<Subscriber[]> {
  // Real time, not an injected clock: this is a cache's freshness, not a fact about the data.
  const now = Date.now();
  const hit = cache.get(workspaceId);
  if (hit && hit.until > now) return hit.subscribers;
  const rows = await db
    .selectFrom('webhook_endpoints')
    .select(['id', 'events'])
    .where('workspace_id', '=', workspaceId)
    .where('enabled', '=', 1)
    .orderBy('id')
    .execute();
  const subscribers = rows.map((r) => ({ id: r.id, events: parseJson<string[]>(r.events, []) }));
  cache.set(workspaceId, { subscribers, until: now + ttlMs });
  return subscribers;
}

/**
 * Queues `events` for every enabled endpoint of the workspace subscribed to
 * their type. Call it with the transaction of the change it reports, so a
 * change that rolls back is never announced and one that commits always is.
 * A workspace without a subscriber writes nothing and, once cached, reads
 * nothing: ingest pays for webhooks only where they are on (`events` may be
 * a function, then called only when someone listens). With `writes` the
 * inserts are added there (repos/combined-writes.ts) rather than run.
 *
 * @example
 * await db.transaction().execute(async (trx) => { …change…; await appendOutbox(trx, ws, [{ type: 'profile.created', profileId, data: { profileId }, at: now }]); });
 */
export async function appendOutbox(
  db: Db,
  workspaceId: string,
  announced: OutboxEvent[] | (() => OutboxEvent[]),
  writes?: CompiledQuery[],
): Promise<void> {
  if (Array.isArray(announced) && !announced.length) return;
  const subscribers = await subscribersOf(db, workspaceId);
  if (!subscribers.length) return;
  const events = typeof announced === 'function' ? announced() : announced;
  const rows = events.flatMap((e) => {
    const body = JSON.stringify({ type: e.type, timestamp: new Date(e.at).toISOString(), data: e.data });
    return (
      subscribers
        .filter((s) => subscribes(s.events, e.type))
        // In DELIVERY_COLUMNS' order; the ID is time-ordered and, within this process, strictly increasing: the order deliveries of one profile go out in.
        .map((s) => [
          workspaceId,
          uuidv7(e.at),
          s.id,
          e.type,
          e.profileId ?? null,
          body,
          'pending',
          0,
          null,
          null,
          e.at,
          e.at,
          null,
          null,
          0,
        ])
    );
  });
  // 15 parameters a row: 500 rows stay under SQLite's bound-parameter limit.
  for (const chunk of chunks(rows, 500)) {
    if (writes) writes.push(insertRowsQuery(db, 'webhook_deliveries', DELIVERY_COLUMNS, chunk, '', DELIVERY_TYPES, ANY_COUNT));
    else await insertRows(db, 'webhook_deliveries', DELIVERY_COLUMNS, chunk, '', DELIVERY_TYPES);
  }
}
