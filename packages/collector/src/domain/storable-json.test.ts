import { describe, expect, it } from 'vitest';
import { jsonLargerThan, storableJson } from './storable-json.js';

describe('storableJson', () => {
  it('answers the very value when nothing needs changing, and copies only the branch that does', () => {
    const clean = { a: { b: [1, 'x'] }, c: { d: 'y' } };
    expect(storableJson(clean)).toMatchObject({ ok: true, value: clean });
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

  it("bounds a clean value's UTF-8 JSON bytes from above, so only a value that could pass a limit is serialised to measure it", () => {
    const values: unknown[] = [
      '',
      'plain',
      'quote " backslash \\ tab \t control \u0001',
      'é ü 😀 中文',
      -1.2345678901234567e-308,
      [true, false, null, 0, [], {}],
      { k: 'v', 'é"\u001f': [1, 'x', { deep: '😀' }], n: 2 ** 70 },
      JSON.parse('{"__proto__":{"a":"b"}}'),
    ];
    for (const value of values) {
      const r = storableJson(value) as { ok: true; bytesAtMost: number };
      expect(r.bytesAtMost).toBeGreaterThanOrEqual(Buffer.byteLength(JSON.stringify(value)));
    }
    const near = { text: 'x'.repeat(1000) };
    const exact = Buffer.byteLength(JSON.stringify(near));
    const storable = storableJson(near) as { ok: true; value: unknown; bytesAtMost: number };
    expect(storable.bytesAtMost).toBeGreaterThan(exact);
    // The bound passes the limit, so the value is measured: exactly at the limit is not larger, one byte more is.
    expect(jsonLargerThan(storable, exact)).toBe(false);
    expect(jsonLargerThan(storable, exact - 1)).toBe(true);
    // Far under the limit, the bound answers alone.
    expect(jsonLargerThan({ value: near, bytesAtMost: 10 }, 100)).toBe(false);
    // A value the full walk changed carries no bound and is measured.
    const fixed = storableJson({ t: '\ud83d'.repeat(3) }) as { ok: true; value: unknown; bytesAtMost?: number };
    expect(fixed.bytesAtMost).toBeUndefined();
    expect(jsonLargerThan(fixed, 16)).toBe(true); // {"t":"���"}: 17 bytes, three U+FFFD of three bytes each
    expect(jsonLargerThan(fixed, 17)).toBe(false);
  });
});
