import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The thread's code: its own connection to the file, a PASSIVE checkpoint
 * every `everyMs` (it never blocks the writer, and gives up at once when
 * another checkpoint runs), and a message after each one that copied frames.
 */
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const db = new SQLite(workerData.path);
db.pragma('busy_timeout = 0');
setInterval(() => {
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    if (r && r.checkpointed > 0) parentPort.postMessage(r.checkpointed);
  } catch {}
}, workerData.everyMs);
`;

export interface Checkpoints {
  /** Frames copied from the WAL into the database file so far. */
  copied(): number;
  stop(): Promise<void>;
}

/**
 * Runs the WAL checkpoints of the SQLite file at `path` on a thread of their
 * own. SQLite otherwise checkpoints inside the commit that fills the WAL past
 * 1,000 pages: that request copies 4 MB and waits for an fsync, on the event
 * loop. Ingest dirties many pages a commit (an event lands beside its
 * visitor's others in the `events_source` index), so on the request path
 * this was a commit in three; the writer keeps a large backstop (see
 * connection.ts) in case this thread falls behind.
 * @example const cp = startCheckpoints('./data/threadline.db'); await cp.stop();
 */
export function startCheckpoints(path: string, everyMs = 200): Checkpoints {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(SOURCE, { eval: true, workerData: { path, everyMs, driver } });
  let copied = 0;
  worker.on('message', (n: number) => {
    copied += n;
  });
  // A failed checkpoint thread leaves checkpoints to the writer's backstop: never the process's concern.
  worker.on('error', () => {});
  worker.unref();
  return {
    copied: () => copied,
    stop: async () => void (await worker.terminate()),
  };
}
