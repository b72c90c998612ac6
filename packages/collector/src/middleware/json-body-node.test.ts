import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { MAX_BATCH_BYTES } from '@threadline/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_KEYS, startServer, tempSqlite } from '../test-support/server-process.js';

/** One POST over a real socket: `chunks` are written one by one, with no Content-Length unless `headers` give one (chunked). */
function post(
  url: string,
  chunks: Buffer[],
  headers: Record<string, string> = {},
): Promise<{ status: number; body: { accepted?: number; error?: Record<string, unknown> } }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

const batch = (n: number) =>
  JSON.stringify({
    writeKey: SERVER_KEYS.THREADLINE_WRITE_KEY,
    batch: Array.from({ length: n }, () => ({ type: 'track', event: 'Viewed', anonymousId: randomUUID(), messageId: randomUUID() })),
  });

// The Node entry reads a body from the Node request itself (not through a
// fetch Request, as createApp().request() in the other tests does): the same
// limits and errors must hold on that path.
describe('JSON bodies on the Node entry', () => {
  let child: ChildProcess;
  let url: string;
  beforeAll(async () => {
    const server = await startServer(tempSqlite());
    child = server.child;
    url = `${server.base}/v1/batch`;
  }, 60_000);
  afterAll(() => child?.kill('SIGKILL'));

  it('stores a batch sent with a Content-Length, and one sent chunked in pieces', async () => {
    const body = Buffer.from(batch(3));
    expect(await post(url, [body], { 'Content-Length': String(body.byteLength) })).toMatchObject({ status: 200, body: { accepted: 3 } });
    const pieces = Buffer.from(batch(40));
    const third = Math.floor(pieces.byteLength / 3);
    expect(await post(url, [pieces.subarray(0, third), pieces.subarray(third, 2 * third), pieces.subarray(2 * third)])).toMatchObject({
      status: 200,
      body: { accepted: 40 },
    });
  });

  it('undoes gzip, and refuses bad JSON naming body', async () => {
    expect(await post(url, [gzipSync(batch(2))], { 'Content-Encoding': 'gzip' })).toMatchObject({ status: 200, body: { accepted: 2 } });
    expect(await post(url, [Buffer.from('{"batch": [')])).toEqual({
      status: 400,
      body: { error: { code: 'invalid_json', message: 'body: must be JSON', field: 'body' } },
    });
  });

  it('answers 413 naming body to a chunked body past the limit, and serves the next request', async () => {
    const piece = Buffer.alloc(64 * 1024, 'x');
    const chunks = Array.from({ length: Math.ceil(MAX_BATCH_BYTES / piece.byteLength) + 2 }, () => piece);
    const refused = await post(url, chunks);
    expect(refused.status).toBe(413);
    expect(refused.body.error).toMatchObject({ code: 'payload_too_large', field: 'body' });
    const body = Buffer.from(batch(1));
    expect(await post(url, [body], { 'Content-Length': String(body.byteLength) })).toMatchObject({ status: 200, body: { accepted: 1 } });
  });
});
