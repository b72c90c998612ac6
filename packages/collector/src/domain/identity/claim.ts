import type { ParsedMessage } from '@threadline/protocol';
import { isBlocked, normalizeEmail, normalizePhone, normalizeUserId, type Normalized } from '../normalize.js';
import type { Settings } from '../settings.js';
import type { Claim, PersonKind } from './types.js';

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
 * Normalises one claimed person identifier and checks it against the block
 * list (SPEC §1, §2): the one gate every identify, import row and bulk
 * contact passes, so a value links profiles only if it passes here.
 *
 * @example
 * claimIdentifier('email', ' Ana@Example.com', settings) // → { ok: true, value: 'ana@example.com' }
 */
export function claimIdentifier(kind: PersonKind, raw: unknown, settings: Settings): Normalized {
  const result =
    kind === 'email' ? normalizeEmail(raw) : kind === 'phone' ? normalizePhone(raw, settings.defaultCountry) : normalizeUserId(raw);
  if (result.ok && isBlocked(kind, result.value, settings.blockList))
    return { ok: false, reason: 'is on the block list of shared values and links no profile' };
  return result;
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

  const take = (kind: PersonKind, field: string, raw: unknown) => {
    if (raw === undefined || raw === null || raw === '') return;
    const result = claimIdentifier(kind, raw, settings);
    if (!result.ok) warnings.push({ field, reason: result.reason });
    else claim[kind] = result.value;
  };

  take('userId', 'userId', message.userId);
  const traits: Record<string, unknown> = { ...(message.type === 'identify' ? message.traits : {}) };
  if (message.type === 'identify') {
    take('email', 'traits.email', traits.email);
    take('phone', 'traits.phone', traits.phone);
    delete traits.email;
    delete traits.phone;
  }
  return { claim, traits, warnings };
}
