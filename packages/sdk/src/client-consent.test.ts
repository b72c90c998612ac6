import type { TrackMessage } from '@threadline/protocol';
import { get } from 'idb-keyval';
import { describe, expect, it } from 'vitest';
import { createClient } from './client.js';
import { removeAnonymousIdCookie } from './core/anonymous-id.js';
import { fakeCookieJar, fakeFetch, fakeWindow, freshStore, settle, testDeps } from './test-support/fakes.js';
import type { ClientOptions } from './types.js';

const OPTIONS = { writeKey: 'wk_123', host: 'https://collect.example.com' };
const dbNames = async () => (await indexedDB.databases()).map((d) => d.name);

/** A client over fakes whose store is a database name the test can look for; nothing opened yet. */
function setup(options: Partial<ClientOptions> = {}, gpc?: boolean) {
  const window = Object.assign(fakeWindow(), { navigator: { language: 'en', userAgent: 'T', globalPrivacyControl: gpc } });
  const deps = testDeps({ window, cookies: fakeCookieJar(), fetch: fakeFetch(), store: freshStore() });
  const client = createClient({ ...OPTIONS, ...options }, deps);
  const events = () => deps.fetch.sent().map((m) => (m as TrackMessage).event);
  /** Lets timers and IndexedDB run as if seconds passed. */
  const wait = async () => {
    for (let i = 0; i < 5; i++) {
      deps.timers.advance(2000);
      await settle();
    }
  };
  return { client, deps, events, wait };
}

describe('consent (SPEC §7)', () => {
  it('pending: writes no cookie, opens no IndexedDB, sends nothing, and keeps the calls', async () => {
    const before = await dbNames();
    const { client, deps, events, wait } = setup({ consent: 'pending' });
    let ready = false;
    void client.ready().then(() => (ready = true));
    client.page();
    client.track('Product Viewed');
    client.identify({ email: 'ana@example.com' });
    expect(await client.flush()).toBe(false);
    await wait();
    expect(deps.cookies.writes).toEqual([]);
    expect(await dbNames()).toEqual(before);
    expect(deps.fetch.calls).toEqual([]);
    expect(events()).toEqual([]);
    expect(client.anonymousId()).toBeUndefined();
    expect(ready, 'ready() waits for the decision').toBe(false);
  });

  it('granted after pending: sends the kept calls in order with the times they were made', async () => {
    const { client, deps } = setup({ consent: 'pending' });
    const t0 = deps.timers.now();
    client.track('First');
    deps.timers.advance(5000);
    client.track('Second');
    deps.timers.advance(60_000);
    client.consent('granted');
    await client.ready();
    expect(await client.flush()).toBe(true);
    const sent = deps.fetch.sent() as TrackMessage[];
    expect(sent.map((m) => [m.event, m.timestamp])).toEqual([
      ['First', new Date(t0).toISOString()],
      ['Second', new Date(t0 + 5000).toISOString()],
    ]);
    expect(deps.cookies.cookies.get('tl_aid')?.value).toBe(client.anonymousId());
    expect(sent[0]!.anonymousId).toBe(client.anonymousId());
  });

  it('denied after pending: drops the kept calls, stores and sends nothing, and ready() settles', async () => {
    const before = await dbNames();
    const { client, deps, wait } = setup({ consent: 'pending' });
    client.track('Kept In Memory');
    client.consent('denied');
    await client.ready();
    client.track('After Denial');
    await wait();
    expect(deps.fetch.calls).toEqual([]);
    expect(deps.cookies.cookies.size).toBe(0);
    expect(await dbNames()).toEqual(before);
    expect(client.anonymousId()).toBeUndefined();
    // Granted later: a fresh start, without the dropped calls.
    client.consent('granted');
    client.track('After Grant');
    expect(await client.flush()).toBe(true);
    expect(deps.fetch.sent().map((m) => (m as TrackMessage).event)).toEqual(['After Grant']);
  });

  it('denied after granted: clears the cookie, the mirror and the queue, and sends nothing more', async () => {
    const { client, deps, wait } = setup();
    await client.ready();
    const id = client.anonymousId();
    expect(deps.cookies.cookies.get('tl_aid')?.value).toBe(id);
    expect(await get('aid', deps.store)).toBe(id);
    deps.fetch.calls.length = 0;
    client.track('Queued, Not Sent'); // flush is debounced: still queued when consent is withdrawn
    await settle();
    client.consent('denied');
    client.track('After Denial');
    await wait();
    expect(deps.fetch.calls).toEqual([]);
    expect(deps.cookies.cookies.has('tl_aid')).toBe(false);
    expect(await get('aid', deps.store)).toBeUndefined();
    expect(await get('ids', deps.store)).toBeUndefined();
    const keys = await new Promise<IDBValidKey[]>((resolve) =>
      deps.store('readonly', async (s) => resolve(await promiseOf(s.getAllKeys()))),
    );
    expect(keys).toEqual([]);
  });

  it('removes the cookie host-only and on every parent domain, where the domain probe may have put it', () => {
    const removed: (string | undefined)[] = [];
    const jar = { get: () => undefined, set() {}, remove: (_: string, a?: { domain?: string }) => void removed.push(a?.domain) };
    removeAnonymousIdCookie(jar, 'www.shop.example.co.uk');
    expect(removed).toEqual([undefined, 'www.shop.example.co.uk', 'shop.example.co.uk', 'example.co.uk', 'co.uk']);
  });

  it('respectGpc: the Global Privacy Control signal means denied, even when the site grants', async () => {
    const { client, deps, wait } = setup({ respectGpc: true }, true);
    client.track('Never Sent');
    client.consent('granted');
    client.track('Still Never Sent');
    await client.ready();
    await wait();
    expect(deps.fetch.calls).toEqual([]);
    expect(deps.cookies.writes).toEqual([]);
  });

  it('ignores GPC unless respectGpc is on', async () => {
    const { client, deps } = setup({}, true);
    client.track('Sent');
    expect(await client.flush()).toBe(true);
    expect(deps.fetch.sent()).toHaveLength(1);
  });

  it('ignores an unknown state with a logged reason', async () => {
    const { client, deps } = setup({ consent: 'pending' });
    client.consent('yes' as never);
    expect(deps.logs).toContainEqual(['consent: unknown state', 'yes']);
    expect(client.anonymousId()).toBeUndefined();
  });

  it('gives plugins a ready() that settles only once consent is granted', async () => {
    let pluginReady = false;
    const { client } = setup({
      consent: 'pending',
      plugins: [(api) => void api.ready().then(() => (pluginReady = true))],
    });
    await settle();
    expect(pluginReady).toBe(false);
    client.consent('granted');
    await client.ready();
    await settle();
    expect(pluginReady).toBe(true);
  });
});

const promiseOf = <T>(r: IDBRequest<T>) =>
  new Promise<T>((resolve, reject) => ((r.onsuccess = () => resolve(r.result)), (r.onerror = reject)));
