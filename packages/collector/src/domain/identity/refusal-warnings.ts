import type { ClaimWarning } from './claim.js';
import type { ClaimRefusal, ClaimRefusalReason, IdentifierKind } from './types.js';

const WHY: Record<ClaimRefusalReason, string> = {
  would_replace: 'would replace the value a profile already holds',
  would_remove: 'would merge away a profile and drop a value it holds',
  would_rename: 'would rename the userId a profile holds',
  verified_links_only: 'would link to an identified profile, and the workspace takes verified links only',
};

/**
 * The batch answer's warnings for what an unverified claim was not allowed to
 * do (SPEC §2): one per refused identifier, naming the field it came from.
 *
 * @example
 * refusalWarnings([{ reason: 'would_replace', identifiers: [{ kind: 'phone', value: '+1…' }], profileIds: ['P'] }], { phone: 'traits.phone' })
 * // → [{ field: 'traits.phone', reason: 'not applied: an unverified claim … would replace the value a profile already holds …' }]
 */
export function refusalWarnings(refused: ClaimRefusal[], fields: Partial<Record<IdentifierKind, string>>): ClaimWarning[] {
  return refused.flatMap((r) =>
    r.identifiers.map((i) => ({
      field: fields[i.kind] ?? i.kind,
      reason: `not applied: ${WHY[r.reason]}; only a verified claim (secret key or a valid integrity HMAC) may do that`,
    })),
  );
}
