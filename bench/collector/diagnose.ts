import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { config } from '../config.js';
import type { ServerProcess } from '../lib/server-process.js';
import { databaseCpuDuring } from '../lib/db-cpu.js';
import { processCpuMs } from '../lib/process-cpu.js';
import { fmt, ratio } from '../lib/stats.js';
import type { BenchStore } from '../lib/stores.js';
import type { Table } from '../report/model.js';
import { load } from './load.js';
import { PROFILER, roleOf, timeByArea, type CpuProfile } from './profile-areas.js';
import { startBare, startCollector, withServers } from './servers.js';
import { seedVisitors } from './seed.js';
import { anonymousIds, trackBatches } from './traffic.js';

const PROFILE_S = Math.max(3, Math.round(config.durationS / 2));
const INTERVAL_US = 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Profiled {
  sent: number;
  perSec: number;
  statements: number;
  /** Server CPU (user + system) per request from /proc, µs: the reliable total the sampled areas split up. */
  cpuUs?: number;
  /** PostgreSQL backends' CPU per request, µs (undefined on SQLite, which runs inside the server). */
  dbCpuUs?: number;
  areas: Map<string, number>;
}

/**
 * Loads `server` (on database `db`) for PROFILE_S while it records a CPU
 * profile and counts SQL statements (bench/collector/instrument.ts); CPU
 * totals come from /proc for the server and the PostgreSQL backends.
 */
async function profiled(server: ServerProcess, db: string, file: string, n: number, body: () => string, size: number): Promise<Profiled> {
  await load(`${server.url}/v1/batch`, body, size, { seconds: 1 });
  process.kill(server.pid, 'SIGUSR2');
  await sleep(200);
  const cpu0 = processCpuMs(server.pid);
  const { result: r, dbCpuMs } = await databaseCpuDuring(db, async () => {
    const loaded = await load(`${server.url}/v1/batch`, body, size, { seconds: PROFILE_S });
    await sleep(500); // requests in flight at the deadline finish inside the profile
    return loaded;
  });
  const cpu1 = processCpuMs(server.pid);
  process.kill(server.pid, 'SIGUSR2');
  for (let i = 0; i < 100 && !existsSync(`${file}.${n}.statements`); i++) await sleep(100);
  const statements = Number(readFileSync(`${file}.${n}.statements`, 'utf8'));
  const profile = JSON.parse(readFileSync(`${file}.${n}.cpuprofile`, 'utf8')) as CpuProfile;
  const perRequest = (ms: number | undefined) => (ms === undefined ? undefined : (ms * 1000) / r.sent);
  return {
    sent: r.sent,
    perSec: r.requestsPerSec,
    statements,
    cpuUs: perRequest(cpu0 === undefined ? undefined : cpu1! - cpu0),
    dbCpuUs: perRequest(dbCpuMs),
    areas: timeByArea(profile, 2 * INTERVAL_US),
  };
}

/**
 * Why the collector is slower than the bare baseline (bench/bare-server.ts), measured: both servers run
 * again with a CPU profiler and a SQL statement counter, under the same load
 * for each batch size in `sizes`; CPU time per request is split by package
 * or source file (native frames booked to their caller).
 */
export async function diagnoseIngest(store: BenchStore, sizes: number[]): Promise<{ tables: Table[]; findings: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'threadline-profile-'));
  const files = { baseline: join(dir, 'baseline'), collector: join(dir, 'collector') };
  const dbs = { baseline: await store.fresh('diag_baseline'), collector: await store.fresh('diag_collector') };
  const instrument = (file: string) => ({
    nodeArgs: ['--import', './bench/collector/instrument.ts'],
    env: { BENCH_PROFILE_FILE: file, BENCH_PROFILE_INTERVAL_US: String(INTERVAL_US) },
    // The profiles book time to source files: both servers run through tsx.
    fromSource: true,
  });
  const visitors = anonymousIds(config.visitors);
  const tables: Table[] = [];
  const findings: string[] = [];
  try {
    await withServers(
      [() => startBare(dbs.baseline, instrument(files.baseline)), () => startCollector(dbs.collector, instrument(files.collector))],
      async ([baseline, collector]) => {
        await seedVisitors(baseline!.url, dbs.baseline, visitors);
        await seedVisitors(collector!.url, dbs.collector, visitors);
        for (const [i, size] of sizes.entries()) {
          const base = await profiled(baseline!, dbs.baseline, files.baseline, i + 1, trackBatches(config.writeKey, visitors, size), size);
          const ours = await profiled(
            collector!,
            dbs.collector,
            files.collector,
            i + 1,
            trackBatches(config.writeKey, visitors, size),
            size,
          );
          tables.push(whereTimeGoes(store.name, size, ours, base));
          findings.push(explain(store.name, size, ours, base));
        }
      },
    );
  } finally {
    if (config.keepProfiles) console.log(`bench: CPU profiles kept in ${dir} (open the .cpuprofile files in Chrome DevTools)`);
    else rmSync(dir, { recursive: true, force: true });
  }
  return { tables, findings };
}

const us = (p: Profiled, area: string) => (p.areas.get(area) ?? 0) / p.sent;
const busy = (a: string) => !a.startsWith('idle') && a !== PROFILER;
const total = (p: Profiled) => [...p.areas].reduce((n, [a, t]) => (busy(a) ? n + t : n), 0) / p.sent;
const areasOf = (ours: Profiled, base: Profiled) => [...new Set([...ours.areas.keys(), ...base.areas.keys()])].filter(busy);

/** The measured reason in one sentence: statements, CPU, and the extra time by role, with the largest collector files named. */
function explain(storeName: string, size: number, ours: Profiled, base: Profiled): string {
  const extra = total(ours) - total(base);
  const byRole = new Map<string, number>();
  for (const a of areasOf(ours, base)) byRole.set(roleOf(a), (byRole.get(roleOf(a)) ?? 0) + us(ours, a) - us(base, a));
  const roles = [...byRole].sort((a, b) => b[1] - a[1]).filter(([, d]) => Math.abs(d) >= 0.05 * Math.abs(extra));
  const files = areasOf(ours, base)
    .filter((a) => a.startsWith('packages/'))
    .sort((a, b) => us(ours, b) - us(ours, a))
    .slice(0, 3);
  const pct = (d: number) => `${fmt((100 * d) / extra)} %`;
  return `Why, ${storeName} batch ${size} (profiled): the collector runs ${fmt(ours.statements / ours.sent, 1)} SQL statements a request where the bare baseline runs ${fmt(base.statements / base.sent, 1)}, and its server process uses ${fmt(ours.cpuUs)} µs of CPU a request against ${fmt(base.cpuUs)} µs (${fmt(ratio(ours.cpuUs, base.cpuUs), 2)}×, from /proc)${ours.dbCpuUs === undefined ? '' : `, PostgreSQL ${fmt(ours.dbCpuUs)} µs against ${fmt(base.dbCpuUs)} µs`}. In the sampled profile the extra ${fmt(extra)} µs a request is ${roles.map(([r, d]) => `${r} ${d >= 0 ? '+' : ''}${fmt(d)} µs (${pct(d)})`).join(', ')}; the collector's own files that cost most: ${files.map((f) => `${f.replace('packages/collector/src/', '')} ${fmt(us(ours, f))} µs`).join(', ')}.`;
}

function whereTimeGoes(storeName: string, size: number, ours: Profiled, base: Profiled): Table {
  const weight = (a: string) => Math.max(us(ours, a), us(base, a));
  const top = areasOf(ours, base)
    .sort((a, b) => weight(b) - weight(a))
    .slice(0, 14);
  return {
    title: `Where the time goes: ${storeName}, batch ${size} — server µs per request (profiled run, ${PROFILE_S} s, sampled every ${INTERVAL_US} µs)`,
    headers: ['', 'Threadline', 'bare baseline', 'difference'],
    rows: [
      ['requests/s while profiled', fmt(ours.perSec), fmt(base.perSec), ''],
      [
        'SQL statements per request',
        fmt(ours.statements / ours.sent, 1),
        fmt(base.statements / base.sent, 1),
        fmt(ours.statements / ours.sent - base.statements / base.sent, 1),
      ],
      ['server CPU per request, from /proc (µs)', fmt(ours.cpuUs), fmt(base.cpuUs), fmt((ours.cpuUs ?? NaN) - (base.cpuUs ?? NaN))],
      ...(ours.dbCpuUs === undefined
        ? []
        : [
            [
              "PostgreSQL backends' CPU per request, from /proc (µs)",
              fmt(ours.dbCpuUs),
              fmt(base.dbCpuUs),
              fmt(ours.dbCpuUs - (base.dbCpuUs ?? NaN)),
            ],
          ]),
      ['sampled busy time per request, all areas below (µs)', fmt(total(ours)), fmt(total(base)), fmt(total(ours) - total(base))],
      [
        'idle per request (µs; waiting on I/O, the database or a CPU)',
        ...[ours, base].map((p) => fmt(us(p, 'idle (waiting: I/O, database, CPU)'))),
        '',
      ],
      ...top.map((a) => [a, fmt(us(ours, a)), fmt(us(base, a)), fmt(us(ours, a) - us(base, a))]),
    ],
  };
}
