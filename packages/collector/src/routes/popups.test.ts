import type { PopupRule, PopupsResponse } from '@threadline/protocol';
import { describe, expect, it } from 'vitest';
import { createWorkspace } from '../repos/workspaces.js';
import { useTestApp } from '../test-support/app.js';
import { testDatabases } from '../test-support/databases.js';
import { identify, track } from '../test-support/identity.js';
import { createRule, fetchPopups } from '../test-support/popups.js';

const databases = await testDatabases();

describe.each(databases)('GET /v1/popups on $name', (store) => {
  const t = useTestApp(store);

  const namesFor = async (anonymousId: string) => {
    const res = await fetchPopups(t, anonymousId);
    expect(res.status).toBe(200);
    return ((await res.json()) as PopupsResponse).popups.map((p) => p.name);
  };
  const threeAudiences = async () => {
    await createRule(t, { name: 'anon', audience: 'anonymous', priority: 2 });
    t.tick(1);
    await createRule(t, { name: 'known', audience: 'identified', priority: 1 });
    t.tick(1);
    await createRule(t, { name: 'all', audience: 'everyone', priority: 3 });
  };

  describe('audience', () => {
    it('treats an anonymous ID the collector has never seen as anonymous', async () => {
      await threeAudiences();
      expect(await namesFor('never-seen')).toEqual(['all', 'anon']);
    });

    it('shows anonymous-only rules to a tracked visitor who has not identified', async () => {
      await threeAudiences();
      await track(t, 'v-anon', 'Product Viewed');
      expect(await namesFor('v-anon')).toEqual(['all', 'anon']);
    });

    it('shows identified-only rules to an addressable visitor (email without the primary key)', async () => {
      await t.admin('/api/settings', { method: 'PATCH', body: { primaryKey: 'userId' } });
      await threeAudiences();
      await identify(t, { anonymousId: 'v-addr', email: 'ana@example.com' });
      const profile = await t.admin('/api/profiles/lookup?anonymousId=v-addr');
      expect(profile.body.status).toBe('addressable');
      expect(await namesFor('v-addr')).toEqual(['all', 'known']);
    });

    it('shows identified-only rules to an identified visitor, on every anonymous ID merged into them', async () => {
      await threeAudiences();
      await track(t, 'v-old-device', 'Product Viewed');
      await identify(t, { anonymousId: 'v-new-device', email: 'ana@example.com' });
      expect(await namesFor('v-old-device')).toEqual(['all', 'anon']);
      await identify(t, { anonymousId: 'v-old-device', email: 'ana@example.com' });
      expect(await namesFor('v-new-device')).toEqual(['all', 'known']);
      expect(await namesFor('v-old-device')).toEqual(['all', 'known']);
    });

    it('treats a deleted visitor who comes back as anonymous', async () => {
      await threeAudiences();
      await identify(t, { anonymousId: 'v-gone', email: 'ana@example.com' });
      const profile = await t.admin('/api/profiles/lookup?anonymousId=v-gone');
      await t.admin(`/api/profiles/${profile.body.id}`, { method: 'DELETE' });
      expect(await namesFor('v-gone')).toEqual(['all', 'anon']);
    });

    it('trims the anonymous ID as the tracking API does', async () => {
      await threeAudiences();
      await identify(t, { anonymousId: 'v-trim', email: 'ana@example.com' });
      expect(await namesFor('  v-trim ')).toEqual(['all', 'known']);
    });
  });

  describe('which rules', () => {
    it('hides disabled rules, and shows one again once enabled', async () => {
      const off = await createRule(t, { name: 'off', enabled: false });
      t.tick(1);
      await createRule(t, { name: 'on' });
      expect(await namesFor('v1')).toEqual(['on']);
      const { id, createdAt: _c, updatedAt: _u, ...body } = off;
      await t.admin(`/api/popups/${id}`, { method: 'PUT', body: { ...body, enabled: true } });
      // Same priority: the older rule first.
      expect(await namesFor('v1')).toEqual(['off', 'on']);
    });

    it('answers the whole rule, as the admin API stores it, highest priority first', async () => {
      const low = await createRule(t, { name: 'low', priority: 1 });
      const high = await createRule(t, { name: 'high', priority: 9, form: { field: 'email', consentText: 'Yes, email me.' } });
      const res = await fetchPopups(t, 'v1');
      expect(((await res.json()) as PopupsResponse).popups).toEqual([high, low] satisfies PopupRule[]);
    });

    it('answers an empty list for a workspace without rules', async () => {
      expect(await namesFor('v1')).toEqual([]);
    });

    it('answers only the rules of the write key’s workspace', async () => {
      await createRule(t, { name: 'mine' });
      const theirs = await createWorkspace(t.database.db, { name: 'theirs' }, 0);
      const res = await fetchPopups(t, 'v1', { writeKey: theirs.writeKey });
      expect(await res.json()).toEqual({ popups: [] });
    });
  });

  describe('request', () => {
    it('marks the answer private and cacheable for a minute', async () => {
      const res = await fetchPopups(t, 'v1');
      expect(res.headers.get('cache-control')).toBe('private, max-age=60');
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    });

    it('reflects the storefront origin with Vary: Origin, and needs no preflight', async () => {
      const origin = 'https://shop.example';
      const res = await fetchPopups(t, 'v1', { headers: { Origin: origin } });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(res.headers.get('access-control-allow-credentials')).toBe('true');
      expect(res.headers.get('vary')).toBe('Origin');
    });

    it('answers a preflight too, for clients that send one', async () => {
      const origin = 'https://shop.example';
      const res = await t.app.request('/v1/popups', {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    });

    it('allows the storefront origin on an error answer, so the SDK can read the reason', async () => {
      const res = await fetchPopups(t, 'v1', { writeKey: 'wk_wrong', headers: { Origin: 'https://shop.example' } });
      expect(res.status).toBe(401);
      expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    });

    it('takes the write key as HTTP Basic user too', async () => {
      await createRule(t, { name: 'r' });
      const res = await t.app.request('/v1/popups?anonymousId=v1', {
        headers: { Authorization: `Basic ${Buffer.from(`${t.writeKey}:`).toString('base64')}` },
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as PopupsResponse).popups.map((p) => p.name)).toEqual(['r']);
    });

    it('refuses a missing or unknown write key with 401, and the secret key is not needed', async () => {
      const missing = await t.app.request('/v1/popups?anonymousId=v1');
      expect(missing.status).toBe(401);
      expect(await missing.json()).toEqual({
        error: { code: 'missing_key', message: expect.stringContaining('query'), field: 'writeKey' },
      });
      const wrong = await fetchPopups(t, 'v1', { writeKey: 'wk_wrong' });
      expect(wrong.status).toBe(401);
      expect((await wrong.json()).error.code).toBe('invalid_key');
      const secretAsWriteKey = await fetchPopups(t, 'v1', { writeKey: t.secretKey });
      expect(secretAsWriteKey.status).toBe(401);
    });

    it('refuses a missing, empty or oversized anonymous ID naming the field', async () => {
      for (const anonymousId of [undefined, '', '   ', 'x'.repeat(201)]) {
        const res = await fetchPopups(t, anonymousId);
        expect(res.status).toBe(400);
        expect((await res.json()).error).toMatchObject({ code: 'invalid_request', field: 'anonymousId' });
      }
    });

    it('answers nothing about the visitor beyond the rules', async () => {
      await createRule(t, { name: 'r' });
      await identify(t, { anonymousId: 'v-ana', email: 'ana@example.com', traits: { plan: 'gold' } });
      const res = await fetchPopups(t, 'v-ana');
      const text = await res.text();
      expect(Object.keys(JSON.parse(text))).toEqual(['popups']);
      expect(text).not.toMatch(/ana@example\.com|gold|identified"|addressable/);
      expect(res.headers.get('set-cookie')).toBeNull();
    });
  });
});
