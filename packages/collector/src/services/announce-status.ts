import type { CompiledQuery } from 'kysely';
import { appendOutbox } from '../repos/outbox.js';
import type { Db } from '../repos/db.js';

const LIVE = new Set(['anonymous', 'addressable', 'identified']);

/**
 * Queues `profile.status_changed` (SPEC §9) when a live profile's status moved
 * (an anonymous visitor leaving a phone number becomes addressable). Call it
 * in the transaction that changed the status (with `writes`, its insert joins
 * them: repos/combined-writes.ts). Tombstones (merged, deleted) are announced
 * by their own events.
 *
 * @example
 * await announceStatus(trx, ws, profileId, 'anonymous', 'identified', now);
 */
export async function announceStatus(
  db: Db,
  workspaceId: string,
  profileId: string,
  from: string | undefined,
  to: string,
  at: number,
  writes?: CompiledQuery[],
) {
  if (from === undefined || from === to || !LIVE.has(from) || !LIVE.has(to)) return;
  await appendOutbox(db, workspaceId, [{ type: 'profile.status_changed', profileId, at, data: { profileId, from, to } }], writes);
}
