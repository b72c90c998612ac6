/**
 * FNV-1a, 32 bits, as 8 hex characters: short on purpose, so the stored value
 * tells "same or different person" and little else (SPEC §7).
 * @example fnv1a('salt|email|ana@example.com') // 'a1b2c3d4'
 */
export function fnv1a(input: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < input.length; i++) {
    h ^= input.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
