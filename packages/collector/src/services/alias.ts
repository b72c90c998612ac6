import type { Claim, ClaimRefusal } from '../domain/identity/types.js';
import { appendLog } from '../repos/contact-log.js';
import { assignIdentities, findOwners, retireIdentity } from '../repos/identities.js';
import { identityTransaction, lockOwners } from './identity-transaction.js';
import { createOwnerCache } from './owner-cache.js';
import type { ServiceContext } from './context.js';
import { type Recorded, recordIdentity } from './record-identity.js';

/**
 * `alias(userId, previousId)`. A previousId that is an anonymous ID links like
 * an identify. One that is a current userId renames that customer ID: only a
 * verified claim may (SPEC §2: an unverified claim never renames an
 * identifier, whatever the primary key and `verifiedLinksOnly`), and never
 * onto a userId someone else holds.
 *
 * @example
 * await recordAlias(ctx, { userId: 'CUST-2', verified: true }, 'CUST-1') // renames CUST-1, logs identifier_replaced
 */
export async function recordAlias(ctx: ServiceContext, claim: Claim, previousId: string): Promise<Recorded> {
  const ws = ctx.workspace.id;
  const userId = claim.userId;
  const previousIsUser =
    userId && userId !== previousId && (await findOwners(ctx.database.db, ws, [{ kind: 'userId', value: previousId }])).size > 0;
  if (!userId || !previousIsUser) return recordIdentity(ctx, { userId, anonymousId: previousId, verified: claim.verified }, {}, 'alias');

  const both = [
    { kind: 'userId' as const, value: previousId },
    { kind: 'userId' as const, value: userId },
  ];
  const renamed = await identityTransaction(ctx, both, [], async (trx, locking): Promise<Recorded | undefined> => {
    // Both userIds and their holders locked: the rename decides on them and writes only to the renamed profile.
    const owners = await lockOwners(locking, ws, createOwnerCache(trx, ws), both);
    const profileId = owners.get(`userId:${previousId}`);
    const holder = owners.get(`userId:${userId}`);
    const now = ctx.now();
    if (!profileId) return undefined; // renamed away meanwhile: link as a plain userId below
    const kept = { source: { kind: 'userId' as const, value: previousId }, touched: [profileId] };
    if (holder === profileId) return { profileId, source: { kind: 'userId', value: userId }, touched: [], refused: [] };
    if (holder) {
      const details = {
        reason: 'primary_key_conflict',
        identifiers: [{ kind: 'userId', value: userId }],
        otherProfileId: holder,
        via: 'alias',
      };
      await appendLog(trx, ws, [{ profileId, type: 'merge_refused', at: now, details }]);
      return { profileId, ...kept, refused: [] };
    }
    if (!claim.verified) {
      const refusal: ClaimRefusal = {
        reason: 'would_rename',
        profileIds: [profileId],
        identifiers: [{ kind: 'userId', value: userId }],
        kept: { kind: 'userId', value: previousId, profileId },
      };
      const { reason, identifiers: asked, kept: keptId } = refusal;
      await appendLog(trx, ws, [
        { profileId, type: 'claim_refused', at: now, details: { reason, asked, kept: keptId, landedOn: profileId, via: 'alias' } },
      ]);
      return { profileId, ...kept, refused: [refusal] };
    }
    await retireIdentity(trx, ws, { kind: 'userId', value: previousId }, now);
    await assignIdentities(trx, ws, [{ kind: 'userId', value: userId }], profileId, now);
    await appendLog(trx, ws, [
      { profileId, type: 'identifier_replaced', at: now, details: { kind: 'userId', old: previousId, new: userId, via: 'alias' } },
    ]);
    return { profileId, source: { kind: 'userId', value: userId }, touched: [profileId], refused: [] };
  });
  return renamed ?? recordIdentity(ctx, { userId, verified: claim.verified }, {}, 'alias');
}
