import { MAX_NESTING_DEPTH } from '@threadline/protocol';
import { invalid } from './errors.js';

export type Storable<T> =
  | {
      ok: true;
      value: T;
      /** At least as many bytes as `value` takes as UTF-8 JSON, when the quick walk found nothing to change (jsonLargerThan). */
      bytesAtMost?: number;
    }
  | { ok: false; field: string; reason: string };

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const NUL_REASON = 'must not contain a NUL (\\u0000) character';

/** A field path naming a key: itself storable, a NUL in the key written as the text `\u0000`. */
const join = (at: string, key: string | number) => {
  const k = typeof key === 'number' ? String(key) : wellFormed(key).replaceAll('\u0000', '\\u0000');
  return at ? `${at}.${k}` : k;
};

/** A string with every lone UTF-16 surrogate replaced by U+FFFD, as a UTF-8 encoder would write it. */
export function wellFormed(s: string): string {
  LONE_SURROGATE.lastIndex = 0;
  return LONE_SURROGATE.test(s) ? s.replace(LONE_SURROGATE, '\uFFFD') : s;
}

// ES2024's String#isWellFormed (Node 20 has it; TypeScript's ES2022 lib does not know it).
const isWellFormed = (s: string) => (s as string & { isWellFormed(): boolean }).isWellFormed();

/** The longest JSON spelling of a number (`-1.2345678901234567e-308`), and so of `false` and `null`. */
const SCALAR_BYTES = 24;
/** The longest UTF-8 JSON spelling of one UTF-16 code unit: an escape such as `\u001f`. */
const UNIT_BYTES = 6;

/**
 * -1 when something in `v` needs a change or a refusal (a NUL, a lone
 * surrogate, nesting past `maxDepth`); otherwise a bound on the bytes `v`
 * takes as UTF-8 JSON, never below them. Ingest checks every message, and
 * nearly all are clean, so this walk builds no field paths and copies
 * nothing; only a value it refuses takes the full walk, which says where.
 * The bound spares measuring a message by serialising it (jsonLargerThan)
 * unless it could pass the limit.
 */
function cleanBytes(v: unknown, depth: number, maxDepth: number): number {
  if (typeof v === 'string') return !v.includes('\u0000') && isWellFormed(v) ? v.length * UNIT_BYTES + 2 : -1;
  if (v === null || typeof v !== 'object') return SCALAR_BYTES;
  if (depth >= maxDepth) return -1;
  let bytes = 2;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const item = cleanBytes(v[i], depth + 1, maxDepth);
      if (item < 0) return -1;
      bytes += item + 1;
    }
    return bytes;
  }
  const o = v as Record<string, unknown>;
  for (const key in o) {
    if (!Object.hasOwn(o, key) || key.includes('\u0000') || !isWellFormed(key)) return -1;
    const item = cleanBytes(o[key], depth + 1, maxDepth);
    if (item < 0) return -1;
    bytes += key.length * UNIT_BYTES + item + 4;
  }
  return bytes;
}

/**
 * Makes a parsed JSON value safe for both stores, or says which field is not.
 * PostgreSQL refuses NUL in text and jsonb and a lone surrogate escape in
 * jsonb (SQLite takes both), so the same input would be stored on one store
 * and a 500 on the other. A lone surrogate (page code cutting an emoji in
 * half) becomes U+FFFD; a NUL in a key or a string names its field; nesting
 * past MAX_NESTING_DEPTH names the field where it goes too deep, before
 * anything recursive (JSON.stringify) can overflow the stack on it. The
 * value is copied only where a string changed.
 *
 * @example
 * storableJson({ event: 'Cart \ud83d' }) // → { ok: true, value: { event: 'Cart \uFFFD' } }
 * storableJson({ traits: { name: 'a\u0000' } }) // → { ok: false, field: 'traits.name', reason: '…' }
 */
export function storableJson<T>(value: T, at = '', maxDepth = MAX_NESTING_DEPTH): Storable<T> {
  const bytesAtMost = cleanBytes(value, 0, maxDepth);
  if (bytesAtMost >= 0) return { ok: true, value, bytesAtMost };
  const walk = (v: unknown, path: string, depth: number): Storable<unknown> => {
    if (typeof v === 'string')
      return v.includes('\u0000') ? { ok: false, field: path || '(value)', reason: NUL_REASON } : { ok: true, value: wellFormed(v) };
    if (v === null || typeof v !== 'object') return { ok: true, value: v };
    if (depth >= maxDepth) return { ok: false, field: path || '(value)', reason: `nests deeper than ${maxDepth} levels` };
    if (Array.isArray(v)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const r = walk(v[i], join(path, i), depth + 1);
        if (!r.ok) return r;
        if (r.value === v[i]) continue;
        out ??= [...v];
        out[i] = r.value;
      }
      return { ok: true, value: out ?? v };
    }
    let out: Record<string, unknown> | undefined;
    for (const [key, item] of Object.entries(v)) {
      const field = join(path, key);
      if (key.includes('\u0000')) return { ok: false, field, reason: 'has a key holding a NUL (\\u0000) character' };
      const r = walk(item, field, depth + 1);
      if (!r.ok) return r;
      const k = wellFormed(key);
      if (k !== key || r.value !== item) {
        out ??= { ...v };
        if (k !== key) delete out[key];
        // defineProperty: a key `__proto__` stays a key, as JSON.parse made it.
        Object.defineProperty(out, k, { value: r.value, enumerable: true, writable: true, configurable: true });
      }
    }
    return { ok: true, value: out ?? v };
  };
  return walk(value, at, 0) as Storable<T>;
}

/**
 * Whether a storable value takes more than `limit` bytes as UTF-8 JSON
 * (Segment's per-message measure). Serialised and measured only when the
 * bound of storableJson's walk does not already rule it out: a batch's
 * messages are nearly all far below the limit.
 *
 * @example jsonLargerThan(storableJson(message), MAX_MESSAGE_BYTES) // → false for a 2 KB message, without serialising it
 */
export function jsonLargerThan(storable: { value: unknown; bytesAtMost?: number }, limit: number): boolean {
  if (storable.bytesAtMost !== undefined && storable.bytesAtMost <= limit) return false;
  return Buffer.byteLength(JSON.stringify(storable.value) ?? '') > limit;
}

/**
 * `storableJson` for an admin body: the storable value, or a 400 naming the
 * field below `at`.
 *
 * @example const rule = storableOrThrow(body, ''); // throws invalid('content.title', …) for a NUL in the title
 */
export function storableOrThrow<T>(value: T, at: string): T {
  const r = storableJson(value, at);
  if (!r.ok) throw invalid(r.field, r.reason);
  return r.value;
}
