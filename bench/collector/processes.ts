import { readdirSync, readFileSync } from 'node:fs';
import { config } from '../config.js';
import { databaseCpuDuring } from '../lib/db-cpu.js';
import { machineCpuMs, processCpuMs } from '../lib/process-cpu.js';
import { fmt, ratio } from '../lib/stats.js';
import type { BenchStore } from '../lib/stores.js';
import type { Part } from '../report/model.js';
import { warmIdentifies } from './identify.js';
import { load, type LoadResult } from './load.js';
import { startCollector, withServers } from './servers.js';
import { SEEDED_NOTE, seedVisitors } from './seed.js';
import { anonymousIds, identifyBodies, trackBatches } from './traffic.js';

/** Process counts (THREADLINE_PROCESSES) and connections each (THREADLINE_DB_POOL) compared. */
const LAYOUTS = [
  { n: 1, pool: 10 },
  { n: 2, pool: 10 },
  { n: 3, pool: 10 },
  // The same total of connections as one process, divided among three.
  { n: 3, pool: 3 },
];
const COUNTS = [...new Set(LAYOUTS.map((l) => l.n))];
const label = (l: { n: number; pool: number }) => `${l.n} × ${l.pool}`;
/** Track events a request in the ingest run. */
const BATCH = 20;

export const PROCESSES_METHOD = [
  `Several processes (issue 13): for each layout of ${LAYOUTS.map(label).join(', ')} (collector processes \`THREADLINE_PROCESSES\` × PostgreSQL connections each \`THREADLINE_DB_POOL\`; server.ts → cluster-primary.ts, node:cluster sharing one port) on a fresh PostgreSQL database: ${fmt(config.visitors)} known visitors and ${fmt(config.identifies)} identify visitors and ${fmt(config.identifyWarmup)} more a process seeded (${SEEDED_NOTE}), ${config.warmupS} s warm-up, then ${config.durationS} s of track batches of ${BATCH} from known visitors, ${fmt(config.identifyWarmup)} identifies a process of the seeded visitors (a warm-up down the measured path, as in section 4), and then ${fmt(config.identifies)} identifies (a new email on a known anonymous visitor, as in section 4), each with ${config.connections} connections. CPU from /proc while each runs: the collector processes (primary and workers), the PostgreSQL backends serving the database, and the bench process itself (autocannon, the load generator), and whatever else ran on the machine meanwhile (/proc/stat less those three), each as a share of the ${fmt(2 * 1000)} ms of CPU a second the 2 cores offer, and as CPU milliseconds per 1,000 events or identifies (the work each costs, whatever the rate).`,
];

/** Pids of the primary and its cluster workers (children of the primary). */
function processTree(pid: number): number[] {
  const children: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const listed = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      if (listed) children.push(...listed.split(' ').map(Number));
    }
  } catch {
    // No /proc: only the primary is counted.
  }
  return [pid, ...children];
}

const cpuOf = (pids: number[]) => pids.reduce((ms, pid) => ms + (processCpuMs(pid) ?? 0), 0);
const benchCpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

interface Run {
  result: LoadResult;
  seconds: number;
  collectorMs: number;
  databaseMs: number;
  benchMs: number;
  /** CPU the rest of the machine used meanwhile (other work sharing the cores). */
  otherMs: number;
}

/** Loads the collector while reading the CPU each party spends. */
async function measured(location: string, pids: number[], work: () => Promise<LoadResult>): Promise<Run> {
  const [c0, b0, m0, t0] = [cpuOf(pids), benchCpu(), machineCpuMs(), performance.now()];
  const { result, dbCpuMs } = await databaseCpuDuring(location, work);
  const seconds = (performance.now() - t0) / 1000;
  const [collectorMs, databaseMs, benchMs] = [cpuOf(pids) - c0, dbCpuMs ?? 0, benchCpu() - b0];
  return { result, seconds, collectorMs, databaseMs, benchMs, otherMs: machineCpuMs() - m0 - collectorMs - databaseMs - benchMs };
}

const share = (ms: number, seconds: number) => `${fmt((ms / seconds / 2000) * 100)} %`;
/** CPU ms per 1,000 units (events or identifies) served in the run. */
const perThousand = (ms: number, units: number) => (units ? (ms / units) * 1000 : Number.NaN);

/** Ingest and identify with 1, 2 and 3 collector processes on one PostgreSQL (issue 13). */
export async function measureProcesses(store: BenchStore): Promise<Part> {
  const part: Part = { tables: [], method: PROCESSES_METHOD, missed: [], findings: [], headline: [] };
  const rows: string[][] = [];
  const byCount = new Map<string, { ingest: Run; identify: Run }>();
  for (const layout of LAYOUTS) {
    const { n, pool } = layout;
    const location = await store.fresh(`processes${n}_${pool}`);
    const env = { THREADLINE_PROCESSES: String(n), THREADLINE_DB_POOL: String(pool) };
    await withServers([() => startCollector(location, { env })], async ([collector]) => {
      const url = `${collector!.url}/v1/batch`;
      const visitors = anonymousIds(config.visitors);
      // As many warm-up identifies a process as one process gets.
      const warm = anonymousIds(config.identifyWarmup * n);
      const identifying = anonymousIds(config.identifies);
      await seedVisitors(collector!.url, location, [...visitors, ...warm, ...identifying]);
      const pids = processTree(collector!.pid);
      await load(url, trackBatches(config.writeKey, visitors, BATCH), BATCH, { seconds: config.warmupS });
      const ingest = await measured(location, pids, () => load(url, trackBatches(config.writeKey, visitors, BATCH), BATCH));
      // Every process compiles the measured identify path before the clock runs.
      await warmIdentifies(url, warm);
      const identify = await measured(location, pids, () =>
        load(url, identifyBodies(config.writeKey, identifying), 1, { amount: config.identifies }),
      );
      byCount.set(label(layout), { ingest, identify });
      for (const [what, run, unit, units] of [
        ['ingest, events/s', ingest, ingest.result.eventsPerSec, ingest.result.ok * BATCH],
        ['identifies/s', identify, identify.result.requestsPerSec, identify.result.ok],
      ] as const) {
        rows.push([
          label(layout),
          what,
          fmt(unit),
          `${fmt(run.result.p50, 1)} / ${fmt(run.result.p99, 1)}`,
          share(run.collectorMs, run.seconds),
          share(run.databaseMs, run.seconds),
          `${fmt(perThousand(run.collectorMs, units))} / ${fmt(perThousand(run.databaseMs, units))}`,
          share(run.benchMs, run.seconds),
          share(run.otherMs, run.seconds),
          String(run.result.failed),
        ]);
      }
    });
    await store.release(location);
  }
  part.tables.push({
    title: 'Collector processes on one PostgreSQL (2 cores)',
    headers: [
      'processes × connections',
      'measure',
      'rate',
      'p50 / p99 ms',
      'collector CPU',
      'PostgreSQL CPU',
      'CPU ms per 1,000: collector / PostgreSQL',
      'load generator CPU',
      'other work on the machine',
      'failed',
    ],
    rows,
  });
  const one = byCount.get(label(LAYOUTS[0]!));
  for (const layout of LAYOUTS.slice(1)) {
    const r = byCount.get(label(layout));
    if (!one || !r) continue;
    const work = (run: Run, base: Run, units: (x: Run) => number) =>
      fmt(ratio((run.collectorMs + run.databaseMs) / units(run), (base.collectorMs + base.databaseMs) / units(base)), 2);
    part.findings.push(
      `${label(layout)} against ${label(LAYOUTS[0]!)}: ingest ${fmt(ratio(r.ingest.result.eventsPerSec, one.ingest.result.eventsPerSec), 2)}×, identify ${fmt(ratio(r.identify.result.requestsPerSec, one.identify.result.requestsPerSec), 2)}×; CPU (collector and PostgreSQL) per event ${work(r.ingest, one.ingest, (x) => x.result.ok)}×, per identify ${work(r.identify, one.identify, (x) => x.result.ok)}×.`,
    );
  }
  const last = LAYOUTS.find((l) => l.n === COUNTS[COUNTS.length - 1]);
  const top = last && byCount.get(label(last));
  if (top)
    part.findings.push(
      `Where the time goes with ${label(last!)} (identify): collectors ${share(top.identify.collectorMs, top.identify.seconds)}, PostgreSQL ${share(top.identify.databaseMs, top.identify.seconds)}, load generator ${share(top.identify.benchMs, top.identify.seconds)}, other work on the machine ${share(top.identify.otherMs, top.identify.seconds)} of the 2 cores: they all share them, so more collector processes only help while the cores are not already busy, and once they are, each event and identify costs more CPU (the per-1,000 column), in the collectors and in PostgreSQL alike. The ${label(LAYOUTS[LAYOUTS.length - 1]!)} row holds the connections to one process's total, to tell a cost of connections from a cost of processes.`,
    );
  part.headline.push(
    `Processes × connections on one PostgreSQL: identify ${LAYOUTS.map((l) => `${label(l)}: ${fmt(byCount.get(label(l))?.identify.result.requestsPerSec)}/s`).join(', ')}; ingest ${LAYOUTS.map((l) => `${label(l)}: ${fmt(byCount.get(label(l))?.ingest.result.eventsPerSec)} events/s`).join(', ')}.`,
  );
  return part;
}
