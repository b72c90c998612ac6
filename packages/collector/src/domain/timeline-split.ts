/** The fields of a timeline event that say whether it identified the visitor. */
export interface TimelineEvent {
  type: string;
  timestamp: string;
  userId: string | null;
  traits?: Record<string, unknown> | null;
}

const identifies = (e: TimelineEvent) =>
  e.userId !== null || (e.type === 'identify' && (typeof e.traits?.email === 'string' || typeof e.traits?.phone === 'string'));

/**
 * When a profile's timeline stops being anonymous: its first event that
 * carried an identity (a userId, or an identify with an email or phone).
 * Without one, the first time the contact log attached a known identifier
 * (an import, say); null while the profile is anonymous. Events before this
 * moment are the pre-identify part the console marks (SPEC §3).
 *
 * @example
 * identifiedAt(events, logIdentifiedAt) // '2026-01-01T12:00:05.000Z'
 */
export function identifiedAt(events: TimelineEvent[], fromLog: string | null): string | null {
  const first = events.find(identifies);
  if (first) return first.timestamp;
  return fromLog;
}
