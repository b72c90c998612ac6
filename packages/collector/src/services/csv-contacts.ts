import { MAX_MESSAGE_BYTES } from '@threadline/protocol';
import { bodyTooLarge, invalid } from '../domain/errors.js';
import { ROW_FIELD } from '../domain/import/contact.js';
import { createCsvParser, type CsvRecord } from '../domain/import/csv-parser.js';
import { contactOfRow, mapColumns, type CsvColumns } from '../domain/import/csv-columns.js';
import { importItem, type ImportItem } from './import-chunk.js';
import type { ImportMeta } from './import-contacts.js';

/** A CSV row carries one contact, so it gets the room of one tracking message. */
const MAX_ROW_CHARS = MAX_MESSAGE_BYTES;

/**
 * Reads a CSV body as it streams in and answers its rows in batches of
 * `batchRows`, numbered from 1 after the header. The body is pulled only as
 * fast as the batches are taken, so TCP backpressure holds the client back
 * and memory stays at one read plus one batch whatever the file's size. The
 * header is checked before the first batch; a body past `maxBytes` stops
 * with 413. How the header was read goes into `meta` for the report.
 *
 * @example
 * for await (const batch of csvContacts(c.req.raw.body, 1 << 30, 250)) await importBatch(batch);
 */
export async function* csvContacts(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  batchRows: number,
  meta: ImportMeta = {},
): AsyncGenerator<ImportItem[]> {
  // The WHATWG decoder drops a leading BOM (ignoreBOM: false) and reads
  // invalid UTF-8 as U+FFFD, which then fails validation in its own row
  // rather than refusing a file that is part-imported already.
  const decoder = new TextDecoder('utf-8');
  const parser = createCsvParser(MAX_ROW_CHARS);
  let columns: CsvColumns | undefined;
  let row = 0;
  let pending: ImportItem[] = [];
  const take = (records: CsvRecord[]) => {
    for (const record of records) {
      if (!columns) {
        if (record.error) throw invalid('header', `the header row ${record.error}`);
        columns = mapColumns(record.fields);
        meta.columns = columns.readings;
        continue;
      }
      row++;
      pending.push(importItem(row, record.error ? { field: ROW_FIELD, reason: record.error } : contactOfRow(columns, record.fields)));
    }
  };

  const reader = body?.getReader();
  let finished = !reader;
  try {
    let bytes = 0;
    for (let r = await reader?.read(); r && !r.done; r = await reader!.read()) {
      bytes += r.value.byteLength;
      if (bytes > maxBytes) throw bodyTooLarge(maxBytes);
      take(parser.push(decoder.decode(r.value, { stream: true })));
      while (pending.length >= batchRows) yield pending.splice(0, batchRows);
    }
    finished = true;
    take(parser.push(decoder.decode()));
    take(parser.end());
    if (!columns) throw invalid('body', 'must be CSV starting with a header row');
    if (pending.length) yield pending;
    pending = [];
  } finally {
    // Stopped early (an error, a refused header): stop the client's upload too.
    if (!finished) await reader?.cancel().catch(() => {});
  }
}
