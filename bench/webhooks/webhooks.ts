import { load, type LoadResult } from '../collector/load.js';
import { startCollector, withServers } from '../collector/servers.js';
import { anonymousIds, batchBody, identifyJson, messageIds } from '../collector/traffic.js';
import { config } from '../config.js';
import { fmt, ratio } from '../lib/stats.js';
import type { BenchStore } from '../lib/stores.js';
import { yesNo, type Part } from '../report/model.js';
import { startBenchReceiver } from './receiver.js';

/** What a slow receiver may cost ingest: delivering must not slow it (issue 10), within the run-to-run noise. */
const TARGET = 0.9;
const SLOW_MS = 2_000;

const METHOD = [
  `Webhooks: three collectors on fresh SQLite stores, one after another: without an endpoint, with an endpoint subscribed to every type at a receiver answering 200 at once (fast), and at one answering after ${SLOW_MS / 1000} s (slow). Each request is a batch of one \`identify\` by a new visitor leaving an email, so every request creates a profile and (with an endpoint) queues a \`profile.created\` delivery in its transaction: the most outbox work ingest can get per request. ${config.warmupS} s warm-up, then ${config.durationS} s with ${config.connections} connections; the collector's own worker sends meanwhile, in the same process. Ratio: identifies/s with the endpoint ÷ without. Target: the slow receiver's ratio ≥ ${TARGET}.`,
];

/** Bodies of one identify each, every one a visitor never seen before. */
function newVisitors(): () => string {
  const nextId = messageIds();
  let i = 0;
  return () => batchBody(config.writeKey, [identifyJson(anonymousIds(1)[0]!, nextId(), `hook-${i++}-${nextId()}@bench.example`)]);
}

interface Run {
  result: LoadResult;
  delivered?: number;
}

async function run(store: BenchStore, tag: string, receiverDelay?: number): Promise<Run> {
  const location = await store.fresh(`webhooks_${tag}`);
  const receiver = receiverDelay === undefined ? undefined : await startBenchReceiver(receiverDelay);
  try {
    return await withServers([() => startCollector(location)], async ([collector]) => {
      if (receiver) {
        const res = await fetch(`${collector!.url}/api/webhooks`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${config.secretKey}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ url: receiver.url, events: ['*'] }),
        });
        if (res.status !== 201) throw new Error(`POST /api/webhooks answered ${res.status}: ${await res.text()}`);
      }
      const url = `${collector!.url}/v1/batch`;
      await load(url, newVisitors(), 1, { seconds: config.warmupS });
      const before = receiver?.count() ?? 0;
      const result = await load(url, newVisitors(), 1, { seconds: config.durationS });
      if (result.failed) throw new Error(`${tag}: ${result.failed} identify requests failed`);
      return { result, delivered: receiver ? receiver.count() - before : undefined };
    });
  } finally {
    await receiver?.close();
  }
}

/** Ingest with webhooks on (a fast and a slow receiver) as a ratio of ingest without (issue 10). */
export async function measureWebhooks(store: BenchStore): Promise<Part> {
  const part: Part = { tables: [], method: METHOD, missed: [], findings: [], headline: [] };
  const none = await run(store, 'none');
  const fast = await run(store, 'fast', 0);
  const slow = await run(store, 'slow', SLOW_MS);
  const row = (name: string, r: Run, target: boolean) => {
    const q = ratio(r.result.requestsPerSec, none.result.requestsPerSec);
    return [
      name,
      fmt(r.result.requestsPerSec),
      `${fmt(r.result.p50, 1)} / ${fmt(r.result.p99, 1)}`,
      r === none ? '—' : fmt(q, 2),
      r.delivered === undefined ? '—' : fmt(r.delivered / config.durationS),
      target ? `≥ ${TARGET}` : '—',
      target ? yesNo(q !== undefined && q >= TARGET) : '—',
    ];
  };
  part.tables.push({
    title: `Ingest with webhooks on, ${store.name}`,
    headers: ['endpoint', 'identifies/s', 'latency p50 / p99 ms', 'ratio to none', 'deliveries/s during the run', 'target', 'met'],
    rows: [row('none', none, false), row('fast receiver', fast, false), row(`slow receiver (${SLOW_MS / 1000} s)`, slow, true)],
  });
  const slowRatio = ratio(slow.result.requestsPerSec, none.result.requestsPerSec) ?? 0;
  const fastRatio = ratio(fast.result.requestsPerSec, none.result.requestsPerSec) ?? 0;
  part.headline.push(
    `Ingest with webhooks on (${store.name}, new-visitor identifies): ${fmt(fastRatio, 2)}× of without with a fast receiver, ${fmt(slowRatio, 2)}× with a ${SLOW_MS / 1000} s one.`,
  );
  if (slowRatio < TARGET)
    part.missed.push(
      `Webhooks on ${store.name}: ingest with a slow receiver ran at ${fmt(slowRatio, 2)}× of without (target ≥ ${TARGET}).`,
    );
  return part;
}
