import { describe, expect, it } from 'vitest';
import { storableJson } from './storable-json.js';

describe('storableJson', () => {
  it('answers the very value when nothing needs changing, and copies only the branch that does', () => {
    const clean = { a: { b: [1, 'x'] }, c: { d: 'y' } };
    expect(storableJson(clean)).toEqual({ ok: true, value: clean });
    expect((storableJson(clean) as { value: unknown }).value).toBe(clean);
    const cut = { a: { b: ['\ud83d'] }, c: clean.c };
    const fixed = storableJson(cut) as { ok: true; value: typeof cut };
    expect(fixed.value).toEqual({ a: { b: ['\uFFFD'] }, c: { d: 'y' } });
    expect(fixed.value.c).toBe(clean.c);
    expect(cut.a.b[0]).toBe('\ud83d');
  });

  it('keeps a `__proto__` key a key while fixing it, as JSON.parse made it', () => {
    const parsed = JSON.parse('{"__proto__":{"x":"\\ud800"}}');
    const r = storableJson(parsed) as { ok: true; value: Record<string, unknown> };
    expect(Object.keys(r.value)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(r.value, '__proto__')?.value).toEqual({ x: '\uFFFD' });
    expect(Object.getPrototypeOf(r.value)).toBe(Object.prototype);
  });

  it('names the field of a NUL in a value or a key, and where nesting goes past the limit', () => {
    expect(storableJson({ a: [0, 'x\u0000'] })).toMatchObject({ ok: false, field: 'a.1' });
    expect(storableJson({ a: { 'k\u0000': 1 } })).toMatchObject({ ok: false, field: 'a.k\\u0000' });
    expect(storableJson({ a: { b: { c: 1 } } }, '', 3)).toMatchObject({ ok: true });
    expect(storableJson({ a: { b: { c: {} } } }, '', 3)).toMatchObject({ ok: false, field: 'a.b.c', reason: 'nests deeper than 3 levels' });
    expect(storableJson({ a: 'ok' }, 'definition')).toMatchObject({ ok: true });
    expect(storableJson({ a: '\u0000' }, 'definition')).toMatchObject({ ok: false, field: 'definition.a' });
  });
});
