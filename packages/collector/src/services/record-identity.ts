import { claimedIdentifiers, resolveIdentity } from '../domain/identity/resolve.js';
import type { Claim, ClaimRefusal, Identifier, Plan, ResolveInput } from '../domain/identity/types.js';
import { identityTransaction, lockOwners } from './identity-transaction.js';
import { applyPlan, isNoop, newProfileWrites, type NewLog, type NewProfileWrites } from './apply-plan.js';
import type { ServiceContext } from './context.js';
import { knownVisitor } from '../domain/identity/known-visitor.js';
import { identifierKey } from '../domain/identity/types.js';
import { createOwnerCache, type OwnerCache, type Owners } from './owner-cache.js';
import type { Db } from '../repos/db.js';
import { isDistributed } from '../db/distributed.js';
import type { CompiledQuery } from 'kysely';
import type { CommitWith } from '../repos/locks.js';

const inputFor = (ctx: ServiceContext, claim: Claim, owners: Owners): ResolveInput => ({
  primaryKey: ctx.workspace.settings.primaryKey,
  verifiedLinksOnly: ctx.workspace.settings.verifiedLinksOnly,
  claim,
  owners,
});

export interface Recorded {
  profileId: string;
  source: Identifier;
  /** Profiles whose identifiers this call changed: owners read before it are stale for them. Empty on the fast path. */
  touched: string[];
  /** What the claim asked and, being unverified, may not do: not applied (SPEC §2). */
  refused: ClaimRefusal[];
}

/**
 * What the caller writes in a claim's transaction once it is settled: given
 * the plan's last writes, not yet run, which it must run; and, on a
 * single-node PostgreSQL, `commitWith` for its last statement (nothing may
 * follow it).
 */
export type Alongside = (trx: Db, recorded: Recorded, writes: CompiledQuery[], commitWith?: CommitWith) => Promise<void>;

/**
 * A message whose identifiers all belong to one profile (knownVisitor),
 * recorded on it with nothing written; undefined when resolving is needed.
 *
 * @example
 * knownRecorded(ids, await cache.ownerIdsFor(ids)); // → { profileId, source, touched: [], refused: [] } or undefined
 */
export function knownRecorded(ids: Identifier[], ownerIds: ReadonlyMap<string, string>): Recorded | undefined {
  const source = knownVisitor(ids, ownerIds);
  return source && { profileId: ownerIds.get(identifierKey(source.kind, source.value))!, source, touched: [], refused: [] };
}

const touchedBy = (plan: Plan, survivorId: string) => [survivorId, ...plan.merge, ...plan.refused.map((r) => r.profileId)];

/**
 * Brings the identity graph in line with one claim and answers the profile
 * the message belongs to. Known visitors take the read-only fast path (on the
 * batch's owner cache when given); any change runs in a transaction holding
 * the locks of the claim's identifiers and of the profiles owning them, and re-reads first, so concurrent identifies for one
 * person end in one profile (SPEC §2). `mayWrite` is asked before any write;
 * when it says no (the message was stored before) nothing is written and the
 * answer is undefined. `alongside` runs in that transaction once the claim is
 * settled (ingest writes the message's event and audience mark there, so an
 * identify commits once); it is not called when nothing had to be written.
 * It gets the plan's last writes (repos/combined-writes.ts), not yet run, and
 * must run them.
 */
export function recordIdentity(
  ctx: ServiceContext,
  claim: Claim,
  traits: Record<string, unknown>,
  via: string,
  cache?: OwnerCache,
): Promise<Recorded>;
export function recordIdentity(
  ctx: ServiceContext,
  claim: Claim,
  traits: Record<string, unknown>,
  via: string,
  cache: OwnerCache | undefined,
  mayWrite: () => Promise<boolean>,
  alongside?: Alongside,
): Promise<Recorded | undefined>;
export async function recordIdentity(
  ctx: ServiceContext,
  claim: Claim,
  traits: Record<string, unknown>,
  via: string,
  cache?: OwnerCache,
  mayWrite: () => Promise<boolean> = async () => true,
  alongside?: Alongside,
): Promise<Recorded | undefined> {
  const { db } = ctx.database;
  const ws = ctx.workspace.id;
  const ids = claimedIdentifiers(claim);
  const graph = cache ?? createOwnerCache(db, ws);
  if (!Object.keys(traits).length) {
    const known = knownRecorded(ids, await graph.ownerIdsFor(ids));
    if (known) return known;
  }
  // With traits there is always something to write: no point resolving outside the transaction.
  if (!Object.keys(traits).length) {
    const first = resolveIdentity(inputFor(ctx, claim, await graph.ownersFor(ids)));
    if (isNoop(first, traits) && first.survivor.id) return { profileId: first.survivor.id, source: first.source, touched: [], refused: [] };
  }
  if (!(await mayWrite())) return undefined;
  // The owners read above are locked up front with the identifiers: usually no second round trip for their locks.
  const known = [...new Set((await graph.ownerIdsFor(ids)).values())];
  return identityTransaction(ctx, ids, known, async (trx, locking) => {
    // Inside the request's SQLite transaction nothing changed since the batch read its owners: no second read.
    // The owners are read with their views and records, in one statement (not on Citus, where they are hashed apart).
    const owners = ctx.inTransaction ? graph : createOwnerCache(trx, ws, !isDistributed(trx));
    await lockOwners(locking, ws, owners, ids);
    // With `alongside`, the plan's last writes are left to it, to run with its own (one statement on PostgreSQL).
    const writes: CompiledQuery[] | undefined = alongside ? [] : undefined;
    const { plan, profileId, touched } = await settleClaim(trx, ctx, claim, traits, via, owners, undefined, writes);
    const recorded = { profileId, source: plan.source, touched, refused: plan.claimRefused };
    await alongside?.(trx, recorded, writes!, locking.commitWith);
    return recorded;
  });
}

export interface Settled {
  plan: Plan;
  profileId: string;
  touched: string[];
}

/** Where a caller settling many claims in one transaction gathers writes to make in bulk. */
export interface WriteSink {
  logs: NewLog[];
  /** When given, a claim that creates a profile is written here instead of at once: only for claims no other claim in the transaction shares an identifier with. */
  newProfiles?: NewProfileWrites[];
}

/**
 * The write half of identify, for a caller that already holds the identity
 * locks in `trx` (the claim's identifiers and their owners, see
 * identityTransaction and lockOwners, or the whole graph, see
 * lockIdentityGraph): re-resolves the claim against the
 * graph as it is now, applies the plan, and keeps `owners` (read through
 * `trx`) current for the next claim in the same transaction. A contact
 * import settles many claims in one transaction this way, gathering their
 * log entries (and new profiles) in `sink` to write once. `writes` is
 * applyPlan's: statements left for the caller to run.
 *
 * @example
 * await db.transaction().execute(async (trx) => { await lockIdentityGraph(trx, dialect, ws); await settleClaim(trx, ctx, claim, {}, 'import', createOwnerCache(trx, ws)); });
 */
export async function settleClaim(
  trx: Db,
  ctx: ServiceContext,
  claim: Claim,
  traits: Record<string, unknown>,
  via: string,
  owners: OwnerCache,
  sink?: WriteSink,
  writes?: CompiledQuery[],
): Promise<Settled> {
  const ids = claimedIdentifiers(claim);
  const plan = resolveIdentity(inputFor(ctx, claim, await owners.ownersFor(ids)));
  let profileId: string;
  if (!plan.survivor.id && sink?.newProfiles) {
    const created = newProfileWrites(ctx, plan, traits, via, ctx.newId(), ctx.now());
    sink.newProfiles.push(created);
    profileId = created.id;
  } else if (isNoop(plan, traits) && plan.survivor.id) {
    // Another writer may have done this claim's work while we waited for the lock.
    profileId = plan.survivor.id;
  } else {
    const known = plan.survivor.id ? owners.recordsOf([plan.survivor.id, ...plan.merge]) : undefined;
    profileId = await applyPlan(trx, ctx, plan, traits, via, sink?.logs, known, writes);
  }
  const touched = touchedBy(plan, profileId);
  owners.forget(ids, touched);
  return { plan, profileId, touched };
}
