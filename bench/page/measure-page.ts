import type { Browser, CDPSession } from '@playwright/test';
import { config } from '../config.js';
import type { CollectorProxy, Traffic } from './collector-proxy.js';

export interface PageRun {
  /** `__t0` (just before the SDK's script element) to the end of the response that stored the first event. */
  firstEventMs: number;
  /** Main-thread task time from the first of the tracks until the collector stored the last (CDP Performance.TaskDuration). */
  taskMs: number;
  /** The JavaScript part of it (CDP ScriptDuration). */
  scriptMs: number;
  /** Time inside the synchronous loop of track calls. */
  syncMs: number;
  /** What reached the collector for the tracks. */
  traffic: Traffic;
}

type Metrics = Record<string, number>;
const metrics = async (cdp: CDPSession): Promise<Metrics> =>
  Object.fromEntries(
    ((await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> }).metrics.map((m) => [
      m.name,
      m.value,
    ]),
  );

async function until(done: () => boolean, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`page: timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * One first visit (a fresh browser context) to `url`: the time to the first
 * stored event, then `config.pageTracks` track calls and the main-thread time
 * and traffic until the collector has stored them all.
 */
export async function runPage(browser: Browser, url: string, proxy: CollectorProxy): Promise<PageRun> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    proxy.reset();
    await page.goto(url);
    await until(() => proxy.traffic.eventsStored >= 1, 15_000, 'the first event to be stored');
    const api = `${proxy.url}/v1/`;
    const firstEventMs = await page.evaluate(async (prefix) => {
      const w = window as unknown as { __t0: number };
      for (let i = 0; i < 200; i++) {
        const ends = performance
          .getEntriesByType('resource')
          .filter((e) => e.name.startsWith(prefix))
          .map((e) => (e as PerformanceResourceTiming).responseEnd);
        if (ends.length) return Math.min(...ends) - w.__t0;
        await new Promise((r) => setTimeout(r, 10));
      }
      return NaN;
    }, api);
    if (!(await page.evaluate(() => (window as unknown as { __aid(): string | undefined }).__aid())))
      throw new Error(`${url}: no anonymous ID after the first event`);
    await page.waitForTimeout(500); // let the first flush settle (queue clean-up, persistence) before the timed part

    proxy.reset();
    const before = await metrics(cdp);
    const syncMs = await page.evaluate((n) => {
      const sdk = (window as unknown as { __sdk: { track(e: string, p: object): unknown } }).__sdk;
      const t0 = performance.now();
      for (let i = 0; i < n; i++) sdk.track('Product Viewed', { product_id: `SKU-${i}`, price: 49.9, currency: 'EUR' });
      return performance.now() - t0;
    }, config.pageTracks);
    await until(() => proxy.traffic.eventsStored >= config.pageTracks, 120_000, `${config.pageTracks} events to be stored`);
    const after = await metrics(cdp);
    return {
      firstEventMs,
      taskMs: (after.TaskDuration! - before.TaskDuration!) * 1000,
      scriptMs: (after.ScriptDuration! - before.ScriptDuration!) * 1000,
      syncMs,
      traffic: { ...proxy.traffic },
    };
  } finally {
    await context.close();
  }
}
