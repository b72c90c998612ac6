/** Where a trigger stands for one profile (SPEC §9): one row each, so it fires at most once. */
export type FiringStatus = 'waiting' | 'fired' | 'expired' | 'cancelled';

export interface FiringState {
  status: FiringStatus;
  expiresAt: number;
}

/** What to do for one profile: nothing, start (or restart) waiting, fire, or stop a wait. */
export type FiringStep =
  | { kind: 'none' }
  | { kind: 'wait'; expiresAt: number }
  | { kind: 'fire' }
  | { kind: 'cancel' }
  | { kind: 'expire' };

/**
 * The next step of a trigger for a profile that was just re-checked: it fires
 * the first time it matches while reachable; a match while unreachable waits
 * `waitMs` for reachability; a wait ends when the profile no longer matches
 * (cancelled: a later match waits again) or the time runs out (expired).
 * Fired and expired are final.
 *
 * @example
 * nextFiring(undefined, { matches: true, reachable: false }, now, 72 * 3_600_000); // { kind: 'wait', expiresAt: now + 72 h }
 */
export function nextFiring(
  current: FiringState | undefined,
  profile: { matches: boolean; reachable: boolean },
  now: number,
  waitMs: number,
): FiringStep {
  if (current?.status === 'fired' || current?.status === 'expired') return { kind: 'none' };
  const waiting = current?.status === 'waiting';
  if (waiting && current.expiresAt <= now) return { kind: 'expire' };
  if (!profile.matches) return waiting ? { kind: 'cancel' } : { kind: 'none' };
  if (profile.reachable) return { kind: 'fire' };
  return waiting ? { kind: 'none' } : { kind: 'wait', expiresAt: now + waitMs };
}
