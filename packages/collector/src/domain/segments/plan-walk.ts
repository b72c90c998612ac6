import type { Plan } from './plan.js';

type EventPlan = Extract<Plan, { kind: 'event' }>;

/** Every event condition of a plan, with whether it sits under an odd number of `not`s. */
function eventNodes(plan: Plan, negated = false): Array<{ node: EventPlan; negated: boolean }> {
  switch (plan.kind) {
    case 'all':
    case 'any':
      return plan.of.flatMap((p) => eventNodes(p, negated));
    case 'not':
      return eventNodes(plan.of, !negated);
    case 'event':
      return [{ node: plan, negated }];
    default:
      return [];
  }
}

/**
 * The event conditions with a window: as time passes, an event leaving the
 * window can change whether a profile matches ("no order within 2 hours"
 * becomes true with no new event), so these are re-checked on a schedule.
 *
 * @example
 * windowedEvents(planSegment({ not: { event: 'Order Completed', within: { hours: 2 } } }, now)); // [{ name: 'Order Completed', windowMs: 7200000 }]
 */
export const windowedEvents = (plan: Plan): Array<{ name: string; windowMs: number }> =>
  eventNodes(plan).flatMap(({ node }) => (node.windowMs === null ? [] : [{ name: node.name, windowMs: node.windowMs }]));

/**
 * The event conditions a match rests on (not under a `not`): a trigger
 * announces the events that satisfied them.
 *
 * @example
 * matchingEvents(planSegment({ all: [{ event: 'Product Added' }, { not: { event: 'Order Completed' } }] }, now)); // the Product Added node
 */
export const matchingEvents = (plan: Plan): EventPlan[] => eventNodes(plan).flatMap(({ node, negated }) => (negated ? [] : [node]));
