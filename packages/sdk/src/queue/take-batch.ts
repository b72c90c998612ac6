import { ENVELOPE_OVERHEAD, PER_MESSAGE_OVERHEAD } from '../transport/encode.js';
import type { QueueEntry } from './queue.js';

/** Messages per request: small enough to answer fast, large enough to catch up after a long offline spell. */
export const BATCH_MESSAGES = 100;

/**
 * Picks entries, in order, whose batch body stays within `maxBytes` (an upper
 * bound: see PER_MESSAGE_OVERHEAD) and `maxCount`. With `skip`, an entry that
 * does not fit is passed over for smaller ones (the keepalive budget);
 * without, the batch ends there but always holds at least one entry, so an
 * oversized message still reaches the collector and is dropped on its 413.
 * @example takeBatch(entries, MAX_BATCH_BYTES, 100, 'wk_123'.length)
 */
export function takeBatch(entries: QueueEntry[], maxBytes: number, maxCount: number, keyBytes: number, skip = false): QueueEntry[] {
  const out: QueueEntry[] = [];
  let bytes = ENVELOPE_OVERHEAD + keyBytes;
  for (const e of entries) {
    if (out.length >= maxCount) break;
    const size = e.n + PER_MESSAGE_OVERHEAD;
    if (bytes + size > maxBytes && (skip || out.length)) {
      if (skip) continue;
      break;
    }
    out.push(e);
    bytes += size;
  }
  return out;
}

/**
 * Upper bound of the request body bytes for these entries.
 * @example batchBytes(entries, 'wk_123'.length) <= KEEPALIVE_BUDGET_BYTES
 */
export function batchBytes(entries: QueueEntry[], keyBytes: number): number {
  return entries.reduce((sum, e) => sum + e.n + PER_MESSAGE_OVERHEAD, ENVELOPE_OVERHEAD + keyBytes);
}
