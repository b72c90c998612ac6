import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
// The SDK's own popup styles: the console's preview draws popups with the SDK's code, and the CSP allows exactly these.
import { HOST_STYLE, POPUP_CSS } from '../../../../sdk/src/plugins/popups/styles.js';
import type { ConsoleEnv } from '../../middleware/console-env.js';

const file = (name: string) => fileURLToPath(new URL(`../../console/${name}`, import.meta.url));
const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** CSP sources for the popup preview: its shadow-root stylesheet and its host element's inline style. */
export const POPUP_STYLE_HASHES = { element: sha256(POPUP_CSS), attribute: sha256(HOST_STYLE) };

let script: Promise<string> | undefined;

/**
 * The console's one script, bundled on first request with esbuild from
 * console/client/ (and the SDK's popup code it imports), so `npm start` needs
 * no build step. It is the console's own asset: nothing the SDK ships or
 * counts against its size budgets.
 */
function bundle(): Promise<string> {
  script ??= import('esbuild')
    .then((esbuild) =>
      esbuild.build({
        entryPoints: [file('client/main.ts')],
        bundle: true,
        write: false,
        format: 'esm',
        target: 'es2022',
        minify: true,
        legalComments: 'none',
      }),
    )
    .then((out) => out.outputFiles[0]!.text)
    .catch((err) => {
      script = undefined;
      throw err;
    });
  return script;
}

const TYPES = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8', svg: 'image/svg+xml' };

/** /console/assets/*: the stylesheet, the script and the favicon (public: they hold nothing about anyone). */
export function consoleAssetRoutes() {
  const app = new Hono<ConsoleEnv>();
  app.get('/console.css', async (c) => c.body(await readFile(file('console.css'), 'utf8'), 200, { 'Content-Type': TYPES.css }));
  app.get('/favicon.svg', async (c) => c.body(await readFile(file('favicon.svg'), 'utf8'), 200, { 'Content-Type': TYPES.svg }));
  app.get('/console.js', async (c) => c.body(await bundle(), 200, { 'Content-Type': TYPES.js, 'Cache-Control': 'no-cache' }));
  return app;
}
