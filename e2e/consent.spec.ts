import type { BrowserContext, Page } from '@playwright/test';
import { expectTimeline } from './support/api.js';
import { sleep } from './support/batches.js';
import { COLLECTOR } from './support/env.js';
import { anonymousId, flush, storefront, track } from './support/page.js';
import { expect, test } from './support/test.js';

const PAGE = '/fixtures/consent.html';
const fixture = (query: string) => storefront(`fixtures/consent.html?${query}`);

/** Every request the page makes to the collector. */
function collectorRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (r) => void (r.url().startsWith(COLLECTOR) && urls.push(`${r.method()} ${new URL(r.url()).pathname}`)));
  return urls;
}

const sdkCookies = async (context: BrowserContext) => (await context.cookies()).filter((c) => c.name.startsWith('tl_'));

/** The keys of the SDK's IndexedDB store, or null when the database does not exist (it is never created by looking). */
function storedKeys(page: Page): Promise<string[] | null> {
  return page.evaluate(async () => {
    if (!(await indexedDB.databases()).some((d) => d.name === 'threadline-v1')) return null;
    return new Promise<string[]>((resolve, reject) => {
      const open = indexedDB.open('threadline-v1');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        const keys = db.transaction('kv').objectStore('kv').getAllKeys();
        keys.onsuccess = () => {
          db.close();
          resolve(keys.result.map((k) => (Array.isArray(k) ? String(k[0]) : String(k))));
        };
      };
    });
  });
}

/** Long enough for a 50 ms flush delay and a send to have happened, were anything going to be sent. */
const settleNetwork = () => sleep(700);

test('pending: no cookie, no IndexedDB, nothing sent, while calls are kept', async ({ page, context }) => {
  const requests = collectorRequests(page);
  await page.goto(fixture('consent=pending'));
  await track(page, 'Viewed While Pending');
  expect(await flush(page), 'flush() cannot send while pending').toBe(false);
  await settleNetwork();
  expect(requests).toEqual([]);
  expect(await sdkCookies(context)).toEqual([]);
  expect(await storedKeys(page)).toBeNull();
  expect(await page.evaluate(() => window.threadline.anonymousId())).toBeUndefined();
});

test('granted after pending: the kept calls go out with the times they were made', async ({ page, context }) => {
  const requests = collectorRequests(page);
  await page.goto(fixture('consent=pending'));
  await track(page, 'Viewed While Pending');
  const calledAt = Date.now();
  await sleep(1500); // the banner is read: the event's time must be the call's, not the grant's
  await page.evaluate(() => window.threadline.consent('granted'));
  const visitor = await anonymousId(page);
  expect(await flush(page)).toBe(true);
  expect(requests).toContain('POST /v1/batch');
  expect((await sdkCookies(context)).map((c) => [c.name, c.value])).toEqual([['tl_aid', visitor]]);
  expect(await storedKeys(page)).toContain('aid');
  const events = await expectTimeline({ anonymousId: visitor }, [`page ${PAGE}`, 'Viewed While Pending']);
  expect(Date.parse(events[1]!.timestamp)).toBeLessThanOrEqual(calledAt + 200);
});

test('denied after pending: the kept calls are dropped and nothing is stored or sent', async ({ page, context }) => {
  const requests = collectorRequests(page);
  await page.goto(fixture('consent=pending'));
  await track(page, 'Viewed While Pending');
  await page.evaluate(() => window.threadline.consent('denied'));
  await page.evaluate(() => window.threadline.ready()); // settles once denied
  await track(page, 'Viewed After Denial');
  await settleNetwork();
  expect(requests).toEqual([]);
  expect(await sdkCookies(context)).toEqual([]);
  expect(await storedKeys(page)).toBeNull();
});

test('denied after granted: clears the cookie, the IndexedDB mirror and the queue, and stops sending', async ({ page, context }) => {
  const requests = collectorRequests(page);
  await page.goto(fixture('consent=granted'));
  const visitor = await anonymousId(page);
  expect(await flush(page)).toBe(true);
  expect((await sdkCookies(context)).map((c) => c.value)).toEqual([visitor]);
  expect(await storedKeys(page)).toContain('aid');
  await page.evaluate(() => {
    window.threadline.track('Queued When Denied'); // still in the queue (50 ms debounce) when consent goes
    window.threadline.consent('denied');
  });
  const sentBefore = requests.length;
  await track(page, 'After Denial');
  await settleNetwork();
  expect(requests.length, 'nothing sent after the denial').toBe(sentBefore);
  expect(await sdkCookies(context)).toEqual([]);
  expect(await storedKeys(page), 'mirror, identity hashes and queue are gone').toEqual([]);
  // After a reload the page still says denied (the site's CMP remembers): nothing comes back.
  await page.goto(fixture('consent=denied'));
  await settleNetwork();
  expect(await sdkCookies(context)).toEqual([]);
  await expectTimeline({ anonymousId: visitor }, [`page ${PAGE}`]);
});

test('respectGpc: a browser sending Global Privacy Control is treated as denied, even when the site grants', async ({ page, context }) => {
  await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
  const requests = collectorRequests(page);
  await page.goto(fixture('consent=granted&gpc'));
  await page.evaluate(() => window.threadline.consent('granted'));
  await track(page, 'Never Sent');
  await settleNetwork();
  expect(requests).toEqual([]);
  expect(await sdkCookies(context)).toEqual([]);
  expect(await storedKeys(page)).toBeNull();
});

test('without respectGpc the GPC signal alone changes nothing', async ({ page }) => {
  await page.context().addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
  await page.goto(fixture('consent=granted'));
  const visitor = await anonymousId(page);
  expect(await flush(page)).toBe(true);
  await expectTimeline({ anonymousId: visitor }, [`page ${PAGE}`]);
});

/** The real snippet with consent pending; the page answers before the SDK has loaded (the script is held back). */
async function snippetPage(page: Page, answer: 'granted' | 'denied') {
  let released = false;
  await page.route('**/threadline.js', async (route) => {
    await sleep(1000);
    released = true;
    await route.continue();
  });
  await page.goto(storefront(`fixtures/consent-snippet.html?consent=pending&answer=${answer}`), { waitUntil: 'domcontentloaded' });
  expect(await page.evaluate(() => (window as unknown as { answeredEarly: boolean }).answeredEarly)).toBe(true);
  expect(released, 'the answer was given before the SDK arrived').toBe(false);
  await expect.poll(() => released).toBe(true);
  // The SDK took the stub over: its methods are no longer the stub's promise-returning ones.
  await expect.poll(() => page.evaluate(() => !('q' in window.threadline))).toBe(true);
}

test('the snippet stub records consent("granted") before the SDK loads, and the kept calls go out', async ({ page, context }) => {
  await snippetPage(page, 'granted');
  const visitor = await anonymousId(page);
  expect(await flush(page)).toBe(true);
  expect((await sdkCookies(context)).map((c) => c.value)).toEqual([visitor]);
  await expectTimeline({ anonymousId: visitor }, ['page /fixtures/consent-snippet.html', 'Before The Answer']);
});

test('the snippet stub records consent("denied") before the SDK loads: nothing is stored or sent', async ({ page, context }) => {
  const requests = collectorRequests(page);
  await snippetPage(page, 'denied');
  await page.evaluate(() => window.threadline.ready());
  await settleNetwork();
  expect(requests.filter((r) => !r.endsWith('/threadline.js'))).toEqual([]);
  expect(await sdkCookies(context)).toEqual([]);
  expect(await storedKeys(page)).toBeNull();
});
