import { identifierKey, type Identifier, type ProfileView } from '../domain/identity/types.js';
import type { Db } from '../repos/db.js';
import { findOwners } from '../repos/identities.js';
import { fitsOneRead, OWNERS_WITH_VIEWS_MAX, type OwnersRead, ownersWithViews } from '../repos/owners-with-views.js';
import type { MessageRef } from '../repos/events.js';
import { isDistributed } from '../db/distributed.js';
import { profileViewsAndRecords } from '../repos/profile-views.js';
import type { ProfileRecord } from '../repos/profiles.js';

/** Who owns each identifier, as resolver views keyed by `kind:value`; unowned ones are absent. */
export type Owners = ReadonlyMap<string, ProfileView>;

export interface OwnerCache {
  /**
   * The profile owning each of `ids` (keyed by `kind:value`), reading only
   * identifiers not already known; `retired` as findOwners takes it, for
   * what is read.
   */
  ownerIdsFor(ids: Identifier[], retired?: Set<string>): Promise<ReadonlyMap<string, string>>;
  /**
   * ownerIdsFor(ids) and which of `messages` are stored (storedMessageIds), in
   * one statement when they fit one (a message's few) and the store is not
   * Citus; undefined, with nothing read, otherwise.
   */
  ownersAndStored(ids: Identifier[], messages: MessageRef[]): Promise<Set<string> | undefined>;
  /** The owners of `ids` as resolver views, reading only profiles not already known. */
  ownersFor(ids: Identifier[]): Promise<Owners>;
  /** The stored records of these profiles, read with their views (ownersFor) and not touched since; absent when not known. */
  recordsOf(profileIds: readonly string[]): ReadonlyMap<string, ProfileRecord>;
  /** Whether the owners of `ids`, their views and records are all known: ownersFor and recordsOf of them read nothing. */
  knows(ids: Identifier[]): boolean;
  /** Drops what a write may have changed: the identifiers it claimed and everything the touched profiles own. */
  forget(ids: Identifier[], touchedProfiles: readonly string[]): void;
  /** Takes profiles this transaction just wrote as read: their views and the identifiers they own. */
  learn(profiles: ReadonlyArray<{ view: ProfileView; identifiers: readonly Identifier[] }>): void;
}

/**
 * The identity graph as one batch sees it. Owners are read once up front for
 * the whole batch; profile views only when a message needs full resolution;
 * after a write only what it invalidated is read again. A batch of known
 * visitors thus costs one lookup a kind, and no profile reads at all.
 * `withViews` (a claim about to be settled, on a store that is not Citus)
 * reads the owners' views and records in the same statement as the owners
 * themselves, when the identifiers are a message's few (at most `max`
 * values: a group of requests' on a single-node PostgreSQL reads more).
 */
export function createOwnerCache(db: Db, workspaceId: string, withViews = false, max = OWNERS_WITH_VIEWS_MAX): OwnerCache {
  const owned = new Map<string, string | null>();
  const views = new Map<string, ProfileView>();
  const records = new Map<string, ProfileRecord>();
  // Keys each profile was seen owning, so forgetting a profile costs its own keys, not a scan of a chunk's thousands.
  const keysOf = new Map<string, Set<string>>();
  const own = (key: string, id: string | null) => {
    owned.set(key, id);
    if (id) keysOf.get(id)?.add(key) ?? keysOf.set(id, new Set([key]));
  };

  // A call spells each key once for its lookups (again only for what a read found): an import asks for a chunk's thousands of identifiers, then a row's few at a time.
  const spellKeys = (ids: Identifier[]) => ids.map((i) => identifierKey(i.kind, i.value));
  // The identifiers whose owner is not known yet; `keys` are theirs (spellKeys).
  const unknown = (ids: Identifier[], keys: string[]) => ids.filter((_, n) => !owned.has(keys[n]!));

  async function ownerIdsFor(ids: Identifier[], retired?: Set<string>) {
    const keys = spellKeys(ids);
    const missing = unknown(ids, keys);
    if (withViews && !retired && fitsOneRead(missing, [], max))
      take(missing, await ownersWithViews(db, workspaceId, missing, true, [], max));
    else if (missing.length) noteRead(missing, await findOwners(db, workspaceId, missing, retired));
    const result = new Map<string, string>();
    for (const key of keys) {
      const id = owned.get(key);
      if (id) result.set(key, id);
    }
    return result;
  }

  // What one read found about `missing`: each one's owner, or none.
  function noteRead(missing: Identifier[], found: ReadonlyMap<string, string>) {
    for (const i of missing) {
      const key = identifierKey(i.kind, i.value);
      own(key, found.get(key) ?? null);
    }
  }

  // What one ownersWithViews read found about `missing`.
  function take(missing: Identifier[], read: OwnersRead) {
    for (const [id, view] of read.views) views.set(id, view);
    for (const [id, record] of read.records) records.set(id, record);
    noteRead(missing, read.owners);
  }

  return {
    ownerIdsFor,
    async ownersAndStored(ids, messages) {
      const missing = unknown(ids, spellKeys(ids));
      if (!fitsOneRead(missing, messages, max) || isDistributed(db)) return undefined;
      const read = await ownersWithViews(db, workspaceId, missing, withViews, messages, max);
      take(missing, read);
      return read.stored;
    },
    async ownersFor(ids) {
      const ownerIds = await ownerIdsFor(ids);
      // Nobody owns them (a new person's row): nothing to read or look up.
      if (!ownerIds.size) return new Map();
      const unread = [...new Set(ownerIds.values())].filter((id) => !views.has(id));
      const read = await profileViewsAndRecords(db, workspaceId, unread);
      for (const [id, view] of read.views) views.set(id, view);
      for (const [id, record] of read.records) records.set(id, record);
      const owners = new Map<string, ProfileView>();
      for (const [key, id] of ownerIds) {
        const view = views.get(id);
        if (view) owners.set(key, view);
      }
      return owners;
    },
    recordsOf(profileIds) {
      const known = new Map<string, ProfileRecord>();
      for (const id of profileIds) {
        const record = records.get(id);
        if (record) known.set(id, record);
      }
      return known;
    },
    knows(ids) {
      return spellKeys(ids).every((key) => {
        const id = owned.get(key);
        return id === null || (id !== undefined && views.has(id) && records.has(id));
      });
    },
    forget(ids, touchedProfiles) {
      for (const i of ids) owned.delete(identifierKey(i.kind, i.value));
      for (const id of touchedProfiles) {
        // A key re-read since may belong to another profile now: only the touched profile's own entries go.
        for (const key of keysOf.get(id) ?? []) if (owned.get(key) === id) owned.delete(key);
        keysOf.delete(id);
        views.delete(id);
        records.delete(id);
      }
    },
    learn(profiles) {
      for (const { view, identifiers } of profiles) {
        views.set(view.id, view);
        records.delete(view.id);
        for (const i of identifiers) own(identifierKey(i.kind, i.value), view.id);
      }
    },
  };
}
