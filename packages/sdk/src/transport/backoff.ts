/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential
 * Backoff And Jitter"): a random wait in [0, min(cap, base·2^attempt)), so
 * tabs of many visitors do not retry a recovering collector in step.
 * @example backoffDelay(0) // 0–999 ms; backoffDelay(10) // 0–59 999 ms
 */
export function backoffDelay(attempt: number, random: () => number = Math.random, baseMs = 1000, capMs = 60_000): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));
}

/**
 * Milliseconds to wait from a `Retry-After` header: delay-seconds or an
 * HTTP-date (RFC 9110 §10.2.3). Undefined when absent or unreadable.
 * @example retryAfterMs('120', Date.now()) // 120000
 */
export function retryAfterMs(header: string | null | undefined, now: number): number | undefined {
  if (!header) return undefined;
  if (/^\s*\d+\s*$/.test(header)) return Number(header) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
