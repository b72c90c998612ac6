import type { CompiledQuery } from 'kysely';
import type { Identifier, Plan } from '../domain/identity/types.js';
import { statusOf, type ProfileStatus } from '../domain/status.js';
import { applyTraits } from '../domain/traits.js';
import type { Db } from '../repos/db.js';
import { appendLog } from '../repos/contact-log.js';
import { assignIdentities, assignIdentitiesTo, identitiesOf, moveIdentities, retireIdentity } from '../repos/identities.js';
import { getProfileRecords, insertProfiles, type ProfileRecord, updateProfile } from '../repos/profiles.js';
import type { ServiceContext } from './context.js';
import { attachLogs, claimRefusalLogs, mergeLogs, type NewLog, refusalLogs } from './plan-logs.js';
import { announceStatus } from './announce-status.js';

export type { NewLog };

/** A profile a plan creates, decided without reading anything: written once, complete. */
export interface NewProfileWrites {
  id: string;
  status: ProfileStatus;
  traits: Record<string, unknown>;
  identifiers: Identifier[];
  logs: NewLog[];
}

/** What a plan without a survivor writes (nothing can merge into a profile that did not exist). */
export function newProfileWrites(
  ctx: ServiceContext,
  plan: Plan,
  traits: Record<string, unknown>,
  via: string,
  id: string,
  now: number,
): NewProfileWrites {
  return {
    id,
    status: statusOf(plan.identifiers, ctx.workspace.settings.primaryKey),
    traits: applyTraits({}, traits).traits,
    identifiers: plan.attach,
    logs: [
      { profileId: id, type: 'created', at: now, details: { via } },
      ...attachLogs(id, plan, now, via),
      ...refusalLogs(id, plan, now, via),
      ...claimRefusalLogs(id, plan, now, via),
    ],
  };
}

/**
 * Writes new profiles with their identifiers in a few statements, however many there are; their log entries go to `logSink`.
 * With `statements` (applyPlan's `writes`) the inserts are added there for the caller to run, not run here.
 *
 * @example
 * await insertNewProfiles(trx, ctx, [newProfileWrites(ctx, plan, {}, 'import', ctx.newId(), now)], now, logs);
 */
export async function insertNewProfiles(
  db: Db,
  ctx: ServiceContext,
  writes: NewProfileWrites[],
  now: number,
  logSink: NewLog[],
  statements?: CompiledQuery[],
): Promise<void> {
  const ws = ctx.workspace.id;
  await insertProfiles(
    db,
    ws,
    writes.map(({ id, status, traits }) => ({ id, status, traits, now })),
    statements,
  );
  await assignIdentitiesTo(
    db,
    ws,
    writes.flatMap((w) => w.identifiers.map((i) => ({ kind: i.kind, value: i.value, profileId: w.id }))),
    now,
    statements,
  );
  for (const w of writes) logSink.push(...w.logs);
}

/**
 * Carries out a resolver plan inside the caller's transaction and answers the
 * survivor's ID. The cost is in identities and profiles touched, never in
 * events: events follow their identities (SPEC §2 "a merge must not copy or
 * rewrite the event history"). With `logSink` the contact-log entries are
 * handed to the caller, which writes many plans' entries in one statement.
 * `known` may hold the survivor's and losers' records as read under the
 * caller's locks (OwnerCache.recordsOf); they are read when any is missing.
 * With `writes` the survivor's identity upsert, its update and the log's
 * insert (or a new profile's insert, its identities' and its log's) are
 * added there, for the caller to run with its own (one statement on
 * PostgreSQL: repos/combined-writes.ts); nothing read after them needs them.
 */
export async function applyPlan(
  db: Db,
  ctx: ServiceContext,
  plan: Plan,
  traits: Record<string, unknown>,
  via: string,
  logSink?: NewLog[],
  known?: ReadonlyMap<string, ProfileRecord>,
  writes?: CompiledQuery[],
): Promise<string> {
  const ws = ctx.workspace.id;
  const now = ctx.now();
  const logs: NewLog[] = [];
  const writeLogs = () => (logSink ? void logSink.push(...logs) : appendLog(db, ws, logs, writes));
  if (!plan.survivor.id) {
    const created = newProfileWrites(ctx, plan, traits, via, ctx.newId(), now);
    await insertNewProfiles(db, ctx, [created], now, logs, writes);
    await writeLogs();
    return created.id;
  }
  const survivorId = plan.survivor.id;

  // Records read with the owners' views under the same locks are current: no second read of them.
  const involved = [survivorId, ...plan.merge];
  const records = known && involved.every((id) => known.has(id)) ? known : await getProfileRecords(db, ws, involved);
  let survivorTraits = records.get(survivorId)?.traits ?? {};
  const survivorUpdatedAt = records.get(survivorId)?.updatedAt ?? now;
  const losersIdentities = plan.merge.length ? await identitiesOf(db, ws, plan.merge) : [];
  for (const loserId of plan.merge) {
    const loser = records.get(loserId);
    if (!loser) continue;
    const preferNewest = ctx.workspace.settings.traitConflictPolicy === 'newest';
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
    await moveIdentities(db, ws, loserId, survivorId);
    await updateProfile(db, ws, loserId, { status: 'merged', mergedInto: survivorId, now });
    logs.push(...merge.logs);
    survivorTraits = merge.traits;
  }

  for (const r of plan.retire) {
    await retireIdentity(db, ws, r, now);
    logs.push({
      profileId: survivorId,
      type: 'identifier_replaced',
      at: now,
      details: { kind: r.kind, old: r.value, new: r.replacedBy, from: r.profileId },
    });
  }
  await assignIdentities(db, ws, plan.attach, survivorId, now, writes);
  logs.push(
    ...attachLogs(survivorId, plan, now, via),
    ...refusalLogs(survivorId, plan, now, via),
    ...claimRefusalLogs(survivorId, plan, now, via),
  );

  const next = applyTraits(survivorTraits, plan.holdTraits ? {} : traits);
  const status = statusOf(plan.identifiers, ctx.workspace.settings.primaryKey);
  await updateProfile(db, ws, survivorId, { status, traits: next.traits, now }, writes);
  await announceStatus(db, ws, survivorId, records.get(survivorId)?.status, status, now, writes);
  await writeLogs();
  return survivorId;
}

/** True when applying the plan would change nothing, so no lock or transaction is needed. */
export const isNoop = (plan: Plan, traits: Record<string, unknown>) =>
  plan.survivor.id !== undefined &&
  !plan.merge.length &&
  !plan.attach.length &&
  !plan.retire.length &&
  !plan.refused.length &&
  !plan.claimRefused.length &&
  !Object.keys(traits).length;
