import type { Claim } from '../domain/identity/types.js';
import { appendLog } from '../repos/contact-log.js';
import { assignIdentities, findOwners, retireIdentity } from '../repos/identities.js';
import { lockIdentityGraph } from '../repos/locks.js';
import type { ServiceContext } from './context.js';
import { recordIdentity, type Recorded } from './record-identity.js';

/**
 * `alias(userId, previousId)`. A previousId that is an anonymous ID links like
 * an identify. One that is a current userId renames that customer ID, which
 * changes a primary key when the workspace keys on userId: only a verified
 * claim may (SPEC §2), and never onto a userId someone else holds.
 */
export async function recordAlias(ctx: ServiceContext, claim: Claim, previousId: string): Promise<Recorded> {
  const ws = ctx.workspace.id;
  const userId = claim.userId;
  const previousIsUser =
    userId && userId !== previousId && (await findOwners(ctx.database.db, ws, [{ kind: 'userId', value: previousId }])).size > 0;
  if (!userId || !previousIsUser) return recordIdentity(ctx, { userId, anonymousId: previousId, verified: claim.verified }, {}, 'alias');

  const renamed = await ctx.database.db.transaction().execute(async (trx): Promise<Recorded | undefined> => {
    await lockIdentityGraph(trx, ctx.database.dialect, ws);
    const owners = await findOwners(trx, ws, [
      { kind: 'userId', value: previousId },
      { kind: 'userId', value: userId },
    ]);
    const profileId = owners.get(`userId:${previousId}`);
    const holder = owners.get(`userId:${userId}`);
    const now = ctx.now();
    if (!profileId) return undefined; // renamed away meanwhile: link as a plain userId below
    if (holder === profileId) return { profileId, source: { kind: 'userId', value: userId }, touched: [] };
    const refusal = holder
      ? 'primary_key_conflict'
      : claim.verified || ctx.workspace.settings.primaryKey !== 'userId'
        ? undefined
        : 'unverified_claim';
    if (refusal) {
      await appendLog(trx, ws, [
        {
          profileId,
          type: 'merge_refused',
          at: now,
          details: { reason: refusal, identifiers: [{ kind: 'userId', value: userId }], otherProfileId: holder ?? null, via: 'alias' },
        },
      ]);
      return { profileId, source: { kind: 'userId', value: previousId }, touched: [profileId] };
    }
    await retireIdentity(trx, ws, { kind: 'userId', value: previousId }, now);
    await assignIdentities(trx, ws, [{ kind: 'userId', value: userId }], profileId, now);
    await appendLog(trx, ws, [
      { profileId, type: 'identifier_replaced', at: now, details: { kind: 'userId', old: previousId, new: userId, via: 'alias' } },
    ]);
    return { profileId, source: { kind: 'userId', value: userId }, touched: [profileId] };
  });
  return renamed ?? recordIdentity(ctx, { userId, verified: claim.verified }, {}, 'alias');
}
