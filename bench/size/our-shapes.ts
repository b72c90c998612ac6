import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../lib/server-process.js';
import { bundle } from './measure.js';

export const SDK_DIST = join(ROOT, 'packages/sdk/dist');

/** The app a core bundle is measured from: the smallest real use of the npm package. */
export const CORE_ENTRY = `import { createClient } from '@threadline/sdk';
const tl = createClient({ writeKey: 'wk_123', host: 'https://collect.example.com' });
tl.page(); tl.track('Product Viewed', { sku: 'A1' }); tl.identify({ email: 'ana@example.com' });`;

/** Core plus form capture, as an app turns it on: the plugin from its own entry, `@threadline/sdk/forms`. */
export const FORMS_ENTRY = `import { createClient } from '@threadline/sdk';
import { formCapture } from '@threadline/sdk/forms';
const tl = createClient({ writeKey: 'wk_123', host: 'https://collect.example.com', plugins: [formCapture()] });
tl.page(); tl.track('Product Viewed', { sku: 'A1' }); tl.identify({ email: 'ana@example.com' });`;

/** The same app with the popups plugin: what a storefront adding popups ships. */
export const POPUPS_ENTRY = `import { createClient } from '@threadline/sdk';
import { popups } from '@threadline/sdk/popups';
const tl = createClient({ writeKey: 'wk_123', host: 'https://collect.example.com', plugins: [popups()] });
tl.page(); tl.track('Product Viewed', { sku: 'A1' }); tl.identify({ email: 'ana@example.com' });`;

/** The same app with web push (`@threadline/sdk/web-push`): what a site sending browser notifications ships. */
export const WEB_PUSH_ENTRY = `import { createClient } from '@threadline/sdk';
import { webPush } from '@threadline/sdk/web-push';
const push = webPush({ vapidPublicKey: 'BEl62iUYgUivxIkv69yViEuiBIa', serviceWorker: '/sw.js' });
const tl = createClient({ writeKey: 'wk_123', host: 'https://collect.example.com', plugins: [push] });
tl.page(); tl.track('Product Viewed', { sku: 'A1' }); tl.identify({ email: 'ana@example.com' }); push.subscribe();`;

export interface Shape {
  id: string;
  /** What exactly was measured: an entry source or a file. */
  what: string;
  code?: string;
  /** Why it has no figure yet. */
  missing?: string;
}

/** Threadline's import shapes (issue 4 §1), from packages/sdk/dist; run `npm run build` first. */
export async function ourShapes(): Promise<Shape[]> {
  const file = (name: string) => readFileSync(join(SDK_DIST, name), 'utf8');
  for (const name of ['index.js', 'forms.js', 'popups.js', 'web-push.js', 'threadline.js', 'snippet.min.js']) {
    if (!existsSync(join(SDK_DIST, name))) throw new Error(`packages/sdk/dist/${name} is missing: run \`npm run build\` first`);
  }
  return [
    {
      id: 'core',
      what: '`@threadline/sdk` bundled from an app calling createClient, page, track, identify',
      code: (await bundle(CORE_ENTRY)).code,
    },
    {
      id: 'core+forms',
      what: 'the core app above with `formCapture()` from `@threadline/sdk/forms` as a plugin',
      code: (await bundle(FORMS_ENTRY)).code,
    },
    {
      id: 'core+popups',
      what: 'core app plus `popups()` from `@threadline/sdk/popups`, bundled together',
      code: (await bundle(POPUPS_ENTRY)).code,
    },
    {
      id: 'core+web-push',
      what: 'core app plus `webPush()` from `@threadline/sdk/web-push`, bundled together',
      code: (await bundle(WEB_PUSH_ENTRY)).code,
    },
    { id: 'iife', what: '`packages/sdk/dist/threadline.js`', code: file('threadline.js') },
    { id: 'snippet', what: '`packages/sdk/dist/snippet.min.js`', code: file('snippet.min.js') },
  ];
}
