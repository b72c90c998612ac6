import { importOutcome, type ContactInput, type Rejection } from '../domain/import/contact.js';
import { claimedIdentifiers } from '../domain/identity/resolve.js';
import { identifierKey } from '../domain/identity/types.js';
import { appendLog } from '../repos/contact-log.js';
import { addImportCounts, insertRejections, noCounts, type ImportCounts, type RejectionRecord } from '../repos/imports.js';
import { lockIdentityGraph } from '../repos/locks.js';
import { markProfilesDirty } from '../repos/audience-dirty.js';
import { insertNewProfiles, type NewLog } from './apply-plan.js';
import type { ServiceContext } from './context.js';
import { createOwnerCache } from './owner-cache.js';
import { settleClaim, type WriteSink } from './record-identity.js';
import { readImportRow, type ReadRow } from './import-row.js';
import { suppressAddress } from './suppressions.js';

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
 *
 * @example
 * await importChunk(ctx, importId, [importItem(1, { email: 'ana@example.com', traits: {} })]); // → { created: 1, matched: 0, … }
 */
export async function importChunk(ctx: ServiceContext, importId: string, items: ImportItem[]): Promise<ImportCounts> {
  const { db, dialect } = ctx.database;
  const ws = ctx.workspace.id;
  const counts = noCounts();
  const rejections: RejectionRecord[] = [];
  const read: ReadRow[] = [];
  for (const item of items) read.push(await readImportRow(ctx, item));
  const claimed = read.map(({ claim }) => (claim.ok ? claimedIdentifiers(claim.claim) : []));
  const uses = new Map<string, number>();
  for (const key of claimed.flat().map((i) => identifierKey(i.kind, i.value))) uses.set(key, (uses.get(key) ?? 0) + 1);
  await db.transaction().execute(async (trx) => {
    await lockIdentityGraph(trx, dialect, ws);
    const owners = createOwnerCache(trx, ws);
    // One lookup a kind for the whole chunk; settling a row re-reads only what it changed.
    const owned = await owners.ownerIdsFor(claimed.flat());
    const sink: Required<WriteSink> = { logs: [], newProfiles: [] };
    const changed = new Set<string>();
    const at = ctx.now();
    for (const [index, { row, claim, optOuts }] of read.entries()) {
      if (!claim.ok) {
        counts.rejected++;
        rejections.push({ row, field: claim.field, reason: claim.reason });
        continue;
      }
      // A row whose identifiers nobody holds and no other row of the chunk
      // names cannot affect or be affected by the rest of the chunk: its new
      // profile is written with the others' in one statement at the end.
      const alone = claimed[index]!.every(
        (i) => !owned.has(identifierKey(i.kind, i.value)) && uses.get(identifierKey(i.kind, i.value)) === 1,
      );
      const { plan, profileId, touched } = await settleClaim(
        trx,
        ctx,
        claim.claim,
        claim.traits,
        'import',
        owners,
        alone ? sink : { logs: sink.logs },
      );
      for (const id of touched) changed.add(id);
      const outcome = importOutcome(plan);
      counts[countOf[outcome]]++;
      for (const id of new Set([profileId, ...plan.refused.map((r) => r.profileId)])) {
        sink.logs.push({ profileId: id, type: 'imported', at, details: { importId, row, outcome } });
      }
      for (const o of optOuts) {
        const change = { ...o, source: `import:${importId}`, by: 'import' as const, at };
        await suppressAddress(trx, ctx, change, { owner: profileId, logs: sink.logs });
      }
    }
    const logs: NewLog[] = [];
    await insertNewProfiles(trx, ctx, sink.newProfiles, at, logs);
    logs.push(...sink.logs);
    await appendLog(trx, ws, logs);
    await insertRejections(trx, ws, importId, rejections);
    await addImportCounts(trx, ws, importId, counts);
    await markProfilesDirty(trx, ws, changed);
  });
  return counts;
}
