import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../../e2e/support/chromium.js';
import { startCollector, withServers } from '../collector/servers.js';
import { config } from '../config.js';
import { fmt, median, ratio } from '../lib/stats.js';
import { openBenchStore } from '../lib/stores.js';
import type { Part } from '../report/model.js';
import { startCollectorProxy } from './collector-proxy.js';
import { runPage, type PageRun } from './measure-page.js';
import { PAGES, type PageSpec } from './pages.js';
import { probeSegmentCompat } from './segment-compat.js';
import { startStaticServer } from './static-server.js';

const METHOD = [
  'Page cost: real Chromium (system build, driven by Playwright, headless, the e2e launch flags; every other host resolves to nothing), each run a first visit in a fresh browser context. The page comes from a static server on 127.0.0.1 and the collector (SQLite) listens on another loopback port, so requests are cross-origin as on a storefront. Both SDKs are loaded by a plain synchronous `<script src>`, initialised, and track one `Product Viewed`.',
  "analytics-next is pointed at the collector without Segment's CDN: `AnalyticsBrowser.load({ writeKey, cdnSettings: { integrations: { 'Segment.io': { apiKey, apiHost: '<collector>/v1', protocol: 'http' } } } })`, with `window.analytics._cdn` set to the page's origin so any lazily loaded chunk comes from there. It posts to Segment's short paths (`/v1/t` …) and sends `\"userId\": null` for anonymous visitors (see the findings for what the collector answers to those), so both SDKs send through the same loopback pass-through (bench/page/collector-proxy.ts), which maps `/v1/t` → `/v1/track` etc., drops `\"userId\": null`, and counts what arrives as it arrived.",
  "**First event stored**: from `performance.now()` taken in an inline script just before the SDK's `<script>` element (so SDK download, parse, init and the SDK's own send delay count) to the `responseEnd` (Resource Timing) of the first request to the collector, whose answer reported the event stored (`accepted`). Both SDKs are measured to the same point: the collector acknowledged storing it.",
  `**Main-thread time for ${fmt(config.pageTracks)} track calls**: CDP \`Performance.getMetrics\` TaskDuration (and ScriptDuration) from just before a synchronous loop of ${fmt(config.pageTracks)} \`track\` calls until the collector has stored all of them, so the SDKs' asynchronous work (queueing, persistence, batching, sending) counts, not only the calls. The loop's own time is listed too.`,
  '**Bytes per event**: everything the collector received for those calls, counted at the pass-through: request line, headers and body, CORS preflights included ("wire"), and bodies alone.',
  `${config.pageRuns} runs per page, pages alternating; medians.`,
];

const med = (runs: PageRun[], pick: (r: PageRun) => number) => median(runs.map(pick));

/** SDK cost in the page (issue 4 §2): Threadline and analytics-next in real Chromium, as ratios. */
export async function measurePage(): Promise<Part> {
  const store = await openBenchStore('sqlite');
  if ('unavailable' in store) throw new Error(store.unavailable);
  const runs = new Map<PageSpec['id'], PageRun[]>(PAGES.map((p) => [p.id, []]));
  let compat = '';
  try {
    await withServers([async () => startCollector(await store.fresh('page'))], async ([collector]) => {
      compat = await probeSegmentCompat(collector!.url);
      const proxy = await startCollectorProxy(collector!.url);
      const site = await startStaticServer((path, origin) => PAGES.find((p) => path === `/${p.id}.html`)?.html(proxy.url, origin));
      const browser = await chromium.launch({
        executablePath: findChromium(),
        args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
      });
      try {
        for (let r = 0; r < config.pageRuns; r++) {
          const order = r % 2 ? [...PAGES].reverse() : PAGES;
          for (const p of order) runs.get(p.id)!.push(await runPage(browser, `${site.origin}/${p.id}.html`, proxy));
        }
      } finally {
        await browser.close();
        await site.close();
        await proxy.close();
      }
    });
  } finally {
    await store.dispose();
  }

  const [ours, nodelay, seg] = (['threadline', 'threadline-nodelay', 'analytics-next'] as const).map((id) => runs.get(id)!);
  const perEvent = (r: PageRun, bytes: number) => bytes / r.traffic.eventsStored;
  const rows: Array<[string, (r: PageRun) => number, number]> = [
    ['script start → first event stored (ms)', (r) => r.firstEventMs, 0],
    [`main-thread task time, ${fmt(config.pageTracks)} tracks until all stored (ms)`, (r) => r.taskMs, 0],
    ['… of which JavaScript (ms)', (r) => r.scriptMs, 0],
    [`synchronous time of the ${fmt(config.pageTracks)} calls (ms)`, (r) => r.syncMs, 1],
    ['bytes per event on the wire (headers, preflights included)', (r) => perEvent(r, r.traffic.wireBytes), 0],
    ['bytes per event, request bodies only', (r) => perEvent(r, r.traffic.bodyBytes), 0],
    [`requests for ${fmt(config.pageTracks)} events (CORS preflights among them)`, (r) => r.traffic.requests, 0],
  ];
  const part: Part = { tables: [], method: METHOD, missed: [], findings: [], headline: [] };
  part.tables.push({
    title: `Page cost, median of ${config.pageRuns} first visits`,
    headers: ['measure', PAGES[0]!.label, PAGES[2]!.label, 'ratio (Threadline / analytics-next)', 'target', PAGES[1]!.label],
    rows: rows.map(([label, pick, digits]) => {
      const [a, b, c] = [med(ours!, pick), med(seg!, pick), med(nodelay!, pick)];
      const pre = label.startsWith('requests') ? (rs: PageRun[]) => ` (${fmt(med(rs, (r) => r.traffic.preflights))})` : () => '';
      return [label, fmt(a, digits) + pre(ours!), fmt(b, digits) + pre(seg!), fmt(ratio(a, b), 2), '—', fmt(c, digits) + pre(nodelay!)];
    }),
  });
  part.findings.push(compat);
  const first = (rs: PageRun[]) => med(rs, (r) => r.firstEventMs);
  const requests = (rs: PageRun[]) => med(rs, (r) => r.traffic.requests);
  part.findings.push(
    `First event: with \`flushDelayMs: 0\` Threadline's first event is stored ${fmt(first(nodelay!))} ms after script start instead of ${fmt(first(ours!))} ms, so its default send delay (which lets a burst of calls share one request) accounts for ${fmt(first(ours!) - first(nodelay!))} ms; analytics-next sends every event at once (${fmt(first(seg!))} ms) in a request of its own (${fmt(requests(seg!))} requests for ${fmt(config.pageTracks)} events, against ${fmt(requests(ours!))}).`,
  );
  const failed = [...runs.values()].flat().reduce((n, r) => n + r.traffic.failed, 0);
  part.findings.push(
    `Every run's ${fmt(config.pageTracks)} events were stored by the collector (counted from its answers); requests answered with an error: ${failed}.`,
  );
  part.headline.push(
    `Page (Chromium): first event stored ${fmt(med(ours!, (r) => r.firstEventMs))} ms after script start vs ${fmt(med(seg!, (r) => r.firstEventMs))} ms for analytics-next; ${fmt(config.pageTracks)} tracks cost ${fmt(med(ours!, (r) => r.taskMs))} ms of main thread vs ${fmt(med(seg!, (r) => r.taskMs))} ms; ${fmt(med(ours!, (r) => perEvent(r, r.traffic.wireBytes)))} vs ${fmt(med(seg!, (r) => perEvent(r, r.traffic.wireBytes)))} bytes per event on the wire.`,
  );
  return part;
}
