import { resolveIdentity } from '../domain/identity/resolve.js';
import { type Claim, type Identifier, type IdentifierKind, type ProfileView, type ResolveInput } from '../domain/identity/types.js';
import type { Db } from '../repos/db.js';
import { findOwners, profileViews } from '../repos/identities.js';
import { lockIdentityGraph } from '../repos/locks.js';
import { applyPlan, isNoop } from './apply-plan.js';
import type { ServiceContext } from './context.js';

const KINDS: readonly IdentifierKind[] = ['anonymousId', 'userId', 'email', 'phone'];

export const claimedIdentifiers = (claim: Claim): Identifier[] =>
  KINDS.flatMap((kind) => (claim[kind] ? [{ kind, value: claim[kind] as string }] : []));

async function loadInput(db: Db, ctx: ServiceContext, claim: Claim): Promise<ResolveInput> {
  const ws = ctx.workspace.id;
  const owners = await findOwners(db, ws, claimedIdentifiers(claim));
  const views = await profileViews(db, ws, [...new Set(owners.values())]);
  const byKey = new Map<string, ProfileView>();
  for (const [key, profileId] of owners) {
    const view = views.get(profileId);
    if (view) byKey.set(key, view);
  }
  const { primaryKey, verifiedLinksOnly } = ctx.workspace.settings;
  return { primaryKey, verifiedLinksOnly, claim, owners: byKey };
}

export interface Recorded {
  profileId: string;
  source: Identifier;
}

/**
 * Brings the identity graph in line with one claim and answers the profile
 * the message belongs to. Known visitors take the read-only fast path; any
 * change runs in a transaction holding the identity lock, re-reading first,
 * so concurrent identifies for one person end in one profile (SPEC §2).
 */
export async function recordIdentity(ctx: ServiceContext, claim: Claim, traits: Record<string, unknown>, via: string): Promise<Recorded> {
  const { db, dialect } = ctx.database;
  const first = resolveIdentity(await loadInput(db, ctx, claim));
  if (isNoop(first, traits) && first.survivor.id) return { profileId: first.survivor.id, source: first.source };
  return db.transaction().execute(async (trx) => {
    await lockIdentityGraph(trx, dialect, ctx.workspace.id);
    const plan = resolveIdentity(await loadInput(trx, ctx, claim));
    const profileId = await applyPlan(trx, ctx, plan, traits, via);
    return { profileId, source: plan.source };
  });
}
