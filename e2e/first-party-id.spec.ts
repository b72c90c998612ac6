import type { BrowserContext, Page } from '@playwright/test';
import { expectTimeline } from './support/api.js';
import { anonymousId, flush } from './support/page.js';
import { PROXY_PREFIX, type SameOriginProxy, startSameOriginProxy } from './support/same-origin-proxy.js';
import { expect, test } from './support/test.js';

const PAGE = '/fixtures/first-party.html';
let proxy: SameOriginProxy;
test.beforeAll(async () => {
  proxy = await startSameOriginProxy();
});
test.afterAll(() => proxy.close());

const cookie = async (context: BrowserContext, name: string) => (await context.cookies()).find((c) => c.name === name);

/**
 * What Safari's 7-day cap does to script-written storage: the `tl_aid` cookie
 * and the IndexedDB mirror are gone; HttpOnly cookies the server set stay.
 * The database is deleted from a page without the SDK, so no open connection blocks it.
 */
async function eraseScriptStorage(page: Page) {
  await page.context().clearCookies({ name: 'tl_aid' });
  await page.goto(`${proxy.origin}/fixtures/index.html`);
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const del = indexedDB.deleteDatabase('threadline-v1');
        del.onsuccess = () => resolve();
        del.onerror = () => reject(del.error);
      }),
  );
  expect(await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).not.toContain('threadline-v1');
}

test('a collector on the site’s own origin sets an HttpOnly first-party cookie with the anonymous ID', async ({ page, context }) => {
  await page.goto(`${proxy.origin}${PAGE}`);
  const visitor = await anonymousId(page);
  expect(await flush(page)).toBe(true);
  const said = await cookie(context, 'tl_said');
  expect(said).toMatchObject({ value: visitor, httpOnly: true, sameSite: 'Lax', path: `${PROXY_PREFIX}/v1`, secure: false });
  expect(await page.evaluate(() => document.cookie)).not.toContain('tl_said');
});

test('a visitor whose script cookie and IndexedDB mirror were erased keeps their anonymous ID', async ({ page, context }) => {
  await page.goto(`${proxy.origin}${PAGE}`);
  const visitor = await anonymousId(page);
  expect(await flush(page)).toBe(true);

  await eraseScriptStorage(page);
  await page.goto(`${proxy.origin}${PAGE}`);

  expect(await anonymousId(page)).toBe(visitor);
  expect((await cookie(context, 'tl_aid'))?.value, 'the script cookie is written back').toBe(visitor);
  expect(await flush(page)).toBe(true);
  await expectTimeline({ anonymousId: visitor }, [`page ${PAGE}`, `page ${PAGE}`]);
});

test('without the HttpOnly cookie too, the erased visitor is a new one (the recall is what kept the ID)', async ({ page, context }) => {
  await page.goto(`${proxy.origin}${PAGE}`);
  const visitor = await anonymousId(page);
  expect(await flush(page)).toBe(true);

  await eraseScriptStorage(page);
  await context.clearCookies({ name: 'tl_said' });
  await page.goto(`${proxy.origin}${PAGE}`);

  expect(await anonymousId(page)).not.toBe(visitor);
});
