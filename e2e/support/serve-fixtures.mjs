// A static server for the storefront fixtures and examples, on another origin
// than the collector. HTML gets {{HOST}} and {{WRITE_KEY}} filled in so pages
// need no build step.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const port = Number(process.env.E2E_FIXTURES_PORT ?? 8790);
const host = process.env.E2E_COLLECTOR ?? 'http://127.0.0.1:8788';
const writeKey = process.env.E2E_WRITE_KEY ?? 'wk_e2e_write_key_0001';
const MOUNTS = { '/fixtures/': 'e2e/fixtures/', '/examples/': 'examples/', '/sdk/': 'packages/sdk/dist/' };
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css', '.map': 'application/json' };

createServer(async (req, res) => {
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  const mount = Object.keys(MOUNTS).find((m) => path.startsWith(m));
  const rel = mount && normalize(path.slice(mount.length) || 'index.html');
  if (!mount || !rel || rel.startsWith('..')) return void res.writeHead(404).end('not found');
  const file = join(root, MOUNTS[mount], rel.endsWith('/') ? `${rel}index.html` : rel);
  try {
    let body = await readFile(file);
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    if (type.startsWith('text/html')) body = Buffer.from(body.toString('utf8').replaceAll('{{HOST}}', host).replaceAll('{{WRITE_KEY}}', writeKey));
    res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' }).end(body);
  } catch {
    res.writeHead(404).end('not found');
  }
}).listen(port, '127.0.0.1', () => console.log(`fixtures on http://localhost:${port}`));
