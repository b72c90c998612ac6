import { describe, expect, it } from 'vitest';
import { messageIdsOf as messageIdsOfProfile, timelineOf as timelineOfProfile, trackMessage } from '../test-support/identity.js';
import { useTestApp } from '../test-support/app.js';
import { testDatabases } from '../test-support/databases.js';

const databases = await testDatabases();

const reason = expect.stringMatching(/\S/);
const track = trackMessage;

describe.each(databases)('tracking API on $name', (store) => {
  const t = useTestApp(store);

  const lookup = (query: string) => t.admin(`/api/profiles/lookup?${query}`);
  const timelineOf = (anonymousId: string) => timelineOfProfile(t, anonymousId);
  const messageIdsOf = (anonymousId: string) => messageIdsOfProfile(t, anonymousId);

  describe('valid and invalid batches', () => {
    it('stores every message of a valid batch and answers the counts', async () => {
      const res = await t.send('/v1/batch', {
        batch: [
          { type: 'page', messageId: 'p1', anonymousId: 'v1', name: 'Home', timestamp: '2026-01-01T11:00:00Z' },
          track('t1', 'v1', 'Product Viewed', { properties: { sku: 'A-1' }, timestamp: '2026-01-01T11:01:00Z' }),
          {
            type: 'identify',
            messageId: 'i1',
            anonymousId: 'v1',
            traits: { email: 'ana@example.com', name: 'Ana' },
            timestamp: '2026-01-01T11:02:00Z',
          },
          track('t2', 'v2', 'Cart Viewed'),
          { type: 'alias', messageId: 'a1', userId: 'CUST-1', previousId: 'v3' },
        ],
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ success: true, accepted: 5, duplicates: 0, rejected: [], warnings: [] });

      expect(await messageIdsOf('v1')).toEqual(['p1', 't1', 'i1']);
      expect(await messageIdsOf('v2')).toEqual(['t2']);
      const ana = await lookup('anonymousId=v1');
      expect(ana.body).toMatchObject({ email: 'ana@example.com', traits: { name: 'Ana' } });
      const aliased = await lookup('userId=CUST-1');
      expect(aliased.status).toBe(200);
      expect(aliased.body.anonymousIds).toEqual(['v3']);
      const aliasEvents = (await t.admin(`/api/profiles/${aliased.body.id}/events`)).body.events;
      expect(aliasEvents.map((e: { messageId: string; type: string }) => [e.messageId, e.type])).toEqual([['a1', 'alias']]);
    });

    it('answers 200 for a batch whose every message is invalid, rejecting each by index and storing none', async () => {
      const res = await t.send('/v1/batch', {
        batch: [
          { type: 'track', messageId: 'x1', anonymousId: 'v1' },
          { type: 'identify', messageId: 'x2', anonymousId: 'v1', traits: 'ana@example.com' },
        ],
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        success: true,
        accepted: 0,
        duplicates: 0,
        rejected: [
          { index: 0, messageId: 'x1', field: 'event', reason },
          { index: 1, messageId: 'x2', field: 'traits', reason },
        ],
        warnings: [],
      });
      expect((await lookup('anonymousId=v1')).status).toBe(404);
    });

    it('stores the valid messages of a mixed batch and names the field at fault in each rejected one', async () => {
      const res = await t.send('/v1/batch', {
        batch: [
          track('ok1', 'v1', 'Product Viewed', { timestamp: '2026-01-01T11:00:00Z' }),
          { type: 'track', messageId: 'bad1', anonymousId: 'v1' },
          { type: 'identify', messageId: 'bad2', anonymousId: 'v1', traits: 'not an object' },
          { type: 'page', messageId: 'ok2', anonymousId: 'v1', timestamp: '2026-01-01T11:01:00Z' },
          track('bad3', 'v1', 'Product Added', { timestamp: 'yesterday' }),
          { type: 'track', messageId: 'bad4', event: 'Product Added' },
          { type: 'purchase', messageId: 'bad5', anonymousId: 'v1', name: 'Home' },
          {
            type: 'identify',
            messageId: 'ok3',
            anonymousId: 'v1',
            traits: { email: 'ana@example.com' },
            timestamp: '2026-01-01T11:02:00Z',
          },
          { type: 'track', anonymousId: 'v1', event: 'Product Added' },
          null,
        ],
      });
      expect(res.status).toBe(200);
      const body = await res.json();
      // Index 8 has no messageId: like Segment's API, the collector makes one and stores it.
      expect(body).toMatchObject({ success: true, accepted: 4, duplicates: 0, warnings: [] });
      expect(body.rejected).toEqual([
        { index: 1, messageId: 'bad1', field: 'event', reason },
        { index: 2, messageId: 'bad2', field: 'traits', reason },
        { index: 4, messageId: 'bad3', field: 'timestamp', reason },
        { index: 5, messageId: 'bad4', field: 'anonymousId', reason },
        { index: 6, messageId: 'bad5', field: 'type', reason },
        { index: 9, field: expect.any(String), reason },
      ]);
      const stored = await messageIdsOf('v1');
      expect(stored?.slice(0, 3)).toEqual(['ok1', 'ok2', 'ok3']);
      expect(stored).toHaveLength(4);
      expect(stored?.[3]).toMatch(/^[0-9a-f-]{36}$/);
      expect((await lookup('email=ana@example.com')).status).toBe(200);
    });

    // Date.parse reads '1' as 2001-01-01 and 'March 7' as 2001-03-07: a lenient
    // parse silently files the event years away in the timeline.
    it.each(['1', 'March 7', '7/3/2026'])('rejects a timestamp or sentAt that is not an ISO 8601 date (%s)', async (value) => {
      const res = await t.send('/v1/batch', {
        batch: [
          track('ok', 'v1', 'Product Viewed'),
          track('bad-ts', 'v1', 'Product Viewed', { timestamp: value }),
          track('bad-sent', 'v1', 'Product Viewed', { timestamp: '2026-01-01T11:00:00.000Z', sentAt: value }),
        ],
      });
      const body = await res.json();
      expect(body.rejected).toEqual([
        { index: 1, messageId: 'bad-ts', field: 'timestamp', reason },
        { index: 2, messageId: 'bad-sent', field: 'sentAt', reason },
      ]);
      expect(await messageIdsOf('v1')).toEqual(['ok']);
    });

    it('stores an identify whose email is invalid without linking the email, and warns on traits.email', async () => {
      const res = await t.send('/v1/batch', {
        batch: [{ type: 'identify', messageId: 'i1', anonymousId: 'v1', traits: { email: 'ana@@example', plan: 'pro' } }],
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        success: true,
        accepted: 1,
        duplicates: 0,
        rejected: [],
        warnings: [{ index: 0, messageId: 'i1', field: 'traits.email', reason }],
      });
      const profile = await lookup('anonymousId=v1');
      expect(profile.body).toMatchObject({ status: 'anonymous', email: null, traits: { plan: 'pro' } });
      expect(await messageIdsOf('v1')).toEqual(['i1']);
    });
  });

  describe('duplicates', () => {
    it('stores a repeated messageId once, within a batch and across batches, and counts the repeats', async () => {
      const first = await t.send('/v1/batch', {
        batch: [
          track('d1', 'v1', 'Product Viewed', { timestamp: '2026-01-01T11:00:00Z' }),
          track('d1', 'v1', 'Product Viewed', { timestamp: '2026-01-01T11:00:00Z' }),
          track('d2', 'v1', 'Product Added', { timestamp: '2026-01-01T11:01:00Z' }),
        ],
      });
      expect(await first.json()).toEqual({ success: true, accepted: 2, duplicates: 1, rejected: [], warnings: [] });

      const second = await t.send('/v1/batch', {
        batch: [
          track('d1', 'v1', 'Product Viewed', { timestamp: '2026-01-01T11:00:00Z' }),
          track('d3', 'v1', 'Cart Viewed', { timestamp: '2026-01-01T11:02:00Z' }),
        ],
      });
      expect(await second.json()).toEqual({ success: true, accepted: 1, duplicates: 1, rejected: [], warnings: [] });

      expect(await messageIdsOf('v1')).toEqual(['d1', 'd2', 'd3']);
    });

    it('stores a batch once when a retry arrives while the first send is still being processed', async () => {
      const batch = Array.from({ length: 20 }, (_, i) =>
        track(`r${String(i).padStart(2, '0')}`, 'v1', 'Product Viewed', {
          timestamp: new Date(Date.UTC(2026, 0, 1, 11, 0, i)).toISOString(),
        }),
      );
      const answers = await Promise.all([t.send('/v1/batch', { batch }), t.send('/v1/batch', { batch })]);
      const bodies = await Promise.all(answers.map((r) => r.json()));
      expect(answers.map((r) => r.status)).toEqual([200, 200]);
      expect(bodies[0].accepted + bodies[1].accepted).toBe(20);
      expect(bodies[0].duplicates + bodies[1].duplicates).toBe(20);
      expect(await messageIdsOf('v1')).toEqual(batch.map((m) => m.messageId));
    });

    it('acknowledges a repeated messageId on a single endpoint with 200 and stores it once', async () => {
      const message = { messageId: 'd1', anonymousId: 'v1', event: 'Product Viewed' };
      expect((await t.send('/v1/track', message)).status).toBe(200);
      const again = await t.send('/v1/track', message);
      expect(again.status).toBe(200);
      expect(await again.json()).toMatchObject({ accepted: 0, duplicates: 1, rejected: [] });
      expect(await messageIdsOf('v1')).toEqual(['d1']);
    });
  });

  describe('single-message endpoints', () => {
    it('/v1/track stores a track when the body has no type', async () => {
      const res = await t.send('/v1/track', { messageId: 't1', anonymousId: 'v1', event: 'Product Viewed', properties: { sku: 'A-1' } });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ success: true, accepted: 1, duplicates: 0, rejected: [], warnings: [] });
      const [event] = (await timelineOf('v1'))!;
      expect(event).toMatchObject({ messageId: 't1', type: 'track', event: 'Product Viewed', properties: { sku: 'A-1' } });
    });

    it('/v1/identify, /v1/page and /v1/alias each store their own message type', async () => {
      await t.send('/v1/page', { messageId: 'p1', anonymousId: 'v1', name: 'Home', timestamp: '2026-01-01T11:00:00Z' });
      await t.send('/v1/identify', {
        messageId: 'i1',
        anonymousId: 'v1',
        userId: 'CUST-1',
        traits: { name: 'Ana' },
        timestamp: '2026-01-01T11:01:00Z',
      });
      await t.send('/v1/alias', { messageId: 'a1', userId: 'CUST-1', previousId: 'v2', timestamp: '2026-01-01T11:02:00Z' });
      const profile = await lookup('userId=CUST-1');
      expect(profile.body.anonymousIds.sort()).toEqual(['v1', 'v2']);
      const events = (await t.admin(`/api/profiles/${profile.body.id}/events`)).body.events;
      expect(events.map((e: { messageId: string; type: string }) => [e.messageId, e.type])).toEqual([
        ['p1', 'page'],
        ['i1', 'identify'],
        ['a1', 'alias'],
      ]);
    });

    it('answers 400 naming the field of an invalid single message, and stores nothing', async () => {
      const res = await t.send('/v1/track', { messageId: 't1', anonymousId: 'v1' });
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatchObject({
        code: expect.any(String),
        message: expect.stringContaining('event'),
        field: 'event',
      });
      expect((await lookup('anonymousId=v1')).status).toBe(404);
    });

    it('answers 400 naming anonymousId for a single message with neither userId nor anonymousId', async () => {
      const res = await t.send('/v1/page', { messageId: 'p1', name: 'Home' });
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatchObject({ field: 'anonymousId' });
    });
  });

  describe('Segment clients', () => {
    it('accepts the short paths analytics-next posts to and null for absent fields', async () => {
      const t1 = await t.send('/v1/t', {
        messageId: 's1',
        anonymousId: 'seg-1',
        userId: null,
        event: 'Product Viewed',
        timestamp: '2026-01-01T11:00:00Z',
      });
      expect(t1.status).toBe(200);
      const p1 = await t.send('/v1/p', {
        messageId: 's2',
        anonymousId: 'seg-1',
        userId: null,
        name: null,
        timestamp: '2026-01-01T11:01:00Z',
      });
      expect(p1.status).toBe(200);
      const b1 = await t.send('/v1/b', {
        batch: [
          {
            type: 'identify',
            messageId: 's3',
            anonymousId: 'seg-1',
            userId: null,
            traits: { email: 'seg@example.com' },
            timestamp: '2026-01-01T11:02:00Z',
          },
        ],
      });
      expect(await b1.json()).toMatchObject({ accepted: 1, rejected: [] });
      expect(await messageIdsOf('seg-1')).toEqual(['s1', 's2', 's3']);
    });
  });

  describe('clock skew', () => {
    const hour = 60 * 60 * 1000;

    it('corrects a message whose timestamp and sentAt are both an hour ahead to the server clock', async () => {
      t.tick(5 * 60 * 1000); // server clock: 12:05
      const res = await t.send('/v1/batch', {
        batch: [track('s1', 'v1', 'Product Viewed', { timestamp: '2026-01-01T13:04:00.000Z', sentAt: '2026-01-01T13:05:00.000Z' })],
      });
      expect(res.status).toBe(200);
      const [event] = (await timelineOf('v1'))!;
      expect(event!.timestamp).toBe('2026-01-01T12:04:00.000Z');
      expect(Date.parse(event!.timestamp) - Date.parse('2026-01-01T13:04:00.000Z')).toBe(-hour);
    });

    it('corrects the timestamps of a batch by the batch-level sentAt', async () => {
      t.tick(5 * 60 * 1000);
      await t.send('/v1/batch', {
        sentAt: '2026-01-01T13:05:00.000Z',
        batch: [
          track('s1', 'v1', 'Product Viewed', { timestamp: '2026-01-01T13:03:00.000Z' }),
          track('s2', 'v1', 'Product Added', { timestamp: '2026-01-01T13:05:00.000Z' }),
        ],
      });
      expect((await timelineOf('v1'))!.map((e) => e.timestamp)).toEqual(['2026-01-01T12:03:00.000Z', '2026-01-01T12:05:00.000Z']);
    });

    it('corrects a single /v1/track message by its sentAt', async () => {
      await t.send('/v1/track', {
        messageId: 's1',
        anonymousId: 'v1',
        event: 'Product Viewed',
        timestamp: '2026-01-01T13:00:00.000Z',
        sentAt: '2026-01-01T13:00:00.000Z',
      });
      expect((await timelineOf('v1'))![0]!.timestamp).toBe('2026-01-01T12:00:00.000Z');
    });

    it('stamps a message without a timestamp with the server time it arrived', async () => {
      t.tick(90 * 1000);
      await t.send('/v1/track', { messageId: 's1', anonymousId: 'v1', event: 'Product Viewed' });
      expect((await timelineOf('v1'))![0]!.timestamp).toBe('2026-01-01T12:01:30.000Z');
    });
  });
});
