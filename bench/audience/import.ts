import { createReadStream, existsSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { config } from '../config.js';
import { processMemory } from '../lib/process-memory.js';
import { fmt } from '../lib/stats.js';
import type { BenchStore } from '../lib/stores.js';
import { yesNo, type Part } from '../report/model.js';
import { startCollector, withServers } from '../collector/servers.js';
import { expectedReport, writeImportCsv, type ExpectedReport } from './import-csv.js';

const MiB = 1024 * 1024;

interface Run {
  rows: number;
  bytes: number;
  seconds: number;
  rssBefore: number | undefined;
  peak: number | undefined;
  report: ExpectedReport & { status: string };
}

/** The generated file for `rows`, written once per bench process and reused by both stores. */
async function csvFile(rows: number): Promise<string> {
  const path = join(tmpdir(), `threadline-bench-import-${rows}.csv`);
  if (!existsSync(path)) await writeImportCsv(path, rows);
  return path;
}

/** Streams a file to POST /api/imports as text/csv with its length declared; answers the parsed report. */
function upload(url: string, file: string): Promise<any> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/api/imports`,
      {
        method: 'POST',
        headers: { Authorization: `Bearer ${config.secretKey}`, 'Content-Type': 'text/csv', 'Content-Length': statSync(file).size },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d) => (text += d));
        res.on('end', () =>
          res.statusCode === 201
            ? resolve(JSON.parse(text))
            : reject(new Error(`import answered ${res.statusCode}: ${text.slice(0, 300)}`)),
        );
      },
    );
    req.on('error', reject);
    createReadStream(file).pipe(req);
  });
}

/** One import of `rows` generated rows into a fresh collector process on `store`. */
async function importOnce(store: BenchStore, rows: number): Promise<Run> {
  const file = await csvFile(rows);
  const location = await store.fresh(`import_${rows}`);
  return withServers([() => startCollector(location)], async ([collector]) => {
    const rssBefore = processMemory(collector!.pid)?.rss;
    const t0 = performance.now();
    const report = await upload(collector!.url, file);
    const seconds = (performance.now() - t0) / 1000;
    return { rows, bytes: statSync(file).size, seconds, rssBefore, peak: processMemory(collector!.pid)?.peak, report };
  });
}

const countsMatch = (run: Run) => {
  const want = expectedReport(run.rows);
  return run.report.status === 'done' && (Object.keys(want) as Array<keyof ExpectedReport>).every((k) => run.report[k] === want[k]);
};
const mb = (n: number | undefined) => (n === undefined ? '—' : `${fmt(n / MiB, 0)} MB`);

/**
 * CSV import throughput and the collector's memory (SPEC §5, issue: imports):
 * a generated contact file streamed to POST /api/imports of a separate
 * collector process, once at full size and once at a tenth, on a fresh
 * database each. Memory bounded means the peak does not grow with the file.
 */
export async function measureImport(store: BenchStore): Promise<Part> {
  const small = await importOnce(store, Math.max(1000, Math.round(config.importRows / 10)));
  const full = await importOnce(store, config.importRows);
  const ok = countsMatch(full) && countsMatch(small);
  if (!ok)
    throw new Error(`import report on ${store.name} differs from the file's: ${JSON.stringify({ ...full.report, rejections: undefined })}`);
  const rate = (r: Run) => r.rows / r.seconds;
  const { report } = full;
  return {
    tables: [
      {
        title: `CSV import, ${store.name}`,
        headers: ['measure', `${fmt(full.rows)} rows`, `${fmt(small.rows)} rows`],
        rows: [
          ['rows/s (wall clock, upload to report)', fmt(rate(full)), fmt(rate(small))],
          ['seconds', fmt(full.seconds, 1), fmt(small.seconds, 1)],
          ['file size', mb(full.bytes), mb(small.bytes)],
          ['collector RSS after start, before the upload', mb(full.rssBefore), mb(small.rssBefore)],
          ['collector peak RSS (VmHWM, whole process life)', mb(full.peak), mb(small.peak)],
          [
            'report: created / matched / merged / conflicts / rejected',
            [report.created, report.matched, report.merged, report.conflicts, report.rejected].map((n) => fmt(n)).join(' / '),
            '—',
          ],
          ['report equals what the file holds, row for row', yesNo(ok), yesNo(ok)],
        ],
      },
    ],
    method: [
      `CSV import: a generated contact export (BOM, CRLF, quoted fields; per 20 rows 14 new contacts, 1 repeat, 1 merge of a walk-in into a known customer, 1 refused merge, 3 bad rows) is streamed with its length declared to \`POST /api/imports\` of the collector in its own process (the real entry, \`packages/collector/src/server.ts\` through tsx, LOG_LEVEL=warn) on a fresh database; the clock runs from the first byte sent to the report received. Peak memory is the process's VmHWM from /proc after the import, against its RSS before the upload; the same is measured with a file a tenth the size, on another fresh database and process, so a peak that grew with the file would show. BENCH_IMPORT_ROWS sets the size (default 1,000,000). The machine is shared: rows/s move with its load.`,
    ],
    missed: [],
    findings: [
      `CSV import on ${store.name}: ${fmt(rate(full))} rows/s for ${fmt(full.rows)} rows (${fmt(full.seconds, 0)} s); the collector's peak RSS was ${mb(full.peak)} for ${fmt(full.rows)} rows and ${mb(small.peak)} for ${fmt(small.rows)} (${mb(full.bytes)} and ${mb(small.bytes)} files).`,
    ],
    headline: [
      `CSV import on ${store.name}: ${fmt(rate(full))} rows/s over ${fmt(full.rows)} rows, collector peak RSS ${mb(full.peak)} (${mb(small.peak)} at a tenth of the rows).`,
    ],
  };
}
