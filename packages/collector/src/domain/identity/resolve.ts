import {
  identifierKey,
  PERSON_KINDS,
  type Claim,
  type Identifier,
  type IdentifierKind,
  type Plan,
  type ProfileView,
  type Refusal,
  type ResolveInput,
} from './types.js';
import { preferredSource } from './known-visitor.js';

/** Strongest first: the order in which a claim's identifiers pick its owner. */
const CLAIM_ORDER: readonly IdentifierKind[] = ['userId', 'email', 'phone', 'anonymousId'];

/** The identifiers a claim names, strongest first. */
export const claimedIdentifiers = (claim: Claim): Identifier[] =>
  CLAIM_ORDER.flatMap((kind) => (claim[kind] ? [{ kind, value: claim[kind] as string }] : []));

const byAge = (a: ProfileView, b: ProfileView) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1);

/**
 * Decides what one identify (or any message carrying identifiers) does to the
 * identity graph: SPEC §2's rules, as data in and a plan out.
 *
 * @example
 * resolveIdentity({ primaryKey: 'email', verifiedLinksOnly: false, claim: { anonymousId: 'a1', email: 'ana@x.com', verified: false }, owners: new Map() })
 * // → a new profile holding both identifiers
 */
export function resolveIdentity(input: ResolveInput): Plan {
  const plan = decide(input);
  const strict = input.verifiedLinksOnly && !input.claim.verified;
  const survivor = plan.survivor.id ? ownerById(input, plan.survivor.id) : undefined;
  const linksIntoIdentified = survivor?.ids[input.primaryKey] !== undefined && (plan.attach.length > 0 || plan.merge.length > 0);
  if (!strict || !linksIntoIdentified || !survivor) return plan;

  // Stricter mode: an unverified claim may not link anything to an identified
  // profile. The visitor keeps only their own anonymous profile; the refused
  // link is recorded so a verified identify can make it later.
  const held: Refusal = {
    profileId: survivor.id,
    reason: 'unverified_claim',
    identifiers: claimedIdentifiers(input.claim).filter((i) => i.kind !== 'anonymousId'),
  };
  const anonymousOnly: Claim = { anonymousId: input.claim.anonymousId, verified: false };
  const anonOwner = anonymousOnly.anonymousId ? input.owners.get(identifierKey('anonymousId', anonymousOnly.anonymousId)) : undefined;
  if (!anonymousOnly.anonymousId || anonOwner?.id === survivor.id) {
    return { ...emptyPlan(survivor, plan.source), refused: [held] };
  }
  const fallback = decide({ ...input, claim: anonymousOnly });
  return { ...fallback, refused: [...fallback.refused, held] };
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
    source,
    identifiers: { ...survivor.ids },
  };
}

function decide({ primaryKey: pk, claim, owners }: ResolveInput): Plan {
  const ids = claimedIdentifiers(claim);
  const ownerOf = (i: Identifier) => owners.get(identifierKey(i.kind, i.value));
  const matched = new Map<string, ProfileView>();
  for (const i of ids) {
    const o = ownerOf(i);
    if (o) matched.set(o.id, o);
  }
  const holders = [...matched.values()].filter((p) => p.ids[pk] !== undefined);
  const keyless = [...matched.values()].filter((p) => p.ids[pk] === undefined).sort(byAge);

  // The profile holding the primary key this claim is about, if any. A claim
  // naming a primary key is about exactly that person; without one, the
  // strongest identifier it names decides (an explicit email or mobile beats a
  // cookie), which is the shared-device rule.
  const claimPk = claim[pk];
  let owner: ProfileView | undefined;
  if (claimPk) owner = owners.get(identifierKey(pk, claimPk));
  else owner = ids.map(ownerOf).find((o) => o && o.ids[pk] !== undefined);
  const conflicting = holders.filter((p) => p !== owner);

  const survivor = owner ?? keyless[0];
  const merge = keyless.filter((p) => p !== survivor);
  const refused: Refusal[] = conflicting.map((p) => ({
    profileId: p.id,
    reason: 'primary_key_conflict',
    identifiers: ids.filter((i) => ownerOf(i)?.id === p.id),
  }));

  const blocked = new Set(conflicting.map((p) => p.id));
  const arriving = new Set(merge.map((p) => p.id));
  const attach = ids.filter((i) => {
    const o = ownerOf(i);
    return !o || (o.id !== survivor?.id && !blocked.has(o.id) && !arriving.has(o.id));
  });
  const takeable = ids.filter((i) => !blocked.has(ownerOf(i)?.id ?? ''));

  const { retire, identifiers } = settleIdentifiers(takeable, survivor, merge);
  const source = chooseSource(ids, takeable, survivor);
  return {
    survivor: { id: survivor?.id, wasIdentified: !!owner },
    merge: merge.map((p) => p.id),
    attach,
    retire,
    refused,
    source,
    identifiers,
    claimed: ids,
  };
}

/**
 * After the merge one value of each person kind is left: the claimed one,
 * else the survivor's, else the oldest merged profile's. The others are
 * retired (kept in the log, SPEC §2 "the old value is kept in the contact log").
 */
function settleIdentifiers(
  takeable: Identifier[],
  survivor: ProfileView | undefined,
  merge: ProfileView[],
): Pick<Plan, 'retire' | 'identifiers'> {
  const retire: Plan['retire'] = [];
  const identifiers: Plan['identifiers'] = {};
  const group = [survivor, ...merge].filter((p): p is ProfileView => !!p);
  for (const kind of PERSON_KINDS) {
    const claimedValue = takeable.find((i) => i.kind === kind)?.value;
    const winner = claimedValue ?? group.map((p) => p.ids[kind]).find((v) => v !== undefined);
    if (winner === undefined) continue;
    identifiers[kind] = winner;
    for (const p of group) {
      const v = p.ids[kind];
      // Never a primary key: merged profiles hold none, and a claim naming a
      // different one was routed to that key's own profile by decide().
      if (v !== undefined && v !== winner) {
        retire.push({ kind, value: v, profileId: p.id, replacedBy: winner });
      }
    }
  }
  return { retire, identifiers };
}

/** The event hangs on the most stable identifier that ends on the survivor. */
function chooseSource(ids: Identifier[], takeable: Identifier[], survivor: ProfileView | undefined): Identifier {
  const pick = preferredSource(takeable);
  if (pick) return pick;
  const fallback = ids.find((i) => i.kind === 'anonymousId') ?? ids[0];
  if (fallback) return fallback;
  throw new Error(`claim names no identifier${survivor ? ` for ${survivor.id}` : ''}`);
}
