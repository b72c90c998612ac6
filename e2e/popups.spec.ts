import { expectTimeline, findProfile, timeline, uniqueEmail } from './support/api.js';
import { anonymousId, flush, storefront } from './support/page.js';
import { axPopup, createPopup, inPopup, onCase, popupInPage, uniqueCase } from './support/popups.js';
import { expect, test } from './support/test.js';

// Every rule is created through the real admin API and read by the SDK from the real
// collector; each test's rules match only its own pages (?case=<tag>).
const fixture = (tag: string, extra = '') => storefront(`fixtures/popups.html?case=${tag}${extra}`);
const popupEvents = async (anonymous: string) =>
  (await timeline({ anonymousId: anonymous })).filter((e) => e.event?.startsWith('Popup ')).map((e) => [e.event, e.properties?.popupName]);

test('an anonymous visitor on a matching page sees the popup as a modal dialog; Escape closes it and returns focus', async ({ page }) => {
  const tag = uniqueCase();
  const rule = await createPopup({
    name: 'Cart offer',
    audience: 'anonymous',
    pages: onCase(tag),
    trigger: { type: 'event', event: 'Product Added' },
    content: { title: 'Free shipping today', body: 'On every order over $50.', cta: { label: 'See the offer', url: '/sale' } },
  });
  await page.goto(fixture(tag));
  const visitor = await anonymousId(page);
  const layout = () =>
    page.evaluate(() => ({
      h1: document.querySelector('h1')!.getBoundingClientRect().toJSON(),
      height: document.documentElement.scrollHeight,
    }));
  const before = await layout();
  await page.getByRole('button', { name: 'Add to cart' }).focus();
  await page.keyboard.press('Enter'); // the event trigger: a track('Product Added') from the page

  await expect
    .poll(() => axPopup(page))
    .toEqual({
      name: 'Free shipping today',
      description: 'On every order over $50.',
      modal: true,
      focused: { role: 'link', name: 'See the offer' },
    });
  expect(await layout(), 'no layout shift').toEqual(before);
  // Tab cycles through the dialog's own controls and never reaches the page.
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press('Tab');
    expect((await axPopup(page))?.focused, `focus after Tab ${i + 1}`).toBeDefined();
  }
  await page.keyboard.press('Shift+Tab');
  expect((await axPopup(page))?.focused).toBeDefined();

  await page.keyboard.press('Escape');
  await expect.poll(() => popupInPage(page)).toBe(false);
  await expect(page.getByRole('button', { name: 'Add to cart' })).toBeFocused();
  expect(await flush(page)).toBe(true);
  const events = await expectTimeline({ anonymousId: visitor }, [
    `page /fixtures/popups.html`,
    'Product Added',
    'Popup Viewed',
    'Popup Dismissed',
  ]);
  for (const e of events.filter((x) => x.event?.startsWith('Popup ')))
    expect(e.properties).toEqual({ popupId: rule.id, popupName: 'Cart offer' });
});

test("a page outside the rule's pages, or excluded from them, shows it not: the next rule in priority shows instead", async ({ page }) => {
  const tag = uniqueCase();
  await createPopup({
    name: 'Shoes only',
    priority: 10,
    pages: { include: [{ match: 'glob', value: `*case=${tag}&section=shoes*` }], exclude: [{ match: 'contains', value: 'sale=1' }] },
  });
  await createPopup({ name: 'Fallback', priority: 1, pages: onCase(tag) });

  await page.goto(fixture(tag, '&section=shoes'));
  await expect.poll(async () => (await axPopup(page))?.name).toBe('Shoes only');
  await page.keyboard.press('Escape');

  for (const extra of ['&section=shirts', '&section=shoes&sale=1']) {
    await page.goto(fixture(tag, extra));
    await expect.poll(async () => (await axPopup(page))?.name, extra).toBe('Fallback');
    await page.keyboard.press('Escape');
  }
  expect(await flush(page)).toBe(true);
  expect(await popupEvents(await anonymousId(page))).toEqual([
    ['Popup Viewed', 'Shoes only'],
    ['Popup Dismissed', 'Shoes only'],
    ['Popup Viewed', 'Fallback'],
    ['Popup Dismissed', 'Fallback'],
    ['Popup Viewed', 'Fallback'],
    ['Popup Dismissed', 'Fallback'],
  ]);
});

test('time on page and scroll depth trigger their popups, and an SPA page() re-evaluates page rules', async ({ page }) => {
  // All rules first: the collector lets the browser cache its answer for a minute.
  const tag = uniqueCase();
  const scrollTag = uniqueCase();
  await createPopup({ name: 'After 2 s', pages: onCase(tag), trigger: { type: 'timeOnPage', seconds: 2 } });
  await createPopup({ name: 'Half way', pages: onCase(scrollTag), trigger: { type: 'scrollDepth', percent: 50 } });
  await createPopup({
    name: 'On the second SPA page',
    pages: { include: [{ match: 'contains', value: `case=${scrollTag}&spa=2` }], exclude: [] },
  });
  await page.goto(fixture(tag, '&t=1'));
  const visitor = await anonymousId(page);
  await expect.poll(async () => (await axPopup(page))?.name, { timeout: 10_000 }).toBe('After 2 s');
  await page.keyboard.press('Escape');
  expect(await flush(page)).toBe(true);
  // Time on page counts from the navigation's start, the moment the visitor arrived.
  const arrived = await page.evaluate(() => performance.timeOrigin);
  const shown = (await timeline({ anonymousId: visitor })).find((e) => e.event === 'Popup Viewed');
  expect(Date.parse(shown!.timestamp) - arrived, 'shown 2 s or more after arriving').toBeGreaterThanOrEqual(2000);

  await page.goto(fixture(scrollTag));
  await page.evaluate(() => window.threadline.track('Before Scroll'));
  await page.mouse.wheel(0, 2500);
  await expect.poll(async () => (await axPopup(page))?.name).toBe('Half way');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Next page (SPA)' }).click();
  await expect.poll(async () => (await axPopup(page))?.name).toBe('On the second SPA page');
  await page.keyboard.press('Escape');
  expect(await flush(page)).toBe(true);
  const events = (await timeline({ anonymousId: visitor })).map((e) => e.event ?? `page ${e.name ?? ''}`.trim());
  expect(events.slice(-7)).toEqual([
    'page',
    'Before Scroll',
    'Popup Viewed',
    'Popup Dismissed',
    'page Second',
    'Popup Viewed',
    'Popup Dismissed',
  ]);
});

test('maxImpressions: 1 holds across reloads', async ({ page }) => {
  const tag = uniqueCase();
  await createPopup({ name: 'Once ever', priority: 5, pages: onCase(tag), frequency: { maxImpressions: 1 } });
  await createPopup({ name: 'Every time', priority: 1, pages: onCase(tag) });
  await page.goto(fixture(tag));
  await expect.poll(async () => (await axPopup(page))?.name).toBe('Once ever');
  await page.keyboard.press('Escape');
  for (let i = 0; i < 2; i++) {
    await page.reload();
    await expect.poll(async () => (await axPopup(page))?.name, `reload ${i + 1}`).toBe('Every time');
    await page.keyboard.press('Escape');
  }
  expect(await flush(page)).toBe(true);
  const viewed = (await popupEvents(await anonymousId(page))).filter(([e]) => e === 'Popup Viewed').map(([, name]) => name);
  expect(viewed).toEqual(['Once ever', 'Every time', 'Every time']);
});

test('the capture form identifies the visitor with their anonymous history; an anonymous-only popup then stops', async ({ page }) => {
  const tag = uniqueCase();
  const email = uniqueEmail('popup');
  await createPopup({
    name: 'Join the list',
    priority: 5,
    audience: 'anonymous',
    pages: onCase(tag),
    trigger: { type: 'event', event: 'Product Added' },
    content: { title: 'Get 10% off', body: 'Join our list.' },
    form: {
      field: 'email',
      label: 'Your email',
      consentText: 'We email you about offers. Unsubscribe any time.',
      submitLabel: 'Join',
      successText: 'You are on the list.',
    },
  });
  await createPopup({ name: 'For everyone', priority: 1, pages: onCase(tag), trigger: { type: 'event', event: 'Product Added' } });

  await page.goto(fixture(tag));
  const visitor = await anonymousId(page);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect.poll(() => axPopup(page)).toMatchObject({ name: 'Get 10% off', focused: { role: 'textbox', name: 'Your email' } });

  await page.keyboard.type('not-an-email');
  await page.keyboard.press('Enter');
  expect(
    await inPopup(page, function () {
      return [this.querySelector('[role=alert]')?.textContent, this.querySelector('input')?.getAttribute('aria-invalid')];
    }),
  ).toEqual(['Please enter a valid email address.', 'true']);

  await page.keyboard.press('Control+A');
  await page.keyboard.type(email);
  await page.keyboard.press('Enter');
  await expect
    .poll(() =>
      inPopup(page, function () {
        return this.querySelector('[role=status]')?.textContent;
      }),
    )
    .toBe('You are on the list.');
  await page.keyboard.press('Escape');
  expect(await flush(page)).toBe(true);

  const events = await expectTimeline({ email }, [
    'page /fixtures/popups.html',
    'Product Added',
    'Popup Viewed',
    `identify ${email}`,
    'Popup Converted',
  ]);
  expect(events.find((e) => e.type === 'identify')?.userId, 'traits form, never a userId').toBeNull();
  expect(new Set(events.map((e) => e.anonymousId))).toEqual(new Set([visitor]));
  expect((await findProfile({ email }))?.anonymousIds).toContain(visitor);

  // Same visit (a new SPA page, so the rule could show again) and a later one: the
  // anonymous-only popup no longer asks; the one for everyone shows.
  await page.getByRole('button', { name: 'Next page (SPA)' }).click();
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect.poll(async () => (await axPopup(page))?.name).toBe('For everyone');
  await page.keyboard.press('Escape');
  await page.reload();
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect.poll(async () => (await axPopup(page))?.name).toBe('For everyone');
});

test('a title with markup is shown as text and runs nothing', async ({ page }) => {
  const tag = uniqueCase();
  const title = '<img src=x onerror=window.__pwned=1>';
  await createPopup({
    name: 'Hostile',
    pages: onCase(tag),
    content: { title, body: '<script>window.__pwned=2</script>', cta: { label: 'Go', url: '/ok' } },
  });
  await page.goto(fixture(tag));
  await expect.poll(async () => (await axPopup(page))?.name).toBe(title);
  expect(
    await inPopup(page, function () {
      return { h2: this.querySelector('h2')?.textContent, elements: this.querySelectorAll('img, script').length };
    }),
  ).toEqual({ h2: title, elements: 0 });
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});

test("the page's own CSS does not restyle the popup, and the popup's does not reach the page", async ({ page }) => {
  const tag = uniqueCase();
  await createPopup({
    name: 'Styled',
    pages: onCase(tag),
    trigger: { type: 'event', event: 'Product Added' },
    content: { title: 'Our own styles', body: 'Untouched.' },
  });
  await page.goto(fixture(tag, '&hostile=1'));
  await page.evaluate(() => window.threadline.track('Product Added'));

  await expect.poll(async () => (await axPopup(page))?.name).toBe('Our own styles');
  const styles = await inPopup(page, function () {
    const css = (sel: string) => {
      const s = getComputedStyle(this.querySelector(sel)!);
      return { color: s.color, fontSize: s.fontSize, display: s.display, fontFamily: s.fontFamily.split(',')[0] };
    };
    const host = getComputedStyle(this.host);
    return { title: css('h2'), dialog: css('[role=dialog]'), host: { display: host.display, position: host.position } };
  });
  expect(styles).toEqual({
    title: { color: 'rgb(17, 24, 39)', fontSize: '20px', display: 'block', fontFamily: 'system-ui' },
    dialog: { color: 'rgb(17, 24, 39)', fontSize: '16px', display: 'block', fontFamily: 'system-ui' },
    host: { display: 'block', position: 'fixed' },
  });
  // The other way: the popup's styles do not reach the page's own elements.
  expect(await page.locator('h1').evaluate((h) => [getComputedStyle(h).color, getComputedStyle(h).fontSize])).toEqual([
    'rgb(255, 0, 0)',
    '40px',
  ]);
});

test('a blocked /v1/popups leaves the page working and shows nothing', async ({ page }) => {
  const tag = uniqueCase();
  await createPopup({ name: 'Never fetched', pages: onCase(tag) });
  let blocked = 0;
  await page.route('**/v1/popups?**', (route) => (blocked++, route.abort('blockedbyclient')));
  await page.goto(fixture(tag));
  const visitor = await anonymousId(page);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  expect(await flush(page)).toBe(true);
  await expect.poll(() => blocked).toBe(1);
  await expectTimeline({ anonymousId: visitor }, ['page /fixtures/popups.html', 'Product Added']);
  expect(await popupInPage(page)).toBe(false);
});
