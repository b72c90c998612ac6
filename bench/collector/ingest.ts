import { config } from '../config.js';
import { postAll } from '../lib/http.js';
import { fmt, ratio } from '../lib/stats.js';
import type { BenchStore } from '../lib/stores.js';
import type { Part } from '../report/model.js';
import { yesNo } from '../report/model.js';
import { diagnoseIngest } from './diagnose.js';
import { compareLoads, type LoadResult } from './load.js';
import { startBaseline, startCollector, withServers } from './servers.js';
import { storedEvents } from './stored-rows.js';
import { anonymousIds, seedBodies, trackBatches } from './traffic.js';

const TARGET = 0.7;

export const INGEST_METHOD = [
  `Ingest: \`POST /v1/batch\` bodies of 1, 20 and 100 \`track\` events (SDK-shaped, ~600 B each) from ${fmt(config.visitors)} already-known anonymous visitors (one \`page\` each seeded first), every request with new messageIds, ${config.connections} connections, ${config.warmupS} s warm-up, then ${config.durationS} s measured per server and batch size, in ${config.rounds} slices alternating collector and baseline so that other work on the machine hits both (autocannon, loopback). Events/s = 2xx answers × batch size ÷ measured seconds; p50/p99 are request latencies (the median of the slices' percentiles).`,
  "Baseline: `bench/baseline-server.ts`, a bare Hono route that parses the body and writes the same event rows with the collector's own `openDatabase` and `insertEvents` (same schema, pragmas, pool and SQL), without validation, key check, de-duplication read or identity work. Baseline and collector each get a fresh database, the same seed, and the same process layout (each server its own Node process, autocannon in the bench process).",
  'After the runs, the rows in each `events` table are counted against the events acknowledged with 2xx, so a fast answer that stored nothing would show.',
  "Where a batch size misses the target, both servers run that load again with bench/collector/instrument.ts loaded: it counts SQL statements (better-sqlite3 statements run, pg queries sent) and records a V8 CPU profile (1 ms sampling; a sample's time is capped at 2 ms so moments the process was descheduled are not booked to a random frame). Totals come from /proc: the server process, and on PostgreSQL the backends serving the bench database. Samples are booked to the package or source file of the frame, native frames to their caller (SQLite's own work therefore shows under Kysely's SQLite driver); the profiler's own work is left out. V8 books JSON.parse to its caller, so the collector's json-body.ts and the baseline's own file are counterparts; the \"Why\" lines therefore compare by role (SQL, HTTP, request code, GC). The profile slows both servers, so its requests/s are not the benchmark figures.",
];

/** Ingest throughput of the collector against the bare-route baseline on one store (issue 4 §3, §6). */
export async function measureIngest(store: BenchStore): Promise<Part> {
  const dbs = { baseline: await store.fresh('ingest_baseline'), collector: await store.fresh('ingest_collector') };
  const visitors = anonymousIds(config.visitors);
  const acked = { baseline: visitors.length, collector: visitors.length };
  const results: Array<{ size: number; base: LoadResult; ours: LoadResult; spread: string }> = [];

  await withServers([() => startBaseline(dbs.baseline), () => startCollector(dbs.collector)], async ([baseline, collector]) => {
    for (const s of [baseline!, collector!]) await postAll(`${s.url}/v1/batch`, seedBodies(config.writeKey, visitors));
    for (const size of config.batchSizes) {
      const {
        results: [base, ours],
        slices,
        acknowledged,
      } = await compareLoads(
        [baseline!, collector!].map((s) => ({ url: `${s.url}/v1/batch`, nextBody: trackBatches(config.writeKey, visitors, size) })),
        size,
      );
      acked.baseline += acknowledged[0]! * size;
      acked.collector += acknowledged[1]! * size;
      // Each round's own ratio: how much the verdict could move with the machine's other work.
      const perRound = slices[1]!.map((s, i) => s.eventsPerSec / slices[0]![i]!.eventsPerSec).filter(Number.isFinite);
      results.push({ size, base: base!, ours: ours!, spread: `${fmt(Math.min(...perRound), 2)}–${fmt(Math.max(...perRound), 2)}` });
    }
  });

  const stored = { baseline: await storedEvents(dbs.baseline), collector: await storedEvents(dbs.collector) };
  const part: Part = { tables: [], method: INGEST_METHOD, missed: [], findings: [], headline: [] };
  const ms = (r: LoadResult) => `${fmt(r.p50, 1)} / ${fmt(r.p99, 1)}`;
  part.tables.push({
    title: `Ingest, ${store.name}`,
    headers: [
      'batch size',
      'Threadline events/s',
      'baseline events/s',
      'ratio',
      'ratio per round (min–max)',
      'target',
      'met',
      'Threadline p50 / p99 ms',
      'baseline p50 / p99 ms',
      'failed requests (ours / baseline)',
    ],
    rows: results.map(({ size, base, ours, spread }) => {
      const r = ratio(ours.eventsPerSec, base.eventsPerSec);
      if (r !== undefined && r < TARGET)
        part.missed.push(`Ingest on ${store.name}, batch ${size}: ${fmt(r, 2)} of the baseline (target ≥ ${TARGET}).`);
      return [
        String(size),
        fmt(ours.eventsPerSec),
        fmt(base.eventsPerSec),
        fmt(r, 2),
        spread,
        `≥ ${TARGET}`,
        yesNo(r === undefined ? undefined : r >= TARGET),
        ms(ours),
        ms(base),
        `${ours.failed} / ${base.failed}`,
      ];
    }),
  });
  part.headline.push(
    `Ingest on ${store.name}: ${results.map(({ size, base, ours }) => `batch ${size} ${fmt(ours.eventsPerSec)} events/s (${fmt(ratio(ours.eventsPerSec, base.eventsPerSec), 2)} of baseline)`).join(', ')}.`,
  );
  // autocannon stops counting at the deadline, but the requests then in flight still complete: at most one a connection and run.
  const inFlight = config.batchSizes.reduce((sum, size) => sum + (1 + config.rounds) * config.connections * size, 0);
  for (const who of ['collector', 'baseline'] as const) {
    const ok = stored[who] >= acked[who] && stored[who] <= acked[who] + inFlight;
    const line = `${store.name} ${who}: ${fmt(stored[who])} event rows stored for ${fmt(acked[who])} events acknowledged (seed and warm-up included; up to ${fmt(inFlight)} more were in flight when runs stopped).`;
    (ok ? part.findings : part.missed).push(ok ? line : `Stored rows do not match acknowledged events — ${line}`);
  }
  const missedSizes = results.filter(({ base, ours }) => (ratio(ours.eventsPerSec, base.eventsPerSec) ?? 1) < TARGET).map((r) => r.size);
  if (missedSizes.length) {
    const why = await diagnoseIngest(store, missedSizes);
    part.tables.push(...why.tables);
    part.findings.push(...why.findings);
  }
  return part;
}
