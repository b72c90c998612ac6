import { hash, timingSafeEqual } from 'node:crypto';

/**
 * The SHA-256 of an API key, hex: keys are looked up by it, so neither the
 * database index nor a cache ever compares a presented key with a stored one
 * byte by byte, and how long a lookup takes says nothing about the key.
 *
 * @example
 * keyDigest('sk_…') // → '9f86d0…' (64 hex characters)
 */
export const keyDigest = (key: string) => hash('sha256', key, 'hex');

/**
 * Compares a presented key with a stored one in constant time (their
 * digests, so the lengths always match).
 *
 * @example
 * sameKey(given, workspace.secretKey) // → true only for the exact key
 */
export function sameKey(given: string, stored: string): boolean {
  return timingSafeEqual(hash('sha256', given, 'buffer'), hash('sha256', stored, 'buffer'));
}
