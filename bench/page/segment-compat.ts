import { randomUUID } from 'node:crypto';
import { config } from '../config.js';

const status = async (url: string, message: Record<string, unknown>) =>
  (
    await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify({ ...message, writeKey: config.writeKey }),
    })
  ).status;

/**
 * Asks the collector itself (no pass-through) the two things analytics-next
 * does that the bench's pass-through papers over: its one-letter paths and
 * `"userId": null` on anonymous events. Answers a finding with the statuses.
 */
export async function probeSegmentCompat(collector: string): Promise<string> {
  const message = () => ({ type: 'track', event: 'Compat Probe', anonymousId: randomUUID(), messageId: randomUUID() });
  const shortPath = await status(`${collector}/v1/t`, message());
  const nullUserId = await status(`${collector}/v1/track`, { ...message(), userId: null });
  const ok = (s: number) => s >= 200 && s < 300;
  return ok(shortPath) && ok(nullUserId)
    ? `analytics-next compatibility: the collector itself accepts Segment's short paths (\`/v1/t\` → ${shortPath}) and \`"userId": null\` (${nullUserId}); the pass-through's rewrites are no longer needed.`
    : `analytics-next compatibility, asked of the collector directly: \`POST /v1/t\` (what analytics-next sends a track to) answers ${shortPath}, and a track with \`"userId": null\` (what analytics-next sends for every anonymous visitor) answers ${nullUserId}. Without the bench's pass-through, analytics-next pointed at the collector ${ok(shortPath) ? 'would have every anonymous event rejected' : 'stores nothing'}.`;
}
