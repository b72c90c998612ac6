import { describe, expect, it } from 'vitest';
import { messageIdsOf as messageIdsOfProfile, timelineOf as timelineOfProfile, trackMessage } from '../test-support/identity.js';
import { useTestApp } from '../test-support/app.js';
import { testDatabases } from '../test-support/databases.js';

const databases = await testDatabases();

const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
const reason = expect.stringMatching(/\S/);
const track = trackMessage;
/** A track message whose JSON is about `bytes` long. */
const trackOfSize = (messageId: string, anonymousId: string, bytes: number) =>
  track(messageId, anonymousId, 'Product Viewed', { properties: { blob: 'x'.repeat(bytes) } });

/** What makes a tracking request usable at all: size, key, body, content type, origin (SPEC §9). */
describe.each(databases)('tracking API requests on $name', (store) => {
  const t = useTestApp(store);

  /** POSTs a raw body with exactly the given headers (no key added). */
  const post = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
    Promise.resolve(t.app.request(path, { method: 'POST', headers, body }));
  const lookup = (query: string) => t.admin(`/api/profiles/lookup?${query}`);
  const _timelineOf = (anonymousId: string) => timelineOfProfile(t, anonymousId);
  const messageIdsOf = (anonymousId: string) => messageIdsOfProfile(t, anonymousId);

  describe('size limits', () => {
    it('reads a body with a declared length in one go and one without against the limit as it streams', async () => {
      const body = JSON.stringify({ writeKey: t.writeKey, batch: [track('len1', 'v1', 'Product Viewed')] });
      const declared = await post('/v1/batch', body, { 'Content-Type': 'text/plain', 'Content-Length': String(Buffer.byteLength(body)) });
      expect(await declared.json()).toMatchObject({ accepted: 1 });
      const huge = new TextEncoder().encode(JSON.stringify({ writeKey: t.writeKey, batch: [trackOfSize('big', 'v1', 600 * 1024)] }));
      const chunked = new ReadableStream({
        start(controller) {
          for (let i = 0; i < huge.length; i += 64 * 1024) controller.enqueue(huge.slice(i, i + 64 * 1024));
          controller.close();
        },
      });
      const res = await Promise.resolve(t.app.request('/v1/batch', { method: 'POST', body: chunked, duplex: 'half' } as RequestInit));
      expect(res.status).toBe(413);
    });

    it('refuses a batch body over 500 KB whole with 413', async () => {
      const res = await t.send('/v1/batch', {
        batch: Array.from({ length: 20 }, (_, i) => trackOfSize(`m${i}`, 'v1', 30 * 1024)),
      });
      expect(res.status).toBe(413);
      expect(await res.json()).toEqual({ error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }) });
      expect((await lookup('anonymousId=v1')).status).toBe(404);
    });

    it('rejects a message over 32 KB inside a batch and stores the others', async () => {
      const res = await t.send('/v1/batch', {
        batch: [track('small1', 'v1', 'Product Viewed'), trackOfSize('big', 'v1', 33 * 1024), track('small2', 'v1', 'Product Added')],
      });
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body).toMatchObject({ accepted: 2, duplicates: 0 });
      expect(body.rejected).toEqual([{ index: 1, messageId: 'big', field: expect.any(String), reason }]);
      expect(await messageIdsOf('v1')).toEqual(['small1', 'small2']);
    });

    it('accepts a batch of exactly 2,500 messages', async () => {
      const batch = Array.from({ length: 2500 }, (_, i) => track(`m${i}`, 'v1', 'Product Viewed'));
      const res = await t.send('/v1/batch', { batch });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ accepted: 2500, rejected: [] });
    });

    it('refuses a batch of more than 2,500 messages whole with 413', async () => {
      const batch = Array.from({ length: 2501 }, (_, i) => track(`m${i}`, 'v1', 'Product Viewed'));
      const res = await t.send('/v1/batch', { batch });
      expect(res.status).toBe(413);
      const body = await res.json();
      expect(body.error).toMatchObject({ code: expect.any(String), message: expect.stringContaining('2500') });
      expect((await lookup('anonymousId=v1')).status).toBe(404);
    });

    it('refuses a /v1/track body over 32 KB with 413', async () => {
      const res = await t.send('/v1/track', {
        messageId: 'big',
        anonymousId: 'v1',
        event: 'Product Viewed',
        properties: { blob: 'x'.repeat(33 * 1024) },
      });
      expect(res.status).toBe(413);
      expect((await res.json()).error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
      expect((await lookup('anonymousId=v1')).status).toBe(404);
    });
  });

  describe('keys', () => {
    const batchBody = (extra: Record<string, unknown> = {}) => JSON.stringify({ batch: [track('k1', 'v1', 'Product Viewed')], ...extra });

    it('refuses a request without any key with 401', async () => {
      const res = await post('/v1/batch', batchBody(), { 'Content-Type': 'application/json' });
      expect(res.status).toBe(401);
      expect((await res.json()).error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
      expect((await lookup('anonymousId=v1')).status).toBe(404);
    });

    it('refuses a wrong write key in the body with 401', async () => {
      const res = await post('/v1/batch', batchBody({ writeKey: 'wk_not_a_key' }), { 'Content-Type': 'application/json' });
      expect(res.status).toBe(401);
      expect((await lookup('anonymousId=v1')).status).toBe(404);
    });

    it('refuses a wrong write key as the HTTP Basic user with 401', async () => {
      const res = await post('/v1/batch', batchBody(), { 'Content-Type': 'application/json', Authorization: basic('wk_not_a_key') });
      expect(res.status).toBe(401);
      expect((await lookup('anonymousId=v1')).status).toBe(404);
    });

    it('takes the write key as the HTTP Basic user', async () => {
      const res = await post('/v1/batch', batchBody(), { 'Content-Type': 'application/json', Authorization: basic(t.writeKey) });
      expect(res.status).toBe(200);
      expect(await messageIdsOf('v1')).toEqual(['k1']);
    });

    it('takes the write key from the body', async () => {
      const res = await post('/v1/batch', batchBody({ writeKey: t.writeKey }), { 'Content-Type': 'application/json' });
      expect(res.status).toBe(200);
      expect(await messageIdsOf('v1')).toEqual(['k1']);
    });

    it('takes the secret key as a Bearer token on the tracking API', async () => {
      const res = await post('/v1/batch', batchBody(), { 'Content-Type': 'application/json', Authorization: `Bearer ${t.secretKey}` });
      expect(res.status).toBe(200);
      expect(await messageIdsOf('v1')).toEqual(['k1']);
    });

    it('refuses a wrong Bearer token on the tracking API with 401', async () => {
      const res = await post('/v1/batch', batchBody(), { 'Content-Type': 'application/json', Authorization: 'Bearer sk_not_a_key' });
      expect(res.status).toBe(401);
      expect((await lookup('anonymousId=v1')).status).toBe(404);
    });
  });

  describe('unusable bodies', () => {
    it('refuses a body that is not JSON with 400 naming body', async () => {
      const res = await post('/v1/batch', '{"batch": [', { 'Content-Type': 'application/json', Authorization: basic(t.writeKey) });
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatchObject({ code: expect.any(String), message: expect.stringContaining('body'), field: 'body' });
    });

    it('refuses a batch that is not an array with 400 naming batch', async () => {
      const res = await t.send('/v1/batch', { batch: { 0: track('m1', 'v1', 'Product Viewed') } });
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatchObject({
        code: expect.any(String),
        message: expect.stringContaining('batch'),
        field: 'batch',
      });
      expect((await lookup('anonymousId=v1')).status).toBe(404);
    });

    it('refuses a single-message body that is not a JSON object with 400 naming body', async () => {
      const res = await post('/v1/track', '[1, 2]', { 'Content-Type': 'application/json', Authorization: basic(t.writeKey) });
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatchObject({ field: 'body' });
    });
  });

  describe('beacons', () => {
    const beacon = () => JSON.stringify({ writeKey: t.writeKey, batch: [track('b1', 'v1', 'Product Viewed')] });

    it('reads a text/plain body as JSON', async () => {
      const res = await post('/v1/batch', beacon(), { 'Content-Type': 'text/plain;charset=UTF-8' });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ accepted: 1 });
      expect(await messageIdsOf('v1')).toEqual(['b1']);
    });

    it('reads a body without a content type as JSON', async () => {
      const request = new Request('http://localhost/v1/batch', { method: 'POST', body: new TextEncoder().encode(beacon()) });
      expect(request.headers.get('content-type')).toBeNull();
      const res = await t.app.request(request);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ accepted: 1 });
      expect(await messageIdsOf('v1')).toEqual(['b1']);
    });
  });

  describe('CORS', () => {
    const origin = 'https://shop.example';

    it('answers a preflight from a storefront origin with that origin allowed', async () => {
      const res = await t.app.request('/v1/batch', {
        method: 'OPTIONS',
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'content-type, authorization',
        },
      });
      expect(res.status).toBeGreaterThanOrEqual(200);
      expect(res.status).toBeLessThan(300);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(res.headers.get('access-control-allow-methods')).toContain('POST');
      expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    });

    it('allows the storefront origin on a POST', async () => {
      const res = await post('/v1/batch', JSON.stringify({ writeKey: t.writeKey, batch: [track('c1', 'v1', 'Product Viewed')] }), {
        'Content-Type': 'text/plain',
        Origin: origin,
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
    });

    it('allows the storefront origin on an error answer, so the SDK can read the reason', async () => {
      const res = await post('/v1/track', JSON.stringify({ writeKey: t.writeKey, messageId: 'c1', anonymousId: 'v1' }), {
        'Content-Type': 'text/plain',
        Origin: origin,
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
    });
  });
});
