import { describe, expect, it } from 'vitest';
import { entry } from '../test-support/fakes.js';
import { overCaps } from './queue-caps.js';

const caps = { maxCount: 3, maxBytes: 1000, maxAgeMs: 7 * 864e5 };

describe('overCaps', () => {
  it('drops the oldest when over the count cap', () => {
    const drop = overCaps([entry('a', 1), entry('b', 2), entry('c', 3), entry('d', 4), entry('e', 5)], 10, caps);
    expect(drop.map((d) => [d.entry.id, d.reason])).toEqual([
      ['a', 'queue full'],
      ['b', 'queue full'],
    ]);
  });

  it('drops the oldest when over the byte cap', () => {
    const drop = overCaps([entry('a', 1, 600), entry('b', 2, 300), entry('c', 3, 300)], 10, caps);
    expect(drop.map((d) => [d.entry.id, d.reason])).toEqual([['a', 'queue too large']]);
  });

  it('drops what is older than the age cap', () => {
    const now = 8 * 864e5;
    const drop = overCaps([entry('old', 0), entry('new', now - 1000)], now, caps);
    expect(drop.map((d) => [d.entry.id, d.reason])).toEqual([['old', 'too old']]);
  });

  it('keeps everything within the caps', () => {
    expect(overCaps([entry('a', 1), entry('b', 2)], 10, caps)).toEqual([]);
  });
});
