import type { BrowserContext } from '@playwright/test';
import { expectTimeline, findProfile, uniqueEmail } from './support/api.js';
import { anonymousId, flush, storefront, track } from './support/page.js';
import { expect, test } from './support/test.js';

const PAGE = '/fixtures/sdk.html';
const FIXTURE = storefront('fixtures/sdk.html');

const cookieId = async (context: BrowserContext) => (await context.cookies()).find((c) => c.name === 'tl_aid')?.value;

test('keeps the anonymous ID across a reload', async ({ page, context }) => {
  await page.goto(FIXTURE);
  const visitor = await anonymousId(page);
  expect(await cookieId(context)).toBe(visitor);

  await page.reload();
  expect(await anonymousId(page)).toBe(visitor);
  expect(await flush(page)).toBe(true);
  await expectTimeline({ anonymousId: visitor }, [`page ${PAGE}`, `page ${PAGE}`]);
});

test('restores the ID from IndexedDB when the cookie was cleared', async ({ page, context }) => {
  await page.goto(FIXTURE);
  const visitor = await anonymousId(page);

  await context.clearCookies();
  expect(await cookieId(context)).toBeUndefined();
  await page.reload();

  expect(await anonymousId(page)).toBe(visitor);
  expect(await cookieId(context), 'the cookie is written back').toBe(visitor);
  expect(await flush(page)).toBe(true);
  // Still one visitor: both visits are on one anonymous profile.
  await expectTimeline({ anonymousId: visitor }, [`page ${PAGE}`, `page ${PAGE}`]);
});

test('starts a new anonymous ID when a different person identifies, so two people get separate profiles', async ({ page }) => {
  const ana = uniqueEmail('ana');
  const ben = uniqueEmail('ben');
  await page.goto(FIXTURE);
  const first = await anonymousId(page);

  await page.evaluate((email) => void window.threadline.identify({ email }), ana);
  await track(page, 'Seen By Ana');
  // The same person again (other spelling): no new ID.
  await page.evaluate((email) => void window.threadline.identify({ email: ` ${email.toUpperCase()} ` }), ana);
  expect(await anonymousId(page), 'the same person keeps the ID').toBe(first);

  await page.evaluate((email) => void window.threadline.identify({ email }), ben);
  const second = await anonymousId(page);
  expect(second, 'a different person gets a new ID').not.toBe(first);
  await track(page, 'Seen By Ben');
  expect(await flush(page)).toBe(true);

  await expectTimeline({ email: ana }, [`page ${PAGE}`, `identify ${ana}`, 'Seen By Ana', `identify ${ana.toUpperCase()}`]);
  await expectTimeline({ email: ben }, [`identify ${ben}`, 'Seen By Ben']);
  const [anaProfile, benProfile] = await Promise.all([findProfile({ email: ana }), findProfile({ email: ben })]);
  expect(anaProfile?.id).not.toBe(benProfile?.id);
  expect(anaProfile?.anonymousIds).toEqual([first]);
  expect(benProfile?.anonymousIds).toEqual([second]);
});
