import { claimedIdentifiers } from './claimed.js';
import { type Claim, type ClaimRefusal, type Identifier, identifierKey, type PersonKind, type Plan, type ResolveInput } from './types.js';

const without = (claim: Claim, drop: Identifier[]): Claim => {
  const next = { ...claim };
  for (const i of drop) if (next[i.kind] === i.value) delete next[i.kind];
  return next;
};

/**
 * SPEC §2's limit on an unverified claim: it adds and attaches, it never takes
 * away. The full plan is tried; while it would retire a value some profile
 * holds, the claimed identifiers that cause it are set aside and the rest is
 * decided again, so what remains is everything the claim may do.
 *
 * - A claimed value that would replace a profile's value is refused itself.
 * - A merge that would drop a merged profile's value is refused by leaving out
 *   the identifiers that pull in the other side: the sender's own profile (the
 *   one its anonymous ID is on) is the side that stays, so a stranger's message
 *   never lands on someone else's profile through a refused link.
 *
 * Each round removes at least one identifier, so this ends.
 *
 * @example
 * limitUnverified(input, decide) // → { plan, refusals: [{ reason: 'would_replace', identifiers: [{ kind: 'phone', … }], … }] }
 */
export function limitUnverified(input: ResolveInput, decide: (i: ResolveInput) => Plan): { plan: Plan; refusals: ClaimRefusal[] } {
  const ownerOf = (i: Identifier) => input.owners.get(identifierKey(i.kind, i.value))?.id;
  const anchor = input.claim.anonymousId ? ownerOf({ kind: 'anonymousId', value: input.claim.anonymousId }) : undefined;
  const refusals: ClaimRefusal[] = [];
  let claim = input.claim;
  for (;;) {
    const plan = decide({ ...input, claim });
    const r = plan.retire[0];
    if (!r) return { plan, refusals };
    const kept = { kind: r.kind, value: r.value, profileId: r.profileId };
    if (claim[r.kind] === r.replacedBy) {
      const drop = [{ kind: r.kind, value: r.replacedBy }];
      refusals.push({ reason: 'would_replace', profileIds: [r.profileId], identifiers: drop, kept });
      claim = without(claim, drop);
      continue;
    }
    // The winner is another profile of the group (the survivor or an older merged one).
    const group = [plan.survivor.id, ...plan.merge];
    const winner = [...input.owners.values()].find((p) => group.includes(p.id) && p.ids[r.kind as PersonKind] === r.replacedBy)?.id;
    const side = r.profileId === anchor && winner ? winner : r.profileId;
    let drop = claimedIdentifiers(claim).filter((i) => ownerOf(i) === side);
    // Never expected (every profile in a plan is linked by a claimed identifier); refusing every link is the safe answer.
    if (!drop.length) drop = claimedIdentifiers(claim).filter((i) => i.kind !== 'anonymousId');
    const profileIds = [...new Set([r.profileId, ...(winner ? [winner] : [])])];
    refusals.push({ reason: 'would_remove', profileIds, identifiers: drop, kept });
    const next = without(claim, drop);
    if (claimedIdentifiers(next).length === claimedIdentifiers(claim).length) return { plan, refusals };
    claim = next;
  }
}
