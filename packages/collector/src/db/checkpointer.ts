import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the WAL is copied back into the database file, off the main thread. */
export const CHECKPOINT_EVERY_MS = 250;

/**
 * WAL pages the main connection may pile up before it checkpoints itself: a
 * backstop only, far above what CHECKPOINT_EVERY_MS leaves behind, in case the
 * worker is gone (about 40 MB of 4 KB pages).
 */
export const BACKSTOP_CHECKPOINT_PAGES = 10_000;

// CommonJS, as an eval'd worker runs: its own connection, PASSIVE checkpoints (never blocking the writer).
const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const db = new SQLite(workerData.path);
db.pragma('busy_timeout = 5000');
const timer = setInterval(() => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} }, workerData.everyMs);
parentPort.once('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

/**
 * Checkpoints a SQLite file's WAL from a worker thread. With SQLite's own
 * automatic checkpoint, the commit that crosses the threshold copies the WAL
 * into the database and fsyncs it, stalling the event loop (tens of ms on a
 * busy disk) with every request waiting behind it; here the commits only
 * append to the WAL.
 *
 * @example
 * const checkpointer = startCheckpointer('/var/lib/threadline/db.sqlite'); … await checkpointer.stop();
 */
export function startCheckpointer(path: string): { stop(): Promise<void> } {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, { eval: true, workerData: { path, driver, everyMs: CHECKPOINT_EVERY_MS } });
  // Never keeps the process alive, and a failure only costs the backstop checkpoints.
  worker.unref();
  worker.on('error', () => {});
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      worker.postMessage('stop');
      await exited;
    },
  };
}
