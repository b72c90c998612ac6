import { describe, expect, it } from 'vitest';
import { preIdentify } from './timeline-split.js';

const ev = (
  type: string,
  timestamp: string,
  anonymousId: string | null,
  more: { userId?: string; traits?: Record<string, unknown> } = {},
) => ({
  type,
  timestamp,
  anonymousId,
  userId: more.userId ?? null,
  traits: more.traits ?? null,
});

describe('preIdentify', () => {
  it('marks a browser’s events before its first identify with an email, not those after', () => {
    const events = [
      ev('page', 't1', 'a'),
      ev('track', 't2', 'a'),
      ev('identify', 't3', 'a', { traits: { email: 'x@example.com' } }),
      ev('track', 't4', 'a'),
    ];
    expect(preIdentify(events, 't0')).toEqual([true, true, false, false]);
  });

  it('judges each browser on its own: one that identified earlier elsewhere does not unmark another’s anonymous browsing', () => {
    const events = [
      ev('identify', 't1', 'phone', { traits: { email: 'x@example.com' } }),
      ev('track', 't2', 'laptop'),
      ev('identify', 't3', 'laptop', { traits: { email: 'x@example.com' } }),
      ev('track', 't4', 'phone'),
    ];
    expect(preIdentify(events, 't1')).toEqual([false, true, false, false]);
  });

  it('counts a userId as identified and ignores an identify with only a name', () => {
    const events = [
      ev('identify', 't1', 'a', { traits: { name: 'Ana' } }),
      ev('track', 't2', 'a', { userId: 'CUST-1' }),
      ev('track', 't3', 'a'),
    ];
    expect(preIdentify(events, null)).toEqual([true, false, false]);
  });

  it('falls back to when the log attached a known identifier, and marks everything on an anonymous profile', () => {
    expect(preIdentify([ev('page', 't1', 'b'), ev('page', 't6', 'b')], 't5')).toEqual([true, false]);
    expect(preIdentify([ev('page', 't1', 'b')], null)).toEqual([true]);
  });
});
