import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-support/app.js';
import { testDatabases } from '../test-support/databases.js';

const databases = await testDatabases();

describe.each(databases)('error answers on $name', (store) => {
  let t: TestApp;
  let open: boolean;
  beforeEach(async () => {
    t = await createTestApp(await store.open());
    open = true;
  });
  afterEach(async () => {
    if (open) await t.database.close();
  });

  it.each([
    ['GET', '/no-such-page'],
    ['POST', '/v1/purchase'],
    ['GET', '/api/no-such-resource'],
  ])('answers %s %s with 404 JSON', async (method, path) => {
    const res = await t.app.request(path, { method, headers: { Authorization: `Bearer ${t.secretKey}` } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
  });

  it('answers an internal error with 500 JSON naming the request ID and no stack trace', async () => {
    await t.database.close();
    open = false;
    const res = await t.app.request('/api/stats', { headers: { Authorization: `Bearer ${t.secretKey}`, 'X-Request-Id': 'req-42' } });
    expect(res.status).toBe(500);
    const text = await res.text();
    const body = JSON.parse(text);
    expect(body).toEqual({ error: { code: 'internal', message: expect.stringContaining('req-42') } });
    expect(text).not.toMatch(/\bat\s+\S+\s*\(|\.ts:\d+|node_modules|Error:/);
    expect(res.headers.get('x-request-id')).toBe('req-42');
  });

  it('answers an internal error on the tracking API with 500 JSON and no stack trace', async () => {
    await t.database.close();
    open = false;
    const res = await t.send('/v1/track', { messageId: 'm1', anonymousId: 'v1', event: 'Product Viewed' });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text).error.code).toBe('internal');
    expect(text).not.toMatch(/\bat\s+\S+\s*\(|\.ts:\d+|node_modules|Error:/);
  });
});
