import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import Rudder from '@rudderstack/rudder-sdk-node';
import { Analytics } from '@segment/analytics-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-support/app.js';
import { testDatabases } from '../test-support/databases.js';
import { profileOf } from '../test-support/identity.js';

const databases = await testDatabases();

interface StoredEvent {
  type: string;
  event: string | null;
  name: string | null;
  properties: { groupId?: string } | null;
}

/**
 * The real Node clients, unchanged, against a listening collector (issue 8 §5,
 * README "Point your existing clients here"): every call type they send lands
 * on the profile timeline. Their settings here are the README's.
 */
describe.each(databases)('Segment and RudderStack Node clients on $name', (store) => {
  let t: TestApp;
  let host: string;
  let server: ReturnType<typeof serve>;
  /** The Content-Encoding of each request the collector received. */
  let encodings: Array<string | null>;
  beforeEach(async () => {
    t = await createTestApp(await store.open());
    encodings = [];
    const fetch = (req: Request) => {
      encodings.push(req.headers.get('content-encoding'));
      return t.app.fetch(req);
    };
    await new Promise<void>((resolve) => {
      server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
    });
    host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    await t.database.close();
  });

  /** The timeline of the profile owning `userId`, as [type, event or name] pairs. */
  const timelineOfUser = async (userId: string) => {
    const profile = await profileOf(t, 'userId', userId);
    expect(profile, `profile of ${userId}`).toBeDefined();
    const { body } = await t.admin(`/api/profiles/${profile?.id}/events`);
    return { profile, events: body.events as StoredEvent[] };
  };

  it('@segment/analytics-node: track, page, screen, group, identify and alias land on the profile', async () => {
    const errors: unknown[] = [];
    const analytics = new Analytics({ writeKey: t.writeKey, host, flushInterval: 50 });
    analytics.on('error', (err) => errors.push(err));
    analytics.page({ anonymousId: 'seg-a', name: 'Home', properties: { path: '/' } });
    analytics.track({ anonymousId: 'seg-a', event: 'Product Viewed', properties: { product_id: 'sku-1' } });
    analytics.screen({ anonymousId: 'seg-a', name: 'Cart' });
    analytics.group({ anonymousId: 'seg-a', groupId: 'acme', traits: { name: 'Acme' } });
    analytics.identify({ anonymousId: 'seg-a', userId: 'SEG-1', traits: { email: 'seg@example.com', plan: 'gold' } });
    analytics.track({ anonymousId: 'seg-b', event: 'Cart Viewed' });
    analytics.alias({ userId: 'SEG-1', previousId: 'seg-b' });
    await analytics.closeAndFlush();
    expect(errors).toEqual([]);

    const { profile, events } = await timelineOfUser('SEG-1');
    expect(profile).toMatchObject({ email: 'seg@example.com', anonymousIds: expect.arrayContaining(['seg-a', 'seg-b']) });
    expect(profile?.traits).toMatchObject({ plan: 'gold' });
    expect(events.map((e) => [e.type, e.event ?? e.name ?? e.properties?.groupId ?? null]).sort()).toEqual(
      [
        ['alias', null],
        ['group', 'acme'],
        ['identify', null],
        ['page', 'Home'],
        ['screen', 'Cart'],
        ['track', 'Cart Viewed'],
        ['track', 'Product Viewed'],
      ].sort(),
    );
  });

  it('@rudderstack/rudder-sdk-node with its default gzip: every call type lands on the profile', async () => {
    const errors: unknown[] = [];
    const client = new Rudder(t.writeKey, { dataPlaneUrl: host, logLevel: 'error', errorHandler: (err) => errors.push(err) });
    client.page({ anonymousId: 'rs-a', name: 'Home', properties: { path: '/' } });
    client.track({ anonymousId: 'rs-a', event: 'Product Viewed', properties: { product_id: 'sku-1' } });
    client.screen({ anonymousId: 'rs-a', name: 'Cart' });
    client.group({ anonymousId: 'rs-a', groupId: 'acme', traits: { name: 'Acme' } });
    client.identify({ anonymousId: 'rs-a', userId: 'RS-1', traits: { email: 'rs@example.com', plan: 'gold' } });
    client.track({ anonymousId: 'rs-b', event: 'Cart Viewed' });
    client.alias({ userId: 'RS-1', previousId: 'rs-b' });
    await client.flush();
    expect(errors).toEqual([]);
    expect(encodings).toContain('gzip');

    const { profile, events } = await timelineOfUser('RS-1');
    expect(profile).toMatchObject({ email: 'rs@example.com', anonymousIds: expect.arrayContaining(['rs-a', 'rs-b']) });
    expect(events.map((e) => [e.type, e.event ?? e.name ?? e.properties?.groupId ?? null]).sort()).toEqual(
      [
        ['alias', null],
        ['group', 'acme'],
        ['identify', null],
        ['page', 'Home'],
        ['screen', 'Cart'],
        ['track', 'Cart Viewed'],
        ['track', 'Product Viewed'],
      ].sort(),
    );
  });

  it("lets analytics-next's retry header through the CORS preflight", async () => {
    const res = await t.app.request('/v1/b', {
      method: 'OPTIONS',
      headers: { Origin: 'https://shop.example', 'Access-Control-Request-Headers': 'authorization,content-type,x-retry-count' },
    });
    const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(/,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(['authorization', 'content-type', 'x-retry-count']));
  });
});
