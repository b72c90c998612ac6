import type { Route } from '@playwright/test';
import { expectTimeline, timeline } from './support/api.js';
import { forward, spyOnBatches } from './support/batches.js';
import { anonymousId, flush, storefront } from './support/page.js';
import { expect, test } from './support/test.js';

const PAGE = '/fixtures/sdk.html';
const POISON = 'Poison Pill';

let poisonId: string | undefined;
/** The collector failing with a 500 on every request that carries the poison event (issue 8 §2), forwarding the rest. */
const failOnPoison = async (route: Route) => {
  const body = route.request().postDataJSON() as { batch: { event?: string; messageId: string }[] };
  const poison = body.batch.find((m) => m.event === POISON);
  if (!poison) return forward(route, 0);
  poisonId = poison.messageId;
  await route.fulfill({
    status: 500,
    headers: { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'application/json' },
    body: JSON.stringify({ error: { code: 'internal', message: 'internal error (request test)' } }),
  });
};

test('a message the collector fails on every time is isolated and dropped; everything else still arrives', async ({ page }) => {
  const spy = await spyOnBatches(page, failOnPoison);
  await page.goto(storefront('fixtures/sdk.html?flushDelayMs=50'));
  const visitor = await anonymousId(page);
  // One burst, so the poison shares a batch with healthy messages.
  await page.evaluate((poison) => {
    for (const event of ['Before', poison, 'After One', 'After Two']) window.threadline.track(event);
  }, POISON);

  await expectTimeline({ anonymousId: visitor }, [`page ${PAGE}`, 'Before', 'After One', 'After Two']);
  await expect.poll(() => flush(page), { message: 'the queue empties once the poison is dropped', timeout: 20_000 }).toBe(true);

  expect(spy.copies(poisonId!), 'requests that carried the poison').toBeGreaterThanOrEqual(5);
  expect(spy.requests.filter((ids) => ids.includes(poisonId!)).at(-1), 'isolated before it was dropped').toEqual([poisonId]);
  expect((await timeline({ anonymousId: visitor })).map((e) => e.event)).not.toContain(POISON);
  // Bisection, not a request per message or an endless loop.
  expect(spy.requests.length).toBeLessThan(15);
});
