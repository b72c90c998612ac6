import { claimedIdentifiers } from './claimed.js';
import { preferredSource } from './known-visitor.js';
import { type Identifier, identifierKey, PERSON_KINDS, type Plan, type ProfileView, type Refusal, type ResolveInput } from './types.js';
import { holdLinks } from './hold-links.js';
import { limitUnverified } from './unverified.js';

export { claimedIdentifiers };

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
  if (input.claim.verified) return decide(input);
  const { plan, refusals } = limitUnverified(input, decide);
  const limited = { ...plan, claimRefused: refusals };
  return input.verifiedLinksOnly ? holdLinks(input, limited, decide) : limited;
}

function decide({ primaryKey: pk, claim, owners }: ResolveInput): Plan {
  const ids = claimedIdentifiers(claim);
  // Each claimed identifier's owner, looked up once: `ownerAt[n]` owns `ids[n]`.
  const ownerAt = ids.map((i) => owners.get(identifierKey(i.kind, i.value)));
  const matched = new Map<string, ProfileView>();
  for (const o of ownerAt) if (o) matched.set(o.id, o);
  const holders = [...matched.values()].filter((p) => p.ids[pk] !== undefined);
  const keyless = [...matched.values()].filter((p) => p.ids[pk] === undefined).sort(byAge);

  // The profile holding the primary key this claim is about, if any. A claim
  // naming a primary key is about exactly that person; without one, the
  // strongest identifier it names decides (an explicit email or mobile beats a
  // cookie), which is the shared-device rule.
  const claimPk = claim[pk];
  let owner: ProfileView | undefined;
  if (claimPk) owner = owners.get(identifierKey(pk, claimPk));
  else owner = ownerAt.find((o) => o && o.ids[pk] !== undefined);
  const conflicting = holders.filter((p) => p !== owner);

  const survivor = owner ?? keyless[0];
  const merge = keyless.filter((p) => p !== survivor);
  const refused: Refusal[] = conflicting.map((p) => ({
    profileId: p.id,
    reason: 'primary_key_conflict',
    identifiers: ids.filter((_, n) => ownerAt[n]?.id === p.id),
  }));

  const blocked = new Set(conflicting.map((p) => p.id));
  const arriving = new Set(merge.map((p) => p.id));
  const attach = ids.filter((_, n) => {
    const o = ownerAt[n];
    return !o || (o.id !== survivor?.id && !blocked.has(o.id) && !arriving.has(o.id));
  });
  const takeable = ids.filter((_, n) => !blocked.has(ownerAt[n]?.id ?? ''));

  const { retire, identifiers } = settleIdentifiers(takeable, survivor, merge);
  const source = chooseSource(ids, takeable, survivor);
  return {
    survivor: { id: survivor?.id, wasIdentified: !!owner },
    merge: merge.map((p) => p.id),
    attach,
    retire,
    refused,
    claimRefused: [],
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
