import { describe, expect, it, vi } from 'vitest';
import { useTestApp, type TestApp } from '../../test-support/app.js';
import { MINUTE } from '../../test-support/audience.js';
import { testDatabases } from '../../test-support/databases.js';
import { identify, profileOf, track } from '../../test-support/identity.js';
import { EVIDENCE, registerDevice, suppress } from '../../test-support/reach.js';

vi.mock('../../repos/outbox.js', async () => ({ appendOutbox: (await import('../../test-support/audience.js')).recordOutbox }));

const databases = await testDatabases();
const CART = { event: 'Product Added', within: { hours: 4 } };

async function createTrigger(t: TestApp, channel: string): Promise<string> {
  const res = await t.admin('/api/triggers', {
    method: 'POST',
    body: { name: `Cart on ${channel}`, condition: CART, channel, waitFor: { hours: 72 } },
  });
  if (res.status !== 201) throw new Error(`trigger answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.id;
}

async function firingOf(t: TestApp, id: string) {
  const res = await t.admin(`/api/triggers/${id}/firings`);
  expect(res.status).toBe(200);
  return res.body.firings as Array<{ profileId: string; status: string }>;
}

// Reachability as the opt-out and device APIs change it, not as a test hook sets it (SPEC §4, §9).
describe.each(databases)('triggers follow opt-outs and devices on $name', (store) => {
  const t = useTestApp(store);

  it('keeps a suppressed address waiting, and fires when the recorded re-opt-in lifts it', async () => {
    const id = await createTrigger(t, 'email');
    expect(await suppress(t, 'email', 'ana@example.com')).toMatchObject({ channel: 'email', address: 'ana@example.com' });
    await track(t, 'v-1', 'Product Added', { sku: 'sku-1' });
    t.tick(MINUTE);
    await identify(t, { anonymousId: 'v-1', email: 'ana@example.com' });
    const ana = (await profileOf(t, 'email', 'ana@example.com'))!;
    expect(await firingOf(t, id)).toMatchObject([{ profileId: ana.id, status: 'waiting' }]);

    t.tick(MINUTE);
    const lifted = await t.admin('/api/suppressions/lift', {
      method: 'POST',
      body: { channel: 'email', address: 'ana@example.com', evidence: EVIDENCE },
    });
    expect(lifted.status).toBe(200);
    expect(await firingOf(t, id)).toMatchObject([{ profileId: ana.id, status: 'fired' }]);
  });

  it('fires a push trigger when the anonymous visitor registers a device token', async () => {
    const id = await createTrigger(t, 'push');
    await track(t, 'v-2', 'Product Added', { sku: 'sku-2' });
    const visitor = (await profileOf(t, 'anonymousId', 'v-2'))!;
    expect(await firingOf(t, id)).toMatchObject([{ profileId: visitor.id, status: 'waiting' }]);

    t.tick(MINUTE);
    await registerDevice(t, { anonymousId: 'v-2', token: 'apns-2', platform: 'ios' });
    expect(await firingOf(t, id)).toMatchObject([{ profileId: visitor.id, status: 'fired' }]);
  });

  it('never fires push for a device whose token the provider reported invalid', async () => {
    const id = await createTrigger(t, 'push');
    await registerDevice(t, { anonymousId: 'v-3', token: 'apns-3', platform: 'ios' });
    const bounced = await t.admin('/api/channel-events', {
      method: 'POST',
      body: { events: [{ type: 'hard_bounce', channel: 'push', address: 'apns-3' }] },
    });
    expect(bounced.body).toMatchObject({ accepted: 1, rejected: [] });
    t.tick(MINUTE);
    await track(t, 'v-3', 'Product Added', { sku: 'sku-3' });
    const visitor = (await profileOf(t, 'anonymousId', 'v-3'))!;
    expect(await firingOf(t, id)).toMatchObject([{ profileId: visitor.id, status: 'waiting' }]);
  });
});
