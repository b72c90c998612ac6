import { expectTimeline } from './support/api.js';
import { COLLECTOR } from './support/env.js';
import { anonymousId, flush } from './support/page.js';
import { axPopup } from './support/popups.js';
import { expect, test } from './support/test.js';

test('the demo store shows product pictures, keeps a cart count and total, and empties the cart after an order', async ({ page }) => {
  await page.goto(`${COLLECTOR}/demo/`);
  await expect(page.locator('#grid').getByRole('img')).toHaveCount(3);
  expect(await page.locator('link[rel="icon"]').getAttribute('href')).toBe('favicon.svg');
  expect((await page.request.get(`${COLLECTOR}/demo/favicon.svg`)).headers()['content-type']).toBe('image/svg+xml');
  const visitor = await anonymousId(page);

  await page.getByRole('link', { name: /Linen Shirt/ }).click();
  await expect(page.getByRole('img', { name: 'Linen Shirt' })).toBeVisible();
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.locator('#cart-count')).toHaveText('1');
  await expect(page.locator('#cart-total')).toHaveText('$49.00');
  // The seeded example popup (anonymous visitors, after an add-to-cart on a product page).
  await expect.poll(async () => (await axPopup(page))?.name).toBe('Keep your cart for later?');
  await page.keyboard.press('Escape');

  await page.getByRole('link', { name: 'Checkout', exact: true }).click();
  await expect(page.locator('#items')).toHaveText('Linen Shirt — $49.00');
  await page.getByLabel('Mobile for delivery updates').fill('(415) 555-0142');
  await page.getByRole('button', { name: 'Place order' }).click();
  await expect(page.locator('#cart-count')).toHaveText('0');
  await expect(page.locator('#cart-total')).toHaveText('$0.00');
  await expect(page.locator('#items')).toHaveText('Your cart is empty');
  await page.reload();
  await expect(page.locator('#cart-count')).toHaveText('0');

  expect(await flush(page)).toBe(true);
  const events = await expectTimeline({ anonymousId: visitor }, [
    'page /demo/',
    'page /demo/product.html',
    'Product Viewed',
    'Product Added',
    'Popup Viewed',
    'Popup Dismissed',
    'page /demo/checkout.html',
    'Checkout Started',
    'identify',
    'Form Submitted',
    'Order Completed',
    'page /demo/checkout.html',
    'Checkout Started',
  ]);
  expect(events.find((e) => e.event === 'Order Completed')?.properties).toMatchObject({ total: 49, currency: 'USD' });
  // The demo-only link points at this visitor's profile in the console.
  expect(await page.getByRole('link', { name: 'What Threadline saw' }).getAttribute('href')).toBe(
    `/console/people/find?anonymousId=${visitor}`,
  );
});
