import type { IdentifyMessage, Message, PageMessage, TrackMessage } from '@threadline/protocol';
import { get } from 'idb-keyval';
import { describe, expect, it } from 'vitest';
import { createClient } from './client.js';
import { VERSION } from './core/version.js';
import { fakeFetch, freshStore, settle, testDeps } from './test-support/fakes.js';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const OPTIONS = { writeKey: 'wk_123', host: 'https://collect.example.com/' };

async function sent(deps: ReturnType<typeof testDeps>, client: ReturnType<typeof createClient>) {
  await client.flush();
  return (deps.fetch as ReturnType<typeof fakeFetch>).sent() as Message[];
}

describe('createClient: messages', () => {
  it('sends a Segment track message to {host}/v1/batch with the write key', async () => {
    const deps = testDeps();
    const client = createClient(OPTIONS, deps);
    const callTime = deps.timers.now();
    client.track('Product Viewed', { sku: 'A1' });
    deps.timers.advance(3000);
    const [m] = (await sent(deps, client)) as TrackMessage[];
    const call = deps.fetch.calls[0]!;
    expect(call.url).toBe('https://collect.example.com/v1/batch');
    expect(call.body.writeKey).toBe('wk_123');
    expect(m).toMatchObject({ type: 'track', event: 'Product Viewed', properties: { sku: 'A1' }, anonymousId: client.anonymousId() });
    expect(m!.messageId).toMatch(V4);
    expect(m!.anonymousId).toMatch(V4);
    expect(m!.timestamp).toBe(new Date(callTime).toISOString());
    expect(m!.sentAt).toBe(new Date(callTime + 3000).toISOString());
    expect(call.body.sentAt).toBe(m!.sentAt);
    expect(m!.context).toEqual({
      library: { name: 'threadline', version: VERSION },
      page: {
        path: '/shoes',
        referrer: 'https://search.example/',
        search: '?utm_source=news&utm_campaign=spring',
        title: 'Shoes',
        url: 'https://shop.example.com/shoes?utm_source=news&utm_campaign=spring',
      },
      campaign: { source: 'news', name: 'spring' },
      locale: 'en-GB',
      userAgent: 'TestAgent/1.0',
    });
  });

  it('gives every message its own messageId', async () => {
    const deps = testDeps();
    const client = createClient(OPTIONS, deps);
    client.track('A');
    client.track('A');
    const ids = (await sent(deps, client)).map((m) => m.messageId);
    expect(new Set(ids).size).toBe(2);
  });

  it("sends page with a name and Segment's default properties, which the caller may override", async () => {
    const deps = testDeps();
    const client = createClient(OPTIONS, deps);
    client.page('Shoes', { title: 'Custom', category: 'footwear' });
    client.page({ extra: 1 });
    const [named, unnamed] = (await sent(deps, client)) as PageMessage[];
    expect(named).toMatchObject({
      type: 'page',
      name: 'Shoes',
      properties: { path: '/shoes', title: 'Custom', category: 'footwear', referrer: 'https://search.example/' },
    });
    expect(unnamed!.name).toBeUndefined();
    expect(unnamed!.properties).toMatchObject({ extra: 1, url: 'https://shop.example.com/shoes?utm_source=news&utm_campaign=spring' });
  });

  it('reads the page at call time, so an SPA route change does not rewrite earlier events', async () => {
    const deps = testDeps();
    const client = createClient(OPTIONS, deps);
    client.track('A');
    deps.window.location.pathname = '/cart';
    client.track('B');
    const [a, b] = await sent(deps, client);
    expect([(a!.context!.page as { path: string }).path, (b!.context!.page as { path: string }).path]).toEqual(['/shoes', '/cart']);
  });

  it('identify(userId, traits, { integrity }) sends the userId, traits and the integrity HMAC', async () => {
    const deps = testDeps();
    const client = createClient(OPTIONS, deps);
    const integrity = 'a'.repeat(64);
    client.identify('CUST-1042', { plan: 'pro' }, { integrity });
    client.track('After');
    const [identify, after] = (await sent(deps, client)) as [IdentifyMessage, TrackMessage];
    expect(identify).toMatchObject({ type: 'identify', userId: 'CUST-1042', traits: { plan: 'pro' }, integrity });
    expect(after.userId).toBe('CUST-1042');
  });

  it('identify({ email }) and identify({ phone }) send traits only, never a userId', async () => {
    const deps = testDeps();
    const client = createClient(OPTIONS, deps);
    client.identify({ email: 'ana@example.com' });
    client.identify({ phone: '+919876543210' }, { integrity: 'b'.repeat(64) });
    const [byEmail, byPhone] = (await sent(deps, client)) as IdentifyMessage[];
    expect(byEmail).not.toHaveProperty('userId');
    expect(byEmail!.traits).toEqual({ email: 'ana@example.com' });
    expect(byPhone).not.toHaveProperty('userId');
    expect(byPhone).toMatchObject({ traits: { phone: '+919876543210' }, integrity: 'b'.repeat(64) });
  });

  it('alias defaults previousId to the anonymous ID', async () => {
    const deps = testDeps();
    const client = createClient(OPTIONS, deps);
    client.alias('CUST-1');
    client.alias('CUST-2', 'OLD-9');
    const [a, b] = await sent(deps, client);
    expect(a).toMatchObject({ type: 'alias', userId: 'CUST-1', previousId: client.anonymousId() });
    expect(b).toMatchObject({ userId: 'CUST-2', previousId: 'OLD-9' });
  });

  it('ignores a track without an event name, with a logged reason', async () => {
    const deps = testDeps();
    const client = createClient(OPTIONS, deps);
    client.track('' as string);
    expect(await sent(deps, client)).toEqual([]);
    expect(deps.logs).toContainEqual(['track: no event name']);
  });
});

describe('createClient: queue', () => {
  it('writes each call to IndexedDB before anything is sent', async () => {
    const deps = testDeps();
    const stored: unknown[] = [];
    const inner = deps.fetch;
    deps.fetch = (async (url: string, init: RequestInit) => {
      const { batch } = JSON.parse(init.body as string);
      for (const m of batch) stored.push(await get(['q', deps.timers.now(), m.messageId], deps.store));
      return inner(url, init);
    }) as never;
    const client = createClient(OPTIONS, deps);
    client.track('Product Viewed');
    await client.flush();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ m: { event: 'Product Viewed' } });
  });

  it('sends what an earlier page left in the queue', async () => {
    const store = freshStore();
    const first = testDeps({ store, fetch: fakeFetch(new TypeError('offline')) });
    createClient(OPTIONS, first).track('Left behind');
    await settle();
    await createClient(OPTIONS, first).flush();
    const second = testDeps({ store });
    const client = createClient(OPTIONS, second);
    expect(await client.flush()).toBe(true);
    expect(second.fetch.sent().map((m) => (m as TrackMessage).event)).toEqual(['Left behind']);
  });

  it('flush() settles true when the queue is empty and false when the send failed', async () => {
    const ok = testDeps();
    const a = createClient(OPTIONS, ok);
    a.track('A');
    expect(await a.flush()).toBe(true);
    const down = testDeps({ fetch: fakeFetch(new Response(null, { status: 503 })) });
    const b = createClient(OPTIONS, down);
    b.track('B');
    expect(await b.flush()).toBe(false);
  });

  it('keeps calls made before storage is ready, in order, with the time they were made', async () => {
    let open!: () => void;
    const slow = freshStore();
    const gate = new Promise<void>((r) => (open = r));
    const deps = testDeps({ store: ((mode, cb) => gate.then(() => slow(mode, cb))) as typeof slow });
    const client = createClient(OPTIONS, deps); // no cookie: the ID waits for the mirror
    const t0 = deps.timers.now();
    client.track('First');
    deps.timers.advance(500);
    client.identify('u1');
    client.track('Third');
    expect(client.anonymousId()).toBeUndefined();
    open();
    await client.ready();
    const messages = await sent(deps, client);
    expect(messages.map((m) => m.type)).toEqual(['track', 'identify', 'track']);
    expect(messages[0]!.timestamp).toBe(new Date(t0).toISOString());
    expect(messages[1]!.timestamp).toBe(new Date(t0 + 500).toISOString());
    expect(new Set(messages.map((m) => m.anonymousId))).toEqual(new Set([client.anonymousId()]));
  });
});

describe('createClient: page hide', () => {
  it('sends unacknowledged messages with keepalive on pagehide, before IndexedDB commits', () => {
    const deps = testDeps();
    deps.cookies.set('tl_aid', 'aid-from-cookie');
    const client = createClient(OPTIONS, deps);
    client.track('Checkout Started');
    deps.window.fire('pagehide');
    const call = deps.fetch.calls[0]!;
    expect(call.init.keepalive).toBe(true);
    expect(call.body.batch).toMatchObject([{ event: 'Checkout Started', anonymousId: 'aid-from-cookie' }]);
  });

  it('on a first visit whose IndexedDB never answers, still sends on pagehide under a new ID it keeps', async () => {
    const deps = testDeps({ store: (() => new Promise(() => {})) as never });
    const client = createClient(OPTIONS, deps);
    client.track('Landed');
    deps.window.fire('pagehide');
    const aid = deps.cookies.get('tl_aid');
    expect(aid).toMatch(/^[0-9a-f-]{36}$/);
    expect(deps.fetch.calls[0]!.body.batch).toMatchObject([{ event: 'Landed', anonymousId: aid }]);
    deps.timers.advance(1000); // IndexedDB given up on: the load keeps the ID the page already used
    await client.ready();
    expect(client.anonymousId()).toBe(aid);
  });

  it('sends on visibilitychange to hidden, not to visible', async () => {
    const deps = testDeps();
    const client = createClient(OPTIONS, deps);
    await client.ready();
    client.track('A');
    deps.window.fire('visibilitychange');
    expect(deps.fetch.calls).toHaveLength(0);
    deps.window.document.visibilityState = 'hidden';
    deps.window.fire('visibilitychange');
    expect(deps.fetch.calls).toHaveLength(1);
  });

  it('keeps page-hidden messages queued until acknowledged, for the next page', async () => {
    const store = freshStore();
    const deps = testDeps({ store, fetch: fakeFetch(new TypeError('navigated away')) });
    const client = createClient(OPTIONS, deps);
    await client.ready();
    client.track('A');
    deps.window.fire('pagehide');
    await settle();
    const next = testDeps({ store });
    await createClient(OPTIONS, next).flush();
    expect(next.fetch.sent().map((m) => m.type)).toEqual(['track']);
  });
});

describe('createClient: plugins', () => {
  it('gives each plugin the public methods and the logger', async () => {
    const deps = testDeps();
    const client = createClient({ ...OPTIONS, plugins: [(api) => api.track('Plugin Loaded')] }, deps);
    expect((await sent(deps, client)).map((m) => (m as TrackMessage).event)).toEqual(['Plugin Loaded']);
  });

  it('tells plugins the host and write key, and each accepted track, page and identify through onCall', () => {
    const deps = testDeps();
    const calls: unknown[][] = [];
    let seen: { host: string; writeKey: string } | undefined;
    const client = createClient(
      {
        ...OPTIONS,
        plugins: [(api) => ((seen = { host: api.host, writeKey: api.writeKey }), api.onCall((...call) => void calls.push(call)))],
      },
      deps,
    );
    client.track('Product Added', { sku: 'A1' });
    client.track(''); // refused: no event name, so no listener call
    client.page('Home');
    client.identify({ email: 'ana@example.com' });
    client.identify('CUST-1', { plan: 'pro' });
    expect(seen).toEqual({ host: 'https://collect.example.com', writeKey: 'wk_123' });
    expect(calls.map(([type, name]) => [type, name])).toEqual([
      ['track', 'Product Added'],
      ['page', 'Home'],
      ['identify', undefined],
      ['identify', 'CUST-1'],
    ]);
    expect(calls[0]![2]).toEqual({ sku: 'A1' });
    expect(calls[1]![2]).toMatchObject({ path: '/shoes' });
    expect(calls[2]![2]).toEqual({ email: 'ana@example.com' });
  });

  it('logs a listener that throws; the call still goes out and later listeners still hear it', async () => {
    const deps = testDeps();
    const heard: string[] = [];
    const throwing = () => {
      throw new Error('plugin bug');
    };
    const client = createClient(
      { ...OPTIONS, plugins: [(api) => (api.onCall(throwing), api.onCall((_, name) => void heard.push(name!)))] },
      deps,
    );
    expect(() => client.track('Product Viewed')).not.toThrow();
    expect(heard).toEqual(['Product Viewed']);
    expect(deps.logs.flat()).toContainEqual(new Error('plugin bug'));
    expect((await sent(deps, client)).map((m) => (m as TrackMessage).event)).toEqual(['Product Viewed']);
  });
});
