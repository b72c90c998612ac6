import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import type { ColumnReading } from '../domain/import/csv-columns.js';
import type { ImportItem } from '../domain/import/read-row.js';
import type { Settings } from '../domain/settings.js';

/** What starts an import's reading on the thread: its own port, its workspace's settings, the longest row. */
export interface ReaderStart {
  port: MessagePort;
  settings: Settings;
  maxRowChars: number;
}

/** The thread's answer to one message: the rows the bytes completed (and the header once read), or what stops the import. */
export type ReaderReply =
  | { items: ImportItem[]; columns: ColumnReading[] | undefined; done: boolean }
  | { error: { code?: string; message: string; status?: number; field?: string } };

/**
 * The thread's code. The bundle (`npm start`, scripts/start/build-collector.mjs)
 * has it beside the collector as csv-reader-worker.js; run from source
 * (tests, the bench, `npm run dev`) it is TypeScript, loaded through tsx.
 */
function startThread(): Worker {
  const source = import.meta.url.endsWith('.ts');
  const entry = new URL(source ? './csv-reader-worker.ts' : './csv-reader-worker.js', import.meta.url);
  if (!source) return new Worker(entry);
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(boot, { eval: true });
}

let thread: Worker | undefined;

/**
 * Opens an import's reading on the CSV reader thread, started on the first
 * import and kept (it never holds the process open): the port takes the
 * file's bytes and answers each message with a ReaderReply. The port closes
 * when the thread stops.
 */
export function openCsvReader(settings: Settings, maxRowChars: number): MessagePort {
  if (!thread) {
    const started = startThread();
    started.unref();
    const forget = () => {
      if (thread === started) thread = undefined;
    };
    started.on('error', forget);
    started.on('exit', forget);
    thread = started;
  }
  const { port1, port2 } = new MessageChannel();
  thread.postMessage({ port: port2, settings, maxRowChars } satisfies ReaderStart, [port2]);
  return port1;
}

/** Stops the reader thread (tests: an import whose reader goes away fails rather than waits). */
export async function stopCsvReader(): Promise<void> {
  await thread?.terminate();
}
