import { config } from '../config.js';
import { getJson } from '../lib/http.js';
import { fmt, ratio } from '../lib/stats.js';
import type { BenchStore } from '../lib/stores.js';
import { yesNo, type Part } from '../report/model.js';
import { load } from './load.js';
import { sampleLockWaits } from './lock-waits.js';
import { timeMerges } from './merge.js';
import { startCollector, withServers } from './servers.js';
import { SEEDED_NOTE, seedVisitors } from './seed.js';
import { anonymousIds, identifyBodies } from './traffic.js';

/** "Close to 1": a merge of a 100,000-event profile may take at most this many times a 10-event one. */
const MERGE_TARGET = 1.5;

export const IDENTIFY_METHOD = [
  `Identifies/s: ${fmt(config.identifyWarmup + config.identifies + config.serialIdentifies)} anonymous visitors are seeded first (one \`page\` each, through the API; ${SEEDED_NOTE}). Each request is then a batch of one \`identify\` in which the next of them leaves a new email address (\`traits.email\`): an email attached to a known anonymous profile, a write under the identity lock. After ${fmt(config.identifyWarmup)} such identifies of other seeded visitors (a warm-up, unmeasured, with ${config.connections} connections: the measured path itself, so V8 has compiled it and the store's connections have prepared its statements before the clock runs), ${fmt(config.identifies)} identifies with ${config.connections} connections, then ${fmt(config.serialIdentifies)} with a single connection, whose rate shows how much of the work runs in parallel at all. On PostgreSQL, pg_locks is sampled every 50 ms during the ${config.connections}-connection run for sessions waiting on an advisory lock (the collector's identity locks, one per identifier and per profile: identifies of different people do not wait for each other).`,
  `Merge: an anonymous profile (a first \`page\` through the API, then its history added in one SQL statement straight into \`events\`, under its anonymous ID as ingest stores it) and an identified profile (an \`identify\` with an email from another anonymous ID); the timed request is the tracking-API \`identify\` that links the anonymous ID to that email, which merges the anonymous profile into the identified one. All profiles are prepared first (on PostgreSQL followed by \`vacuum analyze events\`, so autovacuum does not wake up mid-measurement), then timed from the bench process (loopback HTTP included): 3 warm-up merges, then ${config.mergeRepeats} merges per size, sizes alternating; medians. Each merge is verified: the anonymous ID must then look up to the survivor. Target: the ${fmt(config.mergeEvents)}-event merge takes at most ${MERGE_TARGET}× the 10-event one.`,
];

/**
 * Warms the path measured identifies take, unmeasured: each of `visitors`
 * (seeded, so each a known anonymous visitor) leaves a new email, with the
 * measured connections.
 */
export const warmIdentifies = (url: string, visitors: string[]) =>
  load(url, identifyBodies(config.writeKey, visitors), 1, { amount: visitors.length });

/** Identify throughput and merge cost against history size on one store (issue 4 §4, §6). */
export async function measureIdentify(store: BenchStore): Promise<Part> {
  const location = await store.fresh('identify');
  const part: Part = { tables: [], method: IDENTIFY_METHOD, missed: [], findings: [], headline: [] };
  await withServers([() => startCollector(location)], async ([collector]) => {
    const url = `${collector!.url}/v1/batch`;
    const warm = anonymousIds(config.identifyWarmup);
    const pool = anonymousIds(config.identifies + config.serialIdentifies);
    const seedStart = performance.now();
    await seedVisitors(collector!.url, location, [...warm, ...pool]);
    const seedRate = (warm.length + pool.length) / ((performance.now() - seedStart) / 1000);

    await warmIdentifies(url, warm);
    const { result: r, waits } = await sampleLockWaits(
      location,
      load(url, identifyBodies(config.writeKey, pool.slice(0, config.identifies)), 1, { amount: config.identifies }),
    );
    const serial = await load(url, identifyBodies(config.writeKey, pool.slice(config.identifies)), 1, {
      amount: config.serialIdentifies,
      connections: 1,
    });
    const sample = await getJson<{ status: string; email: string }>(
      `${collector!.url}/api/profiles/lookup?anonymousId=${pool[0]}`,
      config.secretKey,
    );
    if (sample.status !== 'identified' || !sample.email) throw new Error(`identify did not identify ${pool[0]}: ${JSON.stringify(sample)}`);

    const merges = await timeMerges(collector!.url, location);
    const mergeRatio = ratio(merges.largeMedian, merges.smallMedian)!;
    if (mergeRatio > MERGE_TARGET)
      part.missed.push(
        `Merge on ${store.name}: a ${fmt(config.mergeEvents)}-event profile merges in ${fmt(mergeRatio, 2)}× the time of a 10-event one (target ≤ ${MERGE_TARGET}).`,
      );
    const na = ['—', '—', '—'];
    part.tables.push({
      title: `Identify and merge, ${store.name}`,
      headers: ['measure', 'Threadline', 'compared with', 'ratio', 'target', 'met'],
      rows: [
        [
          `identifies/s, ${config.connections} connections (vs 1 connection)`,
          fmt(r.requestsPerSec),
          fmt(serial.requestsPerSec),
          fmt(ratio(r.requestsPerSec, serial.requestsPerSec), 2),
          '—',
          '—',
        ],
        [
          `identify latency p50 / p99 ms, ${config.connections} connections (vs 1 connection)`,
          `${fmt(r.p50, 1)} / ${fmt(r.p99, 1)}`,
          `${fmt(serial.p50, 1)} / ${fmt(serial.p99, 1)}`,
          ...na,
        ],
        [
          'requests waiting for an identity lock, mean / peak of 50 ms samples',
          waits ? `${fmt(waits.mean, 1)} / ${waits.peak}` : '— (SQLite: one connection)',
          '—',
          ...na,
        ],
        ['failed requests', String(r.failed + serial.failed), '—', ...na],
        [
          `merge latency, ${fmt(config.mergeEvents)}-event profile (vs 10-event profile), median ms`,
          fmt(merges.largeMedian, 1),
          fmt(merges.smallMedian, 1),
          fmt(mergeRatio, 2),
          `≤ ${MERGE_TARGET}`,
          yesNo(mergeRatio <= MERGE_TARGET),
        ],
        [
          'merge latency, every run (ms)',
          merges.large.map((x) => fmt(x, 1)).join(', '),
          merges.small.map((x) => fmt(x, 1)).join(', '),
          ...na,
        ],
        ['new anonymous visitors/s while seeding (250 first `page` events a request)', fmt(seedRate), '—', ...na],
      ],
    });
    part.findings.push(
      `Identify on ${store.name}: ${fmt(r.requestsPerSec)}/s with ${config.connections} connections against ${fmt(serial.requestsPerSec)}/s with one (${fmt(ratio(r.requestsPerSec, serial.requestsPerSec), 2)}×)${waits ? `; during the ${config.connections}-connection run ${fmt(waits.mean, 1)} requests on average (peak ${waits.peak}) were waiting for an identity lock` : ''}.`,
    );
    part.headline.push(
      `Identify on ${store.name}: ${fmt(r.requestsPerSec)} identifies/s (p99 ${fmt(r.p99, 0)} ms); merging a ${fmt(config.mergeEvents)}-event profile takes ${fmt(mergeRatio, 2)}× a 10-event one (${fmt(merges.largeMedian, 1)} vs ${fmt(merges.smallMedian, 1)} ms).`,
    );
  });
  await store.release(location);
  return part;
}
