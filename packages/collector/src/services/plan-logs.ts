import type { Plan } from '../domain/identity/types.js';
import type { LogEntry } from '../repos/contact-log.js';

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
