import { expectTimeline } from './support/api.js';
import { COLLECTOR } from './support/env.js';
import { anonymousId, storefront } from './support/page.js';
import { expect, test } from './support/test.js';

const PAGE = '/fixtures/sdk.html';
// Ten seconds of debounce: the ordinary flush cannot be what delivers these events,
// so whatever arrives was sent by page hide, with fetch(…, { keepalive: true }).
const FIXTURE = 'fixtures/sdk.html?flushDelayMs=10000';

test('an event tracked just before the tab is closed arrives, sent with keepalive on page hide', async ({ context }) => {
  const page = await context.newPage();
  await page.goto(storefront(FIXTURE));
  const visitor = await anonymousId(page);

  await page.getByRole('button', { name: 'Add to wishlist' }).click();
  await page.close({ runBeforeUnload: true });

  // No other page of the storefront's origin is ever opened, so no later page load can have sent it.
  await expect.poll(() => context.pages().length).toBe(0);
  const events = await expectTimeline({ anonymousId: visitor }, [`page ${PAGE}`, 'Wishlist Added'], { timeout: 10_000 });
  expect(events.find((e) => e.event === 'Wishlist Added')?.properties).toEqual({ source: 'button' });
});

test('an event tracked just before the visitor follows a link to another site arrives, sent with keepalive on page hide', async ({
  page,
}) => {
  await page.goto(storefront(FIXTURE));
  const visitor = await anonymousId(page);

  await page.getByRole('button', { name: 'Add to wishlist' }).click();
  await page.goto(`${COLLECTOR}/health`); // another origin: the SDK is not on this page

  await expectTimeline({ anonymousId: visitor }, [`page ${PAGE}`, 'Wishlist Added'], { timeout: 10_000 });
});
