import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { COLLECTOR_PORT, FIXTURES_PORT } from './env.js';

/** The path a site proxies to the collector, as in the README's nginx and Caddy set-ups. */
export const PROXY_PREFIX = '/tl';

export interface SameOriginProxy {
  /** The one origin the page and the collector share, e.g. http://127.0.0.1:40123. */
  origin: string;
  close(): Promise<void>;
}

/**
 * A storefront that serves the collector from its own domain (SPEC §8): `/tl/*`
 * goes to the collector with the prefix stripped and `X-Forwarded-Host` and
 * `-Proto` set, as a reverse proxy does; everything else to the fixture server.
 * @example const proxy = await startSameOriginProxy(); await page.goto(`${proxy.origin}/fixtures/first-party.html`);
 */
export async function startSameOriginProxy(): Promise<SameOriginProxy> {
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    const toCollector = url.startsWith(`${PROXY_PREFIX}/`);
    const upstream = request(
      {
        host: '127.0.0.1',
        port: toCollector ? COLLECTOR_PORT : FIXTURES_PORT,
        path: toCollector ? url.slice(PROXY_PREFIX.length) : url,
        method: req.method,
        headers: { ...req.headers, 'x-forwarded-host': req.headers.host, 'x-forwarded-proto': 'http' },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
