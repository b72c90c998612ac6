import type { Db } from './db.js';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface DeliveryRecord {
  id: string;
  endpointId: string;
  type: string;
  profileId: string | null;
  status: DeliveryStatus;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: number;
  deliveredAt: number | null;
  nextAttemptAt: number;
}

type Row = {
  id: string;
  endpoint_id: string;
  type: string;
  profile_id: string | null;
  status: string;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
  next_attempt_at: number;
};

const toRecord = (r: Row): DeliveryRecord => ({
  id: r.id,
  endpointId: r.endpoint_id,
  type: r.type,
  profileId: r.profile_id,
  status: r.status as DeliveryStatus,
  attempts: r.attempts,
  lastStatus: r.last_status,
  lastError: r.last_error,
  createdAt: r.created_at,
  deliveredAt: r.delivered_at,
  nextAttemptAt: r.next_attempt_at,
});

const COLUMNS = [
  'id',
  'endpoint_id',
  'type',
  'profile_id',
  'status',
  'attempts',
  'last_status',
  'last_error',
  'created_at',
  'delivered_at',
  'next_attempt_at',
] as const;

/** An endpoint's deliveries in creation order after the cursor (a delivery id). */
export async function listDeliveries(db: Db, workspaceId: string, endpointId: string, after: string | undefined, limit: number) {
  let q = db.selectFrom('webhook_deliveries').select(COLUMNS).where('workspace_id', '=', workspaceId).where('endpoint_id', '=', endpointId);
  if (after !== undefined) q = q.where('id', '>', after);
  return (await q.orderBy('id').limit(limit).execute()).map(toRecord);
}

export async function getDelivery(db: Db, workspaceId: string, endpointId: string, id: string): Promise<DeliveryRecord | undefined> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .select(COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .where('endpoint_id', '=', endpointId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toRecord(row);
}

/**
 * Makes a delivery due now. A finished one (delivered or failed) is sent once
 * more, with the same webhook-id and body; a failure of that one attempt
 * leaves it failed rather than restarting the schedule.
 *
 * @example
 * await retryDelivery(db, ws, deliveryId, now);
 */
export async function retryDelivery(db: Db, workspaceId: string, id: string, now: number): Promise<void> {
  const base = db.updateTable('webhook_deliveries').where('workspace_id', '=', workspaceId).where('id', '=', id);
  await base.set({ next_attempt_at: now }).where('status', '=', 'pending').execute();
  await base.set({ status: 'pending', next_attempt_at: now, retry_once: 1 }).where('status', '!=', 'pending').execute();
}

/**
 * Replaces the stored bodies of a deleted profile's sent and failed
 * deliveries with their bare facts (type, time, profile), as its contact log
 * is redacted (SPEC §5). Pending ones are still sent as written: a receiver
 * learns of the changes before the deletion, in order.
 *
 * @example
 * await redactDeliveries(trx, ws, profileId);
 */
export async function redactDeliveries(db: Db, workspaceId: string, profileId: string): Promise<void> {
  const rows = await db
    .selectFrom('webhook_deliveries')
    .select(['id', 'type', 'created_at'])
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', '=', profileId)
    .where('status', '!=', 'pending')
    .execute();
  for (const r of rows) {
    const body = JSON.stringify({ type: r.type, timestamp: new Date(r.created_at).toISOString(), data: { profileId, redacted: true } });
    await db.updateTable('webhook_deliveries').set({ body }).where('workspace_id', '=', workspaceId).where('id', '=', r.id).execute();
  }
}

/** Every attempt of a delivery, first first. */
export async function listAttempts(db: Db, workspaceId: string, deliveryId: string) {
  return db
    .selectFrom('webhook_attempts')
    .select(['attempt', 'at', 'status', 'error', 'duration_ms as durationMs'])
    .where('workspace_id', '=', workspaceId)
    .where('delivery_id', '=', deliveryId)
    .orderBy('attempt')
    .execute();
}
