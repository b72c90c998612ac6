import { resolve } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { anonymousId, storefront } from './support/page.js';
import { WRITE_KEY } from './support/env.js';
import { expect, test } from './support/test.js';

const ENDPOINT = 'https://push.example.test/wp/fixture-subscription-1';

interface DeviceRequest {
  method: string;
  path: string;
  body: Record<string, unknown> | null;
  authorization: string | undefined;
}

/**
 * Captures `/v1/devices` requests (SPEC §9) and answers them as the collector
 * would; the device routes are another branch's, so the spec checks what the SDK sends.
 */
async function captureDevices(context: BrowserContext): Promise<DeviceRequest[]> {
  const seen: DeviceRequest[] = [];
  await context.route('**/v1/devices**', async (route) => {
    const req = route.request();
    const cors = { 'Access-Control-Allow-Origin': req.headers().origin ?? '*', 'Access-Control-Allow-Credentials': 'true' };
    if (req.method() === 'OPTIONS') {
      return route.fulfill({
        status: 204,
        headers: {
          ...cors,
          'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
          'Access-Control-Allow-Headers': 'Content-Type, Authorization',
        },
      });
    }
    seen.push({
      method: req.method(),
      path: new URL(req.url()).pathname,
      body: req.postDataJSON(),
      authorization: req.headers().authorization,
    });
    await route.fulfill(req.method() === 'DELETE' ? { status: 204, headers: cors } : { status: 201, headers: cors, json: { ok: true } });
  });
  return seen;
}

/** The ESM build's two dependencies, as an app's bundler would provide them. */
async function serveVendor(context: BrowserContext) {
  const files = { 'idb-keyval.js': 'node_modules/idb-keyval/dist/index.js', 'js-cookie.js': 'node_modules/js-cookie/dist/js.cookie.mjs' };
  for (const [name, path] of Object.entries(files)) {
    await context.route(`**/vendor/${name}`, (route) => route.fulfill({ path: resolve(path), contentType: 'text/javascript' }));
  }
}

const pushLog = (page: Page) =>
  page.evaluate(() => (window as unknown as { pushLog: { subscribeCalls: unknown[]; unsubscribed: boolean } }).pushLog);

test('registerDevice(token, platform) on the global sends the token with the visitor’s anonymousId and userId', async ({
  page,
  context,
}) => {
  const devices = await captureDevices(context);
  await page.goto(storefront('fixtures/sdk.html'));
  const visitor = await anonymousId(page);
  expect(await page.evaluate(() => window.threadline.registerDevice('fcm-token-1', 'android'))).toBe(true);
  await page.evaluate(() => window.threadline.identify('CUST-9'));
  expect(await page.evaluate(() => window.threadline.registerDevice('apns-token-2', 'ios'))).toBe(true);
  expect(devices).toEqual([
    {
      method: 'POST',
      path: '/v1/devices',
      body: { writeKey: WRITE_KEY, anonymousId: visitor, token: 'fcm-token-1', platform: 'android' },
      authorization: undefined,
    },
    {
      method: 'POST',
      path: '/v1/devices',
      body: { writeKey: WRITE_KEY, anonymousId: visitor, userId: 'CUST-9', token: 'apns-token-2', platform: 'ios' },
      authorization: undefined,
    },
  ]);
});

test('webPush registers the subscription once notifications are allowed, and reset() disables it', async ({ page, context }) => {
  await context.grantPermissions(['notifications']);
  await serveVendor(context);
  const devices = await captureDevices(context);
  await page.goto(storefront('fixtures/web-push.html'));
  await expect.poll(() => devices.length, { message: 'the subscription is registered on load' }).toBe(1);
  const visitor = await page.evaluate(() => (window as unknown as { tl: { anonymousId(): string } }).tl.anonymousId());
  expect((await pushLog(page)).subscribeCalls).toEqual([{ scope: storefront('fixtures/'), userVisibleOnly: true, keyBytes: 65 }]);
  expect(devices[0]).toEqual({
    method: 'POST',
    path: '/v1/devices',
    body: {
      writeKey: WRITE_KEY,
      anonymousId: visitor,
      token: ENDPOINT,
      platform: 'web',
      subscription: { endpoint: ENDPOINT, expirationTime: null, keys: { p256dh: 'BPk-fixture-p256dh', auth: 'fixture-auth' } },
    },
    authorization: undefined,
  });

  await page.evaluate(() => (window as unknown as { tl: { reset(): void } }).tl.reset());
  await expect.poll(() => devices.length, { message: 'reset() disables the device' }).toBe(2);
  expect(devices[1]).toEqual({
    method: 'DELETE',
    path: `/v1/devices/${encodeURIComponent(ENDPOINT)}`,
    body: null,
    authorization: `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`,
  });
  expect((await pushLog(page)).unsubscribed).toBe(true);
});

test('webPush does nothing until the visitor allows notifications, then subscribe() registers', async ({ page, context }) => {
  await serveVendor(context);
  const devices = await captureDevices(context);
  await page.goto(storefront('fixtures/web-push.html'));
  const push = () => page.evaluate(() => (window as unknown as { push: { subscribe(): Promise<boolean> } }).push.subscribe());
  expect(await push()).toBe(false);
  expect((await pushLog(page)).subscribeCalls).toEqual([]);
  expect(devices).toEqual([]);
  await context.grantPermissions(['notifications']); // what the site's own prompt got from the visitor
  expect(await push()).toBe(true);
  expect(devices.map((d) => [d.method, d.body?.token])).toEqual([['POST', ENDPOINT]]);
});
