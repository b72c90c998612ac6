import type { Plan } from '../domain/identity/types.js';
import { statusOf } from '../domain/status.js';
import { applyTraits, mergeTraits } from '../domain/traits.js';
import type { Db } from '../repos/db.js';
import { appendLog, type LogEntry } from '../repos/contact-log.js';
import { assignIdentities, identitiesOf, moveIdentities, retireIdentity } from '../repos/identities.js';
import { getProfileRecords, insertProfile, updateProfile } from '../repos/profiles.js';
import type { ServiceContext } from './context.js';

type NewLog = Omit<LogEntry, 'id'>;

/**
 * Carries out a resolver plan inside the caller's transaction and answers the
 * survivor's ID. The cost is in identities and profiles touched, never in
 * events: events follow their identities (SPEC §2 "a merge must not copy or
 * rewrite the event history").
 */
export async function applyPlan(db: Db, ctx: ServiceContext, plan: Plan, traits: Record<string, unknown>, via: string): Promise<string> {
  const ws = ctx.workspace.id;
  const now = ctx.now();
  const logs: NewLog[] = [];
  const survivorId = plan.survivor.id ?? ctx.newId();
  if (!plan.survivor.id) {
    await insertProfile(db, ws, { id: survivorId, status: 'anonymous', traits: {}, now });
    logs.push({ profileId: survivorId, type: 'created', at: now, details: { via } });
  }

  const records = plan.survivor.id || plan.merge.length ? await getProfileRecords(db, ws, [survivorId, ...plan.merge]) : new Map();
  let survivorTraits = records.get(survivorId)?.traits ?? {};
  const survivorUpdatedAt = records.get(survivorId)?.updatedAt ?? now;
  for (const loserId of plan.merge) {
    const loser = records.get(loserId);
    if (!loser) continue;
    const identities = await identitiesOf(db, ws, [loserId]);
    const preferLoser = ctx.workspace.settings.traitConflictPolicy === 'newest' && loser.updatedAt > survivorUpdatedAt;
    const merged = mergeTraits(survivorTraits, loser.traits, preferLoser);
    await moveIdentities(db, ws, loserId, survivorId);
    await updateProfile(db, ws, loserId, { status: 'merged', mergedInto: survivorId, now });
    // Both entries carry what unmerge needs, so either one can undo the merge.
    const record = {
      survivorId,
      mergedId: loserId,
      identities: identities.map(({ kind, value, replacedAt }) => ({ kind, value, replacedAt })),
      survivorTraitsBefore: survivorTraits,
      mergedTraitsBefore: loser.traits,
      mergedStatusBefore: loser.status,
      traitConflicts: merged.conflicts,
      via,
    };
    logs.push({ profileId: survivorId, type: 'merged', at: now, details: { ...record, role: 'survivor' } });
    logs.push({ profileId: loserId, type: 'merged', at: now, details: { ...record, role: 'merged' } });
    survivorTraits = merged.traits;
  }

  for (const r of plan.retire) {
    await retireIdentity(db, ws, r, now);
    logs.push({ profileId: survivorId, type: 'identifier_replaced', at: now, details: { kind: r.kind, old: r.value, new: r.replacedBy, from: r.profileId } });
  }
  await assignIdentities(db, ws, plan.attach, survivorId, now);
  for (const id of plan.attach) logs.push({ profileId: survivorId, type: 'identifier_added', at: now, details: { kind: id.kind, value: id.value, via } });
  for (const refusal of plan.refused) {
    const details = { reason: refusal.reason, identifiers: refusal.identifiers, via };
    logs.push({ profileId: survivorId, type: 'merge_refused', at: now, details: { ...details, otherProfileId: refusal.profileId } });
    if (refusal.profileId !== survivorId) logs.push({ profileId: refusal.profileId, type: 'merge_refused', at: now, details: { ...details, otherProfileId: survivorId } });
  }

  const next = applyTraits(survivorTraits, traits);
  const status = statusOf(plan.identifiers, ctx.workspace.settings.primaryKey);
  await updateProfile(db, ws, survivorId, { status, traits: next.traits, now });
  await appendLog(db, ws, logs);
  return survivorId;
}

/** True when applying the plan would change nothing, so no lock or transaction is needed. */
export const isNoop = (plan: Plan, traits: Record<string, unknown>) =>
  plan.survivor.id !== undefined &&
  !plan.merge.length &&
  !plan.attach.length &&
  !plan.retire.length &&
  !plan.refused.length &&
  !Object.keys(traits).length;
