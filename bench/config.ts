// Every knob of `npm run bench`, read once from the environment, with the
// defaults that keep a full run under ~12 minutes on a 2-core machine.

const num = (name: string, fallback: number) => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}: must be a positive number, got "${raw}"`);
  return n;
};
const list = (name: string, fallback: string[]) =>
  process.env[name]
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean) ?? fallback;

export const SECTIONS = [
  'size',
  'page',
  'ingest',
  'identify',
  'audience',
  'webhooks',
  'membership',
  'start',
  'stall',
  'processes',
  'citus',
] as const;
export type SectionName = (typeof SECTIONS)[number];
export type StoreName = 'sqlite' | 'postgres' | 'citus';

export const config = {
  /** BENCH_SECTIONS=size,ingest runs a subset (report still lists every section). */
  sections: list('BENCH_SECTIONS', [...SECTIONS]) as SectionName[],
  /** BENCH_STORES=sqlite skips PostgreSQL. */
  stores: list('BENCH_STORES', ['sqlite', 'postgres', 'citus']) as StoreName[],
  /** Seconds of measured load per autocannon run, after BENCH_WARMUP_S of unmeasured load. */
  durationS: num('BENCH_DURATION_S', 12),
  warmupS: num('BENCH_WARMUP_S', 2),
  /** Ingest: the measured seconds are split into this many slices, alternating collector and baseline, so a burst of other work on the machine hits both. */
  rounds: num('BENCH_ROUNDS', 4),
  connections: num('BENCH_CONNECTIONS', 50),
  batchSizes: list('BENCH_BATCH_SIZES', ['1', '20', '100']).map(Number),
  /** Known anonymous visitors seeded before ingest load. */
  visitors: num('BENCH_VISITORS', 1000),
  /** Identifies measured (each by its own seeded anonymous visitor), with all connections and then with one: 6,000, as 2,000 took under 2 s on SQLite and three runs in a row read 1,274–1,852 a second. */
  identifies: num('BENCH_IDENTIFIES', 6000),
  serialIdentifies: num('BENCH_SERIAL_IDENTIFIES', 200),
  /**
   * Identifies of other seeded visitors before the measured ones, down the same
   * path (a new email on a known anonymous visitor). A warm-up of visitors not
   * seeded takes another path (a new profile), and V8 then still compiled the
   * measured one on the clock: about 330 optimisations in the measured 4,000
   * identifies, 60 after 4,000 of the same path.
   */
  identifyWarmup: num('BENCH_IDENTIFY_WARMUP', 4000),
  mergeEvents: num('BENCH_MERGE_EVENTS', 100_000),
  mergeRepeats: num('BENCH_MERGE_REPEATS', 7),
  /** Audience: the workspace a segment is counted over, and timed previews per segment (after 2 warm-up runs). */
  segmentProfiles: num('BENCH_SEGMENT_PROFILES', 100_000),
  segmentEvents: num('BENCH_SEGMENT_EVENTS', 1_000_000),
  segmentRepeats: num('BENCH_SEGMENT_REPEATS', 7),
  /** Live membership upkeep: the seeded workspace, rounds of `membershipBatches` × 100 events, one timed audience pass a round. */
  membershipProfiles: num('BENCH_MEMBERSHIP_PROFILES', 20_000),
  membershipEvents: num('BENCH_MEMBERSHIP_EVENTS', 200_000),
  membershipBatches: num('BENCH_MEMBERSHIP_BATCHES', 10),
  membershipRounds: num('BENCH_MEMBERSHIP_ROUNDS', 5),
  /** Page loads per SDK (fresh browser context each); medians are reported. */
  pageRuns: num('BENCH_PAGE_RUNS', 5),
  pageTracks: num('BENCH_PAGE_TRACKS', 1000),
  /** Rows of the generated CSV import (a second import of a tenth of them shows whether memory grows with the file). */
  importRows: num('BENCH_IMPORT_ROWS', 1_000_000),
  /** Full-size imports a store is measured with; its figure is their median: one run of the same code read 19,850–24,220 rows/s within ten minutes (BENCHMARKS.md §5). */
  importRuns: num('BENCH_IMPORT_RUNS', 3),
  /** Stores the import is measured on (both by default; BENCH_IMPORT_STORES=sqlite for one). */
  importStores: list('BENCH_IMPORT_STORES', ['sqlite', 'postgres']) as StoreName[],
  /** BENCH_AUDIENCE_PARTS=import runs only the CSV import of section 5 (`segments` only the previews); both by default. */
  audienceParts: list('BENCH_AUDIENCE_PARTS', ['segments', 'import']) as Array<'segments' | 'import'>,
  /** BENCH_IMPORT_CPU_PROF=<dir>: the import's collector processes write a V8 CPU profile there (node --cpu-prof) when stopped. */
  importCpuProfDir: process.env.BENCH_IMPORT_CPU_PROF,
  /**
   * The 'citus' section: a Citus coordinator (scripts/citus-test-cluster.sh
   * starts one) where each run makes its own schema; the section measures
   * ingest, identify and segments there and on plain PostgreSQL alike.
   */
  citusUrl: process.env.BENCH_CITUS_URL ?? process.env.THREADLINE_TEST_CITUS_URL,
  /** Where the report goes. */
  out: process.env.BENCH_OUT ?? 'BENCHMARKS.md',
  /** BENCH_KEEP_PROFILES=1 keeps the ingest diagnosis' CPU profiles (path printed). */
  keepProfiles: process.env.BENCH_KEEP_PROFILES === '1',
  /** BENCH_SKIP_BUILD=1 measures packages/sdk/dist as it is. */
  skipBuild: process.env.BENCH_SKIP_BUILD === '1',
  writeKey: 'wk_bench_write_key_0001',
  secretKey: 'sk_bench_secret_key_0001',
};

export const wants = (s: SectionName) => config.sections.includes(s);
