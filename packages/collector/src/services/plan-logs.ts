import { linkedBy, mergeRule } from '../domain/identity/linked-by.js';
import type { Plan } from '../domain/identity/types.js';
import { mergeTraits } from '../domain/traits.js';
import type { LogEntry } from '../repos/contact-log.js';
import type { IdentityRow } from '../repos/identities.js';

/** A contact-log entry before it is written. */
export type NewLog = Omit<LogEntry, 'id'>;

/** `identifier_added` for each identifier the plan attaches. */
export const attachLogs = (profileId: string, plan: Plan, at: number, via: string): NewLog[] =>
  plan.attach.map((id) => ({ profileId, type: 'identifier_added', at, details: { kind: id.kind, value: id.value, via } }));

export function refusalLogs(survivorId: string, plan: Plan, at: number, via: string): NewLog[] {
  return plan.refused.flatMap((refusal) => {
    const details = { reason: refusal.reason, identifiers: refusal.identifiers, via };
    const own: NewLog = { profileId: survivorId, type: 'merge_refused', at, details: { ...details, otherProfileId: refusal.profileId } };
    const other: NewLog = { profileId: refusal.profileId, type: 'merge_refused', at, details: { ...details, otherProfileId: survivorId } };
    return refusal.profileId !== survivorId ? [own, other] : [own];
  });
}

/**
 * `claim_refused` on each profile the refused part of an unverified claim
 * would have changed, and on the profile the message landed on: what was
 * asked, why not, and the value kept (SPEC §2).
 */
export function claimRefusalLogs(landedOn: string, plan: Plan, at: number, via: string): NewLog[] {
  return plan.claimRefused.flatMap((r) =>
    [...new Set([...r.profileIds, landedOn])].map(
      (profileId): NewLog => ({
        profileId,
        type: 'claim_refused',
        at,
        details: { reason: r.reason, asked: r.identifiers, ...(r.kept ? { kept: r.kept } : {}), landedOn, via },
      }),
    ),
  );
}

/** What a merge of one loser into the survivor needs to know (as applyPlan and the import's in-memory plan have it). */
export interface MergeInput {
  plan: Plan;
  survivorId: string;
  survivorTraits: Record<string, unknown>;
  survivorUpdatedAt: number;
  loserId: string;
  loser: { traits: Record<string, unknown>; status: string; updatedAt: number };
  /** Every identity row of every loser of the plan, replaced ones included (identitiesOf). */
  losersIdentities: IdentityRow[];
  /** The workspace's trait conflict policy says the newest profile's traits win. */
  preferNewest: boolean;
  at: number;
  via: string;
}

/**
 * One merge's traits and its two log entries (survivor and merged): both
 * carry what unmerge needs, so either one can undo the merge, and why
 * (which identifiers tied them, which rule chose the survivor) for the log
 * and the profile.merged webhook.
 *
 * @example
 * const { traits, logs } = mergeLogs({ plan, survivorId, survivorTraits, survivorUpdatedAt, loserId, loser, losersIdentities, preferNewest, at, via });
 */
export function mergeLogs(m: MergeInput): { traits: Record<string, unknown>; identities: IdentityRow[]; logs: NewLog[] } {
  const identities = m.losersIdentities.filter((i) => i.profileId === m.loserId);
  const merged = mergeTraits(m.survivorTraits, m.loser.traits, m.preferNewest && m.loser.updatedAt > m.survivorUpdatedAt);
  const record = {
    survivorId: m.survivorId,
    mergedId: m.loserId,
    identities: identities.map(({ kind, value, replacedAt }) => ({ kind, value, replacedAt })),
    survivorTraitsBefore: m.survivorTraits,
    mergedTraitsBefore: m.loser.traits,
    mergedStatusBefore: m.loser.status,
    traitConflicts: merged.conflicts,
    via: m.via,
    linkedBy: linkedBy(m.plan, m.loserId, m.survivorId, m.losersIdentities),
    rule: mergeRule(m.plan),
  };
  const logs: NewLog[] = [
    { profileId: m.survivorId, type: 'merged', at: m.at, details: { ...record, role: 'survivor' } },
    { profileId: m.loserId, type: 'merged', at: m.at, details: { ...record, role: 'merged' } },
  ];
  return { traits: merged.traits, identities, logs };
}
