import { resolve } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { findProfile, type ProfileKey } from './support/api.js';
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

/** Records the `/v1/devices` requests the SDK sends (SPEC §9), which then go on to the real collector. */
async function captureDevices(context: BrowserContext): Promise<DeviceRequest[]> {
  const seen: DeviceRequest[] = [];
  await context.route('**/v1/devices**', async (route) => {
    const req = route.request();
    if (req.method() !== 'OPTIONS') {
      seen.push({
        method: req.method(),
        path: new URL(req.url()).pathname,
        body: req.postDataJSON(),
        authorization: req.headers().authorization,
      });
    }
    await route.continue();
  });
  return seen;
}

/** The devices the collector holds for a profile, as its admin view shows them. */
const devicesOf = async (key: ProfileKey) => (await findProfile(key))?.devices?.map((d) => [d.token, d.platform, d.enabled]);

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
  // The collector holds both tokens on the customer's profile, which the visitor's anonymous history joined.
  await expect
    .poll(() => devicesOf({ userId: 'CUST-9' }))
    .toEqual(
      expect.arrayContaining([
        ['fcm-token-1', 'android', true],
        ['apns-token-2', 'ios', true],
      ]),
    );
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

  await expect.poll(() => devicesOf({ anonymousId: visitor })).toEqual([[ENDPOINT, 'web', true]]);

  await page.evaluate(() => (window as unknown as { tl: { reset(): void } }).tl.reset());
  await expect.poll(() => devices.length, { message: 'reset() disables the device' }).toBe(2);
  expect(devices[1]).toEqual({
    method: 'DELETE',
    path: `/v1/devices/${encodeURIComponent(ENDPOINT)}`,
    body: null,
    authorization: `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`,
  });
  expect((await pushLog(page)).unsubscribed).toBe(true);
  await expect.poll(() => devicesOf({ anonymousId: visitor })).toEqual([[ENDPOINT, 'web', false]]);
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
