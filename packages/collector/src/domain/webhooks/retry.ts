const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * Waits before each retry, after the first attempt fails: the Standard
 * Webhooks schedule (5 s, 5 min, 30 min, 2 h, 5 h, 10 h), then daily, so the
 * last attempt comes ~41.6 h after the first: more than a day of retries.
 */
export const RETRY_DELAYS: readonly number[] = [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 24 * HOUR];

/** Attempts a delivery gets before it is `failed`: the first one and a retry per delay. */
export const MAX_ATTEMPTS = RETRY_DELAYS.length + 1;

/**
 * An endpoint every attempt to which has failed for this long is disabled
 * (Svix's rule for Standard Webhooks senders): longer than one delivery's
 * whole schedule, so it takes failures of deliveries created on different
 * days, not one bad event.
 */
export const DISABLE_AFTER_MS = 5 * 24 * HOUR;

/**
 * The wait before the next attempt once `attempts` have failed, with ±10 %
 * jitter so deliveries that failed together (a receiver outage) do not all
 * come back in the same second; undefined when none is left.
 *
 * @example
 * retryDelay(1, () => 0.5) // → 5000
 */
export function retryDelay(attempts: number, random: () => number = Math.random): number | undefined {
  const base = RETRY_DELAYS[attempts - 1];
  if (base === undefined) return undefined;
  return Math.round(base * (0.9 + 0.2 * random()));
}
