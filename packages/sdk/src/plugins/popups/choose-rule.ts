import type { PopupRule, PopupTrigger } from '@threadline/protocol';
import { capAllows, type Counters } from './frequency.js';
import { pageAllowed, type PageLocation } from './url-match.js';

/** Something that happened in the page that a rule's trigger may wait for. */
export type Occurrence =
  | { type: 'pageView' }
  | { type: 'event'; event: string }
  | { type: 'timeOnPage'; seconds: number }
  | { type: 'scrollDepth'; percent: number }
  | { type: 'exitIntent' };

/** What the choice depends on besides the rules: all of it passed in, so the choice is a pure function. */
export interface Visit {
  page: PageLocation;
  /** The visitor identified in this page: rules for anonymous visitors stop. */
  identified: boolean;
  /** Rules already shown since the last page view: each shows at most once per page. */
  shownOnPage: ReadonlySet<string>;
  counters: Counters;
  /** Impressions per rule in this browser session. */
  session: Record<string, number>;
  now: number;
}

/**
 * Whether an occurrence fires a trigger: the same kind and, for thresholds,
 * at least as far (a timer firing at 12 s fires a 10 s rule).
 * @example triggerFits({ type: 'scrollDepth', percent: 50 }, { type: 'scrollDepth', percent: 62 }) // true
 */
export function triggerFits(trigger: PopupTrigger, o: Occurrence): boolean {
  if (!trigger || trigger.type !== o.type) return false;
  if (trigger.type === 'event') return o.type === 'event' && trigger.event === o.event;
  if (trigger.type === 'timeOnPage') return o.type === 'timeOnPage' && o.seconds >= trigger.seconds;
  if (trigger.type === 'scrollDepth') return o.type === 'scrollDepth' && o.percent >= trigger.percent;
  return true;
}

/**
 * The one popup to show for an occurrence, or undefined: among the enabled
 * rules whose audience, page rules, trigger and frequency cap all allow it,
 * the highest priority (the collector's order breaks ties).
 * @example chooseRule(rules, { type: 'pageView' }, visit)?.id
 */
export function chooseRule(rules: readonly PopupRule[], o: Occurrence, visit: Visit): PopupRule | undefined {
  let best: PopupRule | undefined;
  for (const rule of rules) {
    const eligible =
      rule.enabled !== false &&
      !(visit.identified && rule.audience === 'anonymous') &&
      !visit.shownOnPage.has(rule.id) &&
      triggerFits(rule.trigger, o) &&
      pageAllowed(rule.pages, visit.page) &&
      capAllows(rule.frequency, visit.counters[rule.id], visit.session[rule.id] ?? 0, visit.now);
    if (eligible && (!best || (rule.priority ?? 0) > (best.priority ?? 0))) best = rule;
  }
  return best;
}
