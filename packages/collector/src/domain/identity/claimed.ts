import type { Claim, Identifier, IdentifierKind } from './types.js';

/** Strongest first: the order in which a claim's identifiers pick its owner. */
const CLAIM_ORDER: readonly IdentifierKind[] = ['userId', 'email', 'phone', 'anonymousId'];

/**
 * The identifiers a claim names, strongest first.
 *
 * @example
 * claimedIdentifiers({ anonymousId: 'a1', email: 'ana@x.com', verified: false }) // → [email, anonymousId]
 */
export function claimedIdentifiers(claim: Claim): Identifier[] {
  // A loop, not flatMap: every message and import row asks, and flatMap made an array a kind.
  const out: Identifier[] = [];
  for (const kind of CLAIM_ORDER) {
    const value = claim[kind];
    if (value) out.push({ kind, value });
  }
  return out;
}
