import { describe, expect, it } from 'vitest';
import { eventsFromLog, type LoggedEntry } from './from-log.js';
import { retryDelay, RETRY_DELAYS } from './retry.js';

const entry = (type: string, profileId: string, details: Record<string, unknown>, id = `log-${type}-${profileId}`): LoggedEntry => ({
  id,
  profileId,
  type,
  at: 1,
  details,
});

describe('webhook events from contact-log entries', () => {
  it.each([
    ['created', 'profile.created'],
    ['deleted', 'profile.deleted'],
    ['claim_refused', 'claim.refused'],
    ['suppression_changed', 'suppression.changed'],
    ['device_changed', 'device.changed'],
  ])('announces %s as %s with the profile, the details and the log id', (type, webhook) => {
    expect(eventsFromLog([entry(type, 'p1', { via: 'x' }, 'l1')])).toEqual([
      { type: webhook, profileId: 'p1', at: 1, data: { profileId: 'p1', via: 'x', logId: 'l1' } },
    ]);
  });

  it('announces a merge once, from the survivor’s entry, with linkedBy, rule and that entry’s id', () => {
    const record = {
      survivorId: 's',
      mergedId: 'm',
      linkedBy: [{ kind: 'email', value: 'a@x.com', profileId: 's' }],
      rule: 'merge_into_oldest',
      via: 'identify',
    };
    const events = eventsFromLog([
      entry('merged', 's', { ...record, role: 'survivor' }, 'l-s'),
      entry('merged', 'm', { ...record, role: 'merged' }, 'l-m'),
    ]);
    expect(events).toEqual([
      {
        type: 'profile.merged',
        profileId: 's',
        at: 1,
        data: { survivorId: 's', mergedIds: ['m'], linkedBy: record.linkedBy, rule: 'merge_into_oldest', via: 'identify', logId: 'l-s' },
      },
    ]);
  });

  it('announces a refusal written on both profiles once, and two different refusals twice', () => {
    const ids = [{ kind: 'anonymousId', value: 'a1' }];
    const both = [
      entry('merge_refused', 'p1', { reason: 'primary_key_conflict', identifiers: ids, otherProfileId: 'p2' }),
      entry('merge_refused', 'p2', { reason: 'primary_key_conflict', identifiers: ids, otherProfileId: 'p1' }),
      entry('merge_refused', 'p3', { reason: 'unverified_claim', identifiers: ids, otherProfileId: null }),
    ];
    expect(eventsFromLog(both).map((e) => e.data.profileIds)).toEqual([['p1', 'p2'], ['p3']]);
  });

  it('announces an unmerge once and nothing for identifier or import entries', () => {
    const details = { logId: 'merge-1', survivorId: 's', restoredId: 'm' };
    const events = eventsFromLog([
      entry('unmerged', 's', details),
      entry('unmerged', 'm', details),
      entry('identifier_added', 's', {}),
      entry('identifier_replaced', 's', {}),
      entry('imported', 's', {}),
    ]);
    expect(events.map((e) => [e.type, e.data.mergeLogId])).toEqual([['profile.unmerged', 'merge-1']]);
  });
});

describe('retry delays', () => {
  it('follow the schedule within ±10 % and run out after the last', () => {
    expect(retryDelay(1, () => 0)).toBe(4_500);
    expect(retryDelay(1, () => 1)).toBe(5_500);
    expect(retryDelay(RETRY_DELAYS.length, () => 0.5)).toBe(24 * 3600_000);
    expect(retryDelay(RETRY_DELAYS.length + 1)).toBeUndefined();
  });
});
