import { afterEach, describe, expect, it, vi } from 'vitest';
import { createClient } from '../../client.js';
import { settle, testDeps } from '../../test-support/fakes.js';
import { applicationServerKey } from './vapid-key.js';
import { webPush } from './web-push.js';

const VAPID = 'BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U';
const ENDPOINT = 'https://push.example/send/abc+def/==';

/** A browser with notifications `permission`, a service worker and a PushManager whose subscription is fake. */
function browser(permission: NotificationPermission) {
  const unsubscribed: string[] = [];
  const subscription = {
    endpoint: ENDPOINT,
    toJSON: () => ({ endpoint: ENDPOINT, expirationTime: null, keys: { p256dh: 'p', auth: 'a' } }),
    unsubscribe: async () => (unsubscribed.push(ENDPOINT), true),
  };
  const asked: PushSubscriptionOptionsInit[] = [];
  const registration = { pushManager: { getSubscription: async () => null } } as unknown as ServiceWorkerRegistration;
  const registered: string[] = [];
  vi.stubGlobal('Notification', { permission });
  vi.stubGlobal('navigator', {
    serviceWorker: { register: async (url: string) => (registered.push(url), registration), ready: Promise.resolve(registration) },
  });
  const deletes: { url: string; init: RequestInit }[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => (deletes.push({ url, init }), new Response(null, { status: 204 })));
  const subscribe = async (_: ServiceWorkerRegistration, o: PushSubscriptionOptionsInit) => (asked.push(o), subscription);
  return { unsubscribed, asked, registered, deletes, subscribe };
}

/** A client with the plugin; answers the /v1/devices requests it made. */
function client(b: ReturnType<typeof browser>, consent: 'granted' | 'pending' = 'granted') {
  const devices: unknown[] = [];
  const deps = testDeps({
    fetch: async (url: string, init: RequestInit) => {
      if (url.endsWith('/v1/devices')) devices.push(JSON.parse(init.body as string));
      return new Response('{"success":true,"accepted":1,"duplicates":0,"rejected":[]}');
    },
  });
  const push = webPush({ vapidPublicKey: VAPID, serviceWorker: '/sw.js', subscribe: b.subscribe });
  const tl = createClient({ writeKey: 'wk_1', host: 'https://c.example', consent, plugins: [push] }, deps);
  return { tl, push, devices };
}

afterEach(() => vi.unstubAllGlobals());

describe('webPush', () => {
  it('registers the subscription of a visitor who already allowed notifications as a web device', async () => {
    const b = browser('granted');
    const { tl, devices } = client(b);
    await tl.ready();
    await settle();
    expect(b.registered).toEqual(['/sw.js']);
    expect(b.asked).toEqual([{ userVisibleOnly: true, applicationServerKey: applicationServerKey(VAPID) }]);
    expect(devices).toEqual([
      {
        writeKey: 'wk_1',
        anonymousId: tl.anonymousId(),
        token: ENDPOINT,
        platform: 'web',
        subscription: { endpoint: ENDPOINT, expirationTime: null, keys: { p256dh: 'p', auth: 'a' } },
      },
    ]);
  });

  it('never subscribes without permission (it does not ask for it either)', async () => {
    const b = browser('default');
    const { tl, push, devices } = client(b);
    await tl.ready();
    expect(await push.subscribe()).toBe(false);
    expect(b.registered).toEqual([]);
    expect(devices).toEqual([]);
  });

  it('subscribe() after the site got permission registers and answers true', async () => {
    const b = browser('default');
    const { push, devices } = client(b);
    vi.stubGlobal('Notification', { permission: 'granted' });
    expect(await push.subscribe()).toBe(true);
    expect(devices).toHaveLength(1);
  });

  it('waits for consent before touching the push service or the collector', async () => {
    const b = browser('granted');
    const { tl, devices } = client(b, 'pending');
    await settle();
    expect(b.asked).toEqual([]);
    tl.consent('granted');
    await tl.ready();
    await settle();
    expect(devices).toHaveLength(1);
  });

  it('reset() disables the registered subscription with DELETE /v1/devices/:token and unsubscribes it', async () => {
    const b = browser('granted');
    const { tl } = client(b);
    await tl.ready();
    await settle();
    tl.reset();
    await settle();
    expect(b.deletes.map((d) => [d.url, d.init.method, (d.init.headers as Record<string, string>).Authorization])).toEqual([
      [`https://c.example/v1/devices/${encodeURIComponent(ENDPOINT)}`, 'DELETE', `Basic ${btoa('wk_1:')}`],
    ]);
    expect(b.unsubscribed).toEqual([ENDPOINT]);
  });
});

describe('applicationServerKey', () => {
  it('decodes a base64url VAPID key without padding to its 65 bytes', () => {
    const key = applicationServerKey(VAPID);
    expect(key).toHaveLength(65);
    expect(key[0]).toBe(4); // an uncompressed P-256 point
  });
});
