import { describe, expect, it } from 'vitest';
import { uuid } from './uuid.js';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuid', () => {
  it('uses crypto.randomUUID when the page is a secure context', () => {
    const source = {
      randomUUID: () => '11111111-2222-4333-8444-555555555555',
      getRandomValues: () => {
        throw new Error('unused');
      },
    };
    expect(uuid(source as never)).toBe('11111111-2222-4333-8444-555555555555');
  });

  it('falls back to getRandomValues when randomUUID is missing (http pages)', () => {
    const source = { getRandomValues: <T extends ArrayBufferView>(a: T) => crypto.getRandomValues(a) };
    const ids = new Set(Array.from({ length: 200 }, () => uuid(source)));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(V4);
  });

  it('sets the version and variant bits even when every random byte is 0xff', () => {
    const source = { getRandomValues: <T extends ArrayBufferView>(a: T) => ((a as unknown as Uint8Array).fill(255), a) };
    expect(uuid(source)).toMatch(V4);
  });

  it('sets them when every random byte is 0', () => {
    const source = { getRandomValues: <T extends ArrayBufferView>(a: T) => a };
    expect(uuid(source)).toMatch(V4);
  });
});
