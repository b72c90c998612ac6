import { writeFileSync } from 'node:fs';
import { config } from '../config.js';
import { SERVERS_NOTE } from '../lib/compiled.js';
import type { Machine } from '../lib/machine.js';
import { bullets, renderTable } from './markdown.js';
import type { Part } from './model.js';

export interface SectionResult {
  title: string;
  part: Part;
  seconds: number;
}

export interface Report {
  machine: Machine;
  loadAtEnd: string;
  totalSeconds: number;
  sections: SectionResult[];
}

const KNOBS = [
  ['BENCH_SECTIONS', 'size,page,ingest,identify,audience,webhooks', 'run a subset (the others are listed as not run)'],
  ['BENCH_STORES', 'sqlite,postgres,citus', 'stores for ingest and identify'],
  [
    'BENCH_CITUS_URL',
    config.citusUrl ? 'set' : 'not set',
    "section 12's Citus coordinator (scripts/citus-test-cluster.sh prints one; THREADLINE_TEST_CITUS_URL is used when unset)",
  ],
  ['BENCH_DURATION_S / BENCH_WARMUP_S', `${config.durationS} / ${config.warmupS}`, 'measured and warm-up seconds per load run'],
  ['BENCH_CONNECTIONS', String(config.connections), 'concurrent connections per load run'],
  ['BENCH_BATCH_SIZES', config.batchSizes.join(','), 'events per ingest request'],
  ['BENCH_VISITORS', String(config.visitors), 'known visitors seeded before ingest load'],
  [
    'BENCH_IDENTIFY_WARMUP / BENCH_IDENTIFIES / BENCH_SERIAL_IDENTIFIES',
    `${config.identifyWarmup} / ${config.identifies} / ${config.serialIdentifies}`,
    'identifies of other seeded visitors before the clock (a process, in §11) / identifies measured with all connections / with one',
  ],
  [
    'BENCH_MERGE_EVENTS / BENCH_MERGE_REPEATS',
    `${config.mergeEvents} / ${config.mergeRepeats}`,
    'history of the large merged profile / merges per size',
  ],
  [
    'BENCH_IMPORT_ROWS / BENCH_IMPORT_RUNS / BENCH_IMPORT_STORES',
    `${config.importRows} / ${config.importRuns} / ${config.importStores.join(',')}`,
    'rows of the generated CSV import / full-size imports a store (the median is reported) / stores it is measured on',
  ],
  [
    'BENCH_AUDIENCE_PARTS',
    config.audienceParts.join(','),
    'parts of section 5 to run: `segments` (the previews), `import` (the CSV import); `import` alone skips seeding a million events',
  ],
  [
    'BENCH_IMPORT_CPU_PROF',
    config.importCpuProfDir ?? '',
    "a directory: the import's collector processes write a V8 CPU profile there (`node --cpu-prof`)",
  ],
  [
    'BENCH_SEGMENT_PROFILES / BENCH_SEGMENT_EVENTS / BENCH_SEGMENT_REPEATS',
    `${config.segmentProfiles} / ${config.segmentEvents} / ${config.segmentRepeats}`,
    'audience seeded for the segment previews / timed previews per segment',
  ],
  [
    'BENCH_MEMBERSHIP_PROFILES / BENCH_MEMBERSHIP_EVENTS / BENCH_MEMBERSHIP_BATCHES / BENCH_MEMBERSHIP_ROUNDS',
    `${config.membershipProfiles} / ${config.membershipEvents} / ${config.membershipBatches} / ${config.membershipRounds}`,
    'audience seeded for live membership / batches of 100 events a round / timed passes',
  ],
  ['BENCH_PAGE_RUNS / BENCH_PAGE_TRACKS', `${config.pageRuns} / ${config.pageTracks}`, 'page loads per SDK / track calls timed per load'],
  ['BENCH_SKIP_BUILD=1', '', 'measure packages/sdk/dist as it is instead of running `npm run build` first'],
  ['BENCH_KEEP_PROFILES=1', '', 'keep the CPU profiles of the ingest diagnosis (Chrome DevTools format; the path is printed)'],
  ['BENCH_ROUNDS', String(config.rounds), 'slices the measured ingest time is split into, the collector and both baselines in turn'],
  ['BENCH_OUT', 'BENCHMARKS.md', 'where this file is written'],
  [
    'THREADLINE_BENCH_PG_URL',
    "(THREADLINE_TEST_PG_URL, else the test suite's default)",
    'PostgreSQL server and role the `threadline_bench_*` databases are made on',
  ],
];

/** Writes BENCHMARKS.md: machine, summary (headlines and every missed target), one part per section, how to reproduce. */
export function writeReport(r: Report): string {
  const m = r.machine;
  const out: string[] = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` (scripts/bench.mjs → bench/) on ${m.date}; regenerate rather than edit. Figures are from one run on the machine below; the peer and baseline figures were measured in the same run, so ratios are the numbers to compare across machines.`,
    '',
    '## Machine',
    '',
    renderTable({
      headers: ['CPU', 'cores', 'memory', 'Node', 'date', 'load average (1/5/15 min) at start → end', 'run time'],
      rows: [
        [m.cpu, String(m.cores), `${m.memoryGiB} GiB`, m.node, m.date, `${m.load} → ${r.loadAtEnd}`, `${Math.round(r.totalSeconds)} s`],
      ],
    }),
    'Load generator, servers, database and browser share these cores; a load average above the core count means other work was running too and every absolute figure is lower than on a quiet machine.',
    '',
    SERVERS_NOTE,
    '',
    '## Summary',
    '',
    bullets(r.sections.flatMap((s) => s.part.headline)),
    '**Targets missed**',
    '',
    bullets(r.sections.flatMap((s) => s.part.missed).concat(r.sections.some((s) => s.part.missed.length) ? [] : ['none'])),
  ];
  for (const s of r.sections) {
    out.push(`## ${s.title}`, '');
    for (const t of s.part.tables) out.push(renderTable(t));
    if (s.part.missed.length) out.push('**Missed**', '', bullets(s.part.missed));
    if (s.part.findings.length) out.push('**Findings**', '', bullets(s.part.findings));
    if (s.part.method.length) out.push('**How it was measured**', '', bullets(s.part.method));
    out.push(`_Section time: ${Math.round(s.seconds)} s._`, '');
  }
  out.push(
    '## Reproduce',
    '',
    'Prerequisites: `npm ci`, Chromium at /usr/bin/chromium (or CHROMIUM_PATH), and for the PostgreSQL figures `bash scripts/postgres-test-server.sh` as root (the bench creates and drops its own databases `threadline_bench_*` as the `postgres` superuser through `su postgres -c psql`, owned by the `threadline` role). Then `npm run bench`. Everything runs on 127.0.0.1 and stops by itself.',
    '',
    renderTable({ headers: ['variable', 'this run', 'what'], rows: KNOBS }),
  );
  const text = out.join('\n');
  writeFileSync(config.out, text);
  return text;
}
