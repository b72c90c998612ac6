import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../lib/server-process.js';
import { bundle } from './measure.js';

export type PeerName = '@segment/analytics-next' | 'posthog-js';

export interface PeerArtifact {
  peer: PeerName;
  /** The Threadline shape it is compared with (budgets.json ids); `primary` marks the one the ratio uses. */
  shape: 'core' | 'iife' | 'snippet';
  primary: boolean;
  what: string;
  code?: string;
  lazy?: string[];
  missing?: string;
}

const pkg = (name: string) => JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
export const peerVersion = (peer: PeerName) => pkg(peer).version;
const file = (rel: string) => readFileSync(join(ROOT, 'node_modules', rel), 'utf8');

/** The same app as Threadline's core entry, written against each peer's npm API. */
const SEGMENT_APP = `import { AnalyticsBrowser } from '@segment/analytics-next';
const a = AnalyticsBrowser.load({ writeKey: 'wk_123' });
a.page(); a.track('Product Viewed', { sku: 'A1' }); a.identify({ email: 'ana@example.com' });`;
const posthogApp = (from: string) => `import posthog from '${from}';
posthog.init('phc_123', { api_host: 'https://collect.example.com' });
posthog.capture('$pageview'); posthog.capture('Product Viewed', { sku: 'A1' }); posthog.identify('CUST-1', { email: 'ana@example.com' });`;

const NO_SNIPPET = 'not shipped in the npm package (the paste-in snippet lives in the vendor docs), so not measured';

/** Every peer artifact measured (issue 4 §1), with exactly which entry or file it is. */
export async function peerShapes(): Promise<PeerArtifact[]> {
  const seg = await bundle(SEGMENT_APP);
  const ph = await bundle(posthogApp('posthog-js'));
  const phSlim = await bundle(posthogApp('posthog-js/dist/module.slim.js'));
  const S: PeerName = '@segment/analytics-next';
  const P: PeerName = 'posthog-js';
  return [
    {
      peer: S,
      shape: 'core',
      primary: true,
      what: "`AnalyticsBrowser` from the package's ESM (`dist/pkg/index.js`), same app bundled; entry chunk (lazy chunks listed apart)",
      code: seg.code,
      lazy: seg.lazy,
    },
    {
      peer: S,
      shape: 'iife',
      primary: true,
      what: "`dist/umd/standalone.js` (the prebuilt script Segment's snippet loads)",
      code: file('@segment/analytics-next/dist/umd/standalone.js'),
    },
    {
      peer: S,
      shape: 'iife',
      primary: false,
      what: '`dist/umd/index.js` (prebuilt UMD, global `AnalyticsNext`)',
      code: file('@segment/analytics-next/dist/umd/index.js'),
    },
    { peer: S, shape: 'snippet', primary: true, what: 'snippet', missing: NO_SNIPPET },
    {
      peer: P,
      shape: 'core',
      primary: true,
      what: "`posthog` default export of the package's ESM (`dist/module.mjs`), same app bundled",
      code: ph.code,
      lazy: ph.lazy,
    },
    {
      peer: P,
      shape: 'core',
      primary: false,
      what: '`posthog-js/dist/module.slim.js` (the slim ESM without bundled extensions), same app bundled',
      code: phSlim.code,
      lazy: phSlim.lazy,
    },
    {
      peer: P,
      shape: 'iife',
      primary: true,
      what: "`dist/array.js` (the prebuilt script PostHog's snippet loads)",
      code: file('posthog-js/dist/array.js'),
    },
    {
      peer: P,
      shape: 'iife',
      primary: false,
      what: '`dist/array.full.js` (prebuilt script with every extension inlined)',
      code: file('posthog-js/dist/array.full.js'),
    },
    { peer: P, shape: 'snippet', primary: true, what: 'snippet', missing: NO_SNIPPET },
  ];
}
