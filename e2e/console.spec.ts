import { uniqueEmail } from './support/api.js';
import { consoleUrl, expectAccessible, liveCount, signIn } from './support/console.js';
import { COLLECTOR, SECRET_KEY, WRITE_KEY } from './support/env.js';
import { anonymousId, flush } from './support/page.js';
import { axPopup } from './support/popups.js';
import { expect, test } from './support/test.js';

// One long story with an axe run per page: minutes on a shared two-core machine.
test.setTimeout(300_000);

/** Ana is already known (identified on another device), so the visitor's identify merges into her. */
async function knownCustomer(email: string) {
  const res = await fetch(`${COLLECTOR}/v1/identify`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ writeKey: WRITE_KEY, anonymousId: `other-device-${Date.now()}`, traits: { email } }),
  });
  expect(res.ok).toBe(true);
}

test('a marketer watches a visitor shop, stitch and unmerge, builds a segment, imports, creates a popup and signs out', async ({
  page,
  browser,
}) => {
  await signIn(page);
  await expectAccessible(page);
  const before = await liveCount(page, 'anonymous');

  // A second page shops as a visitor, in its own browser context (another person's cookies).
  const visitorContext = await browser.newContext();
  const shop = await visitorContext.newPage();
  await shop.goto(`${COLLECTOR}/demo/`);
  await shop.getByRole('link', { name: /Linen Shirt/ }).click();
  await expect(shop.getByRole('heading', { name: 'Linen Shirt' })).toBeVisible();
  const visitor = await anonymousId(shop);
  expect(await flush(shop)).toBe(true);

  // The overview's count rises by itself (console.js polls), no reload.
  await expect.poll(() => liveCount(page, 'anonymous'), { timeout: 15_000 }).toBeGreaterThan(before);

  // The demo's "What Threadline saw" link leads to the visitor's profile: anonymous for now.
  const saw = await shop.getByRole('link', { name: 'What Threadline saw' }).getAttribute('href');
  expect(saw).toBe(`/console/people/find?anonymousId=${visitor}`);
  await page.goto(`${COLLECTOR}${saw}`);
  await expect(page.getByTestId('status')).toHaveText('anonymous');
  const profileUrl = page.url();
  await expectAccessible(page);

  // The visitor adds to cart; the demo's seeded popup asks for an email, which identifies.
  const email = uniqueEmail('console');
  await knownCustomer(email);
  await shop.getByRole('button', { name: 'Add to cart' }).click();
  await expect(shop.locator('#cart-count')).toHaveText('1');
  await expect.poll(async () => (await axPopup(shop))?.name).toBe('Keep your cart for later?');
  await shop.keyboard.type(email);
  await shop.keyboard.press('Enter');
  await expect.poll(async () => flush(shop)).toBe(true);

  // The same profile page now shows the identified survivor, with this browser's anonymous part marked.
  await expect
    .poll(async () => {
      await page.goto(profileUrl);
      return page.getByTestId('status').textContent();
    })
    .toBe('identified');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(email);
  const marked = page.locator('li[data-pre-identify]');
  await expect(marked.filter({ hasText: 'Product Viewed' })).toHaveCount(1);
  await expect(marked.filter({ hasText: 'Product Added' })).toHaveCount(1);
  await expect(page.locator('li:not([data-pre-identify])').filter({ hasText: 'Popup Converted' })).toHaveCount(1);

  // Unmerge the visitor's merge (by keyboard): both profiles are back.
  await page.getByRole('button', { name: 'Unmerge' }).first().focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status')).toContainText('Unmerged');
  const restored = (await page.getByRole('status').textContent())?.match(/profile (\S+) is back/)?.[1];
  await page.goto(consoleUrl(`/people/${restored}`));
  await expect(page.getByText(visitor, { exact: true })).toBeVisible();
  await expect(page.getByTestId('status')).toHaveText('anonymous');

  // A segment: added to cart within 4 hours and no order since; the count shows while editing, and after saving.
  await page.goto(consoleUrl('/segments'));
  await expectAccessible(page);
  await page.getByLabel('Segment name').fill('Carts without an order');
  await page.getByLabel('Event').first().fill('Product Added');
  await page.getByLabel('Within').first().fill('4');
  await page.getByLabel('Window unit').first().selectOption('hours');
  await page.getByLabel('Did or did not').nth(1).selectOption('didNot');
  await page.getByLabel('Event').nth(1).fill('Order Completed');
  await page.getByLabel('Within').nth(1).fill('4');
  await page.getByLabel('Window unit').nth(1).selectOption('hours');
  await expect(page.locator('[data-segment-preview]')).toHaveText(/^[1-9]\d* profiles/);
  await page.getByRole('button', { name: 'Save segment' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Carts without an order');
  await expect(page.getByTestId('segment-size')).toHaveText(/^[1-9]\d* profiles/);
  await expectAccessible(page);

  // Delete the restored visitor after the confirmation page.
  await page.goto(consoleUrl(`/people/${restored}`));
  await page.getByRole('link', { name: 'Delete this profile…' }).click();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Delete for good' }).click();
  await page.goto(consoleUrl(`/people/${restored}`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Not found');

  // A CSV with a bad row: the report names it and why.
  await page.goto(consoleUrl('/imports'));
  await expectAccessible(page);
  await page.getByLabel(/CSV file/).setInputFiles({
    name: 'contacts.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`email,phone\n${uniqueEmail('import')},\nnot-an-email,\n`),
  });
  await page.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Import report');
  const rejected = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'email', exact: true }) });
  await expect(rejected).toHaveCount(1);
  await expect(rejected.getByRole('cell').first()).toHaveText('2');
  await expect(page.getByTestId('import-report')).toContainText(/rejected\s*1/);
  await expectAccessible(page);

  // A popup from the form, previewed by the SDK's own dialog.
  await page.goto(consoleUrl('/popups/new'));
  await expectAccessible(page);
  await page.getByLabel('Name', { exact: true }).fill('Spring sale');
  await page.getByLabel('Title', { exact: true }).fill('20% off today');
  await page.getByLabel('Body', { exact: true }).fill('On everything in the store.');
  // Its own pages only: the rule stays enabled in this run's workspace, and other specs' pages must not show it.
  await page.getByLabel('Show on pages').fill('contains /spring-sale');
  await page.getByLabel('Ask for').selectOption('email');
  await page.getByRole('button', { name: 'Preview' }).click();
  await expect.poll(async () => (await axPopup(page))?.name).toBe('20% off today');
  expect((await axPopup(page))?.modal).toBe(true);
  await page.keyboard.press('Escape');
  await expect.poll(async () => axPopup(page)).toBeUndefined();
  await page.getByRole('button', { name: 'Save popup' }).click();
  await expect(page.getByRole('status')).toHaveText('Saved.');
  await page.goto(consoleUrl('/popups'));
  await expect(page.getByRole('link', { name: 'Spring sale' })).toBeVisible();
  await expectAccessible(page);

  for (const path of ['/people', '/people?status=anonymous', '/settings']) {
    await page.goto(consoleUrl(path));
    await expectAccessible(page);
    expect(await page.content()).not.toContain(SECRET_KEY);
  }

  // Sign out: the console refuses the old session.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/console\/sign-in$/);
  await expectAccessible(page);
  await page.goto(consoleUrl('/people'));
  await expect(page).toHaveURL(/\/console\/sign-in\?next=/);
  await visitorContext.close();
});

test('keyboard: the skip link comes first and every navigation link is reachable by Tab', async ({ page }) => {
  await signIn(page);
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  const reached: string[] = [];
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press('Tab');
    reached.push((await page.evaluate(() => document.activeElement?.textContent?.trim())) ?? '');
  }
  expect(reached).toEqual(expect.arrayContaining(['Overview', 'People', 'Segments', 'Imports', 'Popups', 'Settings', 'Sign out']));
});

test('a CSV upload shows its progress while it streams, then opens the report', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page);
  await page.goto(consoleUrl('/imports'));
  // A slow uplink (256 KB/s) makes a 1.5 MB file take seconds to send, so the progress is there to read.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 256 * 1024 });
  const rows = Array.from({ length: 30_000 }, (_, i) => `${uniqueEmail(`bulk${i}`)},plan-${i % 7}`).join('\n');
  await page.getByLabel(/CSV file/).setInputFiles({ name: 'many.csv', mimeType: 'text/csv', buffer: Buffer.from(`email,plan\n${rows}\n`) });
  await page.getByRole('button', { name: 'Import' }).click();

  const bar = page.getByRole('progressbar', { name: 'Upload progress' });
  await expect(bar).toBeVisible();
  await expect(page.locator('[data-upload-status]')).toHaveText(/Uploading… \d+ %/);
  await expect.poll(async () => Number(await bar.evaluate((el) => (el as HTMLProgressElement).value))).toBeGreaterThan(0);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Import report', { timeout: 60_000 });
  await expect(page.getByTestId('import-report')).toContainText(/rejected\s*0/);
});
