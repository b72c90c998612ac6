/** The part of `crypto` the SDK uses; `randomUUID` is missing outside secure contexts. */
export type RandomSource = Pick<Crypto, 'getRandomValues'> & { randomUUID?: () => string };

/**
 * A UUID v4 (RFC 9562 §5.4). `crypto.randomUUID` only exists in secure
 * contexts, so a storefront on plain http (not localhost) gets the same format
 * from `getRandomValues`: the template's `4` is the version, and its `8`
 * becomes 8–b, the RFC variant.
 * @example uuid() // '3f1c2a9e-…'
 */
export function uuid(source: RandomSource = crypto): string {
  if (source.randomUUID) return source.randomUUID();
  const bytes = source.getRandomValues(new Uint8Array(32));
  let i = 0;
  return '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) => (+c ^ (bytes[i++]! & (15 >> (+c / 4)))).toString(16));
}
