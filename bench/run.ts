// `npm run bench`: every benchmark of issue 4 in one bounded run, then
// BENCHMARKS.md. Sections run one after another (they would skew each other
// on a small machine); a section that fails is reported as failed, the rest
// still run, and the exit code is 1.
import { execFileSync } from 'node:child_process';
import { measureSegments } from './audience/segments.js';
import { measureImport } from './audience/import.js';
import { measureMembership } from './audience/membership.js';
import { config, wants, type SectionName, type StoreName } from './config.js';
import { measureIdentify } from './collector/identify.js';
import { measureIngest } from './collector/ingest.js';
import { measureStall } from './collector/stall.js';
import { measureProcesses } from './collector/processes.js';
import { describeMachine, loadAverage } from './lib/machine.js';
import { ROOT } from './lib/server-process.js';
import { openBenchStore, type BenchStore } from './lib/stores.js';
import { measurePage } from './page/page-part.js';
import { joinParts, notMeasured, type Part } from './report/model.js';
import { writeReport, type SectionResult } from './report/write-report.js';
import { measureSizes } from './size/size-part.js';
import { measureStart } from './start/start-part.js';
import { measureWebhooks } from './webhooks/webhooks.js';

const started = performance.now();
const machine = describeMachine();
const sections: SectionResult[] = [];
let failures = 0;

async function section(title: string, names: SectionName[], measure: () => Promise<Part>) {
  const t0 = performance.now();
  let part: Part;
  if (!names.some(wants)) part = notMeasured(title, `not run in this invocation (BENCH_SECTIONS=${config.sections.join(',')})`);
  else {
    console.log(`bench: ${title}…`);
    try {
      part = await measure();
    } catch (err) {
      console.error(err);
      failures++;
      part = notMeasured(title, `the benchmark failed: ${(err as Error).message.split('\n')[0]}`);
      part.missed.push(`${title}: the benchmark failed (${(err as Error).message.split('\n')[0]}).`);
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  console.log(`bench: ${title} done in ${Math.round(seconds)} s`);
  sections.push({ title, part, seconds });
}

/** Runs `measures` on a fresh bench store, or reports why the store is not available. */
async function onStore(name: StoreName, measures: Array<(s: BenchStore) => Promise<Part>>): Promise<Part> {
  if (!config.stores.includes(name)) return notMeasured(name, `not run in this invocation (BENCH_STORES=${config.stores.join(',')})`);
  const store = await openBenchStore(name);
  if ('unavailable' in store) return notMeasured(name, store.unavailable);
  try {
    const parts: Part[] = [];
    for (const measure of measures) parts.push(await measure(store));
    return joinParts(...parts);
  } finally {
    await store.dispose();
  }
}

if (!config.skipBuild && (wants('size') || wants('page'))) {
  console.log('bench: npm run build');
  try {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'pipe' });
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: Buffer; stderr?: Buffer };
    console.error(`${stdout ?? ''}${stderr ?? ''}\nbench: npm run build failed; fix the build or set BENCH_SKIP_BUILD=1`);
    process.exit(1);
  }
}

await section('1. SDK size', ['size'], measureSizes);
await section('2. SDK cost in the page (Chromium)', ['page'], measurePage);
await section('3. Collector ingest (SQLite)', ['ingest'], () => onStore('sqlite', [measureIngest]));
await section('4. Identify and merge (SQLite)', ['identify'], () => onStore('sqlite', [measureIdentify]));
/** The CSV import on `store` when BENCH_IMPORT_STORES names it (both by default: see bench/config.ts). */
const importOn = (store: StoreName): Promise<Part> =>
  config.importStores.includes(store)
    ? onStore(store, [measureImport])
    : Promise.resolve(notMeasured(`CSV import on ${store}`, `not in this run (BENCH_IMPORT_STORES=${config.importStores.join(',')})`));

/** The segment previews on `store` unless BENCH_AUDIENCE_PARTS leaves them out. */
const segmentsOn = (store: StoreName): Promise<Part> =>
  config.audienceParts.includes('segments')
    ? onStore(store, [measureSegments])
    : Promise.resolve(
        notMeasured(`Segment preview on ${store}`, `not in this run (BENCH_AUDIENCE_PARTS=${config.audienceParts.join(',')})`),
      );
const importsWanted = config.audienceParts.includes('import');

await section('5. Audience: segments and CSV import', ['audience'], async () =>
  joinParts(
    await segmentsOn('sqlite'),
    await segmentsOn('postgres'),
    importsWanted ? await importOn('sqlite') : notMeasured('CSV import', 'not in this run (BENCH_AUDIENCE_PARTS)'),
    importsWanted ? await importOn('postgres') : notMeasured('CSV import', 'not in this run (BENCH_AUDIENCE_PARTS)'),
  ),
);
const pgMeasures = [...(wants('ingest') ? [measureIngest] : []), ...(wants('identify') ? [measureIdentify] : [])];
await section('6. PostgreSQL: ingest and identify again', ['ingest', 'identify'], () => onStore('postgres', pgMeasures));
await section('7. Webhooks: ingest with webhooks on (SQLite)', ['webhooks'], () => onStore('sqlite', [measureWebhooks]));

await section('8. Quick start (npm start)', ['start'], measureStart);
await section('9. Big batches and the event loop', ['stall'], async () =>
  joinParts(await onStore('sqlite', [measureStall]), await onStore('postgres', [measureStall])),
);

await section('10. Audience: live segment membership upkeep', ['membership'], async () =>
  joinParts(await onStore('sqlite', [measureMembership]), await onStore('postgres', [measureMembership])),
);

await section('11. Several collector processes on one PostgreSQL', ['processes'], () => onStore('postgres', [measureProcesses]));

// The price of spreading one store (issue 13): the same measures on plain PostgreSQL and on a Citus cluster on this machine.
const citusMeasures = [measureIngest, measureIdentify, measureSegments];
const citusTitle = '12. Citus: one store across a coordinator and two workers, against one PostgreSQL';
await section(citusTitle, ['citus'], async () =>
  // Without a cluster the PostgreSQL half would only repeat sections 5 and 6.
  config.citusUrl
    ? joinParts(await onStore('postgres', citusMeasures), await onStore('citus', citusMeasures))
    : notMeasured(citusTitle, 'no Citus coordinator: set BENCH_CITUS_URL (scripts/citus-test-cluster.sh prints one)'),
);

const totalSeconds = (performance.now() - started) / 1000;
writeReport({ machine, loadAtEnd: loadAverage(), totalSeconds, sections });
console.log(`bench: wrote ${config.out} in ${Math.round(totalSeconds)} s`);
// Missed targets are findings, not failures (benchmarks report, budgets guard); a benchmark that could not run is.
process.exitCode = failures ? 1 : 0;
