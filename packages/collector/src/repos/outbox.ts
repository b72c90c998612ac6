import type { Db } from './db.js';

/** Something to announce to webhook endpoints (SPEC §9), written in the transaction of the change it reports. */
export interface OutboxEvent {
  type: string;
  profileId?: string | null;
  data: Record<string, unknown>;
  at: number;
}

/**
 * Queues announcements for delivery in the caller's transaction.
 *
 * @example
 * await appendOutbox(trx, ws, [{ type: 'segment.entered', profileId, data: { segmentId, profileId }, at: now }]);
 */
// replaced by the webhooks branch at merge
export async function appendOutbox(_db: Db, _workspaceId: string, _events: OutboxEvent[]): Promise<void> {}
