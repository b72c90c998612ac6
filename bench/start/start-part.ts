import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, median } from '../lib/stats.js';
import { freePort, ROOT, START_NODE_FLAGS } from '../lib/server-process.js';
import type { Part } from '../report/model.js';

/** Issue 12's "serving within a few seconds on a restart". */
const TARGET_S = 5;
const RUNS = 5;

/** Seconds from spawning `args` to /health answering; the process is stopped before this resolves. */
async function timeToServe(args: string[], db: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', THREADLINE_DB: db, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode} before serving`);
      const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return (performance.now() - started) / 1000;
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    await new Promise((resolve) => {
      if (child.exitCode !== null) return resolve(undefined);
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
  }
}

/**
 * The quick start (issue 12): `npm start`'s script restarting with nothing
 * changed, against the TypeScript entry through tsx (what `npm start` ran
 * after rebuilding everything before), alternating so load hits both.
 */
export async function measureStart(): Promise<Part> {
  const dir = mkdtempSync(join(tmpdir(), 'threadline-bench-start-'));
  const db = join(dir, 'start.db');
  const start = [...START_NODE_FLAGS, join(ROOT, 'scripts/start.mjs')];
  const tsx = [...START_NODE_FLAGS, '--import', 'tsx', join(ROOT, 'packages/collector/src/server.ts')];
  try {
    // Untimed: builds whatever is stale and creates the database, so every timed run is a restart.
    await timeToServe(start, db);
    const compiled: number[] = [];
    const viaTsx: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      compiled.push(await timeToServe(start, db));
      viaTsx.push(await timeToServe(tsx, db));
    }
    const c = median(compiled);
    const t = median(viaTsx);
    const part: Part = { tables: [], missed: [], findings: [], headline: [], method: [] };
    part.tables.push({
      headers: ['start', 'seconds to /health (median)', 'runs'],
      rows: [
        [
          '`node scripts/start.mjs`, nothing changed (stamps checked, compiled bundle)',
          fmt(c, 2),
          compiled.map((s) => fmt(s, 2)).join(' / '),
        ],
        ['the TypeScript entry through tsx (the old start, without its rebuild)', fmt(t, 2), viaTsx.map((s) => fmt(s, 2)).join(' / ')],
      ],
    });
    part.headline.push(
      `Quick start: a restart with nothing changed serves after ${fmt(c, 2)} s (tsx: ${fmt(t, 2)} s; target ${TARGET_S} s).`,
    );
    if (c > TARGET_S) part.missed.push(`Quick start: a restart took ${fmt(c, 2)} s, target ${TARGET_S} s.`);
    part.method.push(
      `Each run spawns the entry with node on a free port and an existing SQLite database, and polls /health every 25 ms; ${RUNS} runs each, alternating. The old \`npm start\` also rebuilt the SDK and the example before every start (about 100 s on this machine); \`node scripts/start/measure-start.mjs --clean\` times a first start, which builds everything.`,
    );
    return part;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
