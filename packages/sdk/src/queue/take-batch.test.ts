import { describe, expect, it } from 'vitest';
import { encodeBatch, byteLength } from '../transport/encode.js';
import { entry } from '../test-support/fakes.js';
import { batchBytes, takeBatch } from './take-batch.js';

describe('takeBatch', () => {
  it('stops at the message count', () => {
    const entries = Array.from({ length: 10 }, (_, i) => entry(`m${i}`));
    expect(takeBatch(entries, 1e6, 4, 10).map((e) => e.id)).toEqual(['m0', 'm1', 'm2', 'm3']);
  });

  it('stops before the byte limit', () => {
    const entries = [entry('a', 0, 400), entry('b', 0, 400), entry('c', 0, 400)];
    expect(takeBatch(entries, 1000, 100, 10).map((e) => e.id)).toEqual(['a', 'b']);
  });

  it('always takes one entry, so an oversized message meets its 413', () => {
    expect(takeBatch([entry('huge', 0, 5000), entry('b')], 1000, 100, 10).map((e) => e.id)).toEqual(['huge']);
  });

  it('passes over entries that do not fit when skipping (the keepalive budget)', () => {
    const entries = [entry('huge', 0, 5000), entry('a', 0, 300), entry('b', 0, 300)];
    expect(takeBatch(entries, 1000, 100, 10, true).map((e) => e.id)).toEqual(['a', 'b']);
  });
});

describe('batchBytes', () => {
  it('is an upper bound of the encoded request body', () => {
    const entries = ['a', 'b', 'c'].map((id) => {
      const e = entry(id);
      return { ...e, n: byteLength(JSON.stringify(e.m)) };
    });
    const body = encodeBatch(
      entries.map((e) => e.m),
      'wk_123',
      new Date().toISOString(),
    );
    const estimate = batchBytes(entries, byteLength(JSON.stringify('wk_123')));
    expect(estimate).toBeGreaterThanOrEqual(byteLength(body));
    expect(estimate - byteLength(body)).toBeLessThan(200);
  });
});
