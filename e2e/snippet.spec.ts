import type { Page } from '@playwright/test';
import { expectTimeline } from './support/api.js';
import { sleep } from './support/batches.js';
import { anonymousId, flush, storefront } from './support/page.js';
import { expect, test } from './support/test.js';

const SCRIPT = '**/threadline.js';
const HOLD_MS = 2000;

/** Whether `threadline.ready()` settles within a few seconds (it must, whatever happened to the script). */
function readySettles(page: Page): Promise<string> {
  return page.evaluate(() =>
    Promise.race([
      Promise.resolve(window.threadline.ready()).then(() => 'settled'),
      new Promise<string>((resolve) => setTimeout(() => resolve('still pending after 5 s'), 5000)),
    ]),
  );
}

test('calls made before the script loads are kept with the time they were made', async ({ page }) => {
  let releasedAt = 0;
  await page.route(SCRIPT, async (route) => {
    await sleep(HOLD_MS); // a slow network: the page's own code runs long before the SDK arrives
    releasedAt = Date.now();
    await route.continue();
  });

  await page.goto(storefront('fixtures/snippet.html'));
  const calledAt = await page.evaluate(() => (window as unknown as { calledAt: number }).calledAt);
  const visitor = await anonymousId(page);
  expect(releasedAt, 'the script was held back').toBeGreaterThan(calledAt + HOLD_MS - 500);
  expect(await flush(page)).toBe(true);

  const events = await expectTimeline({ anonymousId: visitor }, ['page /fixtures/snippet.html', 'Early Call']);
  for (const e of events) {
    // Stamped at the call, not at the replay: before the script was even let through.
    const at = Date.parse(e.timestamp);
    expect(at, `${e.type} timestamp`).toBeGreaterThanOrEqual(calledAt);
    expect(at, `${e.type} timestamp`).toBeLessThan(releasedAt);
  }
  expect(events.find((e) => e.event === 'Early Call')?.properties).toEqual({ calledAt });
});

test('pasting the snippet twice loads the script once and records each call once', async ({ page }) => {
  const scriptRequests: string[] = [];
  page.on('request', (r) => r.url().endsWith('/threadline.js') && scriptRequests.push(r.url()));

  await page.goto(storefront('fixtures/snippet-twice.html'));
  const visitor = await anonymousId(page);
  expect(await flush(page)).toBe(true);

  await expectTimeline({ anonymousId: visitor }, ['Between Pastes', 'After Second Paste']);
  expect(scriptRequests).toHaveLength(1);
});

test('the host page keeps working when the script cannot load: ready() settles and nothing is thrown', async ({ page, pageErrors }) => {
  await page.route(SCRIPT, (route) => route.abort('connectionrefused'));

  await page.goto(storefront('fixtures/snippet.html'));
  expect(await readySettles(page)).toBe('settled');
  // Calls made after the failure settle too, at once.
  expect(await page.evaluate(async () => [await window.threadline.track('After Failure'), await window.threadline.flush()])).toEqual([
    undefined,
    undefined,
  ]);

  await page.getByRole('button', { name: "The page's own button" }).click();
  await expect(page.getByRole('status')).toHaveText('still working');
  expect(pageErrors).toEqual([]);
});

test('the host page keeps working when the collector refuses every request: flush() settles false, nothing is thrown', async ({
  page,
  pageErrors,
}) => {
  await page.route('**/v1/batch', (route) => route.abort('connectionrefused'));

  await page.goto(storefront('fixtures/snippet.html'));
  expect(await readySettles(page)).toBe('settled');
  expect(await flush(page)).toBe(false);

  await page.getByRole('button', { name: "The page's own button" }).click();
  await expect(page.getByRole('status')).toHaveText('still working');
  expect(pageErrors).toEqual([]);
});
