import { claimedIdentifiers } from './claimed.js';
import { type ClaimRefusal, type Identifier, identifierKey, type Plan, type ProfileView, type ResolveInput } from './types.js';

/**
 * Stricter mode: an unverified claim may not link anything to an identified
 * profile. The visitor keeps only their own anonymous profile; the refused
 * link is recorded so a verified identify can make it later. A claim that
 * reaches an identified profile through identifiers alone (no anonymous ID
 * of that browser on it) may not change its traits either.
 *
 * @example
 * holdLinks(input, plan, decide) // → the visitor's own anonymous profile, with a `verified_links_only` refusal
 */
export function holdLinks(input: ResolveInput, plan: Plan, decide: (i: ResolveInput) => Plan): Plan {
  const survivor = plan.survivor.id ? ownerById(input, plan.survivor.id) : undefined;
  if (!survivor || survivor.ids[input.primaryKey] === undefined) return plan;
  const anonymousId = input.claim.anonymousId;
  const anonOwner = anonymousId ? input.owners.get(identifierKey('anonymousId', anonymousId)) : undefined;
  const ownBrowser = anonOwner?.id === survivor.id;
  const links = plan.attach.length > 0 || plan.merge.length > 0;
  if (ownBrowser && !links) return plan; // that person's browser, changing nothing but traits
  const claimRefused = [...plan.claimRefused, heldRefusal(input, plan, survivor.id)];
  if (ownBrowser) return { ...emptyPlan(survivor, plan.source), claimRefused };
  if (!anonymousId || !links) return { ...emptyPlan(survivor, plan.source), refused: plan.refused, claimRefused, holdTraits: true };
  const fallback = decide({ ...input, claim: { anonymousId, verified: false } });
  return { ...fallback, claimRefused };
}

function heldRefusal(input: ResolveInput, plan: Plan, profileId: string): ClaimRefusal {
  const already = new Set(plan.claimRefused.flatMap((r) => r.identifiers.map((i) => identifierKey(i.kind, i.value))));
  return {
    reason: 'verified_links_only',
    profileIds: [profileId],
    identifiers: claimedIdentifiers(input.claim).filter((i) => i.kind !== 'anonymousId' && !already.has(identifierKey(i.kind, i.value))),
  };
}

function ownerById(input: ResolveInput, id: string): ProfileView | undefined {
  for (const p of input.owners.values()) if (p.id === id) return p;
  return undefined;
}

function emptyPlan(survivor: ProfileView, source: Identifier): Plan {
  return {
    survivor: { id: survivor.id, wasIdentified: true },
    merge: [],
    attach: [],
    retire: [],
    refused: [],
    claimRefused: [],
    source,
    identifiers: { ...survivor.ids },
  };
}
