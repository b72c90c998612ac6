import type { Plan } from '../domain/identity/types.js';
import { statusOf } from '../domain/status.js';
import { applyTraits } from '../domain/traits.js';
import type { Db } from '../repos/db.js';
import { identityRow } from '../repos/identities.js';
import { identifierKey } from '../domain/identity/types.js';
import type { NewLog } from './apply-plan.js';
import { announceStatus } from './announce-status.js';
import type { ServiceContext } from './context.js';
import type { HeldGraph } from './import-pending.js';
import { attachLogs, claimRefusalLogs, mergeLogs, refusalLogs } from './plan-logs.js';

/**
 * applyPlan's steps for a plan whose survivor and merged profiles are all
 * held in memory by an import chunk (services/import-pending.ts), in the
 * same order and with the same log entries: merge each loser (traits by the
 * workspace's policy, its identity rows moved, it becomes `merged`), attach
 * the claimed identifiers, apply the row's traits and the status its
 * identifiers give. Refused profiles only get log entries, as in applyPlan,
 * so they may be stored ones. A status change is announced at once, as
 * applyPlan does, so the outbox keeps its order. Plans that retire a value
 * are not taken here (PendingProfiles.canApply).
 *
 * @example
 * await applyHeldPlan(trx, ctx, graph, plan, { plan: 'gold' }, 'import', logs);
 */
export async function applyHeldPlan(
  trx: Db,
  ctx: ServiceContext,
  graph: HeldGraph,
  plan: Plan,
  traits: Record<string, unknown>,
  via: string,
  logSink: NewLog[],
): Promise<void> {
  const now = ctx.now();
  const logs: NewLog[] = [];
  const survivor = graph.profiles.get(plan.survivor.id!)!;
  const statusBefore = survivor.status;
  const survivorUpdatedAt = survivor.updatedAt;
  let survivorTraits = survivor.traits;
  // identitiesOf(losers) as applyPlan reads it: every row of each loser, replaced ones included.
  const losersIdentities = plan.merge.flatMap((loserId) =>
    graph.profiles.get(loserId)!.keys.flatMap((key) => {
      const row = graph.identities.get(key)!;
      return row.profileId === loserId ? [{ kind: row.kind, value: row.value, profileId: loserId, replacedAt: row.replacedAt }] : [];
    }),
  );
  for (const loserId of plan.merge) {
    const loser = graph.profiles.get(loserId)!;
    const preferNewest = ctx.workspace.settings.traitConflictPolicy === 'newest';
    const survivorId = survivor.id;
    const merge = mergeLogs({
      plan,
      survivorId,
      survivorTraits,
      survivorUpdatedAt,
      loserId,
      loser,
      losersIdentities,
      preferNewest,
      at: now,
      via,
    });
    // moveIdentities, then updateProfile(loser → merged).
    for (const i of merge.identities) {
      const key = identifierKey(i.kind, i.value);
      graph.identities.get(key)!.profileId = survivor.id;
      survivor.keys.push(key);
    }
    Object.assign(loser, { status: 'merged', mergedInto: survivor.id, updatedAt: now });
    logs.push(...merge.logs);
    survivorTraits = merge.traits;
  }
  // assignIdentities: a row of the same value is taken over (keeping its created_at), else a new one.
  for (const i of plan.attach) {
    const key = identifierKey(i.kind, i.value);
    const row = graph.identities.get(key);
    if (row) Object.assign(row, { profileId: survivor.id, replacedAt: null });
    else graph.identities.set(key, identityRow(i, survivor.id, now));
    if (!survivor.keys.includes(key)) survivor.keys.push(key);
  }
  logs.push(
    ...attachLogs(survivor.id, plan, now, via),
    ...refusalLogs(survivor.id, plan, now, via),
    ...claimRefusalLogs(survivor.id, plan, now, via),
  );
  const next = applyTraits(survivorTraits, plan.holdTraits ? {} : traits);
  const status = statusOf(plan.identifiers, ctx.workspace.settings.primaryKey);
  Object.assign(survivor, { status, traits: next.traits, updatedAt: now });
  await announceStatus(trx, ctx.workspace.id, survivor.id, statusBefore, status, now);
  logSink.push(...logs);
}
