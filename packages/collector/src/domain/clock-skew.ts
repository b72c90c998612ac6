/**
 * The event time, corrected for the client's clock the way Segment does it:
 * timestamp + (receivedAt − sentAt). A device whose clock is an hour fast
 * sends both times an hour fast; the difference is what we keep. Nothing
 * happened after it arrived, so the result is capped at the receive time
 * (a `sentAt` earlier than the `timestamp` would otherwise date it ahead).
 */
export function correctTimestamp(timestamp: string | undefined, sentAt: string | undefined, receivedAt: number): number {
  if (!timestamp) return receivedAt;
  const ts = Date.parse(timestamp);
  const corrected = sentAt ? ts + (receivedAt - Date.parse(sentAt)) : ts;
  return Math.min(corrected, receivedAt);
}
