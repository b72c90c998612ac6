import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test-support/app.js';
import { sendOne } from '../../test-support/identity.js';
import { testDatabases } from '../../test-support/databases.js';

const databases = await testDatabases();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PROFILE_FIELDS = [
  'anonymousIds',
  'createdAt',
  'devices',
  'email',
  'id',
  'phone',
  'status',
  'suppressions',
  'traits',
  'updatedAt',
  'userId',
];
const EVENT_FIELDS = ['messageId', 'type', 'event', 'name', 'properties', 'traits', 'timestamp', 'anonymousId', 'userId'];
const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

describe.each(databases)('profiles admin API on $name', (store) => {
  const t = useTestApp(store);

  const identify = (message: Record<string, unknown>) => sendOne(t, 'identify', message);
  const visit = (anonymousId: string) => sendOne(t, 'page', { anonymousId });
  const lookup = (kind: string, value: string) => t.admin(`/api/profiles/lookup?${kind}=${encodeURIComponent(value)}`);

  describe('reading a profile', () => {
    it('answers a profile with exactly the documented fields', async () => {
      await identify({ anonymousId: 'v1', userId: 'CUST-1', traits: { email: 'ana@example.com', phone: '+14155552671', name: 'Ana' } });
      const { body: found } = await lookup('anonymousId', 'v1');
      const res = await t.admin(`/api/profiles/${found.id}`);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(PROFILE_FIELDS);
      expect(res.body).toEqual({
        id: expect.stringMatching(UUID),
        status: 'identified',
        userId: 'CUST-1',
        email: 'ana@example.com',
        phone: '+14155552671',
        anonymousIds: ['v1'],
        traits: { name: 'Ana' },
        suppressions: [],
        devices: [],
        createdAt: '2026-01-01T12:00:00.000Z',
        updatedAt: '2026-01-01T12:00:00.000Z',
      });
    });

    it('moves updatedAt forward when the profile changes, and keeps createdAt', async () => {
      await identify({ anonymousId: 'v1', traits: { email: 'ana@example.com' } });
      t.tick(60_000);
      await identify({ anonymousId: 'v1', traits: { email: 'ana@example.com', plan: 'pro' } });
      const { body } = await lookup('email', 'ana@example.com');
      expect(body).toMatchObject({ traits: { plan: 'pro' }, createdAt: '2026-01-01T12:00:00.000Z', updatedAt: '2026-01-01T12:01:00.000Z' });
    });

    it('lists the suppressions on the profile addresses', async () => {
      await identify({ anonymousId: 'v1', traits: { email: 'ana@example.com' } });
      await t.database.db
        .insertInto('suppressions')
        .values({
          workspace_id: await workspaceId(),
          channel: 'email',
          address: 'ana@example.com',
          reason: 'unsubscribed',
          source: 'test',
          at: Date.UTC(2026, 0, 1, 12),
        })
        .execute();
      const { body } = await lookup('email', 'ana@example.com');
      expect(body.suppressions).toEqual([
        { channel: 'email', address: 'ana@example.com', reason: 'unsubscribed', source: 'test', at: '2026-01-01T12:00:00.000Z' },
      ]);
    });

    it('answers 404 not_found for an unknown profile ID, its events and its log', async () => {
      const id = randomUUID();
      for (const path of [`/api/profiles/${id}`, `/api/profiles/${id}/events`, `/api/profiles/${id}/log`]) {
        const res = await t.admin(path);
        expect(res.status, path).toBe(404);
        expect(res.body, path).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
      }
    });

    it('answers 404 for a deleted profile, by ID and by lookup', async () => {
      await identify({ anonymousId: 'v1', traits: { email: 'ana@example.com' } });
      const { body: ana } = await lookup('email', 'ana@example.com');
      expect((await t.admin(`/api/profiles/${ana.id}`, { method: 'DELETE' })).status).toBe(204);
      expect((await t.admin(`/api/profiles/${ana.id}`)).status).toBe(404);
      expect((await lookup('email', 'ana@example.com')).status).toBe(404);
      expect((await lookup('anonymousId', 'v1')).status).toBe(404);
    });
  });

  describe('lookup', () => {
    it('finds a profile by email, normalising case and spaces', async () => {
      await identify({ anonymousId: 'v1', traits: { email: 'ana@example.com' } });
      const res = await lookup('email', 'ANA@Example.com ');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ email: 'ana@example.com', anonymousIds: ['v1'] });
    });

    it('finds a profile by a national phone number read in the workspace default country', async () => {
      await identify({ anonymousId: 'v1', traits: { phone: '+14155552671' } });
      const res = await lookup('phone', '(415) 555-2671');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ phone: '+14155552671', anonymousIds: ['v1'] });
    });

    it('stores a national phone number in E.164 using the default country', async () => {
      await identify({ anonymousId: 'v1', traits: { phone: '(415) 555-2671' } });
      const res = await lookup('phone', '+1 415 555 2671');
      expect(res.status).toBe(200);
      expect(res.body.phone).toBe('+14155552671');
    });

    it('finds a profile by a userId, trimmed', async () => {
      await identify({ anonymousId: 'v1', userId: 'CUST-1' });
      const res = await lookup('userId', '  CUST-1 ');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ userId: 'CUST-1', anonymousIds: ['v1'] });
    });

    it('answers 404 not_found for an identifier no profile holds', async () => {
      await identify({ anonymousId: 'v1', traits: { email: 'ana@example.com' } });
      for (const [kind, value] of [
        ['email', 'bo@example.com'],
        ['phone', '+14155550000'],
        ['userId', 'CUST-404'],
        ['anonymousId', 'v404'],
      ] as const) {
        const res = await lookup(kind, value);
        expect(res.status, kind).toBe(404);
        expect(res.body, kind).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
      }
    });

    it('answers 400 when given two identifiers or none', async () => {
      await identify({ anonymousId: 'v1', traits: { email: 'ana@example.com' } });
      const two = await t.admin('/api/profiles/lookup?email=ana%40example.com&anonymousId=v1');
      expect(two.status).toBe(400);
      expect(two.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
      const none = await t.admin('/api/profiles/lookup');
      expect(none.status).toBe(400);
      expect(none.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    });
  });

  describe('listing', () => {
    const seed = async () => {
      for (const name of ['ana', 'bo', 'cy']) await identify({ anonymousId: `v-${name}`, traits: { email: `${name}@example.com` } });
      await identify({ anonymousId: 'v-walkin', traits: { phone: '+14155552671' } });
      await visit('v-anon');
    };

    it('lists only identified profiles, paged with limit and the next cursor', async () => {
      await seed();
      const first = await t.admin('/api/profiles?status=identified&limit=2');
      expect(first.status).toBe(200);
      expect(first.body.profiles).toHaveLength(2);
      expect(first.body.next).toEqual(expect.any(String));

      const second = await t.admin(`/api/profiles?status=identified&limit=2&after=${encodeURIComponent(first.body.next)}`);
      expect(second.status).toBe(200);
      expect(second.body.profiles).toHaveLength(1);
      expect(second.body.next).toBeNull();

      const profiles = [...first.body.profiles, ...second.body.profiles];
      expect(profiles.every((p: { status: string }) => p.status === 'identified')).toBe(true);
      expect(profiles.map((p: { email: string }) => p.email).sort()).toEqual(['ana@example.com', 'bo@example.com', 'cy@example.com']);
      expect(Object.keys(profiles[0]).sort()).toEqual(PROFILE_FIELDS);
    });

    it('lists addressable and anonymous profiles by their status', async () => {
      await seed();
      const addressable = await t.admin('/api/profiles?status=addressable');
      expect(addressable.body.profiles.map((p: { phone: string }) => p.phone)).toEqual(['+14155552671']);
      const anonymous = await t.admin('/api/profiles?status=anonymous');
      expect(anonymous.body.profiles.map((p: { anonymousIds: string[] }) => p.anonymousIds)).toEqual([['v-anon']]);
    });

    it('lists every live profile when no status is given', async () => {
      await seed();
      const all = await t.admin('/api/profiles');
      expect(all.status).toBe(200);
      expect(all.body.profiles).toHaveLength(5);
      expect(all.body.next).toBeNull();
    });

    it('answers 400 naming status for an unknown or internal status', async () => {
      for (const status of ['vip', 'merged', 'deleted']) {
        const res = await t.admin(`/api/profiles?status=${status}`);
        expect(res.status, status).toBe(400);
        expect(res.body.error, status).toMatchObject({
          code: expect.any(String),
          field: 'status',
          message: expect.stringContaining('status'),
        });
      }
    });

    it('answers 400 naming limit for a limit that is not a positive whole number', async () => {
      for (const limit of ['0', '-1', '2.5', 'ten']) {
        const res = await t.admin(`/api/profiles?limit=${limit}`);
        expect(res.status, limit).toBe(400);
        expect(res.body.error.field, limit).toBe('limit');
      }
    });
  });

  describe('timeline', () => {
    it('answers the events in time order whatever order they arrived in, with the documented fields', async () => {
      const res = await t.send('/v1/batch', {
        batch: [
          {
            type: 'track',
            messageId: 't3',
            anonymousId: 'v1',
            event: 'Product Added',
            properties: { sku: 'A-1', price: 12 },
            timestamp: '2026-01-01T11:03:00.000Z',
          },
          {
            type: 'track',
            messageId: 't1',
            anonymousId: 'v1',
            event: 'Product Viewed',
            properties: { sku: 'A-1' },
            timestamp: '2026-01-01T11:01:00.000Z',
          },
          {
            type: 'page',
            messageId: 'p2',
            anonymousId: 'v1',
            name: 'Shoes',
            properties: { path: '/shoes' },
            timestamp: '2026-01-01T11:02:00.000Z',
          },
        ],
      });
      expect(res.status).toBe(200);
      await t.send('/v1/identify', {
        messageId: 'i0',
        anonymousId: 'v1',
        userId: 'CUST-1',
        traits: { name: 'Ana' },
        timestamp: '2026-01-01T11:00:00.000Z',
      });

      const { body: profile } = await lookup('userId', 'CUST-1');
      const events = await t.admin(`/api/profiles/${profile.id}/events`);
      expect(events.status).toBe(200);
      expect(events.body.events.map((e: { messageId: string }) => e.messageId)).toEqual(['i0', 't1', 'p2', 't3']);
      for (const e of events.body.events) expect(Object.keys(e)).toEqual(expect.arrayContaining(EVENT_FIELDS));
      const [identifyEvent, viewed, page] = events.body.events;
      expect(viewed).toMatchObject({
        messageId: 't1',
        type: 'track',
        event: 'Product Viewed',
        name: null,
        properties: { sku: 'A-1' },
        traits: null,
        timestamp: '2026-01-01T11:01:00.000Z',
        anonymousId: 'v1',
        userId: null,
      });
      expect(page).toMatchObject({
        messageId: 'p2',
        type: 'page',
        event: null,
        name: 'Shoes',
        properties: { path: '/shoes' },
        timestamp: '2026-01-01T11:02:00.000Z',
      });
      expect(identifyEvent).toMatchObject({
        messageId: 'i0',
        type: 'identify',
        event: null,
        traits: { name: 'Ana' },
        anonymousId: 'v1',
        userId: 'CUST-1',
      });
    });

    // SPEC §3: the timeline shows *all* of a profile's events. The events
    // route has no cursor, so a silent cap hides the rest from every caller.
    it('answers every event of a timeline longer than 1,000 events', async () => {
      const start = Date.UTC(2026, 0, 1, 10);
      const batch = Array.from({ length: 1001 }, (_, i) => ({
        type: 'track',
        messageId: `m${String(i).padStart(4, '0')}`,
        anonymousId: 'v1',
        event: 'Product Viewed',
        timestamp: new Date(start + i * 1000).toISOString(),
      }));
      expect(await (await t.send('/v1/batch', { batch })).json()).toMatchObject({ accepted: 1001 });
      const { body: profile } = await lookup('anonymousId', 'v1');
      const first = await t.admin(`/api/profiles/${profile.id}/events`);
      expect(first.status).toBe(200);
      expect(first.body.events).toHaveLength(1000);
      expect(first.body.next).toEqual(expect.any(String));
      const second = await t.admin(`/api/profiles/${profile.id}/events?after=${first.body.next}`);
      expect(second.body).toMatchObject({ next: null, events: [{ messageId: 'm1000' }] });
      const all = [...first.body.events, ...second.body.events].map((e: { messageId: string }) => e.messageId);
      expect(new Set(all).size).toBe(1001);
      expect(all).toEqual([...all].sort());
    });
  });

  describe('keys', () => {
    const paths = ['/api/profiles', '/api/profiles/lookup?anonymousId=v1', '/api/stats', '/api/settings'];

    it('refuses the public write key as HTTP Basic on every admin route with 401', async () => {
      await visit('v1');
      for (const path of paths) {
        const res = await t.app.request(path, { headers: { Authorization: basic(t.writeKey) } });
        expect(res.status, path).toBe(401);
        expect((await res.json()).error, path).toMatchObject({ code: expect.any(String), message: expect.any(String) });
      }
    });

    it('refuses the public write key as a Bearer token on every admin route with 401', async () => {
      await visit('v1');
      for (const path of paths) {
        const res = await t.app.request(path, { headers: { Authorization: `Bearer ${t.writeKey}` } });
        expect(res.status, path).toBe(401);
      }
    });

    it('refuses an admin request without a key with 401', async () => {
      const res = await t.app.request('/api/profiles');
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toEqual(expect.any(String));
    });

    it('refuses a settings change made with the write key, and keeps the settings', async () => {
      const res = await t.app.request('/api/settings', {
        method: 'PATCH',
        headers: { Authorization: `Bearer ${t.writeKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ defaultCountry: 'GB' }),
      });
      expect(res.status).toBe(401);
      expect((await t.admin('/api/settings')).body.defaultCountry).toBe('US');
    });
  });

  async function workspaceId(): Promise<string> {
    const row = await t.database.db.selectFrom('workspaces').select('id').where('write_key', '=', t.writeKey).executeTakeFirstOrThrow();
    return row.id;
  }
});
