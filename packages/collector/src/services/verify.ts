import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Claim } from '../domain/identity/types.js';
import type { PrimaryKey } from '../domain/settings.js';

/** The HMAC a site's backend computes to vouch for an identifier: hex HMAC-SHA256 of the normalised value with the secret key. */
export const integrityFor = (secretKey: string, value: string) => createHmac('sha256', secretKey).update(value).digest('hex');

/**
 * A write-key message is a verified claim (SPEC §2) only when it carries a
 * valid HMAC of its primary-key value (or of its userId when the workspace
 * keys on something else and the message has one).
 */
export function hasValidIntegrity(claim: Claim, integrity: string | undefined, secretKey: string, primaryKey: PrimaryKey): boolean {
  if (!integrity) return false;
  const subject = claim[primaryKey] ?? claim.userId;
  if (!subject) return false;
  const expected = Buffer.from(integrityFor(secretKey, subject), 'hex');
  const given = Buffer.from(integrity, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
