import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join, normalize } from 'node:path';
import { freePort, ROOT } from '../lib/server-process.js';

const MOUNTS: Record<string, string> = {
  '/sdk/': 'packages/sdk/dist/',
  '/analytics-next/bundles/': 'node_modules/@segment/analytics-next/dist/umd/',
};

export interface StaticServer {
  origin: string;
  close(): Promise<void>;
}

/** The storefront origin on loopback: pages from `render(path, origin)`, and the SDK files; nothing cached. */
export async function startStaticServer(render: (path: string, origin: string) => string | undefined): Promise<StaticServer> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const server: Server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const page = render(path, origin);
    if (page) return void res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(page);
    const mount = Object.keys(MOUNTS).find((m) => path.startsWith(m));
    const rel = mount && normalize(path.slice(mount.length));
    if (!mount || !rel || rel.startsWith('..')) return void res.writeHead(404).end();
    try {
      const body = await readFile(join(ROOT, MOUNTS[mount]!, rel));
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { origin, close: () => new Promise((r) => server.close(() => r())) };
}
