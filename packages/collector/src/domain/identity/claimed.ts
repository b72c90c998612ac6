import type { Claim, Identifier, IdentifierKind } from './types.js';

/** Strongest first: the order in which a claim's identifiers pick its owner. */
const CLAIM_ORDER: readonly IdentifierKind[] = ['userId', 'email', 'phone', 'anonymousId'];

/**
 * The identifiers a claim names, strongest first.
 *
 * @example
 * claimedIdentifiers({ anonymousId: 'a1', email: 'ana@x.com', verified: false }) // → [email, anonymousId]
 */
export const claimedIdentifiers = (claim: Claim): Identifier[] =>
  CLAIM_ORDER.flatMap((kind) => (claim[kind] ? [{ kind, value: claim[kind] as string }] : []));
