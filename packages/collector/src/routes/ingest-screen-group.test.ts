import { describe, expect, it } from 'vitest';
import { useTestApp } from '../test-support/app.js';
import { testDatabases } from '../test-support/databases.js';
import { identify, profileOf, timelineOf } from '../test-support/identity.js';

const databases = await testDatabases();

/** Segment's `screen` and `group` calls (issue 8 §5), on their routes, Segment's short routes and in batches. */
describe.each(databases)('screen and group calls on $name', (store) => {
  const t = useTestApp(store);

  it('stores screens and groups from the long and the short routes on the visitor timeline', async () => {
    const sends = [
      ['/v1/screen', { messageId: 's1', anonymousId: 'v1', name: 'Home', properties: { tab: 'feed' }, timestamp: '2026-01-01T10:00:00Z' }],
      ['/v1/s', { messageId: 's2', anonymousId: 'v1', name: 'Cart', category: 'Shop', timestamp: '2026-01-01T10:01:00Z' }],
      ['/v1/group', { messageId: 'g1', anonymousId: 'v1', groupId: 'acme', traits: { name: 'Acme' }, timestamp: '2026-01-01T10:02:00Z' }],
      ['/v1/g', { messageId: 'g2', anonymousId: 'v1', groupId: 42, timestamp: '2026-01-01T10:03:00Z' }],
    ] as const;
    for (const [path, body] of sends) {
      const res = await t.send(path, body);
      expect(res.status, path).toBe(200);
      expect(await res.json()).toMatchObject({ accepted: 1, rejected: [] });
    }
    const timeline = await timelineOf(t, 'v1');
    expect(timeline?.map((e) => [e.messageId, e.type, e.name, e.properties, e.traits])).toEqual([
      ['s1', 'screen', 'Home', { tab: 'feed' }, null],
      ['s2', 'screen', 'Cart', {}, null],
      ['g1', 'group', null, { groupId: 'acme' }, { name: 'Acme' }],
      ['g2', 'group', null, { groupId: '42' }, {}],
    ]);
  });

  it('stores screens and groups inside a batch beside other calls and rejects a group without a groupId', async () => {
    const res = await t.send('/v1/batch', {
      batch: [
        { type: 'screen', messageId: 'b1', anonymousId: 'v2', name: 'Home' },
        { type: 'group', messageId: 'b2', anonymousId: 'v2', groupId: 'acme', traits: { plan: 'pro' } },
        { type: 'group', messageId: 'b3', anonymousId: 'v2' },
        { type: 'track', messageId: 'b4', anonymousId: 'v2', event: 'Product Viewed' },
      ],
    });
    const body = await res.json();
    expect(body).toMatchObject({ accepted: 3, duplicates: 0 });
    expect(body.rejected).toEqual([{ index: 2, messageId: 'b3', field: 'groupId', reason: expect.stringMatching(/\S/) }]);
    expect((await timelineOf(t, 'v2'))?.map((e) => e.type).sort()).toEqual(['group', 'screen', 'track']);
  });

  it('puts a known user group call on their profile and never reads the group traits as the person', async () => {
    await identify(t, { anonymousId: 'v3', userId: 'CUST-1', email: 'ana@example.com' });
    const res = await t.send('/v1/group', {
      messageId: 'g3',
      userId: 'CUST-1',
      groupId: 'acme',
      traits: { email: 'billing@acme.example', phone: '+14155550000', name: 'Acme' },
    });
    expect(res.status).toBe(200);
    const profile = await profileOf(t, 'userId', 'CUST-1');
    expect(profile).toMatchObject({ email: 'ana@example.com', phone: null });
    expect(profile?.traits).not.toHaveProperty('name');
    expect(await profileOf(t, 'email', 'billing@acme.example')).toBeUndefined();
    expect((await timelineOf(t, 'v3'))?.find((e) => e.messageId === 'g3')).toMatchObject({ type: 'group', userId: 'CUST-1' });
  });

  it('answers a single group call without a groupId 400 naming the field', async () => {
    const res = await t.send('/v1/g', { messageId: 'g4', anonymousId: 'v4' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { field: 'groupId' } });
  });
});
