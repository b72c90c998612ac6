/** A seeded PRNG (mulberry32), so a fuzz run that finds something can be replayed exactly. */
export function seededRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;
  return { next, int, pick };
}

export type Random = ReturnType<typeof seededRandom>;

/** Strings that broke a store or a parser once: NUL, lone surrogates, an emoji cut in half, prototype keys. */
const NASTY = [
  '\u0000',
  'a\u0000b',
  '\ud83d',
  '\ude00',
  'x\ud83d',
  '\ude00x',
  '\ud83d\ude00',
  '\uffff',
  '\ufeff',
  '__proto__',
  'constructor',
  '%00',
  '\\u0000',
  "'; drop table events; --",
  '$.a[0]',
  ' ',
  '',
  '\u2028',
  'é',
] as const;

/** A string built from hostile pieces and plain text. */
export function hostileString(r: Random): string {
  const parts = 1 + r.int(3);
  let s = '';
  for (let i = 0; i < parts; i++) s += r.next() < 0.7 ? r.pick(NASTY) : `s${r.int(100)}`;
  return s;
}

/** Stands for `{"k":{"k":…}}` nested N levels, spliced in by `toHostileJson` (JSON.stringify itself overflows at 5,000). */
const deep = (levels: number) => `__deep_${levels}__`;

/** JSON text of a hostile value, its deep-nesting markers expanded. */
export function toHostileJson(value: unknown): string {
  return JSON.stringify(value).replace(/"__deep_(\d+)__"/g, (_, n) => `${'{"k":'.repeat(Number(n))}1${'}'.repeat(Number(n))}`);
}

/** A hostile JSON value: hostile strings as keys and values, odd numbers, arrays, and now and then deep nesting. */
export function hostileValue(r: Random, depth = 0): unknown {
  const roll = r.next();
  if (roll < 0.03) return deep(r.pick([65, 200, 5000]));
  if (depth > 3 || roll < 0.45) return hostileString(r);
  if (roll < 0.55) return r.pick([0, -0, 1e308, -1, 3.5, true, false, null]);
  if (roll < 0.7) return Array.from({ length: r.int(4) }, () => hostileValue(r, depth + 1));
  const obj: Record<string, unknown> = {};
  for (let i = r.int(4); i > 0; i--) obj[hostileString(r)] = hostileValue(r, depth + 1);
  return obj;
}

/**
 * A path segment or query value carrying a hostile string as a client can
 * send it: NUL as `%00`, a lone surrogate as the UTF-8 bytes it would have
 * (encodeURIComponent throws on one), everything else percent-encoded.
 */
export function encodeHostile(s: string): string {
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) {
      out += `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`;
    } else out += encodeURIComponent(ch);
  }
  return out;
}
