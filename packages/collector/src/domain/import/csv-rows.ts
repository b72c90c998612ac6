import { invalid } from '../errors.js';
import { ROW_FIELD } from './contact.js';
import { contactOfRow, mapColumns, type ColumnReading, type CsvColumns } from './csv-columns.js';
import { createCsvParser, type CsvRecord } from './csv-parser.js';
import { type ImportItem, importItem } from './read-row.js';

/** A CSV file read into import rows as its bytes arrive (createCsvRows). */
export interface CsvRows {
  /** Reads the next bytes of the file; answers the rows they completed. */
  push(bytes: Uint8Array): ImportItem[];
  /** Ends the file; answers its last rows. */
  end(): ImportItem[];
  /** How the header's columns were read, once it has been. */
  readonly columns: ColumnReading[] | undefined;
}

/**
 * Reads a CSV file's bytes into import rows, numbered from 1 after the
 * header: the contact each carries, or why it cannot be read. A header that
 * cannot be read, or a file with none, throws. The WHATWG decoder drops a
 * leading BOM and reads invalid UTF-8 as U+FFFD, which then fails
 * validation in its own row rather than refusing a file that is
 * part-imported already.
 *
 * @example
 * const rows = createCsvRows(32_768);
 * rows.push(new TextEncoder().encode('email\nana@example.com\n')); // → [{ row: 1, contact: { email: 'ana@example.com', traits: {}, fields: { email: 'email' } } }]
 */
export function createCsvRows(maxRowChars: number): CsvRows {
  const decoder = new TextDecoder('utf-8');
  const parser = createCsvParser(maxRowChars);
  let columns: CsvColumns | undefined;
  let row = 0;
  const take = (records: CsvRecord[]) => {
    const items: ImportItem[] = [];
    for (const record of records) {
      if (!columns) {
        if (record.error) throw invalid('header', `the header row ${record.error}`);
        columns = mapColumns(record.fields);
        continue;
      }
      row++;
      items.push(importItem(row, record.error ? { field: ROW_FIELD, reason: record.error } : contactOfRow(columns, record.fields)));
    }
    return items;
  };
  return {
    push: (bytes) => take(parser.push(decoder.decode(bytes, { stream: true }))),
    end() {
      const items = [...take(parser.push(decoder.decode())), ...take(parser.end())];
      if (!columns) throw invalid('body', 'must be CSV starting with a header row');
      return items;
    },
    get columns() {
      return columns?.readings;
    },
  };
}
