import { type CompiledQuery, type Selectable, sql } from 'kysely';
import type { ImportsTable } from '../db/schema.js';
import { chunks } from './chunks.js';
import type { Db } from './db.js';
import { parseJson, toJson } from './json.js';

export const IMPORT_COUNTS = ['created', 'matched', 'merged', 'conflicts', 'rejected'] as const;
export type ImportCounts = Record<(typeof IMPORT_COUNTS)[number], number>;
export type ImportStatus = 'running' | 'done' | 'failed';

export interface ImportRecord extends ImportCounts {
  id: string;
  source: 'csv' | 'bulk';
  status: ImportStatus;
  rows: number;
  createdAt: number;
  finishedAt: number | null;
  /** How a CSV header was read (`[{ column, readAs, … }]`); null for bulk imports. */
  columns: unknown[] | null;
}

export interface RejectionRecord {
  row: number;
  field: string;
  reason: string;
}

export const noCounts = (): ImportCounts => ({ created: 0, matched: 0, merged: 0, conflicts: 0, rejected: 0 });

export async function insertImport(
  db: Db,
  workspaceId: string,
  i: { id: string; source: 'csv' | 'bulk'; now: number; columns?: unknown[] },
): Promise<void> {
  await db
    .insertInto('imports')
    .values({
      workspace_id: workspaceId,
      id: i.id,
      source: i.source,
      status: 'running',
      rows: 0,
      ...noCounts(),
      created_at: i.now,
      finished_at: null,
      columns: i.columns ? toJson(i.columns) : null,
    })
    .execute();
}

/**
 * The statement adding one chunk's counts, to run inside the chunk's own
 * transaction: the stored report never runs ahead of or behind the rows written.
 *
 * @example
 * await trx.executeQuery(addImportCountsQuery(trx, ws, importId, counts));
 */
export function addImportCountsQuery(db: Db, workspaceId: string, id: string, counts: ImportCounts): CompiledQuery {
  const rows = IMPORT_COUNTS.reduce((n, k) => n + counts[k], 0);
  return db
    .updateTable('imports')
    .set({
      rows: sql`${sql.ref('rows')} + ${rows}`,
      created: sql`${sql.ref('created')} + ${counts.created}`,
      matched: sql`${sql.ref('matched')} + ${counts.matched}`,
      merged: sql`${sql.ref('merged')} + ${counts.merged}`,
      conflicts: sql`${sql.ref('conflicts')} + ${counts.conflicts}`,
      rejected: sql`${sql.ref('rejected')} + ${counts.rejected}`,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .compile();
}

export async function finishImport(
  db: Db,
  workspaceId: string,
  id: string,
  status: Exclude<ImportStatus, 'running'>,
  now: number,
): Promise<void> {
  await db.updateTable('imports').set({ status, finished_at: now }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

function toImportRecord(r: Selectable<ImportsTable>): ImportRecord {
  const { workspace_id: _ws, created_at, finished_at, source, status, columns, ...counts } = r;
  return {
    ...counts,
    columns: parseJson<unknown[] | null>(columns, null),
    source: source as ImportRecord['source'],
    status: status as ImportStatus,
    createdAt: created_at,
    finishedAt: finished_at,
  };
}

export async function getImport(db: Db, workspaceId: string, id: string): Promise<ImportRecord | undefined> {
  const r = await db.selectFrom('imports').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return r && toImportRecord(r);
}

/** The latest imports, newest first. */
export async function listImports(db: Db, workspaceId: string, limit: number): Promise<ImportRecord[]> {
  const rows = await db
    .selectFrom('imports')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toImportRecord);
}

/**
 * The statements storing a chunk's rejected rows, one a thousand (5 parameters a row: far under SQLite's bound-parameter limit).
 *
 * @example
 * for (const q of insertRejectionsQueries(trx, ws, importId, [{ row: 3, field: 'email', reason: 'invalid email' }])) await trx.executeQuery(q);
 */
export function insertRejectionsQueries(db: Db, workspaceId: string, importId: string, rejections: RejectionRecord[]): CompiledQuery[] {
  return chunks(rejections, 1000).map((chunk) =>
    db
      .insertInto('import_rejections')
      .values(chunk.map((r) => ({ workspace_id: workspaceId, import_id: importId, row: r.row, field: r.field, reason: r.reason })))
      .compile(),
  );
}

/** Rejections in row order after `afterRow`, keyset-paged on the primary key. */
export async function listRejections(
  db: Db,
  workspaceId: string,
  importId: string,
  afterRow: number,
  limit: number,
): Promise<RejectionRecord[]> {
  return db
    .selectFrom('import_rejections')
    .select(['row', 'field', 'reason'])
    .where('workspace_id', '=', workspaceId)
    .where('import_id', '=', importId)
    .where('row', '>', afterRow)
    .orderBy('row')
    .limit(limit)
    .execute();
}
