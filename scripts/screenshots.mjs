// npm run screenshots: writes the console's pages to docs/screenshots/ from a real run.
// It starts the collector on an empty SQLite file, shops on the demo store in Chromium
// (so the popup, stitching and timeline are real), adds a few more people through the
// tracking API and a CSV import, then signs in to the console and photographs each page.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';

const PORT = Number(process.env.SCREENSHOTS_PORT ?? 8870);
const BASE = `http://127.0.0.1:${PORT}`;
const WRITE_KEY = 'wk_screenshots_0001';
const SECRET_KEY = 'sk_screenshots_0001';
const OUT = 'docs/screenshots';
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p));

const server = spawn('npx', ['tsx', 'packages/collector/src/server.ts'], {
  env: {
    ...process.env,
    PORT: String(PORT),
    THREADLINE_DB: join(mkdtempSync(join(tmpdir(), 'threadline-shots-')), 'shots.db'),
    THREADLINE_WRITE_KEY: WRITE_KEY,
    THREADLINE_SECRET_KEY: SECRET_KEY,
    LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', 'ignore', 'inherit'],
  // Its own process group: npx starts tsx, which starts node; stopping the group stops all three.
  detached: true,
});

async function up() {
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(`${BASE}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error('the collector did not start');
}

const send = (path, body) =>
  fetch(`${BASE}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ writeKey: WRITE_KEY, ...body }),
  });

/** A few more people: browsing visitors, an addressable phone-only shopper, identified customers. */
async function crowd() {
  for (let i = 0; i < 6; i++) {
    const anonymousId = `shots-visitor-${i}`;
    await send('/v1/page', { anonymousId, name: 'Home' });
    await send('/v1/track', { anonymousId, event: 'Product Viewed', properties: { sku: `sku-10${i % 3}`, price: 25 } });
    if (i % 2 === 0) await send('/v1/track', { anonymousId, event: 'Product Added', properties: { sku: 'sku-102', price: 25 } });
    if (i < 3) await send('/v1/identify', { anonymousId, traits: { email: `customer${i}@example.com`, name: `Customer ${i}` } });
  }
  await send('/v1/identify', { anonymousId: 'shots-walk-in', traits: { phone: '+14155550123' } });
  // Ana signed up on her phone earlier: the demo shopper's email below merges into her profile.
  await send('/v1/identify', { anonymousId: 'shots-ana-phone', traits: { email: 'ana@example.com', name: 'Ana' } });
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  await up();
  await crowd();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? CHROMIUM, args: ['--no-sandbox'] });
  const shopper = await browser.newPage({ viewport: { width: 1100, height: 800 } });
  await shopper.goto(`${BASE}/demo/`);
  await shopper.screenshot({ path: `${OUT}/demo-store.png` });
  await shopper.getByRole('link', { name: /Canvas Tote/ }).click();
  await shopper.getByRole('button', { name: 'Add to cart' }).click();
  await shopper.waitForSelector('threadline-popup');
  await shopper.waitForTimeout(300);
  await shopper.screenshot({ path: `${OUT}/demo-popup.png` });
  await shopper.keyboard.type('ana@example.com');
  await shopper.keyboard.press('Enter');
  await shopper.evaluate(() => window.threadline.flush());
  const profileLink = await shopper.getByRole('link', { name: 'What Threadline saw' }).getAttribute('href');

  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${BASE}/console/sign-in`);
  await page.screenshot({ path: `${OUT}/sign-in.png` });
  await page.getByLabel('Secret key').fill(SECRET_KEY);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${BASE}/console`);
  const csv = 'email,phone,name\nzoe@example.com,,Zoe\nnot-an-email,,Bad row\n,+14155550199,Walk-in\n';
  await page.goto(`${BASE}/console/imports`);
  await page.getByLabel(/CSV file/).setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Import' }).click();
  await page.waitForURL(/\/console\/imports\/.+/);
  await page.screenshot({ path: `${OUT}/import-report.png`, fullPage: true });

  // A webhook endpoint at a local receiver (so deliveries are real) and an abandoned-cart trigger.
  const receiver = createServer((_req, res) => res.writeHead(200).end());
  await new Promise((done) => receiver.listen(0, '127.0.0.1', done));
  await page.goto(`${BASE}/console/webhooks`);
  await page.getByLabel('Endpoint URL').fill(`http://127.0.0.1:${receiver.address().port}/threadline`);
  await page.getByLabel('Every event (*)').check();
  await page.getByLabel('Description (optional)').fill('CRM sync');
  await page.getByRole('button', { name: 'Create endpoint' }).click();
  await page.getByTestId('secret').waitFor();
  await page.screenshot({ path: `${OUT}/webhook-created.png`, fullPage: true });
  await send('/v1/identify', { anonymousId: 'shots-hook', traits: { email: 'hook@example.com' } });
  await page.goto(`${BASE}/console/triggers`);
  await page.getByLabel('Name').fill('Abandoned cart');
  await page.getByLabel(/^Condition/).fill(
    JSON.stringify({
      all: [{ event: 'Product Added', within: { hours: 4 } }, { not: { event: 'Order Completed', within: { hours: 4 } } }],
    }),
  );
  await page.getByLabel('Wait for', { exact: true }).fill('72');
  await page.getByRole('button', { name: 'Create trigger' }).click();
  await page.waitForURL(/\/console\/triggers\/.+/);
  const triggerPath = new URL(page.url()).pathname;
  await send('/v1/track', { anonymousId: 'shots-cart', event: 'Product Added', properties: { sku: 'sku-101', price: 25 } });
  await page.goto(`${BASE}/console/webhooks`);
  await page.getByRole('link', { name: /127\.0\.0\.1/ }).click();
  // The worker sends beside the server: reload until the delivery is listed.
  for (let i = 0; i < 40 && !(await page.locator('tr[data-delivery]').count()); i++) {
    await page.waitForTimeout(500);
    await page.reload();
  }
  const webhookPath = new URL(page.url()).pathname;
  receiver.close();
  // The walk-in asked not to get texts: the per-row button on the Addressable tab.
  await page.goto(`${BASE}/console/people?status=addressable`);
  await page.getByRole('button', { name: 'Block mobile +14155550123' }).click();
  await page.getByRole('status').waitFor();

  const shots = [
    ['overview', '/console'],
    ['people', '/console/people'],
    ['person', profileLink],
    ['segments', '/console/segments'],
    ['popups', '/console/popups'],
    ['popup-edit', '/console/popups/new'],
    ['settings', '/console/settings'],
    ['people-addressable', '/console/people?status=addressable'],
    ['webhooks', '/console/webhooks'],
    ['webhook', webhookPath],
    ['triggers', '/console/triggers'],
    ['trigger', triggerPath],
  ];
  for (const [name, path] of shots) {
    await page.goto(`${BASE}${path}`);
    if (name === 'segments') {
      await page.getByLabel('Event').first().fill('Product Added');
      await page.getByLabel('Within').first().fill('1');
      await page.getByLabel('Did or did not').nth(1).selectOption('didNot');
      await page.getByLabel('Event').nth(1).fill('Order Completed');
      await page.locator('[data-segment-preview]').filter({ hasText: 'profiles' }).waitFor();
    }
    await page.screenshot({ path: `${OUT}/${name}.png`, fullPage: true });
  }
  await browser.close();
  console.log(`wrote ${shots.length + 5} screenshots to ${OUT}/`);
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => process.kill(-server.pid, 'SIGTERM'));
