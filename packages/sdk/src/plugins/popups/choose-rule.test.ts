import type { PopupRule } from '@threadline/protocol';
import { describe, expect, it } from 'vitest';
import { chooseRule, triggerFits, type Visit } from './choose-rule.js';

const NOW = Date.parse('2025-03-01T10:00:00Z');
const rule = (id: string, over: Partial<PopupRule> = {}): PopupRule => ({
  id,
  name: `Rule ${id}`,
  enabled: true,
  priority: 0,
  audience: 'everyone',
  pages: { include: [], exclude: [] },
  trigger: { type: 'pageView' },
  frequency: {},
  content: { title: 'Hello' },
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
  ...over,
});
const visit = (over: Partial<Visit> = {}): Visit => ({
  page: new URL('https://shop.example.com/shoes'),
  identified: false,
  shownOnPage: new Set(),
  counters: {},
  session: {},
  now: NOW,
  ...over,
});

describe('triggerFits', () => {
  it('needs the same kind of occurrence', () => {
    expect(triggerFits({ type: 'pageView' }, { type: 'pageView' })).toBe(true);
    expect(triggerFits({ type: 'pageView' }, { type: 'exitIntent' })).toBe(false);
    expect(triggerFits({ type: 'exitIntent' }, { type: 'exitIntent' })).toBe(true);
  });

  it('fires an event trigger on that event name only', () => {
    expect(triggerFits({ type: 'event', event: 'Product Added' }, { type: 'event', event: 'Product Added' })).toBe(true);
    expect(triggerFits({ type: 'event', event: 'Product Added' }, { type: 'event', event: 'Product Viewed' })).toBe(false);
  });

  it('fires thresholds once reached or passed', () => {
    expect(triggerFits({ type: 'timeOnPage', seconds: 10 }, { type: 'timeOnPage', seconds: 9.9 })).toBe(false);
    expect(triggerFits({ type: 'timeOnPage', seconds: 10 }, { type: 'timeOnPage', seconds: 12 })).toBe(true);
    expect(triggerFits({ type: 'scrollDepth', percent: 50 }, { type: 'scrollDepth', percent: 49 })).toBe(false);
    expect(triggerFits({ type: 'scrollDepth', percent: 50 }, { type: 'scrollDepth', percent: 50 })).toBe(true);
  });
});

describe('chooseRule', () => {
  it('shows the highest priority among the rules that fire, whatever their order', () => {
    const rules = [
      rule('low', { priority: 1 }),
      rule('high', { priority: 5 }),
      rule('other-trigger', { priority: 9, trigger: { type: 'exitIntent' } }),
    ];
    expect(chooseRule(rules, { type: 'pageView' }, visit())?.id).toBe('high');
    expect(chooseRule(rules, { type: 'exitIntent' }, visit())?.id).toBe('other-trigger');
  });

  it("keeps the collector's order between equal priorities", () => {
    expect(chooseRule([rule('a'), rule('b')], { type: 'pageView' }, visit())?.id).toBe('a');
  });

  it('passes over a higher rule that its page rules, cap or state hold back', () => {
    const rules = [
      rule('excluded', { priority: 9, pages: { include: [], exclude: [{ match: 'startsWith', value: '/shoes' }] } }),
      rule('capped', { priority: 8, frequency: { maxImpressions: 1 } }),
      rule('disabled', { priority: 7, enabled: false }),
      rule('shown-here', { priority: 6 }),
      rule('open', { priority: 1 }),
    ];
    const v = visit({ counters: { capped: { n: 1 } }, shownOnPage: new Set(['shown-here']) });
    expect(chooseRule(rules, { type: 'pageView' }, v)?.id).toBe('open');
  });

  it('stops anonymous-audience rules once the visitor identified in the page', () => {
    const rules = [rule('anon', { audience: 'anonymous', priority: 2 }), rule('all', { audience: 'everyone' })];
    expect(chooseRule(rules, { type: 'pageView' }, visit())?.id).toBe('anon');
    expect(chooseRule(rules, { type: 'pageView' }, visit({ identified: true }))?.id).toBe('all');
  });

  it('answers nothing when no rule fires', () => {
    expect(
      chooseRule([rule('a', { trigger: { type: 'event', event: 'Cart Viewed' } })], { type: 'event', event: 'Product Viewed' }, visit()),
    ).toBeUndefined();
    expect(chooseRule([], { type: 'pageView' }, visit())).toBeUndefined();
  });

  it('applies the session cap and the minimum interval with the injected clock and session', () => {
    const r = [rule('s', { frequency: { maxPerSession: 2, minIntervalSeconds: 30 } })];
    const counters = { s: { n: 1, t: NOW - 10_000 } };
    expect(chooseRule(r, { type: 'pageView' }, visit({ counters, session: { s: 1 } }))).toBeUndefined();
    expect(chooseRule(r, { type: 'pageView' }, visit({ counters, session: { s: 1 }, now: NOW + 20_000 }))?.id).toBe('s');
    expect(chooseRule(r, { type: 'pageView' }, visit({ counters, session: { s: 2 }, now: NOW + 20_000 }))).toBeUndefined();
  });
});
