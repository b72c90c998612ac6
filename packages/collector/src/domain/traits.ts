export interface TraitConflict {
  key: string;
  kept: unknown;
  discarded: unknown;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Merges a merged-away profile's traits into the survivor's (SPEC §2): keys
 * only one side has are kept; for a key both hold, `preferOther` decides which
 * value stays, and the other is returned so it can go to the contact log.
 */
export function mergeTraits(
  survivor: Record<string, unknown>,
  other: Record<string, unknown>,
  preferOther: boolean,
): { traits: Record<string, unknown>; conflicts: TraitConflict[] } {
  const traits = { ...survivor };
  const conflicts: TraitConflict[] = [];
  for (const [key, value] of Object.entries(other)) {
    if (!(key in traits)) traits[key] = value;
    else if (!same(traits[key], value)) {
      const kept = preferOther ? value : traits[key];
      conflicts.push({ key, kept, discarded: preferOther ? traits[key] : value });
      traits[key] = kept;
    }
  }
  return { traits, conflicts };
}

/** Applies an identify's traits: the newest value of each key wins (Segment semantics). */
export function applyTraits(
  current: Record<string, unknown>,
  incoming: Record<string, unknown>,
): { traits: Record<string, unknown>; changed: boolean } {
  let changed = false;
  const traits = { ...current };
  for (const [key, value] of Object.entries(incoming)) {
    if (!same(traits[key], value)) {
      traits[key] = value;
      changed = true;
    }
  }
  return { traits, changed };
}
