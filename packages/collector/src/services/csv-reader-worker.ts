// The CSV reader thread (services/csv-reader-thread.ts): reads the files of
// the imports it is given, one MessagePort an import. Each message from the
// import is the file's next bytes, or none at its end; each is answered with
// the rows they completed (createCsvRows), each read already unless reading
// it needs the store (readIfStoreless), or with the error that stops the
// import.
import { type MessagePort, parentPort } from 'node:worker_threads';
import { DomainError } from '../domain/errors.js';
import { createCsvRows } from '../domain/import/csv-rows.js';
import { readIfStoreless } from '../domain/import/read-row.js';
import type { Settings } from '../domain/settings.js';
import type { ReaderReply, ReaderStart } from './csv-reader-thread.js';

function failure(err: unknown): ReaderReply {
  if (err instanceof DomainError) return { error: { code: err.code, message: err.message, status: err.status, field: err.field } };
  return { error: { message: err instanceof Error ? err.message : String(err) } };
}

function serve(port: MessagePort, settings: Settings, maxRowChars: number) {
  const rows = createCsvRows(maxRowChars);
  port.on('message', (bytes: Uint8Array | null) => {
    let reply: ReaderReply;
    try {
      const items = bytes ? rows.push(bytes) : rows.end();
      reply = { items: items.map((item) => readIfStoreless(item, settings)), columns: rows.columns, done: !bytes };
    } catch (err) {
      reply = failure(err);
    }
    port.postMessage(reply);
    if (!bytes || 'error' in reply) port.close();
  });
}

parentPort?.on('message', ({ port, settings, maxRowChars }: ReaderStart) => serve(port, settings, maxRowChars));
