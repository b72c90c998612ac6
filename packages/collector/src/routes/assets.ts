import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../env.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

/** The script-tag SDK and the demo storefront. */
export function assetRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  let script: Promise<string> | undefined;

  app.get('/threadline.js', async (c) => {
    script ??= readFile(deps.sdkScriptPath, 'utf8');
    const body = await script.catch(() => {
      script = undefined;
      return undefined;
    });
    if (body === undefined) return c.json({ error: { code: 'not_built', message: 'the SDK is not built: run npm run build' } }, 503);
    // Storefronts on other origins load it with <script src>; under COEP they need CORP to allow that.
    c.header('Cross-Origin-Resource-Policy', 'cross-origin');
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(body, 200, { 'Content-Type': TYPES['.js']! });
  });

  if (deps.demoDir) {
    const root = deps.demoDir;
    app.get('/demo', (c) => c.redirect('/demo/'));
    app.get('/demo/*', async (c) => {
      const rel = normalize(decodeURIComponent(c.req.path.slice('/demo/'.length)) || 'index.html');
      if (rel.startsWith('..')) return c.notFound();
      const body = await readFile(join(root, rel)).catch(() => undefined);
      if (!body) return c.notFound();
      return c.body(body, 200, { 'Content-Type': TYPES[extname(rel)] ?? 'application/octet-stream' });
    });
  }
  return app;
}
