import { identifierKey, type Identifier, type ProfileView } from '../domain/identity/types.js';
import type { Db } from '../repos/db.js';
import { findOwners, profileViews } from '../repos/identities.js';

/** Who owns each identifier, as resolver views keyed by `kind:value`; unowned ones are absent. */
export type Owners = ReadonlyMap<string, ProfileView>;

export async function loadOwners(db: Db, workspaceId: string, ids: Identifier[]): Promise<Owners> {
  const owners = await findOwners(db, workspaceId, ids);
  const views = await profileViews(db, workspaceId, [...new Set(owners.values())]);
  const byKey = new Map<string, ProfileView>();
  for (const [key, profileId] of owners) {
    const view = views.get(profileId);
    if (view) byKey.set(key, view);
  }
  return byKey;
}

export interface OwnerCache {
  /** Owners of `ids`, reading only identifiers not already known. */
  ownersFor(ids: Identifier[]): Promise<Owners>;
  /** Drops what a write may have changed: the identifiers it claimed and everything the touched profiles own. */
  forget(ids: Identifier[], touchedProfiles: readonly string[]): void;
}

/**
 * The identity graph as one batch sees it: read once up front, then only
 * what a write invalidated is read again, so a batch of known visitors costs
 * one lookup and a batch of new ones costs a few rows a message, not a
 * re-read of the whole batch after every write.
 */
export function createOwnerCache(db: Db, workspaceId: string): OwnerCache {
  const known = new Map<string, ProfileView | null>();
  return {
    async ownersFor(ids) {
      const missing = ids.filter((i) => !known.has(identifierKey(i.kind, i.value)));
      if (missing.length) {
        const loaded = await loadOwners(db, workspaceId, missing);
        for (const i of missing) {
          const key = identifierKey(i.kind, i.value);
          known.set(key, loaded.get(key) ?? null);
        }
      }
      const owners = new Map<string, ProfileView>();
      for (const i of ids) {
        const key = identifierKey(i.kind, i.value);
        const view = known.get(key);
        if (view) owners.set(key, view);
      }
      return owners;
    },
    forget(ids, touchedProfiles) {
      const touched = new Set(touchedProfiles);
      for (const i of ids) known.delete(identifierKey(i.kind, i.value));
      for (const [key, view] of known) if (view && touched.has(view.id)) known.delete(key);
    },
  };
}
