import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { consoleUrl, expectAccessible, liveCount, signIn } from './support/console.js';
import { COLLECTOR, WRITE_KEY } from './support/env.js';
import { expect, test } from './support/test.js';

// Several axe runs on a shared two-core machine.
test.setTimeout(180_000);

async function identify(anonymousId: string, traits: Record<string, string>) {
  const res = await fetch(`${COLLECTOR}/v1/identify`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ writeKey: WRITE_KEY, anonymousId, traits }),
  });
  expect(res.ok).toBe(true);
}

/** A receiver that answers 200 to every delivery and counts them. */
async function receiver(): Promise<{ url: string; server: Server; received: string[] }> {
  const received: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push(body);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, server, received };
}

test('a marketer blocks a mobile and sees SMS reachability drop, adds and lifts a suppression', async ({ page }) => {
  const phone = `+1415555${String(Date.now() % 10_000).padStart(4, '0')}`;
  await identify(`reach-${Date.now()}`, { phone });
  await signIn(page);
  const sms = await liveCount(page, 'reachability.sms');
  expect(sms).toBeGreaterThan(0);

  await page.goto(consoleUrl('/people?status=addressable'));
  await expectAccessible(page);
  await page.getByRole('button', { name: `Block mobile ${phone}` }).click();
  await expect(page.getByRole('status')).toContainText('Blocked the mobile (SMS)');
  await expect(page.getByRole('button', { name: `Block mobile ${phone}` })).toHaveCount(0);
  await page.goto(consoleUrl());
  expect(await liveCount(page, 'reachability.sms')).toBe(sms - 1);

  // The same person: the SMS suppression is listed; add one on WhatsApp, then lift it with the evidence.
  await page.goto(consoleUrl(`/people?q=${encodeURIComponent(phone)}`));
  await page.getByRole('link', { name: /…/ }).first().click();
  await expect(page.getByTestId('suppressions')).toContainText(`sms: ${phone} (operator`);
  await expectAccessible(page);
  await page.getByLabel('Suppress channel').selectOption('whatsapp');
  await page.getByRole('button', { name: 'Add suppression' }).click();
  await expect(page.getByRole('status')).toContainText(`Suppressed whatsapp: ${phone}`);
  const row = page.getByTestId('suppressions').locator('li').filter({ hasText: 'whatsapp' });
  await row.getByText('Lift with evidence…').click();
  await row.getByLabel('Where they opted in again').fill('phone call');
  await row.getByLabel('What they said (optional)').fill('wants WhatsApp updates again');
  await row.getByRole('button', { name: 'Lift suppression' }).click();
  await expect(page.getByRole('status')).toContainText(`Lifted the whatsapp suppression of ${phone}`);
  await expect(page.getByTestId('suppressions').locator('li').filter({ hasText: 'whatsapp' })).toHaveCount(0);
  await expect(page.locator('ol.log')).toContainText(`Suppression lifted: whatsapp ${phone} by operator on evidence from phone call`);
});

test('a marketer creates a webhook endpoint, sees its secret once and a delivery listed; creates a trigger', async ({ page }) => {
  const hook = await receiver();
  try {
    await signIn(page);
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await expectAccessible(page);
    await page.getByLabel('Endpoint URL').fill(hook.url);
    await page.getByLabel('Every event (*)').check();
    await page.getByLabel('Description (optional)').fill('CRM');
    await page.getByRole('button', { name: 'Create endpoint' }).click();
    await expect(page.getByTestId('secret')).toHaveText(/^whsec_/);
    await expectAccessible(page);
    await identify(`hook-${Date.now()}`, { email: `hook-${Date.now()}@example.com` });
    // Back on the list and into the endpoint again: the secret is not shown a second time.
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('link', { name: hook.url }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Webhook ${hook.url}`);
    await expect(page.getByTestId('secret')).toHaveCount(0);
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.locator('tr[data-delivery]').filter({ hasText: 'delivered' }).count();
        },
        { timeout: 20_000 },
      )
      .toBeGreaterThan(0);
    expect(hook.received.length).toBeGreaterThan(0);
    await page.locator('tr[data-delivery]').first().getByRole('button', { name: 'Retry' }).click();
    await expect(page.getByRole('status')).toContainText('Queued');

    // A trigger made from the form: its page (firings) is accessible too.
    await page.getByRole('link', { name: 'Triggers' }).click();
    await expectAccessible(page);
    await page.getByLabel('Name').fill('Browsed, no cart');
    await page
      .getByLabel(/^Condition/)
      .fill('{"all":[{"event":"Product Viewed","within":{"minutes":30}},{"not":{"event":"Product Added"}}]}');
    await page.getByLabel('Wait for', { exact: true }).fill('2');
    await page.getByRole('button', { name: 'Create trigger' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Trigger Browsed, no cart');
    await expect(page.getByTestId('state')).toHaveText('enabled');
    await expectAccessible(page);
  } finally {
    hook.server.close();
  }
});
