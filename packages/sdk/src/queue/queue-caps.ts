export interface QueueCaps {
  maxCount: number;
  maxBytes: number;
  maxAgeMs: number;
}

/** Defaults: room for a long offline session, small enough for any storage quota. */
export const DEFAULT_CAPS: QueueCaps = { maxCount: 1000, maxBytes: 2 * 1024 * 1024, maxAgeMs: 7 * 24 * 3600 * 1000 };

/**
 * The entries to drop so the queue fits its caps, oldest first, each with its
 * reason. `entries` must be oldest first.
 * @example overCaps(entries, Date.now(), DEFAULT_CAPS) // [{ entry, reason: 'too old' }]
 */
export function overCaps<E extends { t: number; n: number }>(entries: E[], now: number, caps: QueueCaps): { entry: E; reason: string }[] {
  const drop: { entry: E; reason: string }[] = [];
  let count = entries.length;
  let bytes = entries.reduce((sum, e) => sum + e.n, 0);
  for (const entry of entries) {
    const reason =
      entry.t < now - caps.maxAgeMs ? 'too old' : count > caps.maxCount ? 'queue full' : bytes > caps.maxBytes ? 'queue too large' : '';
    if (!reason) break; // entries are oldest first: once one fits, all newer ones do
    drop.push({ entry, reason });
    count--;
    bytes -= entry.n;
  }
  return drop;
}
