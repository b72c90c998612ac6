import { build } from 'esbuild';
import { expectTimeline, findProfile } from './support/api.js';
import { STOREFRONT } from './support/env.js';
import { storefront } from './support/page.js';
import { expect, test } from './support/test.js';

declare global {
  interface Window {
    SegmentAnalytics: typeof import('@segment/analytics-next');
    analytics: import('@segment/analytics-next').AnalyticsBrowser;
  }
}

let bundle: string;
test.beforeAll(async () => {
  // The npm build, bundled as an app's bundler would bundle it.
  const out = await build({
    stdin: { contents: "export { AnalyticsBrowser } from '@segment/analytics-next';", resolveDir: process.cwd() },
    bundle: true,
    format: 'iife',
    globalName: 'SegmentAnalytics',
    platform: 'browser',
    target: 'es2020',
    write: false,
    logLevel: 'error',
  });
  bundle = out.outputFiles[0]!.text;
});

/**
 * Segment's own browser library (@segment/analytics-next), unchanged, with the
 * README's settings: each call type lands on the profile timeline, over the
 * single-call routes analytics-next uses (`/v1/t`, `/v1/s`, …) and, in its
 * batching delivery, over `/v1/b`.
 */
for (const mode of ['standard', 'batching'] as const) {
  test(`analytics-next (${mode} delivery): page, track, screen, group, alias and identify land on the profile`, async ({ page }) => {
    await page.route(`${STOREFRONT}/vendor/analytics-next.js`, (route) =>
      route.fulfill({ body: bundle, contentType: 'text/javascript; charset=utf-8' }),
    );
    const paths: string[] = [];
    page.on('request', (req) => {
      const url = new URL(req.url());
      if (url.pathname.startsWith('/v1/') && req.method() === 'POST') paths.push(url.pathname);
    });
    const failed: number[] = [];
    page.on('response', (res) => {
      if (new URL(res.url()).pathname.startsWith('/v1/') && res.status() >= 400) failed.push(res.status());
    });

    await page.goto(storefront(`fixtures/analytics-next.html${mode === 'batching' ? '?batching=1' : ''}`));
    const userId = `NEXT-${mode}-${Date.now().toString(36)}`;
    const anonymousId = await page.evaluate(async (userId) => {
      const [analytics] = await window.analytics;
      await analytics.track('Product Viewed', { product_id: 'sku-1', price: 49 });
      await analytics.screen('Cart');
      await analytics.group('acme', { name: 'Acme' });
      await analytics.alias(userId);
      await analytics.identify(userId, { plan: 'gold' });
      return analytics.user().anonymousId();
    }, userId);

    const events = await expectTimeline({ userId }, ['page Home', 'Product Viewed', 'screen', 'group', 'alias', `identify ${userId}`], {
      order: 'any',
      timeout: 15_000,
    });
    expect(events.find((e) => e.type === 'group')).toMatchObject({ properties: { groupId: 'acme' }, traits: { name: 'Acme' } });
    expect(events.find((e) => e.type === 'screen')).toMatchObject({ name: 'Cart' });
    expect(await findProfile({ userId })).toMatchObject({ anonymousIds: [anonymousId], traits: { plan: 'gold' } });
    expect(failed).toEqual([]);
    if (mode === 'batching') expect(new Set(paths)).toEqual(new Set(['/v1/b']));
    else expect([...new Set(paths)].sort()).toEqual(['/v1/a', '/v1/g', '/v1/i', '/v1/p', '/v1/s', '/v1/t']);
  });
}
