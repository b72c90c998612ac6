/**
 * The event time, corrected for the client's clock the way Segment does it:
 * timestamp + (receivedAt − sentAt). A device whose clock is an hour fast
 * sends both times an hour fast; the difference is what we keep.
 */
export function correctTimestamp(timestamp: string | undefined, sentAt: string | undefined, receivedAt: number): number {
  if (!timestamp) return receivedAt;
  const ts = Date.parse(timestamp);
  if (!sentAt) return ts;
  return ts + (receivedAt - Date.parse(sentAt));
}
