import cluster, { type Worker } from 'node:cluster';
import type { Config } from './config.js';
import { openDatabase } from './db/connection.js';
import { createLogger } from './logger.js';
import { ensureDefaultWorkspace } from './repos/workspaces.js';

/** A worker that dies is forked again after this pause, so one that fails at boot does not spin the CPU. */
const RESTART_DELAY_MS = 1_000;

/**
 * The primary of THREADLINE_PROCESSES=N (node:cluster): migrates the store
 * and makes the default workspace once, then forks N workers running
 * `entry` (the same server entry) that share the port; restarts a worker
 * that dies; on SIGTERM or SIGINT asks every worker to drain (their own
 * graceful shutdown) and exits 0 once all have exited 0. Serves nothing itself.
 *
 * @example
 * if (cluster.isPrimary && config.processes > 1) await runPrimary(config, fileURLToPath(import.meta.url));
 */
export async function runPrimary(config: Config, entry: string): Promise<void> {
  const logger = createLogger(config.logLevel);
  // Migrations run here once, before any worker opens the store (a worker's own check then finds nothing to do).
  const database = await openDatabase(config.database);
  try {
    await ensureDefaultWorkspace(database.db, config, Date.now());
  } finally {
    await database.close();
  }
  cluster.setupPrimary({ exec: entry });
  let stopping = false;
  let failed = false;
  // Our own count: cluster.workers may still list a worker whose exit has been reported.
  const live = new Set<Worker>();
  const fork = () => {
    const worker: Worker = cluster.fork();
    live.add(worker);
    worker.once('exit', (code, signal) => {
      live.delete(worker);
      if (stopping) {
        if (code !== 0) failed = true;
        if (live.size === 0) process.exit(failed ? 1 : 0);
        return;
      }
      logger.error({ pid: worker.process.pid, code, signal }, 'collector worker died: starting another');
      setTimeout(() => !stopping && fork(), RESTART_DELAY_MS).unref();
    });
  };
  for (let i = 0; i < config.processes; i++) fork();
  logger.info({ processes: config.processes }, 'collector cluster started');

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping the collector workers');
    if (live.size === 0) process.exit(0);
    // Each worker drains through its own shutdown (serve-collector.ts) and exits.
    for (const w of live) w.process.kill('SIGTERM');
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
