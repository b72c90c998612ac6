import { contactClaim, importOutcome, type ContactInput, type Rejection } from '../domain/import/contact.js';
import { claimedIdentifiers } from '../domain/identity/resolve.js';
import { appendLog, type LogEntry } from '../repos/contact-log.js';
import { addImportCounts, insertRejections, noCounts, type ImportCounts, type RejectionRecord } from '../repos/imports.js';
import { lockIdentityGraph } from '../repos/locks.js';
import type { ServiceContext } from './context.js';
import { createOwnerCache } from './owner-cache.js';
import { settleClaim } from './record-identity.js';

/** One row of an import: the contact it carries, or why it could not be read. `row` is 1-based. */
export type ImportItem = { row: number } & ({ contact: ContactInput } | { rejection: Rejection });

/** Pairs a row number with what was read from it. */
export const importItem = (row: number, read: ContactInput | Rejection): ImportItem =>
  'reason' in read ? { row, rejection: read } : { row, contact: read };

const countOf = { created: 'created', matched: 'matched', merged: 'merged', conflict: 'conflicts' } as const;

/**
 * Imports one chunk of rows in one transaction holding the workspace's
 * identity lock (SPEC §2 concurrency): each row is settled exactly as a
 * verified identify is, its profile gets an `imported` log entry, and the
 * chunk's rejections and counts are stored with it. Live identifies wait for
 * at most one chunk, and a failure loses at most the chunk in flight.
 */
export async function importChunk(ctx: ServiceContext, importId: string, items: ImportItem[]): Promise<ImportCounts> {
  const { db, dialect } = ctx.database;
  const ws = ctx.workspace.id;
  const counts = noCounts();
  const rejections: RejectionRecord[] = [];
  const read = items.map((item) => ({ row: item.row, claim: 'rejection' in item ? ({ ok: false, ...item.rejection } as const) : contactClaim(item.contact, ctx.workspace.settings) }));
  await db.transaction().execute(async (trx) => {
    await lockIdentityGraph(trx, dialect, ws);
    const owners = createOwnerCache(trx, ws);
    // One lookup a kind for the whole chunk; settling a row re-reads only what it changed.
    await owners.ownerIdsFor(read.flatMap(({ claim }) => (claim.ok ? claimedIdentifiers(claim.claim) : [])));
    const logs: Array<Omit<LogEntry, 'id'>> = [];
    const at = ctx.now();
    for (const { row, claim } of read) {
      if (!claim.ok) {
        counts.rejected++;
        rejections.push({ row, field: claim.field, reason: claim.reason });
        continue;
      }
      const { plan, profileId } = await settleClaim(trx, ctx, claim.claim, claim.traits, 'import', owners);
      const outcome = importOutcome(plan);
      counts[countOf[outcome]]++;
      for (const id of new Set([profileId, ...plan.refused.map((r) => r.profileId)])) {
        logs.push({ profileId: id, type: 'imported', at, details: { importId, row, outcome } });
      }
    }
    await appendLog(trx, ws, logs);
    await insertRejections(trx, ws, importId, rejections);
    await addImportCounts(trx, ws, importId, counts);
  });
  return counts;
}
