import { MAX_MESSAGE_BYTES } from '@threadline/protocol';
import { bodyTooLarge, DomainError } from '../domain/errors.js';
import { createCsvRows } from '../domain/import/csv-rows.js';
import type { ImportItem } from '../domain/import/read-row.js';
import type { Settings } from '../domain/settings.js';
import type { ServiceContext } from './context.js';
import { openCsvReader, type ReaderReply } from './csv-reader-thread.js';
import type { ImportMeta } from './import-contacts.js';

/** A CSV row carries one contact, so it gets the room of one tracking message. */
const MAX_ROW_CHARS = MAX_MESSAGE_BYTES;

/** Bytes of the body sent to the reader thread and not yet answered: enough to read a chunk's rows ahead. */
const BYTES_AHEAD = 1 << 20;

/** How an import's CSV is read: its workspace's settings, and whether on the CSV reader thread. */
export interface CsvReading {
  settings: Settings;
  onThread: boolean;
}

/**
 * How this collector reads an import's CSV. On SQLite the event loop runs
 * the store too and is what an import waits for: reading a row (parsing,
 * normalising its phone number against the full metadata, checking it) was
 * a sixth of it, so the rows are read on a thread of their own. On
 * PostgreSQL the loop reads the next chunk while the database writes the
 * last (import-contacts.ts), and a third busy thread on the bench's two
 * cores measured slower: the rows are read on the loop.
 */
export const csvReading = (ctx: ServiceContext): CsvReading => ({
  settings: ctx.workspace.settings,
  onThread: ctx.database.dialect === 'sqlite',
});

/** The body's next bytes, or undefined at its end. */
type ReadBody = () => Promise<Uint8Array | undefined>;

/** The rows read on the event loop: parsed here, each read as the import settles its chunk (readChunk). */
async function* onLoop(read: ReadBody, batchRows: number, meta: ImportMeta): AsyncGenerator<ImportItem[]> {
  const rows = createCsvRows(MAX_ROW_CHARS);
  const pending: ImportItem[] = [];
  const take = (items: ImportItem[]) => {
    for (const item of items) pending.push(item);
    meta.columns ??= rows.columns;
  };
  for (let bytes = await read(); bytes; bytes = await read()) {
    take(rows.push(bytes));
    while (pending.length >= batchRows) yield pending.splice(0, batchRows);
  }
  take(rows.end());
  if (pending.length) yield pending;
}

/** The thread's error as the import's: a DomainError keeps its code, status and field. */
function readerError(error: Extract<ReaderReply, { error: unknown }>['error']): Error {
  if (error.code === undefined) return new Error(`the CSV reader thread failed: ${error.message}`);
  return new DomainError(error.code, error.message, error.status as DomainError['status'], error.field);
}

/**
 * The rows read on the CSV reader thread (services/csv-reader-thread.ts)
 * while the event loop settles the rows before them: the body is sent on
 * while fewer than two batches wait and less than BYTES_AHEAD is unanswered.
 */
async function* onThread(read: ReadBody, batchRows: number, settings: Settings, meta: ImportMeta): AsyncGenerator<ImportItem[]> {
  const port = openCsvReader(settings, MAX_ROW_CHARS);
  const rows: ImportItem[] = [];
  // The size of each message on its way to the thread (each is answered once, in order), and their sum.
  const sent: number[] = [];
  let ahead = 0;
  let sentEnd = false;
  let done = false;
  // What stops the import: from the thread at once; from the body (over the cap, the client gone) once the
  // bytes sent before it are read, so the whole batches they make are settled first, as on the loop.
  let failure: unknown;
  let bodyFailure: unknown;
  let pumping = false;
  let wake = () => {};
  const send = (bytes: Uint8Array | null) => {
    sent.push(bytes?.byteLength ?? 0);
    ahead += bytes?.byteLength ?? 0;
    port.postMessage(bytes, bytes ? [bytes.buffer as ArrayBuffer] : []);
  };
  const pump = async () => {
    if (pumping) return;
    pumping = true;
    try {
      while (!sentEnd && failure === undefined && bodyFailure === undefined && rows.length < 2 * batchRows && ahead < BYTES_AHEAD) {
        const bytes = await read();
        sentEnd = !bytes;
        // A copy of its own to hand over: the stream's chunk may share its buffer.
        send(bytes ? bytes.slice() : null);
      }
    } catch (err) {
      bodyFailure = err;
      wake();
    } finally {
      pumping = false;
    }
  };
  port.on('message', (reply: ReaderReply) => {
    if ('error' in reply) failure ??= readerError(reply.error);
    else {
      ahead -= sent.shift() ?? 0;
      meta.columns ??= reply.columns;
      for (const item of reply.items) rows.push(item);
      done = reply.done;
      void pump();
    }
    wake();
  });
  port.on('close', () => {
    if (done) return;
    failure ??= new Error('the CSV reader thread stopped before the file was read');
    wake();
  });
  try {
    void pump();
    for (;;) {
      if (failure !== undefined) throw failure;
      if (rows.length >= batchRows || (done && rows.length)) {
        const batch = rows.splice(0, batchRows);
        void pump();
        yield batch;
      } else if (done) return;
      else if (bodyFailure !== undefined && !sent.length) throw bodyFailure;
      else await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    port.close();
  }
}

/**
 * Reads a CSV body as it streams in and answers its rows in batches of
 * `batchRows`, numbered from 1 after the header (domain/import/csv-rows.ts),
 * on the event loop or the CSV reader thread as `reading` says
 * (csvReading). The body is pulled only as fast as the batches are taken
 * (on the thread, at most two batches and BYTES_AHEAD ahead), so TCP
 * backpressure holds the client back and memory stays flat whatever the
 * file's size. The header is checked before the first batch; a body past
 * `maxBytes` stops with 413. How the header was read goes into `meta` for
 * the report.
 *
 * @example
 * for await (const batch of csvContacts(c.req.raw.body, 1 << 30, 2000, csvReading(ctx))) await importBatch(batch);
 */
export async function* csvContacts(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  batchRows: number,
  reading: CsvReading,
  meta: ImportMeta = {},
): AsyncGenerator<ImportItem[]> {
  const reader = body?.getReader();
  let finished = !reader;
  let total = 0;
  const read: ReadBody = async () => {
    const r = reader ? await reader.read() : undefined;
    if (!r || r.done) {
      finished = true;
      return undefined;
    }
    total += r.value.byteLength;
    if (total > maxBytes) throw bodyTooLarge(maxBytes);
    return r.value;
  };
  try {
    if (reading.onThread) yield* onThread(read, batchRows, reading.settings, meta);
    else yield* onLoop(read, batchRows, meta);
  } finally {
    // Stopped early (an error, a refused header): stop the client's upload too.
    if (!finished) await reader?.cancel().catch(() => {});
  }
}
