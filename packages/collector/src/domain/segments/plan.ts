import { ADDRESS_OF, type Channel } from '../channels.js';
import { windowMs, type Condition, type EventCondition, type PropertyFilter, type Status, type TraitCondition } from './schema.js';

export type Scalar = string | number | boolean;

/** A comparison reduced to four shapes; `neq` and `notExists` are the negation of `eq` and `exists`. */
export type Test =
  | { op: 'in'; values: Scalar[] }
  | { op: 'contains'; value: string }
  | { op: 'exists' }
  | { op: 'gt' | 'gte' | 'lt' | 'lte'; value: number | string };

/** A JSON path (`address.city` → ['address', 'city']) with the test on the value found there. */
export interface PathTest {
  path: string[];
  test: Test;
  negate: boolean;
}

/** What the SQL is built from: windows already turned into times, defaults filled in. */
export type Plan =
  | { kind: 'all' | 'any'; of: Plan[] }
  | { kind: 'not'; of: Plan }
  | { kind: 'status'; statuses: Status[] }
  | { kind: 'has'; identifier: 'email' | 'phone' | 'userId' }
  | ({ kind: 'trait' } & PathTest)
  | { kind: 'suppressed'; channel: Channel; address: 'email' | 'phone' | undefined; is: boolean }
  /** Not written by users: "reachable on push / web push" (an enabled, unsuppressed device), for triggers. */
  | { kind: 'pushable'; channel: 'push' | 'webpush' }
  | { kind: 'event'; name: string; where: PathTest[]; atLeast: number; since: number | null; windowMs: number | null };

function pathTest(c: TraitCondition | PropertyFilter, name: string): PathTest {
  const path = name.split('.');
  switch (c.op) {
    case 'eq':
    case 'neq':
      return { path, test: { op: 'in', values: [c.value] }, negate: c.op === 'neq' };
    case 'in':
      return { path, test: { op: 'in', values: c.value }, negate: false };
    case 'contains':
      return { path, test: { op: 'contains', value: c.value }, negate: false };
    case 'exists':
    case 'notExists':
      return { path, test: { op: 'exists' }, negate: c.op === 'notExists' };
    default:
      return { path, test: { op: c.op, value: c.value }, negate: false };
  }
}

const eventPlan = (c: EventCondition, now: number): Plan => ({
  kind: 'event',
  name: c.event,
  where: (c.where ?? []).map((f) => pathTest(f, f.property)),
  atLeast: c.atLeast ?? 1,
  windowMs: c.within ? windowMs(c.within) : null,
  since: c.within ? now - windowMs(c.within) : null,
});

/**
 * Turns a checked definition into a plan at time `now`: a window of N
 * minutes, hours or days means events at or after `now − N`; a missing `atLeast` is 1; no
 * window is ever. Pure, so the clock is the caller's (SPEC §5).
 *
 * @example
 * planSegment({ event: 'Product Viewed', within: { days: 30 } }, Date.now());
 */
export function planSegment(c: Condition, now: number): Plan {
  if ('all' in c) return { kind: 'all', of: c.all.map((x) => planSegment(x, now)) };
  if ('any' in c) return { kind: 'any', of: c.any.map((x) => planSegment(x, now)) };
  if ('not' in c) return { kind: 'not', of: planSegment(c.not, now) };
  if ('status' in c) return { kind: 'status', statuses: [...new Set(c.status)] };
  if ('has' in c) return { kind: 'has', identifier: c.has };
  if ('trait' in c) return { kind: 'trait', ...pathTest(c, c.trait) };
  if ('suppressed' in c) return { kind: 'suppressed', channel: c.suppressed, address: ADDRESS_OF[c.suppressed], is: c.is };
  return eventPlan(c, now);
}
