import { statSync } from 'node:fs';
import { config } from '../config.js';
import { databaseCpuDuring } from '../lib/db-cpu.js';
import { processCpuMs } from '../lib/process-cpu.js';
import { processMemory } from '../lib/process-memory.js';
import { fmt } from '../lib/stats.js';
import type { BenchStore } from '../lib/stores.js';
import { yesNo, type Part } from '../report/model.js';
import { startCollector, withServers } from '../collector/servers.js';
import { expectedReport, type ExpectedReport } from './import-csv.js';
import { csvFile, upload } from './import-upload.js';

const MiB = 1024 * 1024;
/** Issue 12's targets for the full-size import, rows a second from upload to report (Citus: PostgreSQL's, where it is measured). */
export const IMPORT_TARGETS: Record<BenchStore['name'], number> = { sqlite: 20_000, postgres: 10_000, citus: 10_000 };

interface Run {
  rows: number;
  bytes: number;
  seconds: number;
  rssBefore: number | undefined;
  peak: number | undefined;
  /** CPU seconds of the collector process and (PostgreSQL) of the database backends during the upload: where the wall clock went. */
  collectorCpuS: number | undefined;
  dbCpuS: number | undefined;
  report: ExpectedReport & { status: string };
}

/** One import of `rows` generated rows into a fresh collector process on `store`, on a database of its own (`run` keeps repeats apart). */
async function importOnce(store: BenchStore, rows: number, run = 0): Promise<Run> {
  const file = await csvFile(rows);
  const location = await store.fresh(`import_${rows}_${run}`);
  const profile = config.importCpuProfDir
    ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${config.importCpuProfDir}`], fromSource: true }
    : {};
  const result = await withServers([() => startCollector(location, profile)], async ([collector]) => {
    const { pid, url } = collector!;
    const rssBefore = processMemory(pid)?.rss;
    const cpuBefore = processCpuMs(pid);
    const t0 = performance.now();
    const { result: report, dbCpuMs } = await databaseCpuDuring(location, () => upload(url, file));
    const seconds = (performance.now() - t0) / 1000;
    const cpuAfter = processCpuMs(pid);
    const collectorCpuS = cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore) / 1000;
    const dbCpuS = dbCpuMs === undefined ? undefined : dbCpuMs / 1000;
    return { rows, bytes: statSync(file).size, seconds, rssBefore, peak: processMemory(pid)?.peak, collectorCpuS, dbCpuS, report };
  });
  await store.release(location);
  return result;
}

const countsMatch = (run: Run) => {
  const want = expectedReport(run.rows);
  return run.report.status === 'done' && (Object.keys(want) as Array<keyof ExpectedReport>).every((k) => run.report[k] === want[k]);
};
const fmtS = (n: number | undefined) => (n === undefined ? '—' : fmt(n, 1));
const mb = (n: number | undefined) => (n === undefined ? '—' : `${fmt(n / MiB, 0)} MB`);

const IMPORT_METHOD = `CSV import: a generated contact export (BOM, CRLF, quoted fields; per 20 rows 14 new contacts, 1 repeat, 1 merge of a walk-in into a known customer, 1 refused merge, 3 bad rows) is streamed with its length declared to \`POST /api/imports\` of the collector in its own process (what \`npm start\` runs, the compiled \`packages/collector/dist/server.js\`, LOG_LEVEL=warn; through tsx before 2026-12-06) on a fresh database; the clock runs from the first byte sent to the report received. Peak memory is the process's VmHWM from /proc after the import, against its RSS before the upload; the same is measured with a file a tenth the size, on another fresh database and process, so a peak that grew with the file would show. CPU seconds are the collector process's user and system time from /proc over the upload and, on PostgreSQL, those of the database's backends (bench/lib/db-cpu.ts): where the wall clock went, and how much of it was waiting. Targets (issue 12): 20,000 rows/s on SQLite and 10,000 on PostgreSQL for the full file, with the peak memory flat in the file size. The full-size import runs BENCH_IMPORT_RUNS times (default 3), each on a fresh database and process, and the median run by rows/s is the store's figure, its CPU seconds the ones shown; every run's rate is listed, and the peak memory is the largest of them. BENCH_IMPORT_ROWS sets the size (default 1,000,000); BENCH_IMPORT_STORES the stores (default both). The machine is shared: rows/s move with its load.`;

/**
 * CSV import throughput and the collector's memory (SPEC §5, issue: imports):
 * a generated contact file streamed to POST /api/imports of a separate
 * collector process, once at full size and once at a tenth, on a fresh
 * database each. Memory bounded means the peak does not grow with the file.
 */
export async function measureImport(store: BenchStore): Promise<Part> {
  const small = await importOnce(store, Math.max(1000, Math.round(config.importRows / 10)));
  const fulls: Run[] = [];
  for (let i = 0; i < Math.max(1, config.importRuns); i++) fulls.push(await importOnce(store, config.importRows, i));
  const wrong = [small, ...fulls].find((r) => !countsMatch(r));
  const ok = !wrong;
  if (wrong)
    throw new Error(
      `import report on ${store.name} differs from the file's: ${JSON.stringify({ ...wrong.report, rejections: undefined })}`,
    );
  const rate = (r: Run) => r.rows / r.seconds;
  // The median run by rows/s (the lower middle of an even count) stands for the store; every run's rate is listed beside it.
  const full = [...fulls].sort((a, b) => rate(a) - rate(b))[Math.floor((fulls.length - 1) / 2)]!;
  const peak = Math.max(...fulls.map((r) => r.peak ?? 0)) || undefined;
  const every = fulls.map((r) => fmt(rate(r))).join(' / ');
  const target = IMPORT_TARGETS[store.name];
  const met = rate(full) >= target;
  const { report } = full;
  const cpu = (r: Run) => `${fmtS(r.collectorCpuS)} / ${r.dbCpuS === undefined ? '— (in process)' : fmtS(r.dbCpuS)}`;
  const perRow = (s: number | undefined) => (s === undefined ? '—' : fmt((s * 1e6) / full.rows, 0));
  const db =
    full.dbCpuS === undefined ? ', SQLite included' : `, the PostgreSQL backends ${fmtS(full.dbCpuS)} s (${perRow(full.dbCpuS)} µs a row)`;
  const where = `the collector process was on CPU ${fmtS(full.collectorCpuS)} s of the ${fmt(full.seconds, 0)} s (${perRow(full.collectorCpuS)} µs a row)${db}`;
  return {
    tables: [
      {
        title: `CSV import, ${store.name}`,
        headers: ['measure', `${fmt(full.rows)} rows`, `${fmt(small.rows)} rows`],
        rows: [
          [
            `rows/s (wall clock, upload to report${fulls.length > 1 ? `; the median of ${fulls.length} runs` : ''})`,
            fmt(rate(full)),
            fmt(rate(small)),
          ],
          ['rows/s of every full-size run, in order', every, '—'],
          ['target rows/s (full file) / met', `≥ ${fmt(target)} / ${yesNo(met)}`, '—'],
          ['seconds', fmt(full.seconds, 1), fmt(small.seconds, 1)],
          ['CPU seconds during the upload: collector / database server', cpu(full), cpu(small)],
          ['file size', mb(full.bytes), mb(small.bytes)],
          ['collector RSS after start, before the upload', mb(full.rssBefore), mb(small.rssBefore)],
          ['collector peak RSS (VmHWM, whole process life; the largest of the full-size runs)', mb(peak), mb(small.peak)],
          [
            'report: created / matched / merged / conflicts / rejected',
            [report.created, report.matched, report.merged, report.conflicts, report.rejected].map((n) => fmt(n)).join(' / '),
            '—',
          ],
          ['report equals what the file holds, row for row', yesNo(ok), yesNo(ok)],
        ],
      },
    ],
    method: [IMPORT_METHOD],
    missed: met
      ? []
      : [
          `CSV import on ${store.name}: ${fmt(rate(full))} rows/s for ${fmt(full.rows)} rows, the median of ${every} (target ${fmt(target)}); ${where}.`,
        ],
    findings: [
      `CSV import on ${store.name}: ${fmt(rate(full))} rows/s for ${fmt(full.rows)} rows, the median of ${every} (${fmt(full.seconds, 0)} s; ${where}); the collector's peak RSS was at most ${mb(peak)} for ${fmt(full.rows)} rows and ${mb(small.peak)} for ${fmt(small.rows)} (${mb(full.bytes)} and ${mb(small.bytes)} files).`,
    ],
    headline: [
      `CSV import on ${store.name}: ${fmt(rate(full))} rows/s over ${fmt(full.rows)} rows, the median of ${every} (target ${fmt(target)}), collector peak RSS ${mb(peak)} (${mb(small.peak)} at a tenth of the rows).`,
    ],
  };
}
