import { expectTimeline, uniqueEmail } from './support/api.js';
import { storefront } from './support/page.js';
import { expect, test } from './support/test.js';

test('the SPA example records a page view per route and stitches them onto the visitor who subscribes', async ({ page, context }) => {
  const email = uniqueEmail('spa');
  await page.goto(storefront('examples/spa/'));
  await expect(page.getByRole('heading', { name: 'New in' })).toBeVisible();
  // Survives only if no navigation reloads the document.
  await page.evaluate(() => ((window as unknown as { spaMarker: number }).spaMarker = 1));

  await page.getByRole('link', { name: /Linen Shirt/ }).click();
  await expect(page.getByRole('heading', { name: 'Linen Shirt' })).toBeVisible();
  await expect(page).toHaveURL(/\?product=sku-101$/);
  await page.getByRole('link', { name: 'Back to the shop' }).click();
  await expect(page.getByRole('heading', { name: 'New in' })).toBeVisible();
  await page.goBack(); // popstate: the product again
  await expect(page.getByRole('heading', { name: 'Linen Shirt' })).toBeVisible();

  await page.getByLabel(/your email/).fill(email);
  await page.getByRole('button', { name: 'Subscribe' }).click();
  await expect(page.getByRole('status')).toHaveText(`Thanks, ${email} is subscribed.`);
  expect(await page.evaluate(() => (window as unknown as { spaMarker?: number }).spaMarker), 'one document throughout').toBe(1);

  const events = await expectTimeline({ email }, [
    'page Home',
    'page Product',
    'Product Viewed',
    'page Home',
    'page Product', // back button
    'Product Viewed',
    `identify ${email}`,
  ]);
  // page() ran after pushState and the title change, so each view records its own route's URL and title.
  const views = events.filter((e) => e.type === 'page').map((e) => [e.name, e.properties?.search, e.properties?.title]);
  for (const view of views) {
    expect([
      ['Home', '', 'Shop · Threadline SPA'],
      ['Product', '?product=sku-101', 'Linen Shirt · Threadline SPA'],
    ]).toContainEqual(view);
  }
  expect(events.find((e) => e.event === 'Product Viewed')?.properties).toMatchObject({ product_id: 'sku-101', price: 49 });
  const cookie = (await context.cookies()).find((c) => c.name === 'tl_aid')?.value;
  expect(new Set(events.map((e) => e.anonymousId))).toEqual(new Set([cookie]));
});
