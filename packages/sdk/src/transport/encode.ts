import type { Message } from '@threadline/protocol';

/**
 * Upper bound of the bytes one message adds to a batch body beyond its own
 * JSON: `,"sentAt":"2024-01-01T00:00:00.000Z"` (36) and a comma.
 */
export const PER_MESSAGE_OVERHEAD = 40;
/** Upper bound of `{"batch":[`, `],"writeKey":` and `,"sentAt":"…"}` around the messages, write key excluded. */
export const ENVELOPE_OVERHEAD = 100;

/**
 * UTF-8 length: the byte limits (Segment's, the 64 KiB keepalive budget) count bytes, not UTF-16 units.
 * @example byteLength('é') // 2
 */
export function byteLength(s: string): number {
  return new TextEncoder().encode(s).length;
}

/**
 * The `/v1/batch` body. `sentAt` goes on every message too, so the collector
 * can correct each one's clock skew even when messages are re-batched.
 * @example encodeBatch([m], 'wk_123', new Date().toISOString())
 */
export function encodeBatch(batch: Message[], writeKey: string, sentAt: string): string {
  return JSON.stringify({ batch: batch.map((m) => ({ ...m, sentAt })), writeKey, sentAt });
}
