import type { CompiledQuery } from 'kysely';
import { identifierKey, type Identifier, type PersonKind, type Plan, type ProfileView } from '../domain/identity/types.js';
import type { Db } from '../repos/db.js';
import { type IdentityRowWrite, identityRow, insertIdentityRows, upsertIdentityRows } from '../repos/identities.js';
import { insertProfileRows, type ProfileRecord } from '../repos/profiles.js';
import { isNoop, newProfileWrites, type NewLog } from './apply-plan.js';
import type { ServiceContext } from './context.js';
import { applyHeldPlan } from './import-held-plan.js';
import type { OwnerCache } from './owner-cache.js';

/** A profile the chunk created and has not written yet, with the keys (`kind:value`) of its identity rows in order. */
export interface HeldProfile extends ProfileRecord {
  keys: string[];
}

/** The chunk's unwritten profiles and their identity rows: what applyHeldPlan changes. */
export interface HeldGraph {
  profiles: Map<string, HeldProfile>;
  identities: Map<string, IdentityRowWrite>;
}

/** New profiles of one import chunk, decided and changed in memory, written together. */
export interface PendingProfiles {
  /** True when every profile `plan` changes is held here (or it creates one): it can be applied without the store. */
  canApply(plan: Plan): boolean;
  /** True when `plan` names a held profile: it must be written before the plan is applied to the store. */
  references(plan: Plan): boolean;
  /** Applies a plan canApply accepted, as applyPlan would; its log entries go to `logs`. Answers the profile the row lands on. */
  apply(trx: Db, plan: Plan, traits: Record<string, unknown>, logs: NewLog[]): Promise<string>;
  /**
   * Writes every held profile and identity row (a few multi-row statements)
   * and stops holding them; the owner cache already knows them. With `writes`
   * the statements are added there rather than run.
   */
  flush(trx: Db, writes?: CompiledQuery[]): Promise<void>;
  /** A row settled against the store claimed these identifiers: it may have written their rows. */
  storeClaimed(ids: readonly Identifier[]): void;
}

/** The resolver's view of a held profile (as profileViews would read it once written). */
export function viewOf(graph: HeldGraph, p: HeldProfile): { view: ProfileView; identifiers: Identifier[] } {
  const ids: ProfileView['ids'] = {};
  const identifiers: Identifier[] = [];
  for (const key of p.keys) {
    const row = graph.identities.get(key)!;
    if (row.profileId !== p.id || row.replacedAt !== null) continue;
    identifiers.push({ kind: row.kind, value: row.value });
    if (row.kind !== 'anonymousId') ids[row.kind as PersonKind] = row.value;
  }
  return { view: { id: p.id, createdAt: p.createdAt, updatedAt: p.updatedAt, ids }, identifiers };
}

/**
 * Holds an import chunk's new profiles in memory until the chunk ends. A
 * claim that creates a profile changes nothing another profile holds (the
 * resolver found no owner for its identifiers); a later row whose plan
 * changes only such profiles (a repeat that adds a mobile, a merge of two
 * rows' profiles, a refused merge) is applied to them in memory by
 * applyHeldPlan, the same steps applyPlan takes against the store. The owner
 * cache learns each change, so the next row resolves against the graph as it
 * would be stored. A row whose plan touches a stored profile together with a
 * held one writes the held ones first and is applied to the store. A fresh
 * list thus costs one profile and one identity insert per chunk, not per row.
 * `rowless` is the chunk's keys (`kind:value`) read with no identity row at
 * all: a held row of one of them is a plain insert (insertIdentityRows). A
 * key leaves it once a row may exist: when its held row is written, or when
 * a row settled against the store claims it (storeClaimed), which may write
 * it, retire it or hand it on.
 *
 * @example
 * const pending = pendingProfiles(ctx, at, owners); if (pending.canApply(plan)) await pending.apply(trx, plan, traits, logs);
 */
export function pendingProfiles(ctx: ServiceContext, at: number, owners: OwnerCache, rowless: Set<string> = new Set()): PendingProfiles {
  const graph: HeldGraph = { profiles: new Map(), identities: new Map() };
  const held = (id: string | undefined) => id !== undefined && graph.profiles.has(id);
  const learn = (p: HeldProfile) => owners.learn([viewOf(graph, p)]);
  return {
    // Retiring a value would leave a held row replaced, which the store's upsert semantics handle: kept on the store path.
    canApply: (plan) => !plan.retire.length && (plan.survivor.id === undefined || held(plan.survivor.id)) && plan.merge.every(held),
    references: (plan) =>
      held(plan.survivor.id) ||
      plan.merge.some(held) ||
      plan.refused.some((r) => held(r.profileId)) ||
      plan.retire.some((r) => held(r.profileId)),
    async apply(trx, plan, traits, logs) {
      if (plan.survivor.id === undefined) {
        const w = newProfileWrites(ctx, plan, traits, 'import', ctx.newId(), ctx.now());
        const profile: HeldProfile = {
          id: w.id,
          status: w.status,
          traits: w.traits,
          mergedInto: null,
          createdAt: at,
          updatedAt: at,
          keys: [],
        };
        graph.profiles.set(w.id, profile);
        for (const i of w.identifiers) {
          const key = identifierKey(i.kind, i.value);
          graph.identities.set(key, identityRow(i, w.id, at));
          profile.keys.push(key);
        }
        logs.push(...w.logs);
        learn(profile);
        return w.id;
      }
      const survivor = graph.profiles.get(plan.survivor.id)!;
      // Nothing to change (a repeat of a row): applyPlan is not run for it either.
      if (isNoop(plan, traits)) return survivor.id;
      await applyHeldPlan(trx, ctx, graph, plan, traits, 'import', logs);
      learn(survivor);
      return survivor.id;
    },
    async flush(trx, writes) {
      if (!graph.profiles.size) return;
      const profiles = [...graph.profiles.values()];
      // Rows of values with no row yet are inserted, the others upserted; once written, a row exists.
      const fresh: IdentityRowWrite[] = [];
      const taken: IdentityRowWrite[] = [];
      for (const [key, row] of graph.identities) (rowless.delete(key) ? fresh : taken).push(row);
      graph.profiles.clear();
      graph.identities.clear();
      await insertProfileRows(trx, ctx.workspace.id, profiles, writes);
      await insertIdentityRows(trx, ctx.workspace.id, fresh, writes);
      await upsertIdentityRows(trx, ctx.workspace.id, taken, writes);
    },
    storeClaimed(ids) {
      for (const i of ids) rowless.delete(identifierKey(i.kind, i.value));
    },
  };
}
