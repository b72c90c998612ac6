import { compareLoads, type LoadResult } from '../collector/load.js';
import { startCollector, withServers } from '../collector/servers.js';
import { anonymousIds, batchBody, identifyJson, messageIds } from '../collector/traffic.js';
import { config } from '../config.js';
import { getJson } from '../lib/http.js';
import { fmt, ratio } from '../lib/stats.js';
import type { BenchStore } from '../lib/stores.js';
import { yesNo, type Part } from '../report/model.js';
import { startBenchReceiver } from './receiver.js';

/** What a slow receiver may cost ingest: delivering must not slow it (issue 10), within the run-to-run noise. */
const TARGET = 0.9;
const SLOW_MS = 2_000;

const METHOD = [
  `Webhooks: three collectors on fresh SQLite stores, running side by side and loaded in turn (warm-up each, then ${config.rounds} slices of the measured time alternating their order, as the ingest comparison does): without an endpoint, with an endpoint subscribed to every type at a receiver answering 200 at once (fast), and at one answering after ${SLOW_MS / 1000} s (slow). Each request is a batch of one \`identify\` by a new visitor leaving an email, so every request creates a profile and (with an endpoint) queues a \`profile.created\` delivery in its transaction: the most outbox work ingest can get per request. ${config.warmupS} s warm-up, then ${config.durationS} s in all with ${config.connections} connections; each collector's own worker sends meanwhile, in its process (a backlog may still be sent while another collector is loaded). Ratio: identifies/s with the endpoint ÷ without. Target: the slow receiver's ratio ≥ ${TARGET}.`,
];

/** Bodies of one identify each, every one a visitor never seen before. */
function newVisitors(): () => string {
  const nextId = messageIds();
  let i = 0;
  return () => batchBody(config.writeKey, [identifyJson(anonymousIds(1)[0]!, nextId(), `hook-${i++}-${nextId()}@bench.example`)]);
}

async function subscribe(collectorUrl: string, receiverUrl: string) {
  const res = await fetch(`${collectorUrl}/api/webhooks`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${config.secretKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ url: receiverUrl, events: ['*'] }),
  });
  if (res.status !== 201) throw new Error(`POST /api/webhooks answered ${res.status}: ${await res.text()}`);
}

/** Ingest with webhooks on (a fast and a slow receiver) as a ratio of ingest without (issue 10). */
export async function measureWebhooks(store: BenchStore): Promise<Part> {
  const part: Part = { tables: [], method: METHOD, missed: [], findings: [], headline: [] };
  const locations = [await store.fresh('webhooks_none'), await store.fresh('webhooks_fast'), await store.fresh('webhooks_slow')];
  const receivers = [await startBenchReceiver(0), await startBenchReceiver(SLOW_MS)];
  try {
    await withServers(
      locations.map((l) => () => startCollector(l)),
      async ([none, fast, slow]) => {
        await subscribe(fast!.url, receivers[0]!.url);
        await subscribe(slow!.url, receivers[1]!.url);
        const targets = [none!, fast!, slow!].map((c) => ({ url: `${c.url}/v1/batch`, nextBody: newVisitors() }));
        const { results } = await compareLoads(targets, 1);
        const failed = results.reduce((n, r) => n + r.failed, 0);
        if (failed) throw new Error(`${failed} identify requests failed`);
        const delivered = [receivers[0]!.count(), receivers[1]!.count()];
        // Every identify made one profile and so queued one delivery; requests still in flight at a slice's end count here too.
        const created = [
          (await getJson<{ contacts: number }>(`${fast!.url}/api/stats`, config.secretKey)).contacts,
          (await getJson<{ contacts: number }>(`${slow!.url}/api/stats`, config.secretKey)).contacts,
        ];
        report(part, store, results as [LoadResult, LoadResult, LoadResult], delivered, created);
      },
    );
  } finally {
    for (const r of receivers) await r.close();
  }
  return part;
}

function report(
  part: Part,
  store: BenchStore,
  [none, fast, slow]: [LoadResult, LoadResult, LoadResult],
  delivered: number[],
  queued: number[],
) {
  const fastRatio = ratio(fast.requestsPerSec, none.requestsPerSec) ?? 0;
  const slowRatio = ratio(slow.requestsPerSec, none.requestsPerSec) ?? 0;
  const sent = (i: number) => `${fmt(delivered[i]!)} of ${fmt(queued[i]!)}`;
  part.tables.push({
    title: `Ingest with webhooks on, ${store.name}`,
    headers: [
      'endpoint',
      'identifies/s',
      'latency p50 / p99 ms',
      'ratio to none',
      'delivered by the end of the load, of queued',
      'target',
      'met',
    ],
    rows: [
      ['none', fmt(none.requestsPerSec), `${fmt(none.p50, 1)} / ${fmt(none.p99, 1)}`, '—', '—', '—', '—'],
      ['fast receiver', fmt(fast.requestsPerSec), `${fmt(fast.p50, 1)} / ${fmt(fast.p99, 1)}`, fmt(fastRatio, 2), sent(0), '—', '—'],
      [
        `slow receiver (${SLOW_MS / 1000} s)`,
        fmt(slow.requestsPerSec),
        `${fmt(slow.p50, 1)} / ${fmt(slow.p99, 1)}`,
        fmt(slowRatio, 2),
        sent(1),
        `≥ ${TARGET}`,
        yesNo(slowRatio >= TARGET),
      ],
    ],
  });
  part.headline.push(
    `Ingest with webhooks on (${store.name}, new-visitor identifies): ${fmt(fastRatio, 2)}× of without with a fast receiver, ${fmt(slowRatio, 2)}× with a ${SLOW_MS / 1000} s one.`,
  );
  if (slowRatio < TARGET)
    part.missed.push(
      `Webhooks on ${store.name}: ingest with a slow receiver ran at ${fmt(slowRatio, 2)}× of without (target ≥ ${TARGET}).`,
    );
}
