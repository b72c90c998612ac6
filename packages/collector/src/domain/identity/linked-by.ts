import { identifierKey, type Identifier, type Plan } from './types.js';

/** One identifier that tied two profiles together, and the profile that held it before the merge. */
export interface Link extends Identifier {
  profileId: string;
}

/** Why the survivor survived (SPEC §2): it held the primary key the claim named, or no one did and it is the oldest. */
export const mergeRule = (plan: Plan) => (plan.survivor.wasIdentified ? 'merge_into_primary_key_holder' : 'merge_into_oldest');

/**
 * The claimed identifiers that linked `mergedId` to the survivor: those the
 * merged profile held, and those the survivor already held (claimed, not new
 * to the survivor, not another merged profile's, not refused).
 *
 * @example
 * linkedBy(plan, 'p2', survivorId, [{ kind: 'anonymousId', value: 'a1', profileId: 'p2' }])
 * // → [{ kind: 'email', value: 'ana@x.com', profileId: 'p1' }, { kind: 'anonymousId', value: 'a1', profileId: 'p2' }]
 */
export function linkedBy(
  plan: Plan,
  mergedId: string,
  survivorId: string,
  mergedHeld: ReadonlyArray<Identifier & { profileId: string }>,
): Link[] {
  const key = (i: Identifier) => identifierKey(i.kind, i.value);
  const heldBy = new Map(mergedHeld.map((i) => [key(i), i.profileId]));
  const notSurvivors = new Set([...plan.attach, ...plan.refused.flatMap((r) => r.identifiers)].map(key));
  return (plan.claimed ?? []).flatMap((i): Link[] => {
    const holder = heldBy.get(key(i));
    if (holder === mergedId) return [{ kind: i.kind, value: i.value, profileId: mergedId }];
    if (holder === undefined && !notSurvivors.has(key(i))) return [{ kind: i.kind, value: i.value, profileId: survivorId }];
    return [];
  });
}
