import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestApp, type TestApp } from '../../test-support/app.js';
import { testDatabases } from '../../test-support/databases.js';
import { identify, profileOf } from '../../test-support/identity.js';

const databases = await testDatabases();
const DAY = 86_400_000;

/** Sends a track under an anonymous ID, with properties; the event time is the injected clock's. */
async function track(t: TestApp, anonymousId: string, event: string, properties: Record<string, unknown> = {}) {
  const res = await t.send('/v1/track', { messageId: randomUUID(), anonymousId, event, properties });
  expect(res.status).toBe(200);
}

export async function suppress(t: TestApp, channel: string, address: string) {
  const ws = await t.database.db.selectFrom('workspaces').select('id').where('write_key', '=', t.writeKey).executeTakeFirstOrThrow();
  await t.database.db
    .insertInto('suppressions')
    .values({ workspace_id: ws.id, channel, address, reason: 'unsubscribed', source: 'test', at: 0 })
    .execute();
}

const preview = (t: TestApp, definition: unknown) => t.admin('/api/segments/preview', { method: 'POST', body: { definition } });
/** The size of a definition's segment now. */
const sizeOf = async (t: TestApp, definition: unknown) => {
  const res = await preview(t, definition);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.size as number;
};

describe.each(databases)('segments on $name', (store) => {
  const t = useTestApp(store);

  /** ana: identified (email + phone, gold), bo: identified (email, free), walk-in: addressable (phone), two anonymous visitors. */
  async function people() {
    await identify(t, {
      anonymousId: 'v-ana',
      email: 'ana@example.com',
      phone: '+14155552671',
      traits: { plan: 'gold', ltv: 120, vip: true, city: 'Lisbon', address: { country: 'PT' }, since: '2024-03-01' },
    });
    await identify(t, { anonymousId: 'v-bo', email: 'bo@example.com', traits: { plan: 'free', ltv: 5, vip: false, code: '5' } });
    await identify(t, { anonymousId: 'v-walkin', phone: '+14155552672' });
    await track(t, 'v-anon1', 'Page Viewed');
    await track(t, 'v-anon2', 'Page Viewed');
  }

  describe('profile conditions', () => {
    it('selects by status, identified, addressable and anonymous together', async () => {
      await people();
      expect(await sizeOf(t, { status: ['identified'] })).toBe(2);
      expect(await sizeOf(t, { status: ['addressable'] })).toBe(1);
      expect(await sizeOf(t, { status: ['anonymous'] })).toBe(2);
      const res = await preview(t, { status: ['identified', 'addressable', 'anonymous'] });
      expect(res.body).toMatchObject({ size: 5, contacts: 3, anonymous: 2 });
    });

    it('selects by the identifiers a profile holds', async () => {
      await people();
      await identify(t, { userId: 'CUST-1', anonymousId: 'v-bo', email: 'bo@example.com' }, { verified: true });
      expect(await sizeOf(t, { has: 'email' })).toBe(2);
      expect(await sizeOf(t, { has: 'phone' })).toBe(2);
      expect(await sizeOf(t, { has: 'userId' })).toBe(1);
    });

    it('does not count a replaced phone as held', async () => {
      await identify(t, { anonymousId: 'v1', email: 'ana@example.com', phone: '+14155552671' });
      // Replacing an identifier takes a verified claim (SPEC §2).
      await identify(t, { anonymousId: 'v1', email: 'ana@example.com', phone: '+14155552673' }, { verified: true });
      expect(await sizeOf(t, { has: 'phone' })).toBe(1);
      expect((await t.admin('/api/reports/profiles?format=json')).body.profiles[0].phone).toBe('+14155552673');
    });

    it.each([
      [{ trait: 'plan', op: 'eq', value: 'gold' }, 1],
      [{ trait: 'plan', op: 'neq', value: 'gold' }, 4], // bo and every profile without a plan
      [{ trait: 'plan', op: 'in', value: ['gold', 'free', 'pro'] }, 2],
      [{ trait: 'city', op: 'contains', value: 'LISB' }, 1],
      [{ trait: 'plan', op: 'exists' }, 2],
      [{ trait: 'plan', op: 'notExists' }, 3],
      [{ trait: 'ltv', op: 'gt', value: 5 }, 1],
      [{ trait: 'ltv', op: 'gte', value: 5 }, 2],
      [{ trait: 'ltv', op: 'lt', value: 120 }, 1],
      [{ trait: 'ltv', op: 'lte', value: 120 }, 2],
      [{ trait: 'since', op: 'gte', value: '2024-01-01' }, 1],
      [{ trait: 'vip', op: 'eq', value: true }, 1],
      [{ trait: 'vip', op: 'eq', value: false }, 1],
      [{ trait: 'code', op: 'eq', value: 5 }, 0], // "5" is a string: types never coerce
      [{ trait: 'code', op: 'eq', value: '5' }, 1],
      [{ trait: 'plan', op: 'gt', value: 1 }, 0],
      [{ trait: 'address.country', op: 'eq', value: 'PT' }, 1],
    ])('tests traits: %j selects %i', async (definition, size) => {
      await people();
      expect(await sizeOf(t, definition)).toBe(size);
    });

    it('selects suppressed and not suppressed profiles per channel, by the address that channel uses', async () => {
      await people();
      await suppress(t, 'email', 'ana@example.com');
      await suppress(t, 'sms', '+14155552672');
      expect(await sizeOf(t, { suppressed: 'email', is: true })).toBe(1);
      expect(await sizeOf(t, { all: [{ has: 'email' }, { suppressed: 'email', is: false }] })).toBe(1);
      expect(await sizeOf(t, { suppressed: 'sms', is: true })).toBe(1);
      expect(await sizeOf(t, { suppressed: 'whatsapp', is: true })).toBe(0);
      expect(await sizeOf(t, { suppressed: 'push', is: true })).toBe(0);
      expect(await sizeOf(t, { suppressed: 'push', is: false })).toBe(5);
    });

    it('keeps a suppression through a merge: it is on the address, so the survivor is suppressed', async () => {
      await identify(t, { anonymousId: 'v1', email: 'ana@example.com' });
      await identify(t, { anonymousId: 'v2', phone: '+14155552671' });
      await suppress(t, 'sms', '+14155552671');
      await identify(t, { anonymousId: 'v1', email: 'ana@example.com', phone: '+14155552671' });
      const res = await preview(t, { suppressed: 'sms', is: true });
      expect(res.body).toMatchObject({ size: 1, contacts: 1, reachability: { email: 1, sms: 0, whatsapp: 1 } });
    });
  });

  describe('behaviour conditions', () => {
    it('counts events at least N times, with property filters', async () => {
      await people();
      for (const sku of ['sku-1', 'sku-1', 'sku-2']) await track(t, 'v-ana', 'Product Viewed', { sku, price: 49 });
      await track(t, 'v-bo', 'Product Viewed', { sku: 'sku-1', price: 10 });
      await track(t, 'v-anon1', 'Product Added', { sku: 'sku-1' });

      expect(await sizeOf(t, { event: 'Product Viewed' })).toBe(2);
      expect(await sizeOf(t, { event: 'Product Viewed', atLeast: 3 })).toBe(1);
      expect(await sizeOf(t, { event: 'Product Viewed', atLeast: 4 })).toBe(0);
      expect(await sizeOf(t, { event: 'Product Viewed', where: [{ property: 'sku', op: 'eq', value: 'sku-1' }], atLeast: 2 })).toBe(1);
      expect(await sizeOf(t, { event: 'Product Viewed', where: [{ property: 'price', op: 'lt', value: 20 }] })).toBe(1);
      expect(
        await sizeOf(t, {
          event: 'Product Viewed',
          where: [
            { property: 'sku', op: 'in', value: ['sku-2'] },
            { property: 'price', op: 'gte', value: 49 },
          ],
        }),
      ).toBe(1);
      expect(await sizeOf(t, { event: 'Product Viewed', where: [{ property: 'sku', op: 'neq', value: 'sku-1' }] })).toBe(1);
      expect(await sizeOf(t, { event: 'Product Added' })).toBe(1);
      expect(await sizeOf(t, { event: 'Order Completed' })).toBe(0);
    });

    it('counts only events inside the window, measured from now', async () => {
      await people();
      await track(t, 'v-ana', 'Order Completed');
      t.tick(20 * DAY);
      await track(t, 'v-bo', 'Order Completed');
      t.tick(20 * DAY); // ana's order is 40 days old, bo's 20

      expect(await sizeOf(t, { event: 'Order Completed', within: { days: 30 } })).toBe(1);
      expect(await sizeOf(t, { event: 'Order Completed', within: { days: 50 } })).toBe(2);
      expect(await sizeOf(t, { event: 'Order Completed' })).toBe(2);
      // "did not order in the last 30 days": everyone but bo
      expect(await sizeOf(t, { not: { event: 'Order Completed', within: { days: 30 } } })).toBe(4);
    });

    it('counts sub-day windows in minutes and hours, measured from now', async () => {
      await track(t, 'v-cart', 'Product Added');
      t.tick(3 * 3_600_000);
      await track(t, 'v-late', 'Product Added');
      t.tick(90 * 60_000); // the first cart is 4 h 30 min old, the second 90 minutes

      expect(await sizeOf(t, { event: 'Product Added', within: { hours: 4 } })).toBe(1);
      expect(await sizeOf(t, { event: 'Product Added', within: { hours: 5 } })).toBe(2);
      expect(await sizeOf(t, { event: 'Product Added', within: { minutes: 90 } })).toBe(1);
      expect(await sizeOf(t, { event: 'Product Added', within: { minutes: 89 } })).toBe(0);
      expect(await sizeOf(t, { event: 'Product Added', within: { minutes: 270 } })).toBe(2);
    });

    it('follows anonymous history onto the survivor of a merge, and never counts the merged tombstone', async () => {
      await track(t, 'v-phone', 'Product Viewed');
      await track(t, 'v-phone', 'Product Viewed');
      await identify(t, { anonymousId: 'v-phone', phone: '+14155552671' });
      await identify(t, { anonymousId: 'v-mail', email: 'ana@example.com' });
      await track(t, 'v-mail', 'Product Viewed');
      expect(await sizeOf(t, { event: 'Product Viewed', atLeast: 3 })).toBe(0);

      await identify(t, { anonymousId: 'v-mail', email: 'ana@example.com', phone: '+14155552671' }); // merges the two
      const survivor = (await profileOf(t, 'email', 'ana@example.com'))!;
      const res = await preview(t, { event: 'Product Viewed', atLeast: 3 });
      expect(res.body).toMatchObject({ size: 1, contacts: 1, anonymous: 0 });
      expect(await sizeOf(t, { status: ['identified', 'addressable', 'anonymous'] })).toBe(1);

      const saved = await t.admin('/api/segments', {
        method: 'POST',
        body: { name: 'viewers', definition: { event: 'Product Viewed', atLeast: 3 } },
      });
      const members = await t.admin(`/api/segments/${saved.body.id}/profiles`);
      expect(members.body.profiles.map((p: { id: string }) => p.id)).toEqual([survivor.id]);
    });

    it('combines conditions with all, any and not', async () => {
      await people();
      await track(t, 'v-ana', 'Product Added');
      await track(t, 'v-walkin', 'Product Added');
      await track(t, 'v-anon1', 'Product Added');
      await track(t, 'v-ana', 'Order Completed');
      const abandoned = {
        all: [{ event: 'Product Added', within: { days: 7 } }, { not: { event: 'Order Completed', within: { days: 7 } } }],
      };
      expect(await sizeOf(t, abandoned)).toBe(2); // walk-in and the anonymous visitor
      expect(await sizeOf(t, { all: [abandoned, { any: [{ has: 'email' }, { has: 'phone' }] }] })).toBe(1);
      expect(await sizeOf(t, { any: [{ trait: 'plan', op: 'eq', value: 'free' }, { status: ['anonymous'] }] })).toBe(3);
      expect(await sizeOf(t, { not: { any: [{ has: 'email' }, { has: 'phone' }] } })).toBe(2);
      expect(await sizeOf(t, { not: { not: { has: 'email' } } })).toBe(2);
    });
  });

  describe('preview', () => {
    it('answers size, contacts, anonymous and reachability restricted to the segment', async () => {
      await people();
      await suppress(t, 'email', 'bo@example.com');
      await suppress(t, 'whatsapp', '+14155552672');
      const res = await preview(t, { any: [{ status: ['addressable', 'anonymous'] }, { trait: 'plan', op: 'eq', value: 'free' }] });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        size: 4,
        contacts: 2,
        identified: 1,
        addressable: 1,
        anonymous: 2,
        reachability: { email: 0, sms: 1, whatsapp: 0, push: 0, webpush: 0 },
      });
      const everyone = await preview(t, { status: ['identified', 'addressable', 'anonymous'] });
      const stats = await t.admin('/api/stats');
      expect(everyone.body.reachability).toEqual(stats.body.reachability);
      expect(everyone.body.reachability).toEqual({ email: 1, sms: 2, whatsapp: 1, push: 0, webpush: 0 });
    });
  });
});
