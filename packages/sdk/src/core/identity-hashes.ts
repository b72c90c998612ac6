import type { JsonObject } from '@threadline/protocol';
import { fnv1a } from '../util/hash.js';

export type IdentifierKind = 'userId' | 'email' | 'phone';

/** Who identified in this browser, as salted short hashes; `aid` is the salt they were made with. */
export type SeenHashes = { aid: string } & Partial<Record<IdentifierKind, string>>;

/**
 * The identifiers an identify carries, normalised so `Ana@Example.com ` and
 * `ana@example.com` compare equal (email: trim + lower-case; phone: without
 * spaces, dashes, dots and parentheses; userId: trimmed).
 * @example identifiersOf('u1', { email: ' A@B.co ' }) // { userId: 'u1', email: 'a@b.co' }
 */
export function identifiersOf(userId: string | undefined, traits: JsonObject | undefined): Partial<Record<IdentifierKind, string>> {
  const out: Partial<Record<IdentifierKind, string>> = {};
  const email = traits?.email;
  const phone = traits?.phone;
  if (userId?.trim()) out.userId = userId.trim();
  if (typeof email === 'string' && email.trim()) out.email = email.trim().toLowerCase();
  if (typeof phone === 'string' && phone.trim()) out.phone = phone.replace(/[\s\-().]/g, '');
  return out;
}

/**
 * Hashes each identifier with the anonymous ID as salt, so the stored value is
 * useless outside this browser and this visitor (SPEC §7: nothing personal stored).
 * @example hashIdentifiers({ email: 'a@b.co' }, aid) // { aid, email: '1f2e3d4c' }
 */
export function hashIdentifiers(ids: Partial<Record<IdentifierKind, string>>, salt: string): SeenHashes {
  const out: SeenHashes = { aid: salt };
  for (const [kind, value] of Object.entries(ids) as [IdentifierKind, string][]) {
    out[kind] = fnv1a(`${salt}|${kind}|${value}`);
  }
  return out;
}

/**
 * True when an identify names someone other than who identified here before:
 * a kind present on both sides with a different hash. A matching userId
 * settles it as the same person, so a customer who changes their email or
 * phone keeps their anonymous history.
 * @example isDifferentPerson(seen, hashIdentifiers({ email: 'b@b.co' }, seen.aid))
 */
export function isDifferentPerson(seen: SeenHashes, incoming: SeenHashes): boolean {
  if (seen.userId && incoming.userId) return seen.userId !== incoming.userId;
  return (['userId', 'email', 'phone'] as const).some((k) => seen[k] && incoming[k] && seen[k] !== incoming[k]);
}
