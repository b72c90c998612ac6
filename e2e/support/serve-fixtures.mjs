// A static server for the storefront fixtures and examples, on another origin
// than the collector. HTML gets {{HOST}} and {{WRITE_KEY}} filled in so pages
// need no build step, and {{SNIPPET}} becomes the SDK's real snippet, as the
// collector's /demo route does (packages/collector/src/routes/assets.ts).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const port = Number(process.env.E2E_FIXTURES_PORT ?? 8790);
const host = process.env.E2E_COLLECTOR ?? 'http://127.0.0.1:8788';
const writeKey = process.env.E2E_WRITE_KEY ?? 'wk_e2e_write_key_0001';
const sdkDist = process.env.E2E_SDK_DIST ?? join(root, 'packages/sdk/dist');
const MOUNTS = { '/fixtures/': join(root, 'e2e/fixtures'), '/examples/': join(root, 'examples'), '/sdk/': sdkDist };
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css',
  '.map': 'application/json',
};

// Imported at start and kept once it loads (the server still starts before a build).
let sdk;
async function snippetCode(extra = {}) {
  sdk ??= import(pathToFileURL(join(sdkDist, 'index.js')).href).catch(() => (sdk = undefined));
  const loaded = await sdk;
  return loaded ? loaded.snippet({ host, writeKey, ...extra }) : 'console.error("Threadline SDK not built: run npm run build")';
}

// The SDK build is kept once read, as the collector keeps /threadline.js: a rebuild
// during a run (it empties dist/ first) cannot leave pages without the SDK halfway.
const kept = new Map();
async function read(mount, file) {
  if (mount !== '/sdk/') return readFile(file);
  if (!kept.has(file)) kept.set(file, await readFile(file));
  return kept.get(file);
}

async function fill(html, mount, query) {
  const filled = html.replaceAll('{{HOST}}', host).replaceAll('{{WRITE_KEY}}', writeKey);
  if (!filled.includes('{{SNIPPET}}')) return filled;
  // The examples get the snippet the collector's /demo serves: form capture on. A fixture's
  // ?consent= goes into the snippet's options, as a site with a consent manager pastes it.
  const consent = query.get('consent');
  const code = await snippetCode(mount === '/examples/' ? { forms: true } : consent ? { consent } : {});
  // A function replacement: the snippet's own `$` characters must not be read as patterns.
  return filled.replaceAll('{{SNIPPET}}', () => code);
}

createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const path = decodeURIComponent(url.pathname);
  const mount = Object.keys(MOUNTS).find((m) => path.startsWith(m));
  const rel = mount && normalize(path.slice(mount.length) || 'index.html');
  if (!mount || !rel || rel.startsWith('..')) return void res.writeHead(404).end('not found');
  const file = join(MOUNTS[mount], rel.endsWith('/') ? `${rel}index.html` : rel);
  try {
    let body = await read(mount, file);
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    if (type.startsWith('text/html')) body = Buffer.from(await fill(body.toString('utf8'), mount, url.searchParams));
    res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' }).end(body);
  } catch {
    res.writeHead(404).end('not found');
  }
}).listen(port, '127.0.0.1', () => {
  console.log(`fixtures on http://localhost:${port}`);
  // Read the build now, before a run's first page asks for it.
  void snippetCode();
  void read('/sdk/', join(sdkDist, 'threadline.js')).catch(() => undefined);
});
