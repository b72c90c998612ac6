import { describe, expect, it } from 'vitest';
import { identifiedAt } from './timeline-split.js';

const ev = (type: string, timestamp: string, more: { userId?: string; traits?: Record<string, unknown> } = {}) => ({
  type,
  timestamp,
  userId: more.userId ?? null,
  traits: more.traits ?? null,
});

describe('identifiedAt', () => {
  it('is the first identify that carried an email, so the browsing before it is pre-identify', () => {
    const events = [ev('page', 't1'), ev('track', 't2'), ev('identify', 't3', { traits: { email: 'a@example.com' } }), ev('track', 't4')];
    expect(identifiedAt(events, 't0')).toBe('t3');
  });

  it('counts any event with a userId as identified, and ignores an identify with only a name', () => {
    const events = [ev('identify', 't1', { traits: { name: 'Ana' } }), ev('track', 't2', { userId: 'CUST-1' })];
    expect(identifiedAt(events, null)).toBe('t2');
  });

  it('falls back to when the contact log attached a known identifier, and is null for an anonymous profile', () => {
    expect(identifiedAt([ev('page', 't1')], 't5')).toBe('t5');
    expect(identifiedAt([ev('page', 't1')], null)).toBeNull();
  });
});
