import type { IdentifyMessage, Message } from '@threadline/protocol';
import { get, set } from 'idb-keyval';
import { describe, expect, it } from 'vitest';
import { createClient } from '../client.js';
import type { ClientDeps } from '../types.js';
import { fakeCookieJar, fakeFetch, fakeWindow, freshStore, settle, testDeps } from '../test-support/fakes.js';

const OPTIONS = { writeKey: 'wk_123', host: 'https://collect.example.com' };
const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A page load: a new client over the same cookie jar and IndexedDB. */
function browser() {
  const cookies = fakeCookieJar();
  const store = freshStore();
  const load = (overrides: Omit<ClientDeps, 'fetch'> = {}) => {
    const deps = testDeps({ cookies, store, ...overrides });
    return { deps, client: createClient(OPTIONS, deps) };
  };
  return { cookies, store, load };
}

const sent = async ({ deps, client }: { deps: { fetch: ReturnType<typeof fakeFetch> }; client: ReturnType<typeof createClient> }) => {
  await client.flush();
  return deps.fetch.sent() as Message[];
};

describe('anonymous ID', () => {
  it('creates a UUID v4 on the first visit and stores it in the cookie and the IndexedDB mirror', async () => {
    const { cookies, store, load } = browser();
    const { client } = load();
    await client.ready();
    const id = client.anonymousId();
    expect(id).toMatch(V4);
    expect(cookies.get('tl_aid')).toBe(id);
    await settle();
    expect(await get('aid', store)).toBe(id);
  });

  it('keeps the same ID on the next page load', async () => {
    const { load } = browser();
    const first = load().client;
    await first.ready();
    const second = load().client;
    await second.ready();
    expect(second.anonymousId()).toBe(first.anonymousId());
  });

  it('lets the cookie win when cookie and mirror disagree, and updates the mirror', async () => {
    const { cookies, store, load } = browser();
    cookies.set('tl_aid', 'from-cookie');
    await set('aid', 'from-mirror', store);
    const { client } = load();
    await client.ready();
    expect(client.anonymousId()).toBe('from-cookie');
    await settle();
    expect(await get('aid', store)).toBe('from-cookie');
  });

  it('restores a cleared cookie from the mirror', async () => {
    const { cookies, store, load } = browser();
    await set('aid', 'from-mirror', store);
    const { client } = load();
    await client.ready();
    expect(client.anonymousId()).toBe('from-mirror');
    expect(cookies.get('tl_aid')).toBe('from-mirror');
  });

  it('writes the cookie on the probed registrable domain for 400 days, Secure on https', async () => {
    const { cookies, load } = browser();
    await load().client.ready();
    expect(cookies.cookies.get('tl_aid')).toMatchObject({ domain: 'example.com', expires: 400, secure: true });
  });

  it('does not mark the cookie Secure on http', async () => {
    const { cookies, load } = browser();
    await load({ window: fakeWindow('http://shop.example.com/') }).client.ready();
    expect(cookies.cookies.get('tl_aid')?.secure).toBe(false);
  });

  it('rewrites a cookie cleared during the visit', async () => {
    const { cookies, load } = browser();
    const { client } = load();
    await client.ready();
    const id = client.anonymousId();
    cookies.cookies.clear();
    client.track('After clearing');
    expect(cookies.get('tl_aid')).toBe(id);
  });

  it('follows an ID another tab rotated', async () => {
    const { cookies, load } = browser();
    const page = load();
    await page.client.ready();
    cookies.set('tl_aid', 'rotated-elsewhere');
    page.client.track('A');
    const [m] = await sent(page);
    expect(m!.anonymousId).toBe('rotated-elsewhere');
  });

  it('is ready and has an ID even when IndexedDB is unavailable', async () => {
    const { cookies, load } = browser();
    const broken = (() => {
      throw new ReferenceError('indexedDB is not defined');
    }) as never;
    const { client } = load({ store: broken });
    await client.ready();
    expect(client.anonymousId()).toMatch(V4);
    expect(cookies.get('tl_aid')).toBe(client.anonymousId());
  });

  it('is ready when IndexedDB never answers, after a timeout', async () => {
    const { load } = browser();
    const { deps, client } = load({ store: (() => new Promise(() => {})) as never });
    let ready = false;
    void client.ready().then(() => (ready = true));
    await settle();
    expect(ready).toBe(false);
    deps.timers.advance(1000);
    await settle();
    expect(ready).toBe(true);
    expect(client.anonymousId()).toMatch(V4);
  });
});

describe('a different person in the same browser', () => {
  it('starts a new anonymous ID before the identify of a different email', async () => {
    const { cookies, store, load } = browser();
    const page = load();
    page.client.identify({ email: 'ana@example.com' });
    await page.client.flush();
    const first = page.client.anonymousId();
    page.client.identify({ email: 'Bob@Example.com' });
    page.client.track('After');
    const [ana, bob, after] = (await sent(page)) as IdentifyMessage[];
    expect(ana!.anonymousId).toBe(first);
    expect(bob!.anonymousId).not.toBe(first);
    expect(bob!.anonymousId).toMatch(V4);
    expect(after!.anonymousId).toBe(bob!.anonymousId);
    expect(cookies.get('tl_aid')).toBe(bob!.anonymousId);
    await settle();
    expect(await get('aid', store)).toBe(bob!.anonymousId);
  });

  it('keeps the ID when the same person identifies again, however they spell their email', async () => {
    const { load } = browser();
    const page = load();
    page.client.identify({ email: 'ana@example.com' });
    page.client.identify({ email: ' ANA@example.com ' });
    page.client.identify('CUST-1', { email: 'ana@example.com', phone: '+1 555-0100' });
    const ids = (await sent(page)).map((m) => m.anonymousId);
    expect(new Set(ids).size).toBe(1);
  });

  it('remembers who identified across page loads without storing the email', async () => {
    const { store, load } = browser();
    const first = load().client;
    first.identify({ email: 'ana@example.com' });
    await first.flush();
    const anaId = first.anonymousId();
    await settle();
    const stored = JSON.stringify(await get('ids', store));
    expect(stored).not.toContain('ana');
    const next = load();
    next.client.identify({ email: 'bob@example.com' });
    const [m] = await sent(next);
    expect(m!.anonymousId).not.toBe(anaId);
  });

  it('rotates for a different userId and drops the previous userId from later events', async () => {
    const { load } = browser();
    const page = load();
    page.client.identify('CUST-1');
    page.client.identify('CUST-2');
    const [one, two] = await sent(page);
    expect(two!.anonymousId).not.toBe(one!.anonymousId);
    expect(two!.userId).toBe('CUST-2');
  });

  it('reset() starts a new anonymous ID and forgets who identified (logout)', async () => {
    const { cookies, load } = browser();
    const page = load();
    page.client.identify('CUST-1', { email: 'ana@example.com' });
    await page.client.flush();
    const before = page.client.anonymousId();
    page.client.reset();
    page.client.track('Logged Out');
    page.client.identify({ email: 'bob@example.com' });
    const messages = await sent(page);
    const [, loggedOut, bob] = messages;
    expect(loggedOut!.anonymousId).not.toBe(before);
    expect(loggedOut).not.toHaveProperty('userId');
    expect(bob!.anonymousId).toBe(loggedOut!.anonymousId); // forgotten: Bob is not a "different person"
    expect(cookies.get('tl_aid')).toBe(loggedOut!.anonymousId);
  });
});

describe('the host page never sees an exception', () => {
  const explode = () => {
    throw new Error('boom');
  };

  it('no public method throws or rejects when storage, cookies and fetch all throw', async () => {
    const cookies = { get: explode, set: explode, remove: explode };
    const deps = testDeps({ cookies, store: explode as never, fetch: explode as never });
    const client = createClient(OPTIONS, deps);
    expect(() => {
      client.track('A', { a: 1 });
      client.page('P');
      client.identify('u1', { email: 'a@b.co' });
      client.identify({ phone: '+15550100' });
      client.alias('u2');
      client.reset();
      client.anonymousId();
      deps.window.fire('pagehide');
    }).not.toThrow();
    await expect(client.ready()).resolves.toBeUndefined();
    await expect(client.flush()).resolves.toBe(false);
  });

  it('survives arguments a page should not pass', async () => {
    const deps = testDeps();
    const client = createClient(OPTIONS, deps);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => {
      client.track(undefined as never);
      client.track('Circular', circular);
      client.identify(null, null as never);
      client.page(null as never, undefined);
      client.alias(undefined as never);
    }).not.toThrow();
    await expect(client.flush()).resolves.toBe(true);
    expect(deps.logs).toContainEqual(['alias: no userId']);
    expect(deps.fetch.sent().map((m) => m.type)).toEqual(['identify', 'page']);
  });

  it('does not throw outside a browser (server-side rendering)', async () => {
    const client = createClient(OPTIONS, {
      window: {} as never,
      store: freshStore(),
      cookies: fakeCookieJar(),
      fetch: fakeFetch(),
      log: () => {},
    });
    expect(() => client.track('SSR')).not.toThrow();
    await expect(client.ready()).resolves.toBeUndefined();
  });
});
