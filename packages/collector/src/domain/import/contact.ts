import type { Settings } from '../settings.js';
import { claimIdentifier } from '../identity/claim.js';
import { PERSON_KINDS, type Claim, type PersonKind, type Plan } from '../identity/types.js';
import type { OptOutInput } from './opt-outs.js';

/** The field a rejection names when the problem is the whole row, not one value. */
export const ROW_FIELD = '(row)';

/** One contact of an import, as read from a CSV row or a bulk-API item, before normalisation. */
export interface ContactInput {
  userId?: unknown;
  email?: unknown;
  phone?: unknown;
  traits: Record<string, unknown>;
  /** The names the source used for the identifiers (a CSV column may be `mobile`): rejections name these. */
  fields?: Partial<Record<PersonKind, string>>;
  /** A profile's GUID (the `id` column of a re-imported profile report): the row is about that profile. */
  profileId?: string;
  /** Channels the contact opts out of (CSV opt-out columns, the bulk API's `suppressions`). */
  optOuts?: OptOutInput[];
}

/** Why a row was not imported: the field at fault and the reason. */
export interface Rejection {
  field: string;
  reason: string;
}

export type ContactClaim = { ok: true; claim: Claim; traits: Record<string, unknown> } | ({ ok: false } & Rejection);

const absent = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/**
 * A contact as a verified claim (it comes with the secret key, SPEC §2), by
 * the same normalisation and block list as identify. Unlike an identify,
 * whose event is kept whatever its identifiers, an import row exists only to
 * link identifiers: one that is invalid or block-listed rejects the row, so a
 * half-read contact never lands on a profile.
 *
 * @example
 * contactClaim({ email: 'Ana@Example.com', traits: { plan: 'gold' } }, settings) // → { ok: true, claim: { email: 'ana@example.com', verified: true }, … }
 */
export function contactClaim(input: ContactInput, settings: Settings): ContactClaim {
  const claim: Claim = { verified: true };
  for (const kind of PERSON_KINDS) {
    if (absent(input[kind])) continue;
    const result = claimIdentifier(kind, input[kind], settings);
    if (!result.ok) return { ok: false, field: input.fields?.[kind] ?? kind, reason: result.reason };
    claim[kind] = result.value;
  }
  if (!claim.userId && !claim.email && !claim.phone)
    return { ok: false, field: ROW_FIELD, reason: 'has no userId, email or phone to match or create a profile by' };
  return { ok: true, claim, traits: input.traits };
}

export type ImportOutcome = 'created' | 'matched' | 'merged' | 'conflict';

/**
 * Which one of the report's counts a resolved row goes to. A refused merge
 * (two different primary keys) outweighs everything else the row did, since
 * it is the case an operator must look at.
 */
export function importOutcome(plan: Plan): ImportOutcome {
  if (plan.refused.length) return 'conflict';
  if (plan.merge.length) return 'merged';
  return plan.survivor.id ? 'matched' : 'created';
}
