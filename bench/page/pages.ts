import { config } from '../config.js';

/**
 * The storefront page each SDK is measured on, as a site would add it with a
 * script tag. Each page records `__t0` just before its SDK's script element
 * (the "script start"), then loads it synchronously, initialises it and
 * tracks one event; `__sdk.track` and `__aid()` are what the bench calls.
 */
export interface PageSpec {
  id: 'threadline' | 'threadline-nodelay' | 'analytics-next';
  label: string;
  html(api: string, origin: string): string;
}

const PRODUCT = `{ product_id: 'SKU-1', price: 49.9, currency: 'EUR' }`;
const shell = (head: string, body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>Trail Shoe | Shop</title></head><body><h1>Trail Shoe</h1>${head}${body}</body></html>`;

const threadline = (id: PageSpec['id'], label: string, extra: string): PageSpec => ({
  id,
  label,
  html: (api) =>
    shell(
      `<script>window.__t0 = performance.now();</script><script src="/sdk/threadline.js"></script>`,
      `<script>threadline.init({ writeKey: '${config.writeKey}', host: '${api}'${extra} });
threadline.track('Product Viewed', ${PRODUCT});
window.__sdk = threadline; window.__aid = () => threadline.anonymousId();</script>`,
    ),
});

export const PAGES: PageSpec[] = [
  threadline('threadline', 'Threadline `dist/threadline.js`, defaults', ''),
  threadline('threadline-nodelay', 'Threadline `dist/threadline.js`, `flushDelayMs: 0`', ', flushDelayMs: 0'),
  {
    id: 'analytics-next',
    label: '@segment/analytics-next `dist/umd/index.js`, defaults',
    // `_cdn` makes its lazily loaded chunks come from our static server, not cdn.segment.com;
    // `cdnSettings` replaces the settings fetch and points the Segment.io destination at the collector.
    html: (api, origin) =>
      shell(
        `<script>window.__t0 = performance.now(); window.analytics = { _cdn: '${origin}' };</script><script src="/analytics-next/bundles/index.js"></script>`,
        `<script>const settings = { integrations: { 'Segment.io': { apiKey: '${config.writeKey}', apiHost: '${new URL(api).host}/v1', protocol: 'http' } } };
window.__sdk = AnalyticsNext.AnalyticsBrowser.load({ writeKey: '${config.writeKey}', cdnSettings: settings, cdnURL: '${origin}' });
window.__sdk.track('Product Viewed', ${PRODUCT});
window.__aid = () => window.__sdk.instance && window.__sdk.instance.user().anonymousId();</script>`,
      ),
  },
];
