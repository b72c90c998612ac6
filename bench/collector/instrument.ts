// Loaded into a server process (`--import`) for the ingest diagnosis only:
// counts SQL statements (better-sqlite3 statements run, pg queries sent) and,
// between two SIGUSR2s, records a V8 CPU profile. Every second SIGUSR2 writes
// `${BENCH_PROFILE_FILE}.<n>.cpuprofile` (Chrome DevTools format) and then
// `….<n>.statements` (n = 1, 2, …). Never loaded in measured runs.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let statements = 0;
const counted = (proto: Record<string, unknown>, names: string[]) => {
  for (const name of names) {
    const original = proto[name] as (...a: unknown[]) => unknown;
    // Named so profile-areas.ts can tell the counter (booked to its caller) from the profiler's own work.
    proto[name] = function countedStatement(this: unknown, ...args: unknown[]) {
      statements++;
      return original.apply(this, args);
    };
  }
};
const SQLite = require('better-sqlite3');
const probe = new SQLite(':memory:');
counted(Object.getPrototypeOf(probe.prepare('select 1')), ['run', 'all', 'get', 'iterate']);
probe.close();
counted(require('pg').Client.prototype, ['query']);

const session = new Session();
session.connect();
let startedAt: number | undefined;
let written = 0;
process.on('SIGUSR2', async () => {
  if (startedAt === undefined) {
    startedAt = statements;
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: Number(process.env.BENCH_PROFILE_INTERVAL_US) });
    await session.post('Profiler.start');
    return;
  }
  const { profile } = await session.post('Profiler.stop');
  const counted = statements - startedAt;
  startedAt = undefined;
  const file = `${process.env.BENCH_PROFILE_FILE}.${++written}`;
  writeFileSync(`${file}.cpuprofile`, JSON.stringify(profile));
  writeFileSync(`${file}.statements`, String(counted));
});
