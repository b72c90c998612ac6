import { expectTimeline, timeline } from './support/api.js';
import { forward, spyOnBatches, unavailable } from './support/batches.js';
import { anonymousId, flush, storefront, track } from './support/page.js';
import { expect, test } from './support/test.js';

const PAGE = '/fixtures/sdk.html';
const FAILED_ATTEMPTS = 2;

test('events tracked while the collector answers 503 all arrive, once each, after it recovers', async ({ page }) => {
  // 503 for the first attempts, then the route is removed from inside the handler, so the SDK's
  // next retry reaches the real collector. Stopping after two keeps the backoff short (under 2 s
  // with the SDK's own constants) without touching them.
  let storedWhileDown: number | undefined;
  let answered503 = 0;
  const batches = await spyOnBatches(page, async (route, n) => {
    if (n >= FAILED_ATTEMPTS) return forward(route, n); // a retry that beat the unroute below
    if (n + 1 === FAILED_ATTEMPTS) {
      // Checked before anything can get through: nothing is stored while the collector is down.
      const [m] = (route.request().postDataJSON() as { batch: { anonymousId: string }[] }).batch;
      storedWhileDown = (await timeline({ anonymousId: m!.anonymousId })).length;
    }
    await unavailable(route, n);
    answered503++;
    if (n + 1 === FAILED_ATTEMPTS) await batches.stop();
  });

  await page.goto(storefront('fixtures/sdk.html?flushDelayMs=20'));
  const visitor = await anonymousId(page);
  await track(page, 'Outage Event 1');
  await track(page, 'Outage Event 2');
  await expect.poll(() => answered503, { message: 'attempts answered 503' }).toBe(FAILED_ATTEMPTS);
  expect(storedWhileDown, 'events stored while the collector was down').toBe(0);
  await track(page, 'Outage Event 3');

  // The collector is back: the SDK retries on its own backoff; flush() settles true once the queue is empty.
  await expect.poll(() => flush(page), { timeout: 15_000, message: 'queue emptied after recovery' }).toBe(true);
  await track(page, 'After Recovery');
  expect(await flush(page)).toBe(true);

  const events = await expectTimeline({ anonymousId: visitor }, [
    `page ${PAGE}`,
    'Outage Event 1',
    'Outage Event 2',
    'Outage Event 3',
    'After Recovery',
  ]);
  // The 503'd requests were retried with the same messageIds, and each is stored once.
  const refused = new Set(batches.requests.slice(0, FAILED_ATTEMPTS).flat());
  expect(refused.size).toBeGreaterThan(0);
  expect(events.map((e) => e.messageId)).toEqual(expect.arrayContaining([...refused]));
});
