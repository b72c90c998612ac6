import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { Hono } from 'hono';
import { invalid } from '../domain/errors.js';
import type { AppDeps, AppEnv } from '../env.js';
import { defaultWorkspace } from '../repos/workspaces.js';

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
      let rel: string;
      try {
        rel = normalize(decodeURIComponent(c.req.path.slice('/demo/'.length)) || 'index.html');
      } catch {
        throw invalid('path', 'is not a valid URL path');
      }
      if (rel.startsWith('..')) return c.notFound();
      const body = await readFile(join(root, rel)).catch(() => undefined);
      if (!body) return c.notFound();
      const type = TYPES[extname(rel)] ?? 'application/octet-stream';
      if (!type.startsWith('text/html')) return c.body(body, 200, { 'Content-Type': type });
      const origin = new URL(c.req.url).origin;
      return c.body(await fillSnippet(body.toString('utf8'), origin, deps), 200, { 'Content-Type': type });
    });
  }
  return app;
}

/**
 * Demo pages carry `{{SNIPPET}}`; it becomes the SDK's own snippet for this
 * collector and the default workspace's write key, so the demo always runs
 * the real snippet with working keys, with form capture and popups on (`forms: true, popups: true`):
 * the store's checkout form is marked and its newsletter is the form embed.
 */
async function fillSnippet(html: string, host: string, deps: AppDeps): Promise<string> {
  if (!html.includes('{{SNIPPET}}')) return html;
  const workspace = await defaultWorkspace(deps.database.db);
  const sdk = await import('@threadline/sdk').catch(() => undefined);
  const code =
    sdk && workspace
      ? sdk.snippet({ host, writeKey: workspace.writeKey, forms: true, popups: true })
      : '/* Threadline SDK not built: run npm run build */';
  return html.replaceAll('{{SNIPPET}}', code);
}
