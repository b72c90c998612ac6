import { describe, expect, it } from 'vitest';
import { uuidv7 } from './uuidv7.js';

describe('uuidv7', () => {
  it('keeps ids in creation order past 4,096 ids in one millisecond, as an import chunk makes', () => {
    const ids = Array.from({ length: 10_000 }, () => uuidv7(1_700_000_000_000));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('spells the milliseconds in its first 48 bits and draws fresh random bits each time', () => {
    // Ahead of every id this process made so far, so the clock field is this time exactly.
    const at = Date.now() + 86_400_000;
    const [a, b] = [uuidv7(at), uuidv7(at)];
    expect(a.replace('-', '').slice(0, 12)).toBe(at.toString(16).padStart(12, '0'));
    expect(a.slice(14, 18)).toBe('7000');
    expect(b.slice(14, 18)).toBe('7001');
    expect(a.slice(19)).not.toBe(b.slice(19));
  });
});
