import type { AnnouncedEvent } from './types.js';

/** A written contact-log entry, as far as announcing it needs. */
export interface LoggedEntry {
  id: string;
  profileId: string;
  type: string;
  at: number;
  details: Record<string, unknown>;
}

/** Log types announced one for one: the entry's details become the event's data, with the profile. */
const DIRECT: Record<string, string> = {
  created: 'profile.created',
  deleted: 'profile.deleted',
  claim_refused: 'claim.refused',
  suppression_changed: 'suppression.changed',
  device_changed: 'device.changed',
};

function announce(entry: LoggedEntry): { key?: string; event: AnnouncedEvent } | undefined {
  const { id: logId, profileId, at, details: d } = entry;
  const direct = DIRECT[entry.type];
  if (direct) return { event: { type: direct, profileId, at, data: { profileId, ...d, logId } } };
  switch (entry.type) {
    case 'merged':
      // apply-plan writes the merge on both profiles; the survivor's entry is the one announced (and the one unmerge names).
      if (d.role !== 'survivor') return undefined;
      return {
        event: {
          type: 'profile.merged',
          profileId: String(d.survivorId),
          at,
          data: { survivorId: d.survivorId, mergedIds: [d.mergedId], linkedBy: d.linkedBy ?? [], rule: d.rule ?? null, via: d.via, logId },
        },
      };
    case 'merge_refused': {
      // Written on both profiles with the same reason and identifiers: one announcement names both.
      const profileIds = [profileId, ...(typeof d.otherProfileId === 'string' ? [d.otherProfileId] : [])];
      const key = `refused:${[...profileIds].sort().join(',')}:${d.reason}:${JSON.stringify(d.identifiers)}`;
      return {
        key,
        event: {
          type: 'profile.merge_refused',
          profileId,
          at,
          data: { profileIds, reason: d.reason, identifiers: d.identifiers, via: d.via, logId },
        },
      };
    }
    case 'unmerged':
      return {
        key: `unmerged:${d.logId}`,
        event: {
          type: 'profile.unmerged',
          profileId: String(d.survivorId),
          at,
          data: { survivorId: d.survivorId, restoredId: d.restoredId, mergeLogId: d.logId, logId },
        },
      };
    default:
      // identifier_added, identifier_replaced, imported: recorded, not announced (SPEC §9 names no type for them).
      return undefined;
  }
}

/**
 * The webhook events a batch of contact-log entries announces (SPEC §9), one
 * per decision: a merge, refusal or unmerge logged on both profiles is
 * announced once.
 *
 * @example
 * eventsFromLog([{ id: 'l1', profileId: 'p1', type: 'created', at: 0, details: { via: 'identify' } }])
 * // → [{ type: 'profile.created', profileId: 'p1', at: 0, data: { profileId: 'p1', via: 'identify', logId: 'l1' } }]
 */
export function eventsFromLog(entries: readonly LoggedEntry[]): AnnouncedEvent[] {
  const seen = new Set<string>();
  const events: AnnouncedEvent[] = [];
  for (const entry of entries) {
    const announced = announce(entry);
    if (!announced) continue;
    if (announced.key) {
      if (seen.has(announced.key)) continue;
      seen.add(announced.key);
    }
    events.push(announced.event);
  }
  return events;
}
