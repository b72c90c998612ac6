import { describe, expect, it } from 'vitest';
import { applyTraits, mergeTraits } from './traits.js';

describe('mergeTraits', () => {
  it('keeps the survivor value of a shared key and reports the other', () => {
    expect(mergeTraits({ name: 'Ana', a: 1 }, { name: 'Anita', b: 2 }, false)).toEqual({
      traits: { name: 'Ana', a: 1, b: 2 },
      conflicts: [{ key: 'name', kept: 'Ana', discarded: 'Anita' }],
    });
  });
  it('keeps the other value when asked to prefer it', () => {
    expect(mergeTraits({ name: 'Ana' }, { name: 'Anita' }, true).traits).toEqual({ name: 'Anita' });
  });
  it('reports no conflict for equal values', () => expect(mergeTraits({ tags: [1] }, { tags: [1] }, false).conflicts).toEqual([]));
});

describe('applyTraits', () => {
  it('lets the newest value win and says whether anything changed', () => {
    expect(applyTraits({ name: 'Ana' }, { name: 'Ana B' })).toEqual({ traits: { name: 'Ana B' }, changed: true });
    expect(applyTraits({ name: 'Ana' }, { name: 'Ana' }).changed).toBe(false);
  });
});
