import { findProfile, uniqueEmail } from './support/api.js';
import { anonymousId, flush, storefront } from './support/page.js';
import { expect, test } from './support/test.js';
import { startReceiver } from '../packages/collector/src/test-support/webhook-receiver.js';
import { createTrigger, createWebhook, firingsOf } from './support/triggers.js';

test('an anonymous cart waits for an address, and fires once with the cart events when the visitor leaves an email in the embed', async ({
  page,
}) => {
  const email = uniqueEmail('cart');
  // The storefront's email tool: a real endpoint that verifies each delivery's Standard Webhooks signature.
  const receiver = await startReceiver();
  const endpoint = await createWebhook({ url: receiver.url, events: ['trigger.fired'] });
  receiver.secret = endpoint.secret;
  // Added to cart within 30 minutes and no order since; the visitor must be reachable by email; wait up to 72 hours.
  const trigger = await createTrigger({
    name: 'Abandoned cart',
    condition: {
      all: [{ event: 'Product Added', within: { minutes: 30 } }, { not: { event: 'Order Completed', within: { minutes: 30 } } }],
    },
    channel: 'email',
    waitFor: { hours: 72 },
  });

  // An anonymous visitor adds two things to the cart on the demo store.
  await page.goto(storefront('examples/storefront/product.html?sku=sku-101'));
  const visitor = await anonymousId(page);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByRole('status')).toHaveText('Linen Shirt added to cart');
  await page.goto(storefront('examples/storefront/product.html?sku=sku-102'));
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByRole('status')).toHaveText('Canvas Tote added to cart');
  await expect.poll(() => flush(page)).toBe(true);

  // Matched but not reachable: the trigger waits for this visitor.
  const anonymous = await findProfile({ anonymousId: visitor });
  const mine = async () => (await firingsOf(trigger.id)).filter((f) => f.profileId === anonymous?.id);
  await expect.poll(async () => (await mine()).map((f) => f.status), { timeout: 10_000 }).toEqual(['waiting']);

  // Later, on the home page, the visitor leaves an email in the newsletter embed.
  await page.goto(storefront('examples/storefront/index.html'));
  const input = page.getByLabel(/Newsletter/);
  await input.fill(email);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await expect(page.locator('#newsletter').getByRole('status')).toHaveText('Thanks! Your first newsletter is on its way.');
  await expect.poll(() => flush(page)).toBe(true);

  // The wait ends in one firing, carrying the anonymous cart events.
  await expect.poll(async () => (await mine()).map((f) => f.status), { timeout: 10_000 }).toEqual(['fired']);
  const [firing] = await mine();
  expect(firing!.events.map((e) => [e.event, e.properties?.sku, e.anonymousId])).toEqual([
    ['Product Added', 'sku-101', visitor],
    ['Product Added', 'sku-102', visitor],
  ]);
  expect((await findProfile({ email }))?.id).toBe(anonymous?.id);

  // The receiver gets exactly this firing, signed, with the anonymous cart events.
  const ours = () => receiver.payloads().filter((p) => p.data.firingId === firing!.id);
  await expect.poll(() => ours().length, { timeout: 15_000 }).toBe(1);
  expect(receiver.received.every((r) => r.payload)).toBe(true);
  const [delivered] = ours();
  expect(delivered).toMatchObject({ type: 'trigger.fired', data: { triggerId: trigger.id, profile: { id: anonymous?.id, email } } });
  expect(delivered!.data.events.map((e: { event: string; anonymousId: string }) => [e.event, e.anonymousId])).toEqual([
    ['Product Added', visitor],
    ['Product Added', visitor],
  ]);

  // Once per profile: another add to cart fires nothing more.
  await page.goto(storefront('examples/storefront/product.html?sku=sku-103'));
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect.poll(() => flush(page)).toBe(true);
  // The firings list settles pending changes before it answers, so a second firing would show here.
  expect((await mine()).map((f) => f.status)).toEqual(['fired']);
  await receiver.close();
});
