/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential
 * Backoff And Jitter"): a random wait in [0, min(60 s, 1 s·2^attempt)), so
 * tabs of many visitors do not retry a recovering collector in step.
 * @example backoffDelay(0) // 0–999 ms; backoffDelay(10) // 0–59 999 ms
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(60_000, 1000 * 2 ** attempt));
}

/**
 * Milliseconds to wait from a `Retry-After` header: delay-seconds or an
 * HTTP-date (RFC 9110 §10.2.3). Undefined when absent or unreadable.
 * @example retryAfterMs('120', Date.now()) // 120000
 */
export function retryAfterMs(header: string | null | undefined, now: number): number | undefined {
  const ms = /^\s*\d+\s*$/.test(header!) ? Number(header) * 1000 : Math.max(0, Date.parse(header!) - now);
  return ms >= 0 ? ms : undefined; // NaN: absent or unreadable
}
