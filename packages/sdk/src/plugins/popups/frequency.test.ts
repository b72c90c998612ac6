import { describe, expect, it } from 'vitest';
import { capAllows, countOutcome } from './frequency.js';

const NOW = Date.parse('2025-03-01T10:00:00Z');

describe('capAllows', () => {
  it('allows a rule without a cap however often it showed', () => {
    expect(capAllows(undefined, { n: 50, t: NOW - 1, d: 1, c: 1 }, 50, NOW)).toBe(true);
    expect(capAllows({}, undefined, 0, NOW)).toBe(true);
  });

  it('maxImpressions counts every impression this visitor ever had', () => {
    expect(capAllows({ maxImpressions: 2 }, { n: 1 }, 0, NOW)).toBe(true);
    expect(capAllows({ maxImpressions: 2 }, { n: 2 }, 0, NOW)).toBe(false);
    expect(capAllows({ maxImpressions: 1 }, undefined, 0, NOW)).toBe(true);
  });

  it('maxPerSession counts this session only', () => {
    expect(capAllows({ maxPerSession: 1 }, { n: 9 }, 0, NOW)).toBe(true);
    expect(capAllows({ maxPerSession: 1 }, { n: 9 }, 1, NOW)).toBe(false);
  });

  it('minIntervalSeconds waits that long after the last impression', () => {
    const f = { minIntervalSeconds: 60 };
    expect(capAllows(f, { n: 1, t: NOW - 59_999 }, 0, NOW)).toBe(false);
    expect(capAllows(f, { n: 1, t: NOW - 60_000 }, 0, NOW)).toBe(true);
    expect(capAllows(f, { n: 0 }, 0, NOW)).toBe(true);
  });

  it('stops after a dismissal or a conversion only when asked to', () => {
    expect(capAllows({ stopAfterDismiss: true }, { n: 1, d: 1 }, 0, NOW)).toBe(false);
    expect(capAllows({ stopAfterDismiss: true }, { n: 1, c: 1 }, 0, NOW)).toBe(true);
    expect(capAllows({ stopAfterConversion: true }, { n: 1, c: 1 }, 0, NOW)).toBe(false);
    expect(capAllows({ stopAfterConversion: true }, { n: 1, d: 1 }, 0, NOW)).toBe(true);
    expect(capAllows({ stopAfterDismiss: false }, { n: 1, d: 1 }, 0, NOW)).toBe(true);
  });
});

describe('countOutcome', () => {
  it('counts an impression with its time, and remembers a dismissal and a conversion', () => {
    const shown = countOutcome(undefined, 'shown', NOW);
    expect(shown).toEqual({ n: 1, t: NOW });
    const again = countOutcome(shown, 'shown', NOW + 5);
    expect(again).toEqual({ n: 2, t: NOW + 5 });
    expect(countOutcome(again, 'dismissed', NOW + 9)).toEqual({ n: 2, t: NOW + 5, d: 1 });
    expect(countOutcome(again, 'converted', NOW + 9)).toEqual({ n: 2, t: NOW + 5, c: 1 });
  });
});
