import { expectTimeline, timeline } from './support/api.js';
import { forward, sleep, spyOnBatches, type Answer } from './support/batches.js';
import { anonymousId, flush, storefront } from './support/page.js';
import { expect, test } from './support/test.js';

const PAGE = '/fixtures/sdk.html';
const EVENTS = ['Reload Test 1', 'Reload Test 2', 'Reload Test 3'];
const HOLD_MS = 1500;

/** Runs `answer` for the first request that carries a tracked event (the rest go straight through), and says when it was made. */
function slowFirstTrack(answer: Answer) {
  let started!: () => void;
  const firstStarted = new Promise<void>((resolve) => (started = resolve));
  let held = false;
  const slow: Answer = async (route, n) => {
    const batch = (route.request().postDataJSON() as { batch: { type: string }[] }).batch;
    if (held || !batch.some((m) => m.type === 'track')) return forward(route, n);
    held = true;
    started();
    await answer(route, n);
  };
  return { slow, firstStarted };
}

for (const { when, answer } of [
  {
    // The request has not reached the collector when the page goes: nothing was stored yet.
    when: 'before the request reaches the collector',
    answer: (async (route) => {
      await sleep(HOLD_MS);
      await route.continue();
    }) satisfies Answer,
  },
  {
    // The collector stored the batch, but its answer never reaches the page: the next page sends it again.
    when: 'after the collector stored the batch but before its answer arrives',
    answer: (async (route) => {
      const response = await route.fetch();
      await sleep(HOLD_MS);
      await route.fulfill({ response });
    }) satisfies Answer,
  },
]) {
  test(`a reload while a flush is in flight stores every event once (${when})`, async ({ page }) => {
    const { slow, firstStarted } = slowFirstTrack(answer);
    const batches = await spyOnBatches(page, slow);

    await page.goto(storefront('fixtures/sdk.html?flushDelayMs=20'));
    const visitor = await anonymousId(page);
    // In one task, so they travel in one request.
    await page.evaluate((events) => events.forEach((e) => window.threadline.track(e)), EVENTS);
    await firstStarted;
    await page.reload();
    expect(await anonymousId(page)).toBe(visitor);

    await expect.poll(() => flush(page), { timeout: 10_000 }).toBe(true);
    await batches.settled();
    const events = await expectTimeline({ anonymousId: visitor }, [`page ${PAGE}`, ...EVENTS, `page ${PAGE}`]);
    const tracked = events.filter((e) => e.type === 'track').map((e) => e.messageId);

    // The interrupted request carried the tracked events; they were sent again (by page hide's
    // keepalive request, which Playwright does not see, or by the next page) and stored once.
    const interrupted = batches.requests.find((ids) => ids.includes(tracked[0]!));
    expect(interrupted).toEqual(expect.arrayContaining(tracked));
    expect((await timeline({ anonymousId: visitor })).length).toBe(events.length);
  });
}
