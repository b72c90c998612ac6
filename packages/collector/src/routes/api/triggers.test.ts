import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useTestApp, type TestApp } from '../../test-support/app.js';
import { HOUR, MINUTE, outbox, suppressAddress } from '../../test-support/audience.js';
import { testDatabases } from '../../test-support/databases.js';
import { identify, profileOf, track } from '../../test-support/identity.js';

vi.mock('../../repos/outbox.js', async () => ({ appendOutbox: (await import('../../test-support/audience.js')).recordOutbox }));

const databases = await testDatabases();

const CART = { all: [{ event: 'Product Added', within: { hours: 4 } }, { not: { event: 'Order Completed', within: { hours: 4 } } }] };
const abandonedCart = { name: 'Abandoned cart', condition: CART, channel: 'email', waitFor: { hours: 72 } };

async function createTrigger(t: TestApp, body: unknown = abandonedCart): Promise<string> {
  const res = await t.admin('/api/triggers', { method: 'POST', body });
  if (res.status !== 201) throw new Error(`trigger answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.id;
}

async function firings(t: TestApp, id: string) {
  const res = await t.admin(`/api/triggers/${id}/firings`);
  expect(res.status).toBe(200);
  return res.body.firings as Array<{ id: string; profileId: string; status: string; events: Array<Record<string, unknown>> }>;
}

describe.each(databases)('triggers on $name', (store) => {
  const t = useTestApp(store);
  beforeEach(() => {
    outbox.length = 0;
  });
  const fired = () => outbox.filter((e) => e.type === 'trigger.fired');

  it('creates, lists, reads, changes and deletes a trigger', async () => {
    const created = await t.admin('/api/triggers', { method: 'POST', body: abandonedCart });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...abandonedCart, enabled: true, id: expect.any(String), createdAt: expect.any(String) });
    const { id } = created.body;
    expect((await t.admin('/api/triggers')).body.triggers.map((x: { id: string }) => x.id)).toEqual([id]);
    expect((await t.admin(`/api/triggers/${id}`)).body).toEqual(created.body);
    t.tick(1000);
    const patched = await t.admin(`/api/triggers/${id}`, { method: 'PATCH', body: { enabled: false, waitFor: { minutes: 30 } } });
    expect(patched.body).toMatchObject({ enabled: false, waitFor: { minutes: 30 }, name: 'Abandoned cart' });
    expect(patched.body.updatedAt).not.toBe(created.body.updatedAt);
    expect((await t.admin(`/api/triggers/${id}`, { method: 'DELETE' })).status).toBe(204);
    for (const path of [`/api/triggers/${id}`, `/api/triggers/${id}/firings`]) expect((await t.admin(path)).status).toBe(404);
  });

  it.each([
    [{ ...abandonedCart, name: '' }, 'name'],
    [{ ...abandonedCart, channel: 'fax' }, 'channel'],
    [{ ...abandonedCart, waitFor: { weeks: 1 } }, 'waitFor.weeks'],
    [{ ...abandonedCart, waitFor: { hours: 0 } }, 'waitFor.hours'],
    [{ ...abandonedCart, waitFor: {} }, 'waitFor'],
    [{ ...abandonedCart, condition: { event: 'X', within: { hours: 1.5 } } }, 'condition.within.hours'],
    [{ ...abandonedCart, enabled: 'yes' }, 'enabled'],
    [{ ...abandonedCart, colour: 'red' }, 'colour'],
    [{ name: 'x', condition: CART, channel: 'email' }, 'waitFor'],
  ])('refuses %j with 400 naming %s', async (body, field) => {
    const res = await t.admin('/api/triggers', { method: 'POST', body });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_request', field });
    expect((await t.admin('/api/triggers')).body.triggers).toEqual([]);
  });

  it('waits for an anonymous cart and fires once when the visitor leaves an email, with the anonymous events', async () => {
    const id = await createTrigger(t);
    await track(t, 'v-1', 'Product Added', { sku: 'sku-1', price: 30 });
    t.tick(10 * MINUTE);
    await track(t, 'v-1', 'Product Added', { sku: 'sku-2', price: 12 });
    const visitor = (await profileOf(t, 'anonymousId', 'v-1'))!;
    expect(await firings(t, id)).toMatchObject([{ profileId: visitor.id, status: 'waiting', events: [] }]);
    expect(fired()).toEqual([]);

    t.tick(10 * MINUTE);
    await identify(t, { anonymousId: 'v-1', email: 'ana@example.com' });
    const [firing] = await firings(t, id);
    expect(firing).toMatchObject({ profileId: visitor.id, status: 'fired' });
    expect(firing!.events.map((e) => [e.event, (e.properties as { sku: string }).sku, e.anonymousId])).toEqual([
      ['Product Added', 'sku-1', 'v-1'],
      ['Product Added', 'sku-2', 'v-1'],
    ]);
    expect(fired()).toHaveLength(1);
    expect(fired()[0]).toMatchObject({
      profileId: visitor.id,
      data: { triggerId: id, profile: { id: visitor.id, email: 'ana@example.com' }, events: firing!.events },
    });

    await track(t, 'v-1', 'Product Added', { sku: 'sku-3' });
    expect(await firings(t, id)).toHaveLength(1);
    expect(fired()).toHaveLength(1);
  });

  it('fires at once for a profile already reachable', async () => {
    const id = await createTrigger(t);
    await identify(t, { anonymousId: 'v-1', email: 'ana@example.com' });
    await track(t, 'v-1', 'Product Added');
    expect(await firings(t, id)).toMatchObject([{ status: 'fired' }]);
  });

  it('lets a wait expire, visibly, when the visitor never becomes reachable in time', async () => {
    const id = await createTrigger(t, { ...abandonedCart, condition: { event: 'Product Added' }, waitFor: { hours: 72 } });
    await track(t, 'v-1', 'Product Added');
    expect(await firings(t, id)).toMatchObject([{ status: 'waiting' }]);
    t.tick(72 * HOUR - MINUTE);
    expect(await firings(t, id)).toMatchObject([{ status: 'waiting' }]);
    t.tick(2 * MINUTE);
    expect(await firings(t, id)).toMatchObject([{ status: 'expired' }]);
    await identify(t, { anonymousId: 'v-1', email: 'ana@example.com' });
    expect(await firings(t, id)).toMatchObject([{ status: 'expired' }]);
    expect(fired()).toEqual([]);
  });

  it('does not fire for a profile that stopped matching before it became reachable', async () => {
    const id = await createTrigger(t);
    await track(t, 'v-1', 'Product Added');
    expect(await firings(t, id)).toMatchObject([{ status: 'waiting' }]);
    await track(t, 'v-1', 'Order Completed');
    expect(await firings(t, id)).toMatchObject([{ status: 'cancelled' }]);
    await identify(t, { anonymousId: 'v-1', email: 'ana@example.com' });
    expect(await firings(t, id)).toMatchObject([{ status: 'cancelled' }]);
    expect(fired()).toEqual([]);
  });

  it('does not fire for an address suppressed before the visitor left it', async () => {
    const id = await createTrigger(t);
    await suppressAddress(t, 'email', 'ana@example.com');
    await track(t, 'v-1', 'Product Added');
    expect(await firings(t, id)).toMatchObject([{ status: 'waiting' }]);
    await identify(t, { anonymousId: 'v-1', email: 'ana@example.com' });
    expect(await firings(t, id)).toMatchObject([{ status: 'waiting' }]);
    t.tick(73 * HOUR);
    expect(await firings(t, id)).toMatchObject([{ status: 'expired' }]);
    expect(fired()).toEqual([]);
  });

  it('fires for the survivor of a merge, with the merged anonymous cart, and cancels the merged wait', async () => {
    await identify(t, { anonymousId: 'v-old', email: 'ana@example.com', phone: '+14155552671' });
    const id = await createTrigger(t, { ...abandonedCart, channel: 'sms' });
    await track(t, 'v-new', 'Product Added', { sku: 'sku-9' });
    const cart = (await profileOf(t, 'anonymousId', 'v-new'))!;
    expect(await firings(t, id)).toMatchObject([{ profileId: cart.id, status: 'waiting' }]);

    await identify(t, { anonymousId: 'v-new', email: 'ana@example.com' });
    const ana = (await profileOf(t, 'email', 'ana@example.com'))!;
    const byProfile = Object.fromEntries((await firings(t, id)).map((f) => [f.profileId, f]));
    expect(byProfile[cart.id]).toMatchObject({ status: 'cancelled' });
    expect(byProfile[ana.id]).toMatchObject({ status: 'fired', events: [{ event: 'Product Added', anonymousId: 'v-new' }] });
  });

  it('re-checks time windows as time passes: "no order within 2 hours" fires with no new event', async () => {
    const id = await createTrigger(t, {
      name: 'Checkout abandoned',
      condition: { all: [{ event: 'Checkout Started' }, { not: { event: 'Page Viewed', within: { hours: 2 } } }] },
      channel: 'any',
      waitFor: { days: 1 },
    });
    await identify(t, { anonymousId: 'v-1', email: 'ana@example.com' });
    await track(t, 'v-1', 'Checkout Started');
    await track(t, 'v-1', 'Page Viewed');
    expect(await firings(t, id)).toEqual([]);
    t.tick(2 * HOUR + MINUTE);
    expect(await firings(t, id)).toMatchObject([{ status: 'fired', events: [{ event: 'Checkout Started' }] }]);
  });

  it('leaves disabled triggers alone and pages the firings list', async () => {
    const off = await createTrigger(t, { ...abandonedCart, enabled: false });
    const id = await createTrigger(t);
    for (const v of ['v-1', 'v-2', 'v-3']) await track(t, v, 'Product Added');
    expect(await firings(t, off)).toEqual([]);
    const first = await t.admin(`/api/triggers/${id}/firings?limit=2`);
    expect(first.body.firings).toHaveLength(2);
    const second = await t.admin(`/api/triggers/${id}/firings?limit=2&after=${first.body.next}`);
    expect(second.body).toMatchObject({ next: null });
    expect(second.body.firings).toHaveLength(1);
    const all = [...first.body.firings, ...second.body.firings].map((f: { profileId: string }) => f.profileId);
    expect(new Set(all).size).toBe(3);
  });
});
