import { fmt, median } from '../lib/stats.js';
import { config } from '../config.js';
import { post } from '../lib/http.js';
import type { BenchStore } from '../lib/stores.js';
import type { Part } from '../report/model.js';
import { startCollector, withServers } from './servers.js';

/** The target of issue 8: no request may stall others for more than about this long. */
const STALL_TARGET_MS = 100;
const BATCH = 2500;
const PARALLEL = 4;
const PROBE_EVERY_MS = 10;

export const STALL_METHOD = [
  `Stall: ${PARALLEL} public batches of ${fmt(BATCH)} messages are sent at once (each message a new visitor: \`identify\` with a new email, or \`track\`), twice per kind, while the bench process asks \`GET /health\` every ${PROBE_EVERY_MS} ms on its own connection and times each answer. p50/p99/max of those answers are reported beside an idle second's (what the machine gives a request with nothing else to do); the max is how long a big batch kept the event loop from other requests. Target: max ≤ ${STALL_TARGET_MS} ms.`,
];

const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? NaN;

function batches(kind: 'identify' | 'track', tag: string): string[] {
  return Array.from({ length: PARALLEL }, (_, b) => {
    const batch = Array.from({ length: BATCH }, (_, i) => {
      const id = `${tag}-${b}-${i}`;
      return kind === 'identify'
        ? { type: 'identify', messageId: `m-${id}`, anonymousId: `a-${id}`, traits: { email: `${id}@stall.example` } }
        : { type: 'track', messageId: `m-${id}`, anonymousId: `a-${id}`, event: 'Product Viewed', properties: { sku: id } };
    });
    return JSON.stringify({ writeKey: config.writeKey, batch });
  });
}

/** /health latencies (ms) while `work` runs. */
async function probeDuring(base: string, work: Promise<unknown>): Promise<number[]> {
  let done = false;
  void work.finally(() => {
    done = true;
  });
  const samples: number[] = [];
  while (!done) {
    const t0 = performance.now();
    await fetch(`${base}/health`).then((r) => r.arrayBuffer());
    samples.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, PROBE_EVERY_MS));
  }
  await work;
  return samples;
}

/** How long /health waits while big public batches of new visitors are stored (issue 8 §2). */
export async function measureStall(store: BenchStore): Promise<Part> {
  const part: Part = { tables: [], method: STALL_METHOD, missed: [], findings: [], headline: [] };
  const rows: string[][] = [];
  await withServers([async () => startCollector(await store.fresh('stall'))], async ([collector]) => {
    const base = collector!.url;
    const idle = await probeDuring(base, new Promise((r) => setTimeout(r, 1000)));
    rows.push(['none (idle)', '—', fmt(median(idle), 1), fmt(q(idle, 0.99), 1), fmt(Math.max(...idle), 1)]);
    for (const kind of ['identify', 'track'] as const) {
      for (let round = 0; round < 2; round++) {
        const bodies = batches(kind, `${kind}${round}`);
        const t0 = performance.now();
        const sending = Promise.all(bodies.map((b) => post(`${base}/v1/batch`, b)));
        const samples = await probeDuring(base, sending);
        const seconds = (performance.now() - t0) / 1000;
        for (const answer of (await sending) as Array<{ accepted: number }>) {
          if (answer.accepted !== BATCH) throw new Error(`a ${kind} batch stored ${answer.accepted} of ${BATCH}`);
        }
        const max = Math.max(...samples);
        rows.push([
          `${PARALLEL} × ${fmt(BATCH)} new-visitor \`${kind}\` messages (round ${round + 1})`,
          fmt(seconds, 1),
          fmt(median(samples), 1),
          fmt(q(samples, 0.99), 1),
          fmt(max, 1),
        ]);
        if (max > STALL_TARGET_MS)
          part.missed.push(
            `Stall on ${store.name}: /health waited ${fmt(max)} ms while ${PARALLEL} ${kind} batches were stored (target ≤ ${STALL_TARGET_MS} ms).`,
          );
      }
    }
  });
  part.tables.push({
    title: `/health latency while big batches are stored (${store.name})`,
    headers: ['load', 'batches took (s)', '/health p50 (ms)', 'p99 (ms)', 'max (ms)'],
    rows,
  });
  const worst = Math.max(...rows.slice(1).map((r) => Number(r[4]!.replace(/,/g, ''))));
  part.headline.push(
    `Big batches on ${store.name}: /health answers within ${fmt(worst)} ms at worst while ${PARALLEL} × ${fmt(BATCH)}-message batches are stored.`,
  );
  return part;
}
