/** The fields of a timeline event that say whether it identified the visitor. */
export interface TimelineEvent {
  type: string;
  timestamp: string;
  anonymousId: string | null;
  userId: string | null;
  traits?: Record<string, unknown> | null;
}

const identifies = (e: TimelineEvent) =>
  e.userId !== null || (e.type === 'identify' && (typeof e.traits?.email === 'string' || typeof e.traits?.phone === 'string'));

/**
 * Which events of a profile's timeline happened before the visitor behind
 * them identified (SPEC §3): per anonymous ID (one browser), the events
 * before that browser's first event carrying an identity (a userId, or an
 * identify with an email or phone). A browser that never identified in this
 * timeline (its profile was merged in, or the person was imported) counts up
 * to `fromLog`, when the contact log first attached a known identifier; with
 * no such moment (an anonymous profile) every event is before.
 *
 * @example
 * preIdentify(events, null) // [true, true, false, false]
 */
export function preIdentify(events: TimelineEvent[], fromLog: string | null): boolean[] {
  const cut = new Map<string | null, string>();
  for (const e of events) if (identifies(e) && !cut.has(e.anonymousId)) cut.set(e.anonymousId, e.timestamp);
  return events.map((e) => {
    if (identifies(e)) return false;
    const at = cut.get(e.anonymousId) ?? fromLog;
    return at === null || e.timestamp < at;
  });
}
