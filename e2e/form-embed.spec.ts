import { expectTimeline, findProfile, uniqueEmail } from './support/api.js';
import { COLLECTOR } from './support/env.js';
import { anonymousId, flush, storefront } from './support/page.js';
import { expect, test } from './support/test.js';

const EMBED = '/fixtures/embed.html';

test('the email embed identifies the visitor and shows its success text', async ({ page }) => {
  const email = uniqueEmail('embed');
  await page.goto(storefront('fixtures/embed.html'));
  const visitor = await anonymousId(page);

  const input = page.getByLabel('Your email');
  await expect(input).toHaveAttribute('placeholder', 'you@example.com');
  await expect(input).toHaveAccessibleDescription(/We email twice a month/);
  await expect(page.locator('#email-embed')).not.toContainText('Loading the signup form');
  await input.fill(email);
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page.locator('#email-embed').getByRole('status')).toHaveText("You're on the list!");
  await expect(input).toHaveValue('');

  const events = await expectTimeline({ email }, [`page ${EMBED}`, `identify ${email}`, 'Form Submitted']);
  expect(events.find((e) => e.type === 'identify')?.userId).toBeNull();
  expect(events.at(-1)?.properties).toEqual({ formId: 'embed-email' });
  expect((await findProfile({ email }))?.anonymousIds).toEqual([visitor]);
});

test('the embed refuses an invalid email with a visible message and sends nothing', async ({ page }) => {
  const bodies: string[] = [];
  page.on('request', (r) => bodies.push(r.postData() ?? ''));
  await page.goto(storefront('fixtures/embed.html'));
  const visitor = await anonymousId(page);
  const input = page.getByLabel('Your email');
  const status = page.locator('#email-embed').getByRole('status');

  await page.getByRole('button', { name: 'Join' }).click();
  await expect(status).toHaveText('Please enter a valid email address.');
  await input.fill('ana@example');
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(status).toHaveText('Please enter a valid email address.');
  await expect(input).toHaveAttribute('aria-invalid', 'true');
  await expect(input).toBeFocused();
  expect(page.url(), 'the page did not submit itself').toBe(storefront('fixtures/embed.html'));

  // With the queue empty, everything the page made has arrived: only its page view.
  expect(await flush(page)).toBe(true);
  await expectTimeline({ anonymousId: visitor }, [`page ${EMBED}`]);
  expect(bodies.filter((b) => b.includes('ana@example'))).toEqual([]);
});

test('markup in an embed label is shown as literal text, never run', async ({ page }) => {
  await page.goto(storefront('fixtures/embed.html'));
  await anonymousId(page);
  const embed = page.locator('#phone-embed');
  await expect(embed.locator('label')).toHaveText('<img src=x onerror="window.__pwned = 1">Mobile');
  await expect(embed.locator('img')).toHaveCount(0);
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();

  // The phone embed still works: a national number becomes E.164 on the profile.
  const line = String(1000 + Math.floor(Math.random() * 9000));
  await embed.getByRole('textbox').fill(`415 555 ${line}`);
  await embed.getByRole('button', { name: 'Text me' }).click();
  await expect(embed.getByRole('status')).toHaveText('We will text you.');
  await expect.poll(async () => (await findProfile({ phone: `+1415555${line}` }))?.phone).toBe(`+1415555${line}`);
});

test('the demo store at /demo/ signs up through its newsletter embed and its marked checkout form', async ({ page }) => {
  const email = uniqueEmail('demo-store');
  const line = String(1000 + Math.floor(Math.random() * 9000));
  // The collector's own /demo/, with the snippet it fills in (forms: true).
  await page.goto(`${COLLECTOR}/demo/`);
  const visitor = await anonymousId(page);
  await page.getByLabel('Newsletter — your email').fill(email);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await expect(page.locator('#newsletter').getByRole('status')).toHaveText('Thanks! Your first newsletter is on its way.');

  await page.getByRole('link', { name: 'Checkout' }).click();
  await page.getByLabel('Mobile for delivery updates').fill(`(415) 555-${line}`);
  await page.getByRole('button', { name: 'Place order' }).click();
  await expect(page.getByRole('status')).toHaveText('Thanks! We will text you about your order.');

  const events = await expectTimeline({ email }, [
    'page /demo/',
    `identify ${email}`,
    'Form Submitted',
    'page /demo/checkout.html',
    'Checkout Started',
    'identify',
    'Form Submitted',
  ]);
  expect(events.filter((e) => e.event === 'Form Submitted').map((e) => e.properties)).toEqual([
    { formId: 'embed-email' },
    { formId: 'checkout' },
  ]);
  const profile = await findProfile({ phone: `+1415555${line}` });
  expect(profile?.email).toBe(email);
  expect(profile?.anonymousIds).toEqual([visitor]);
});
