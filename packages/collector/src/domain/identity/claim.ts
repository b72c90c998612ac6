import type { ParsedMessage } from '@threadline/protocol';
import { isBlocked, normalizeEmail, normalizePhone, normalizeUserId, type Normalized } from '../normalize.js';
import type { Settings } from '../settings.js';
import type { Claim } from './types.js';

export interface ClaimWarning {
  field: string;
  reason: string;
}

export interface ExtractedClaim {
  claim: Claim;
  /** Traits to store on the profile: identifiers are held as identities, not traits. */
  traits: Record<string, unknown>;
  warnings: ClaimWarning[];
}

/**
 * Reads the identifiers a message claims (SPEC §1): its userId and anonymousId,
 * and an identify's `traits.email` / `traits.phone`. A value that fails
 * normalisation or is block-listed links nothing and is reported by field; the
 * rest of the message is kept.
 */
export function extractClaim(message: ParsedMessage, settings: Settings, verified: boolean): ExtractedClaim {
  const warnings: ClaimWarning[] = [];
  const claim: Claim = { verified };
  if (message.anonymousId) claim.anonymousId = message.anonymousId;

  const take = (kind: 'userId' | 'email' | 'phone', field: string, raw: unknown, normalize: (v: unknown) => Normalized) => {
    if (raw === undefined || raw === null || raw === '') return;
    const result = normalize(raw);
    if (!result.ok) warnings.push({ field, reason: result.reason });
    else if (isBlocked(kind, result.value, settings.blockList)) warnings.push({ field, reason: 'is on the block list of shared values and links no profile' });
    else claim[kind] = result.value;
  };

  take('userId', 'userId', message.userId, normalizeUserId);
  const traits: Record<string, unknown> = { ...(message.type === 'identify' ? message.traits : {}) };
  if (message.type === 'identify') {
    take('email', 'traits.email', traits.email, normalizeEmail);
    take('phone', 'traits.phone', traits.phone, (v) => normalizePhone(v, settings.defaultCountry));
    delete traits.email;
    delete traits.phone;
  }
  return { claim, traits, warnings };
}
