import { Agent, createServer, request, type IncomingMessage, type Server } from 'node:http';
import { freePort } from '../lib/server-process.js';

/**
 * analytics-next posts to Segment's short paths (`/v1/t`, `/v1/p`, `/v1/i`,
 * `/v1/a`, `/v1/g`, `/v1/s`, and `/v1/b` when batching); the collector serves
 * the long ones. This pass-through maps them and leaves every other path as
 * it is. It also drops `"userId": null`, which analytics-next sends for every
 * anonymous visitor and the collector refuses (400). Both SDKs go through it,
 * so the extra loopback hop is the same for both. It also counts what arrives, as it arrived on the wire: requests,
 * bytes (request line, headers, body), events sent and events the collector
 * answered as stored.
 */
const SHORT: Record<string, string> = { t: 'track', p: 'page', i: 'identify', a: 'alias', g: 'group', s: 'screen', b: 'batch' };

export interface Traffic {
  requests: number;
  preflights: number;
  wireBytes: number;
  bodyBytes: number;
  eventsSent: number;
  eventsStored: number;
  failed: number;
}

export const noTraffic = (): Traffic => ({
  requests: 0,
  preflights: 0,
  wireBytes: 0,
  bodyBytes: 0,
  eventsSent: 0,
  eventsStored: 0,
  failed: 0,
});

const eventsIn = (body: string) => {
  try {
    const json = JSON.parse(body) as { batch?: unknown[] };
    return Array.isArray(json.batch) ? json.batch.length : 1;
  } catch {
    return 0;
  }
};
/** The body without `"userId": null` (per message), or as it was. */
function withoutNullUserIds(body: Buffer): Buffer {
  if (!body.includes('"userId":null')) return body;
  const json = JSON.parse(body.toString()) as Record<string, unknown> & { batch?: Array<Record<string, unknown>> };
  for (const m of [json, ...(json.batch ?? [])]) if (m.userId === null) delete m.userId;
  return Buffer.from(JSON.stringify(json));
}

const headerBytes = (req: IncomingMessage) =>
  Buffer.byteLength(`${req.method} ${req.url} HTTP/${req.httpVersion}\r\n`) +
  req.rawHeaders.reduce((n, h) => n + Buffer.byteLength(h) + 2, 0) +
  2; // "name: value\r\n" each, then a blank line

export interface CollectorProxy {
  url: string;
  traffic: Traffic;
  reset(): void;
  close(): Promise<void>;
}

export async function startCollectorProxy(collector: string): Promise<CollectorProxy> {
  const target = new URL(collector);
  const agent = new Agent({ keepAlive: true });
  const proxy: CollectorProxy = {
    url: '',
    traffic: noTraffic(),
    reset: () => {
      proxy.traffic = noTraffic();
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const t = proxy.traffic;
      t.requests++;
      if (req.method === 'OPTIONS') t.preflights++;
      t.wireBytes += headerBytes(req) + body.length;
      t.bodyBytes += body.length;
      t.eventsSent += req.method === 'POST' ? eventsIn(body.toString()) : 0;
      const path = (req.url ?? '/').replace(/^\/v1\/([a-z])(?=$|[/?])/, (_, s: string) => `/v1/${SHORT[s] ?? s}`);
      const forwarded = req.method === 'POST' ? withoutNullUserIds(body) : body;
      const headers = { ...req.headers, host: target.host, 'content-length': String(forwarded.length) };
      const upstream = request({ host: target.hostname, port: target.port, path, method: req.method, headers, agent }, (answer) => {
        const out: Buffer[] = [];
        answer.on('data', (c: Buffer) => out.push(c));
        answer.on('end', () => {
          const text = Buffer.concat(out);
          if (req.method === 'POST') {
            if ((answer.statusCode ?? 500) >= 300) t.failed++;
            else t.eventsStored += Number((JSON.parse(text.toString() || '{}') as { accepted?: number }).accepted ?? 0);
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers).end(text);
        });
      });
      upstream.on('error', () => void (t.failed++, res.writeHead(502).end()));
      upstream.end(forwarded);
    });
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  proxy.url = `http://127.0.0.1:${port}`;
  return proxy;
}
