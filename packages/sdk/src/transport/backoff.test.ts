import { describe, expect, it } from 'vitest';
import { backoffDelay, retryAfterMs } from './backoff.js';

describe('backoffDelay', () => {
  it('grows exponentially from a 1 s base', () => {
    const max = (attempt: number) => backoffDelay(attempt, () => 0.999999);
    expect([0, 1, 2, 3].map(max)).toEqual([999, 1999, 3999, 7999]);
  });

  it('is capped at 60 s', () => {
    expect(backoffDelay(30, () => 0.999999)).toBe(59_999);
  });

  it('uses full jitter: anywhere from 0 to the exponential bound', () => {
    expect(backoffDelay(3, () => 0)).toBe(0);
    expect(backoffDelay(3, () => 0.5)).toBe(4000);
    const samples = Array.from({ length: 500 }, () => backoffDelay(2));
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...samples)).toBeLessThan(4000);
    expect(new Set(samples).size).toBeGreaterThan(100);
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2025-03-01T10:00:00Z');

  it('reads delay-seconds', () => {
    expect(retryAfterMs('120', now)).toBe(120_000);
  });

  it('reads an HTTP date', () => {
    expect(retryAfterMs('Sat, 01 Mar 2025 10:00:30 GMT', now)).toBe(30_000);
  });

  it('answers 0 for a date in the past', () => {
    expect(retryAfterMs('Sat, 01 Mar 2025 09:00:00 GMT', now)).toBe(0);
  });

  it.each([null, undefined, '', 'soon'])('answers undefined for %j', (header) => {
    expect(retryAfterMs(header, now)).toBeUndefined();
  });
});
