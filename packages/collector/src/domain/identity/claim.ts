import type { ParsedMessage } from '@threadline/protocol';
import { isBlocked, normalizeEmail, normalizePhone, normalizeUserId, type Normalized } from '../normalize.js';
import type { Settings } from '../settings.js';
import type { Claim, IdentifierKind, PersonKind } from './types.js';

export interface ClaimWarning {
  field: string;
  reason: string;
}

export interface ExtractedClaim {
  claim: Claim;
  /** Traits to store on the profile: identifiers are held as identities, not traits. */
  traits: Record<string, unknown>;
  warnings: ClaimWarning[];
  /** The message field each claimed identifier was read from (`traits.mobile`, `context.traits.email`). */
  fields: Partial<Record<IdentifierKind, string>>;
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

const objectAt = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

const given = (raw: unknown) => raw !== undefined && raw !== null && raw !== '';

/**
 * The field a person identifier is read from, first found wins: an identify's
 * own traits, then Segment's `context.traits` on any call (SPEC §2);
 * `mobile` is read as `phone`, as the CSV import reads it.
 */
function sourceOf(kind: 'email' | 'phone', traits: Record<string, unknown>, contextTraits: Record<string, unknown>) {
  const names = kind === 'email' ? ['email'] : ['phone', 'mobile'];
  for (const [where, obj] of [
    ['traits', traits],
    ['context.traits', contextTraits],
  ] as const) {
    const name = names.find((n) => given(obj[n]));
    if (name) return { field: `${where}.${name}`, name, raw: obj[name], fromTraits: where === 'traits' };
  }
  return undefined;
}

/**
 * Reads the identifiers a message claims (SPEC §1, §2): its userId and
 * anonymousId, an identify's `traits.email` / `traits.phone` (or `mobile`),
 * and on any call Segment's `context.traits.email` / `.phone` / `.mobile`. A
 * value that fails normalisation or is block-listed links nothing and is
 * reported by field; the rest of the message is kept. `fields` says where each
 * claimed identifier came from, so a later refusal can name it.
 *
 * @example
 * extractClaim({ type: 'track', event: 'E', messageId: 'm', anonymousId: 'a', context: { traits: { email: 'Ana@x.com' } } }, settings, false)
 * // → claim { anonymousId: 'a', email: 'ana@x.com' }, fields { email: 'context.traits.email', … }
 */
export function extractClaim(message: ParsedMessage, settings: Settings, verified: boolean): ExtractedClaim {
  const warnings: ClaimWarning[] = [];
  const claim: Claim = { verified };
  const fields: ExtractedClaim['fields'] = {};
  if (message.anonymousId) {
    claim.anonymousId = message.anonymousId;
    fields.anonymousId = 'anonymousId';
  }

  const take = (kind: PersonKind, field: string, raw: unknown) => {
    if (!given(raw)) return;
    const result = claimIdentifier(kind, raw, settings);
    if (!result.ok) warnings.push({ field, reason: result.reason });
    else {
      claim[kind] = result.value;
      fields[kind] = field;
    }
  };

  take('userId', 'userId', message.userId);
  const traits: Record<string, unknown> = { ...(message.type === 'identify' ? message.traits : {}) };
  const contextTraits = objectAt(objectAt(message.context).traits);
  for (const kind of ['email', 'phone'] as const) {
    const from = sourceOf(kind, traits, contextTraits);
    if (!from) continue;
    take(kind, from.field, from.raw);
    // Identifiers are held as identities, not traits.
    if (from.fromTraits) delete traits[from.name];
  }
  delete traits.email;
  delete traits.phone;
  return { claim, traits, warnings, fields };
}
