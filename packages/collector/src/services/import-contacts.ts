import { DomainError } from '../domain/errors.js';
import type { ColumnReading } from '../domain/import/csv-columns.js';
import { chunks } from '../repos/chunks.js';
import { finishImport, insertImport } from '../repos/imports.js';
import type { ServiceContext } from './context.js';
import { importChunk, PART_ROWS, readChunk, readsNoStore } from './import-chunk.js';
import type { ImportItem, ReadRow } from '../domain/import/read-row.js';
import { readImport } from './import-report.js';
import { appendOutbox } from '../repos/outbox.js';

/**
 * Marks the import finished and queues `import.finished` (SPEC §9, the
 * report's counts; rejections stay behind GET /api/imports/:id) in one
 * transaction, so a finished import is always announced.
 */
function finish(ctx: ServiceContext, id: string, status: 'done' | 'failed') {
  return ctx.database.db.transaction().execute(async (trx) => {
    await finishImport(trx, ctx.workspace.id, id, status, ctx.now());
    const report = await readImport({ ...ctx, database: { ...ctx.database, db: trx } }, id);
    const { rejections: _r, rejectionsNext: _n, ...summary } = report;
    await appendOutbox(trx, ctx.workspace.id, [
      { type: 'import.finished', profileId: null, at: ctx.now(), data: { importId: report.id, ...summary } },
    ]);
    return report;
  });
}

/**
 * Rows a chunk transaction settles at most: two parts (PART_ROWS), so the
 * store writes the first part while the collector settles the second. A
 * fresh list's rows are settled in memory and written a few statements a
 * part, so a big chunk spreads the per-transaction statements thin; rows
 * that need stored profiles end a chunk early (STORE_ROWS_A_CHUNK), so live
 * identifies still wait for one chunk only briefly (the chunk holds the
 * identity lock: about 0.2 s for 2,000 fresh rows on the bench machine).
 */
export const IMPORT_CHUNK_ROWS = 2 * PART_ROWS;

type Ahead = { items: ImportItem[]; read?: ReadRow[] } | undefined;

/**
 * Settles every chunk in order. The next chunk is taken from the source
 * (parsed) and its rows read into claims once the current one has sent its
 * last writes (importChunk's whileWriting): on PostgreSQL that work runs
 * while the database writes them, where it used to run as the chunk began,
 * delaying its `begin` and lock by the whole read (about 25 ms a chunk of
 * the bench's file). A chunk with a GUID row is read only once the chunks
 * before it are committed, since reading it reads the store.
 */
async function settleAll(
  ctx: ServiceContext,
  id: string,
  first: IteratorResult<ImportItem[]>,
  pull: () => IteratorResult<ImportItem[]> | Promise<IteratorResult<ImportItem[]>>,
) {
  let queued = first.done ? [] : chunks(first.value, IMPORT_CHUNK_ROWS);
  let done = !!first.done;
  const take = async (): Promise<Ahead> => {
    while (!queued.length && !done) {
      const r = await pull();
      if (r.done) done = true;
      else queued = chunks(r.value, IMPORT_CHUNK_ROWS);
    }
    const items = queued.shift();
    if (!items) return undefined;
    return { items, read: readsNoStore(items) ? await readChunk(ctx, items) : undefined };
  };
  let ahead: Promise<Ahead> | undefined = take();
  const readAhead = () => {
    if (ahead) return;
    ahead = take();
    // Awaited below; until then a failure (a body over the cap) must not count as unhandled.
    ahead.catch(() => {});
  };
  for (let current = await ahead; current; current = await ahead) {
    ahead = undefined;
    let { items, read } = current;
    while (items.length) {
      const { settled } = await importChunk(ctx, id, items, read, readAhead);
      items = items.slice(settled);
      read = read?.slice(settled);
    }
    readAhead();
  }
}

/** What the reader learns about a source before its first rows: how a CSV header's columns were read. */
export interface ImportMeta {
  columns?: ColumnReading[];
}

/**
 * Runs an import (SPEC §5) from batches of rows as they arrive: the first
 * batch is awaited before anything is stored, so a file refused at its
 * header leaves no trace; then every batch is settled a chunk at a time and
 * the report is answered. Memory holds one batch, whatever the import's size.
 * A failure part-way (a body over the cap, a dropped connection) marks the
 * import `failed`; the chunks settled before it stay, as the report says.
 *
 * @example
 * const report = await runImport(ctx, 'bulk', [[importItem(1, { email: 'ana@example.com', traits: {} })]]); // → { rows: 1, created: 1, … }
 */
export async function runImport(
  ctx: ServiceContext,
  source: 'csv' | 'bulk',
  batches: AsyncIterable<ImportItem[]> | Iterable<ImportItem[]>,
  meta: ImportMeta = {},
) {
  const { db } = ctx.database;
  const ws = ctx.workspace.id;
  const iterator = Symbol.asyncIterator in batches ? batches[Symbol.asyncIterator]() : batches[Symbol.iterator]();
  const next = await iterator.next();
  const id = ctx.newId();
  await insertImport(db, ws, { id, source, now: ctx.now(), columns: meta.columns });
  try {
    await settleAll(ctx, id, next, () => iterator.next());
  } catch (err) {
    await finish(ctx, id, 'failed');
    if (!(err instanceof DomainError)) throw err;
    const note = `import ${id} stopped here; the rows before stay imported (GET /api/imports/${id})`;
    throw new DomainError(err.code, `${err.message} (${note})`, err.status, err.field);
  }
  return finish(ctx, id, 'done');
}
