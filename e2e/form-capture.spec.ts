import type { Page } from '@playwright/test';
import { expectTimeline, findProfile, uniqueEmail } from './support/api.js';
import { anonymousId, flush, storefront } from './support/page.js';
import { expect, test } from './support/test.js';

const FORMS = '/fixtures/forms.html';
const SDK = '/fixtures/sdk.html';

/** Every request body the browser sends, keepalive ones included. */
function recordBodies(page: Page): string[] {
  const bodies: string[] = [];
  page.context().on('request', (r) => bodies.push(r.postData() ?? ''));
  return bodies;
}

test('a visitor who browses anonymously and then signs up finds the pages they saw before on their profile', async ({ page }) => {
  const email = uniqueEmail('form-capture');
  await page.goto(storefront('fixtures/sdk.html'));
  const visitor = await anonymousId(page);
  await page.goto(storefront('fixtures/forms.html'));
  expect(await anonymousId(page)).toBe(visitor);

  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByLabel('First name').fill('Ana');
  await page.getByLabel('Company').fill('Acme Ltd');
  await page.getByRole('button', { name: 'Create account' }).click();
  // The site's own handler ran, with the values as typed: capture neither blocked nor changed them.
  await expect(page.getByRole('status')).toHaveText(`Handled signup with ${email}`);

  const events = await expectTimeline({ email }, [`page ${SDK}`, `page ${FORMS}`, `identify ${email}`, 'Form Submitted']);
  expect(new Set(events.map((e) => e.anonymousId))).toEqual(new Set([visitor]));
  const identify = events.find((e) => e.type === 'identify')!;
  expect(identify.userId, 'an email is never sent as the userId').toBeNull();
  expect(identify.traits).toEqual({ email, firstName: 'Ana' });
  expect(events.at(-1)?.properties).toEqual({ formId: 'signup' });
  const profile = await findProfile({ email });
  expect(profile?.anonymousIds).toEqual([visitor]);
  expect(profile?.traits).toEqual({ firstName: 'Ana' });
});

test('a national mobile number typed into a marked form becomes E.164 on the profile', async ({ page }) => {
  const line = String(1000 + Math.floor(Math.random() * 9000));
  await page.goto(storefront('fixtures/forms.html'));
  const visitor = await anonymousId(page);
  await page.getByLabel('Mobile').fill(`(415) 555-${line}`);
  await page.getByRole('button', { name: 'Text me' }).click();

  const phone = `+1415555${line}`; // the e2e workspace's default country is US
  await expectTimeline({ phone }, [`page ${FORMS}`, `identify`, 'Form Submitted']);
  const profile = await findProfile({ phone });
  expect(profile?.phone).toBe(phone);
  expect(profile?.anonymousIds).toEqual([visitor]);
});

test('password and hidden field values never leave the page, even with auto capture on', async ({ page }) => {
  const bodies = recordBodies(page);
  const email = uniqueEmail('no-password');
  await page.goto(storefront('fixtures/forms.html?auto=1'));
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password').fill('pw-7f3a-never-sent');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByLabel('Newsletter email').fill(email);
  await page.getByRole('button', { name: 'Subscribe' }).click();
  await expect(page.getByRole('status')).toHaveText(`Handled newsletter with ${email}`);

  await expectTimeline({ email }, [`page ${FORMS}`, `identify ${email}`, 'Form Submitted', `identify ${email}`, 'Form Submitted']);
  expect(await flush(page)).toBe(true);
  const sent = bodies.filter((b) => b.includes(email));
  expect(sent.length, 'the identify went out in a recorded request').toBeGreaterThan(0);
  for (const body of bodies) {
    expect(body).not.toContain('pw-7f3a-never-sent');
    expect(body).not.toContain('hidden-csrf-5b1c');
  }
});

test('an unmarked form is ignored without auto, and captured with { auto: true }', async ({ page }) => {
  const ignored = uniqueEmail('unmarked-ignored');
  await page.goto(storefront('fixtures/forms.html'));
  const visitor = await anonymousId(page);
  await page.getByLabel('Newsletter email').fill(ignored);
  await page.getByRole('button', { name: 'Subscribe' }).click();
  await expect(page.getByRole('status')).toHaveText(`Handled newsletter with ${ignored}`);
  // Once the queue is empty, whatever the page made has arrived: only the page view did.
  expect(await flush(page)).toBe(true);
  await expectTimeline({ anonymousId: visitor }, [`page ${FORMS}`]);
  expect(await findProfile({ email: ignored })).toBeUndefined();

  const captured = uniqueEmail('unmarked-auto');
  await page.goto(storefront('fixtures/forms.html?auto=1'));
  await page.getByLabel('Newsletter email').fill(captured);
  await page.getByRole('button', { name: 'Subscribe' }).click();
  const events = await expectTimeline({ email: captured }, [`page ${FORMS}`, `page ${FORMS}`, `identify ${captured}`, 'Form Submitted']);
  expect(events.at(-1)?.properties).toEqual({ formId: 'newsletter' });
});

test('a marked form added after the page loaded is captured too', async ({ page }) => {
  const email = uniqueEmail('late-form');
  await page.goto(storefront('fixtures/forms.html'));
  await anonymousId(page);
  await page.getByRole('button', { name: 'Show the late form' }).click();
  await page.getByLabel('Late email').fill(email);
  await page.getByRole('button', { name: 'Send late form' }).click();
  await expect(page.getByRole('status')).toHaveText('Handled late');
  const events = await expectTimeline({ email }, [`page ${FORMS}`, `identify ${email}`, 'Form Submitted']);
  expect(events.at(-1)?.properties).toEqual({ formId: 'late' });
});

for (const method of ['get', 'post'] as const) {
  test(`a classic form ${method.toUpperCase()} that navigates away still delivers the identify, sent with keepalive on page hide`, async ({
    page,
  }) => {
    const email = uniqueEmail(`classic-${method}`);
    // Ten seconds of debounce: the ordinary flush cannot deliver it, and thanks.html has no SDK to re-send it.
    await page.goto(storefront(`fixtures/forms.html?flushDelayMs=10000&method=${method}`));
    const visitor = await anonymousId(page);
    await page.getByLabel('Email for the classic form').fill(email);
    await page.getByRole('button', { name: 'Sign up and leave' }).click();

    // The browser's own submit went ahead: capture neither cancelled nor held it.
    await expect(page.getByRole('heading', { name: 'Thanks for signing up' })).toBeVisible();
    if (method === 'get') expect(new URL(page.url()).searchParams.get('email')).toBe(email);
    const events = await expectTimeline({ email }, [`page ${FORMS}`, `identify ${email}`, 'Form Submitted'], { timeout: 10_000 });
    expect(new Set(events.map((e) => e.anonymousId))).toEqual(new Set([visitor]));
    expect(events.at(-1)?.properties).toEqual({ formId: 'classic-signup' });
  });
}
