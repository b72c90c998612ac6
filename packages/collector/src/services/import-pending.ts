import { identifierKey, type Identifier, type PersonKind, type ProfileView } from '../domain/identity/types.js';
import type { Db } from '../repos/db.js';
import { insertNewProfiles, type NewLog, type NewProfileWrites } from './apply-plan.js';
import type { ServiceContext } from './context.js';
import type { OwnerCache } from './owner-cache.js';

/** New profiles of one import chunk that are decided but not yet written. */
export interface PendingProfiles {
  /** Where the next claim puts the profile it creates (settleClaim's `newProfiles` sink). */
  readonly sink: NewProfileWrites[];
  /** Takes over what `sink` gathered (its log entries go to `logs` now, in row order): from now on these profiles own their identifiers. */
  adopt(logs: NewLog[]): void;
  /** True when one of `ids` belongs to a profile not yet written: a claim naming it must see it stored. */
  holdsAny(ids: Identifier[]): boolean;
  /** Writes every pending profile with its identifiers (a few multi-row statements) and tells `owners` what they now hold. */
  flush(trx: Db, owners: OwnerCache): Promise<void>;
}

/** The resolver's view of a profile insertNewProfiles wrote at `at` (as profileViews would read it). */
function viewOf(w: NewProfileWrites, at: number): ProfileView {
  const ids: ProfileView['ids'] = {};
  for (const i of w.identifiers) if (i.kind !== 'anonymousId') ids[i.kind as PersonKind] = i.value;
  return { id: w.id, createdAt: at, updatedAt: at, ids };
}

/**
 * Holds an import chunk's new profiles back so they are written together.
 * A claim that creates a profile changes nothing any other profile holds
 * (the resolver found no owner for its identifiers), so writing it later is
 * the same as writing it now, as long as no later claim of the chunk reads
 * the graph where it would be: that claim flushes first, then settles
 * against the stored graph exactly as it would have row by row. A fresh list
 * thus costs one profile and one identity insert per flush, not per row.
 *
 * @example
 * const pending = pendingProfiles(ctx, at); await settleClaim(trx, ctx, claim, traits, 'import', owners, { logs, newProfiles: pending.sink }); pending.adopt(logs);
 */
export function pendingProfiles(ctx: ServiceContext, at: number): PendingProfiles {
  const sink: NewProfileWrites[] = [];
  let held: NewProfileWrites[] = [];
  const owned = new Set<string>();
  return {
    sink,
    adopt(logs) {
      for (const w of sink) {
        for (const i of w.identifiers) owned.add(identifierKey(i.kind, i.value));
        logs.push(...w.logs);
      }
      held.push(...sink.splice(0));
    },
    holdsAny: (ids) => owned.size > 0 && ids.some((i) => owned.has(identifierKey(i.kind, i.value))),
    async flush(trx, owners) {
      if (!held.length) return;
      const writes = held;
      held = [];
      owned.clear();
      // Their log entries were taken at adopt(), where the row put them.
      await insertNewProfiles(trx, ctx, writes, at, []);
      // Written just now, so known without reading back: the next row's lookup costs nothing.
      owners.learn(writes.map((w) => ({ view: viewOf(w, at), identifiers: w.identifiers })));
    },
  };
}
