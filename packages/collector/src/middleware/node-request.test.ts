import { connect } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestHeader } from './node-request.js';

const NAMES = ['authorization', 'origin', 'host', 'x-request-id', 'x-forwarded-host', 'content-length', 'sec-fetch-site', 'x-absent'];

/** A raw HTTP/1.1 request, so header lines can repeat and differ in case as a client may send them. */
function rawGet(port: number, lines: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(`GET /h HTTP/1.1\r\n${lines.join('\r\n')}\r\nConnection: close\r\n\r\n`));
    let text = '';
    socket.on('data', (d) => (text += d));
    socket.on('end', () => resolve(text.slice(text.indexOf('\r\n\r\n') + 4)));
    socket.on('error', reject);
  });
}

// Under @hono/node-server requestHeader reads Node's own parse of the
// headers: it must answer exactly what Hono's c.req.header does.
describe('requestHeader on the Node server', () => {
  let server: ServerType;
  let port: number;
  beforeAll(async () => {
    const app = new Hono().get('/h', (c) =>
      c.json(Object.fromEntries(NAMES.map((n) => [n, { ours: requestHeader(c, n) ?? null, hono: c.req.header(n) ?? null }]))),
    );
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
        port = info.port;
        resolve();
      });
    });
  });
  afterAll(() => void server?.close());

  it('answers as c.req.header for single, repeated, mixed-case and absent lines', async () => {
    const text = await rawGet(port, [
      'Host: shop.localhost:8080',
      'AUTHORIZATION: Basic d2tfdGVzdDo=',
      'authorization: Bearer sk_other',
      'Origin: https://shop.localhost',
      'x-request-id: one',
      'X-Request-Id: two',
      'X-Forwarded-Host: a.example',
      'x-forwarded-host: b.example',
      'Sec-Fetch-Site: same-origin',
    ]);
    const seen = JSON.parse(text) as Record<string, { ours: string | null; hono: string | null }>;
    for (const name of NAMES) expect(seen[name]!.ours, name).toBe(seen[name]!.hono);
    expect(seen['x-request-id']!.ours).toBe('one, two');
    expect(seen.authorization!.ours).toBe('Basic d2tfdGVzdDo=, Bearer sk_other');
    expect(seen['x-absent']!.ours).toBeNull();
  });

  it('falls back to c.req.header off the Node server (app.request)', async () => {
    const app = new Hono().get('/h', (c) => c.text(requestHeader(c, 'origin') ?? 'none'));
    expect(await (await app.request('/h', { headers: { Origin: 'https://a.example' } })).text()).toBe('https://a.example');
  });
});
