import { DomainError, invalid, notFound } from '../domain/errors.js';
import type { IdentifierKind } from '../domain/identity/types.js';
import { statusOf } from '../domain/status.js';
import { storableOrThrow } from '../domain/storable-json.js';
import type { TraitConflict } from '../domain/traits.js';
import { appendLog, getLogEntry } from '../repos/contact-log.js';
import type { Db } from '../repos/db.js';
import { identitiesOf, restoreIdentity } from '../repos/identities.js';
import { profileViews } from '../repos/profile-views.js';
import { identityTransaction } from './identity-transaction.js';
import { markProfilesDirty } from '../repos/audience-dirty.js';
import { getProfileRecords, updateProfile } from '../repos/profiles.js';
import type { ServiceContext } from './context.js';
import { announceStatus } from './announce-status.js';

/** What apply-plan writes into both `merged` log entries. */
interface MergeRecord {
  survivorId: string;
  mergedId: string;
  identities: Array<{ kind: IdentifierKind; value: string; replacedAt: number | null }>;
  survivorTraitsBefore: Record<string, unknown>;
  mergedTraitsBefore: Record<string, unknown>;
  traitConflicts: TraitConflict[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Undoes one merge (SPEC §2): the merged profile gets back its identifiers,
 * and with them its events, and its traits; the survivor loses what came only
 * from it. Changes made to the survivor since the merge are kept.
 */
export async function unmerge(ctx: ServiceContext, profileId: string, logId: unknown): Promise<{ survivorId: string; restoredId: string }> {
  if (typeof logId !== 'string' || !logId) throw invalid('logId', 'must be the id of a "merged" contact-log entry');
  storableOrThrow(logId, 'logId');
  const ws = ctx.workspace.id;
  // Unmerge moves identities between exactly the two profiles of the merge, so their locks are all it needs.
  return identityTransaction(ctx, [], [profileId], async (trx, locking) => {
    const entry = await getLogEntry(trx, ws, logId);
    if (!entry) throw notFound('log entry');
    const merge = entry.details as unknown as MergeRecord;
    if (entry.type !== 'merged' || (merge.survivorId !== profileId && merge.mergedId !== profileId)) {
      throw invalid('logId', `is not a "merged" entry of profile ${profileId}`);
    }
    await locking.profiles([merge.survivorId, merge.mergedId]);
    const records = await getProfileRecords(trx, ws, [merge.survivorId, merge.mergedId]);
    const survivor = records.get(merge.survivorId);
    const merged = records.get(merge.mergedId);
    if (!survivor || survivor.status === 'deleted' || !merged) throw notFound('profile');
    if (survivor.status === 'merged')
      throw new DomainError('conflict', `the survivor ${survivor.id} was merged into another profile since; unmerge that merge first`, 409);
    if (merged.status !== 'merged' || merged.mergedInto !== survivor.id)
      throw new DomainError('conflict', 'this merge was already undone', 409);

    const now = ctx.now();
    const current = new Map((await identitiesOf(trx, ws, [survivor.id])).map((i) => [`${i.kind}:${i.value}`, i]));
    for (const id of merge.identities) {
      if (current.has(`${id.kind}:${id.value}`)) await restoreIdentity(trx, ws, id, merged.id, id.replacedAt);
    }
    const survivorTraits = { ...survivor.traits };
    for (const [key, value] of Object.entries(merge.mergedTraitsBefore)) {
      if (!(key in merge.survivorTraitsBefore) && same(survivorTraits[key], value)) delete survivorTraits[key];
    }
    for (const c of merge.traitConflicts) {
      if (same(survivorTraits[c.key], c.kept) && !same(merge.survivorTraitsBefore[c.key], c.kept))
        survivorTraits[c.key] = merge.survivorTraitsBefore[c.key];
    }
    await restoreStatus(trx, ctx, survivor.id, { traits: survivorTraits, now }, survivor.status);
    await restoreStatus(trx, ctx, merged.id, { traits: merge.mergedTraitsBefore, mergedInto: null, now });
    const details = { logId, survivorId: survivor.id, restoredId: merged.id };
    await appendLog(trx, ws, [
      { profileId: survivor.id, type: 'unmerged', at: now, details },
      { profileId: merged.id, type: 'unmerged', at: now, details },
    ]);
    await markProfilesDirty(trx, ws, [survivor.id, merged.id]);
    return { survivorId: survivor.id, restoredId: merged.id };
  });
}

async function restoreStatus(
  db: Db,
  ctx: ServiceContext,
  id: string,
  patch: { traits: Record<string, unknown>; mergedInto?: null; now: number },
  from?: string,
) {
  const view = (await profileViews(db, ctx.workspace.id, [id])).get(id);
  const status = statusOf(view?.ids ?? {}, ctx.workspace.settings.primaryKey);
  await updateProfile(db, ctx.workspace.id, id, { ...patch, status });
  await announceStatus(db, ctx.workspace.id, id, from, status, patch.now);
}
