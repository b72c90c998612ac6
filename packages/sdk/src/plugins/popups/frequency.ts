import type { PopupFrequency } from '@threadline/protocol';

/**
 * What the browser keeps per rule for its caps: counts and times only, nothing
 * about the person (SPEC §7). Short keys: it is stored for every rule seen.
 */
export interface RuleCounter {
  /** Impressions, ever. */
  n: number;
  /** When it was last shown (epoch ms). */
  t?: number;
  /** Dismissed at least once. */
  d?: 1;
  /** Converted at least once. */
  c?: 1;
}
export type Counters = Record<string, RuleCounter>;

/**
 * Whether a rule's frequency cap lets it show now, given what this visitor
 * has seen of it (`counter`) and how often it showed in this session.
 * @example capAllows({ maxImpressions: 1 }, { n: 1 }, 0, Date.now()) // false
 */
export function capAllows(
  frequency: PopupFrequency | undefined,
  counter: RuleCounter | undefined,
  sessionShown: number,
  now: number,
): boolean {
  const f = frequency ?? {};
  const c = counter ?? { n: 0 };
  if (f.maxImpressions !== undefined && c.n >= f.maxImpressions) return false;
  if (f.maxPerSession !== undefined && sessionShown >= f.maxPerSession) return false;
  if (f.minIntervalSeconds !== undefined && c.t !== undefined && now - c.t < f.minIntervalSeconds * 1000) return false;
  if (f.stopAfterDismiss && c.d) return false;
  return !(f.stopAfterConversion && c.c);
}

/** What happened to a shown popup, as the counters record it. */
export type Outcome = 'shown' | 'dismissed' | 'converted';

/**
 * The counter after an outcome.
 * @example countOutcome(undefined, 'shown', now) // { n: 1, t: now }
 */
export function countOutcome(counter: RuleCounter | undefined, outcome: Outcome, now: number): RuleCounter {
  const c: RuleCounter = { n: 0, ...counter };
  if (outcome === 'shown') return { ...c, n: c.n + 1, t: now };
  return outcome === 'dismissed' ? { ...c, d: 1 } : { ...c, c: 1 };
}
