import { describe, expect, it } from 'vitest';
import { createClient } from './client.js';
import { fakeWindow, settle, testDeps } from './test-support/fakes.js';

/** A fetch answering `/v1/id` from a pretend HttpOnly cookie and 200 elsewhere; records method, url and body. */
function collector(cookieId?: string) {
  const calls: { method: string; url: string; body?: unknown }[] = [];
  const fetch = async (url: string, init: RequestInit) => {
    const method = init.method ?? 'GET';
    calls.push({ method, url, body: init.body ? JSON.parse(init.body as string) : undefined });
    if (url.endsWith('/v1/id') && method === 'GET') return new Response(JSON.stringify({ anonymousId: cookieId ?? null }));
    return new Response(JSON.stringify({ success: true, accepted: 1, duplicates: 0, rejected: [] }));
  };
  return Object.assign(fetch, { calls });
}

const FIRST_PARTY = { writeKey: 'wk_123', host: 'https://shop.example.com/tl/' };
const CROSS_ORIGIN = { writeKey: 'wk_123', host: 'https://collect.example.com' };

describe('registerDevice (SPEC §9)', () => {
  it("POSTs the token, platform and the visitor's anonymousId and userId to /v1/devices", async () => {
    const fetch = collector();
    const deps = testDeps({ fetch });
    const client = createClient(CROSS_ORIGIN, deps);
    client.identify('CUST-7');
    expect(await client.registerDevice('apns-token-1', 'ios')).toBe(true);
    const call = fetch.calls.find((c) => c.url.endsWith('/v1/devices'));
    expect(call).toEqual({
      method: 'POST',
      url: 'https://collect.example.com/v1/devices',
      body: { writeKey: 'wk_123', anonymousId: client.anonymousId(), userId: 'CUST-7', token: 'apns-token-1', platform: 'ios' },
    });
  });

  it('waits for consent, and answers false without sending when it is denied', async () => {
    const fetch = collector();
    const client = createClient({ ...CROSS_ORIGIN, consent: 'pending' }, testDeps({ fetch }));
    let answer: boolean | undefined;
    void client.registerDevice('fcm-1', 'android').then((a) => (answer = a));
    await settle();
    expect(answer).toBeUndefined();
    expect(fetch.calls).toEqual([]);
    client.consent('denied');
    await settle();
    expect(answer).toBe(false);
    expect(fetch.calls).toEqual([]);
  });

  it('answers false when the collector refuses it', async () => {
    const deps = testDeps({ fetch: async () => new Response('{}', { status: 400 }) });
    expect(await createClient(CROSS_ORIGIN, deps).registerDevice('t', 'web', { endpoint: 'https://push.example/t' })).toBe(false);
  });
});

describe('first-party collector ID (SPEC §8)', () => {
  it('asks /v1/id on the same origin when neither cookie nor mirror knows the visitor, and keeps that ID', async () => {
    const fetch = collector('kept-by-the-httponly-cookie');
    const deps = testDeps({ fetch });
    const client = createClient(FIRST_PARTY, deps);
    await client.ready();
    expect(client.anonymousId()).toBe('kept-by-the-httponly-cookie');
    expect(deps.cookies.cookies.get('tl_aid')?.value).toBe('kept-by-the-httponly-cookie');
    expect(fetch.calls[0]).toEqual({ method: 'GET', url: 'https://shop.example.com/tl/v1/id', body: undefined });
  });

  it('makes a new ID when the collector has none', async () => {
    const fetch = collector(undefined);
    const client = createClient(FIRST_PARTY, testDeps({ fetch }));
    await client.ready();
    expect(client.anonymousId()).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('never asks when the script cookie knows the visitor', async () => {
    const fetch = collector('other');
    const deps = testDeps({ fetch });
    deps.cookies.set('tl_aid', 'from-cookie');
    const client = createClient(FIRST_PARTY, deps);
    await client.ready();
    expect(client.anonymousId()).toBe('from-cookie');
    expect(fetch.calls.filter((c) => c.url.endsWith('/v1/id'))).toEqual([]);
  });

  it('never asks a collector on another origin, which cannot hold a first-party cookie', async () => {
    const fetch = collector('other');
    const client = createClient(CROSS_ORIGIN, testDeps({ fetch, window: fakeWindow() }));
    await client.ready();
    expect(client.anonymousId()).not.toBe('other');
    expect(fetch.calls.filter((c) => c.url.endsWith('/v1/id'))).toEqual([]);
  });

  it('asks the collector to delete its cookie when consent is denied', async () => {
    const fetch = collector('x');
    const client = createClient({ ...FIRST_PARTY, consent: 'denied' }, testDeps({ fetch }));
    await client.ready();
    expect(fetch.calls).toEqual([{ method: 'DELETE', url: 'https://shop.example.com/tl/v1/id', body: undefined }]);
  });
});
