import { expectTimeline, findProfile, timeline, uniqueEmail } from './support/api.js';
import { anonymousId, flush, storefront } from './support/page.js';
import { expect, test } from './support/test.js';

const INDEX = '/examples/storefront/index.html';
const PRODUCT = '/examples/storefront/product.html';

test('a visitor who browses, reloads, goes offline and then subscribes finds all of it on their profile, once each, in time order', async ({
  page,
  context,
}) => {
  const email = uniqueEmail('stitching');

  // Browse the demo storefront (the real snippet, another origin than the collector).
  await page.goto(storefront('examples/storefront/index.html'));
  const visitor = await anonymousId(page);
  await page.getByRole('link', { name: /Linen Shirt/ }).click();
  await expect(page.getByRole('heading', { name: 'Linen Shirt' })).toBeVisible();
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByRole('status')).toHaveText('Linen Shirt added to cart');

  // Reload the product page: whatever was still queued survives it.
  await page.reload();
  expect(await anonymousId(page)).toBe(visitor);

  // Offline: the add to cart is kept in the queue; sending it fails.
  await context.setOffline(true);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByRole('status')).toHaveText('Linen Shirt added to cart');
  expect(await flush(page), 'a flush while offline cannot empty the queue').toBe(false);
  await context.setOffline(false);

  // Only now does the visitor give an email address.
  await page.getByLabel(/your email/).fill(email);
  await page.getByRole('button', { name: 'Subscribe' }).click();
  await expect(page.getByRole('status')).toHaveText(`Thanks, ${email} is subscribed.`);

  const expected = [
    `page ${INDEX}`,
    `page ${PRODUCT}`,
    'Product Viewed',
    'Product Added',
    `page ${PRODUCT}`, // the reload
    'Product Viewed',
    'Product Added', // while offline
    `identify ${email}`,
  ];
  const events = await expectTimeline({ email }, expected);

  // One visitor, one profile: every event was made under the same anonymous ID, before and after the email.
  expect(new Set(events.map((e) => e.anonymousId))).toEqual(new Set([visitor]));
  const profile = await findProfile({ email });
  expect(profile?.anonymousIds).toEqual([visitor]);
  expect(await findProfile({ anonymousId: visitor }).then((p) => p?.id)).toBe(profile?.id);

  // Once the queue is empty nothing more can arrive: the timeline is final, not just complete so far.
  await expect.poll(() => flush(page), { timeout: 10_000 }).toBe(true);
  expect((await timeline({ email })).map((e) => e.messageId)).toEqual(events.map((e) => e.messageId));
});
