import { invalid, notFound } from '../domain/errors.js';
import { getImport, listImports, listRejections, type ImportRecord, type RejectionRecord } from '../repos/imports.js';
import type { ServiceContext } from './context.js';
import { iso } from './profile-view.js';

/** Rejections an import report carries inline; the rest are paged from `/api/imports/:id/rejections`. */
export const INLINE_REJECTIONS = 100;

export interface RejectionsPage {
  rejections: RejectionRecord[];
  /** The `after` cursor of the next page; null on the last. */
  next: string | null;
}

async function existingImport(ctx: ServiceContext, id: string): Promise<ImportRecord> {
  const record = await getImport(ctx.database.db, ctx.workspace.id, id);
  if (!record) throw notFound('import');
  return record;
}

async function rejectionsPage(ctx: ServiceContext, id: string, afterRow: number, limit: number): Promise<RejectionsPage> {
  const rows = await listRejections(ctx.database.db, ctx.workspace.id, id, afterRow, limit + 1);
  const rejections = rows.slice(0, limit);
  return { rejections, next: rows.length > limit ? String(rejections.at(-1)!.row) : null };
}

/**
 * An import's report (SPEC §5): every row counted in exactly one of created,
 * matched, merged, conflicts and rejected (so `rows` is their sum), with the
 * first rejections inline and `rejectionsNext` to page on when there are more.
 *
 * @example
 * await readImport(ctx, id) // → { id, status: 'done', rows: 3, created: 2, matched: 0, merged: 0, conflicts: 0, rejected: 1, rejections: [{ row: 2, field: 'email', reason: '…' }], rejectionsNext: null, … }
 */
export async function readImport(ctx: ServiceContext, id: string) {
  const { createdAt, finishedAt, ...record } = await existingImport(ctx, id);
  const page = await rejectionsPage(ctx, id, 0, INLINE_REJECTIONS);
  return {
    ...record,
    rejections: page.rejections,
    rejectionsNext: page.next,
    createdAt: iso(createdAt),
    finishedAt: finishedAt === null ? null : iso(finishedAt),
  };
}

/** Rejections in row order after the cursor `after` (a row number from `next`). */
export async function importRejections(ctx: ServiceContext, id: string, after: string | undefined, limit: number): Promise<RejectionsPage> {
  const afterRow = after === undefined ? 0 : Number(after);
  if (!/^\d+$/.test(after ?? '0') || !Number.isSafeInteger(afterRow))
    throw invalid('after', 'must be the `next` cursor of a previous page');
  await existingImport(ctx, id);
  return rejectionsPage(ctx, id, afterRow, limit);
}

/** The latest imports (counts, no rejections), newest first. */
export async function listPastImports(ctx: ServiceContext, limit = 50) {
  const records = await listImports(ctx.database.db, ctx.workspace.id, limit);
  return records.map(({ createdAt, finishedAt, ...r }) => ({
    ...r,
    createdAt: iso(createdAt),
    finishedAt: finishedAt === null ? null : iso(finishedAt),
  }));
}
