/**
 * Below this gap between the client's `sentAt` and the receive time, the gap
 * is mostly the request's own travel and queueing time, not a wrong clock:
 * correcting for it would shift each request's events by its latency and
 * reorder events a few ms apart that went in different requests.
 */
export const CLOCK_SKEW_THRESHOLD_MS = 5_000;

/**
 * The event time, corrected for a wrong client clock the way Segment does it:
 * timestamp + (receivedAt − sentAt), when that gap is past the threshold. A
 * device whose clock is an hour fast sends both times an hour fast; the
 * difference is what we keep. Nothing happened after it arrived, so the
 * result is capped at the receive time.
 */
export function correctTimestamp(timestamp: string | undefined, sentAt: string | undefined, receivedAt: number): number {
  if (!timestamp) return receivedAt;
  const ts = Date.parse(timestamp);
  const skew = sentAt ? receivedAt - Date.parse(sentAt) : 0;
  const corrected = Math.abs(skew) > CLOCK_SKEW_THRESHOLD_MS ? ts + skew : ts;
  return Math.min(corrected, receivedAt);
}
