import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../test-support/app.js';
import { testDatabases } from '../test-support/databases.js';
import { messageIdsOf, trackMessage as track } from '../test-support/identity.js';

const databases = await testDatabases();

/** Compressed tracking requests (issue 8 §5): RudderStack's Node SDK gzips every body by default. */
describe.each(databases)('compressed tracking requests on $name', (store) => {
  const t = useTestApp(store);
  const post = (path: string, body: Uint8Array, encoding: string) =>
    Promise.resolve(
      t.app.request(path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Content-Encoding': encoding, 'Content-Length': String(body.byteLength) },
        body: new Uint8Array(body),
      }),
    );
  const json = (value: unknown) => Buffer.from(JSON.stringify(value));

  it('stores a gzip batch like a plain one', async () => {
    const body = gzipSync(json({ writeKey: t.writeKey, batch: [track('gz1', 'v1', 'Product Viewed'), track('gz2', 'v1', 'Cart Viewed')] }));
    const res = await post('/v1/batch', body, 'gzip');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 2, rejected: [] });
    expect(await messageIdsOf(t, 'v1')).toEqual(['gz1', 'gz2']);
  });

  it('stores a deflate message in the zlib format and in raw deflate', async () => {
    const message = (id: string) => json({ writeKey: t.writeKey, ...track(id, 'v2', 'Product Added') });
    expect((await post('/v1/track', deflateSync(message('zl')), 'deflate')).status).toBe(200);
    expect((await post('/v1/track', deflateRawSync(message('raw')), 'Deflate')).status).toBe(200);
    expect(await messageIdsOf(t, 'v2')).toEqual(['raw', 'zl'].sort());
  });

  it('measures the per-message limit on the decoded message, not the compressed request', async () => {
    const big = track('big', 'v3', 'Product Viewed', { properties: { blob: 'x'.repeat(40 * 1024) } });
    const single = gzipSync(json({ writeKey: t.writeKey, ...big }));
    expect(single.byteLength).toBeLessThan(32 * 1024);
    const res = await post('/v1/track', single, 'gzip');
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'payload_too_large', field: 'body' } });

    const batch = gzipSync(json({ writeKey: t.writeKey, batch: [big, track('small', 'v3', 'Cart Viewed')] }));
    const answer = await (await post('/v1/batch', batch, 'gzip')).json();
    expect(answer).toMatchObject({ accepted: 1, rejected: [{ index: 0, messageId: 'big', field: '(message)' }] });
  });

  it('answers a zip bomb 413 after inflating no more than the limit', async () => {
    // 64 MB of spaces inside a JSON batch, gzipped to some 64 KB. The stream is
    // cut after its first half: inflating it all would end in a 400 for the
    // truncated data, so a 413 shows inflating stopped at the 500 KB limit.
    const inner = Buffer.concat([
      Buffer.from(`{"writeKey":"${t.writeKey}","batch":[`),
      Buffer.alloc(64 * 1024 * 1024, ' '),
      Buffer.from(']}'),
    ]);
    const bomb = gzipSync(inner, { level: 9 });
    expect(bomb.byteLength).toBeLessThan(500 * 1024);
    const res = await post('/v1/batch', bomb.subarray(0, bomb.byteLength >> 1), 'gzip');
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'payload_too_large', field: 'body' } });
    expect((await t.admin('/api/stats')).body).toMatchObject({ anonymous: 0 });
  });

  it('refuses data that is not what its encoding says with 400, and an unknown encoding with 415', async () => {
    const plain = json({ writeKey: t.writeKey, batch: [track('x1', 'v4', 'Product Viewed')] });
    const corrupt = await post('/v1/batch', plain, 'gzip');
    expect(corrupt.status).toBe(400);
    expect(await corrupt.json()).toMatchObject({ error: { code: 'invalid_encoding', field: 'body' } });
    const unknown = await post('/v1/batch', plain, 'compress');
    expect(unknown.status).toBe(415);
    expect(await unknown.json()).toMatchObject({ error: { code: 'unsupported_encoding', field: 'headers.content-encoding' } });
    expect(await messageIdsOf(t, 'v4')).toBeUndefined();
  });

  it('reads a body that says identity as it is', async () => {
    const res = await post('/v1/batch', json({ writeKey: t.writeKey, batch: [track('id1', 'v5', 'Product Viewed')] }), 'identity');
    expect(await res.json()).toMatchObject({ accepted: 1 });
  });
});
