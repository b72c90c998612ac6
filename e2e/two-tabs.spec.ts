import { expectTimeline, uniqueEmail } from './support/api.js';
import { forward, sleep, spyOnBatches } from './support/batches.js';
import { anonymousId, flush, storefront, track } from './support/page.js';
import { expect, test } from './support/test.js';

const PAGE = '/fixtures/sdk.html';
const PER_TAB = 12;

test('two tabs tracking at once store every event once, with one tab sending at a time', async ({ context }) => {
  const email = uniqueEmail('two-tabs');
  // Every answer a little late, so two tabs sending at once would overlap where the spy can see it.
  const batches = await spyOnBatches(context, async (route, n) => {
    await sleep(100);
    await forward(route, n);
  });

  const first = await context.newPage();
  await first.goto(storefront('fixtures/sdk.html?flushDelayMs=20'));
  const visitor = await anonymousId(first);
  const second = await context.newPage();
  await second.goto(storefront('fixtures/sdk.html?flushDelayMs=20'));
  expect(await anonymousId(second), 'both tabs are the same visitor').toBe(visitor);

  // Interleaved, each call a separate task in its own tab, while both tabs' flush timers run.
  const expected = [`page ${PAGE}`, `page ${PAGE}`];
  for (let i = 1; i <= PER_TAB; i++) {
    await Promise.all([track(first, `First Tab ${i}`), track(second, `Second Tab ${i}`)]);
    expected.push(`First Tab ${i}`, `Second Tab ${i}`);
  }
  await first.getByLabel('Email').fill(email);
  await first.getByRole('button', { name: 'Subscribe' }).click();
  expected.push(`identify ${email}`);

  // Both tabs wait their turn for the lock; when both are done the shared queue is empty.
  expect(await Promise.all([flush(first), flush(second)])).toEqual([true, true]);
  await batches.settled();
  // The order of calls made in two tabs a few ms apart is not the point: compare contents.
  await expectTimeline({ email }, expected, { order: 'any' });
  expect(batches.maxInflight, 'requests in flight at once').toBe(1);
});
