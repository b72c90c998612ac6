import type { Dialect } from '../db/schema.js';
import type { Db } from './db.js';

/** A delivery a worker holds until `lockedUntil`, with what it needs to send it. */
export interface ClaimedDelivery {
  workspaceId: string;
  id: string;
  endpointId: string;
  url: string;
  secret: string;
  body: string;
  attempts: number;
  retryOnce: boolean;
  lockedUntil: number;
}

/**
 * Claims up to `limit` due deliveries until `lockedUntil`, in one short
 * transaction. Only the oldest pending delivery of each (endpoint, profile)
 * is due, so one profile's events reach an endpoint in order. On PostgreSQL
 * `FOR UPDATE SKIP LOCKED` lets several collector processes claim at once,
 * each taking rows the others did not; the lease (`locked_until`) then keeps
 * a claimed row out of every later claim until it is recorded, or until the
 * lease runs out because the process died mid-delivery.
 *
 * @example
 * const claimed = await claimDue(db, 'postgres', now, now + 60_000, 20);
 */
export async function claimDue(db: Db, dialect: Dialect, now: number, lockedUntil: number, limit: number): Promise<ClaimedDelivery[]> {
  return db.transaction().execute(async (trx) => {
    let q = trx
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_endpoints as e', (j) => j.onRef('e.workspace_id', '=', 'd.workspace_id').onRef('e.id', '=', 'd.endpoint_id'))
      .select(['d.workspace_id', 'd.id', 'd.endpoint_id', 'd.body', 'd.attempts', 'd.retry_once', 'e.url', 'e.secret'])
      .where('d.status', '=', 'pending')
      .where('d.next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('d.locked_until', 'is', null), eb('d.locked_until', '<=', now)]))
      .where('e.enabled', '=', 1)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('webhook_deliveries as p')
              .select('p.id')
              .whereRef('p.workspace_id', '=', 'd.workspace_id')
              .whereRef('p.endpoint_id', '=', 'd.endpoint_id')
              .whereRef('p.profile_id', '=', 'd.profile_id')
              .where('p.status', '=', 'pending')
              .whereRef('p.id', '<', 'd.id'),
          ),
        ),
      )
      .orderBy('d.next_attempt_at')
      .orderBy('d.id')
      .limit(limit);
    if (dialect === 'postgres') q = q.forUpdate(['d']).skipLocked();
    const rows = await q.execute();
    if (!rows.length) return [];
    // One statement for the batch; conditional, so a second process on the same SQLite file cannot take a row the first holds.
    const taken = await trx
      .updateTable('webhook_deliveries')
      .set({ locked_until: lockedUntil })
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
      .returning('id')
      .execute();
    const mine = new Set(taken.map((t) => t.id));
    return rows
      .filter((r) => mine.has(r.id))
      .map((r) => ({
        workspaceId: r.workspace_id,
        id: r.id,
        endpointId: r.endpoint_id,
        url: r.url,
        secret: r.secret,
        body: r.body,
        attempts: r.attempts,
        retryOnce: r.retry_once === 1,
        lockedUntil,
      }));
  });
}

/** What one attempt came to, and what the delivery becomes. */
export interface AttemptOutcome {
  at: number;
  status: number | null;
  error: string | null;
  durationMs: number;
  next: { status: 'delivered' } | { status: 'failed' } | { status: 'pending'; at: number };
}

/**
 * Records a batch of attempts, each with its delivery's new state, in one
 * transaction: only those whose claim the caller still holds (a lease that
 * ran out may have passed a delivery to another worker, whose attempt is the
 * one that counts). Answers the deliveries it recorded.
 *
 * @example
 * await recordAttempts(db, [{ delivery, outcome: { at, status: 200, error: null, durationMs: 12, next: { status: 'delivered' } } }]);
 */
export async function recordAttempts(
  db: Db,
  attempts: Array<{ delivery: ClaimedDelivery; outcome: AttemptOutcome }>,
): Promise<ClaimedDelivery[]> {
  if (!attempts.length) return [];
  return db.transaction().execute(async (trx) => {
    const recorded: ClaimedDelivery[] = [];
    for (const { delivery: d, outcome: o } of attempts) {
      const updated = await trx
        .updateTable('webhook_deliveries')
        .set({
          attempts: d.attempts + 1,
          last_status: o.status,
          last_error: o.error,
          status: o.next.status,
          next_attempt_at: o.next.status === 'pending' ? o.next.at : o.at,
          ...(o.next.status === 'delivered' ? { delivered_at: o.at } : {}),
          locked_until: null,
          retry_once: 0,
        })
        .where('workspace_id', '=', d.workspaceId)
        .where('id', '=', d.id)
        .where('locked_until', '=', d.lockedUntil)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) > 0) recorded.push(d);
    }
    const byId = new Map(attempts.map((a) => [a.delivery.id, a.outcome]));
    if (recorded.length)
      await trx
        .insertInto('webhook_attempts')
        .values(
          recorded.map((d) => {
            const o = byId.get(d.id)!;
            return {
              workspace_id: d.workspaceId,
              delivery_id: d.id,
              attempt: d.attempts + 1,
              at: o.at,
              status: o.status,
              error: o.error,
              duration_ms: o.durationMs,
            };
          }),
        )
        .execute();
    return recorded;
  });
}
