import { identifierKey, type Identifier, type IdentifierKind } from './types.js';

/**
 * The identity an event hangs on, among identifiers that all end on one
 * profile: the anonymous ID (it never moves but by merges), else the userId,
 * else the first claimed. The resolver's choice for any survivor.
 */
export function preferredSource(ids: readonly Identifier[]): Identifier | undefined {
  const of = (kind: IdentifierKind) => ids.find((i) => i.kind === kind);
  return of('anonymousId') ?? of('userId') ?? ids[0];
}

/**
 * The common case, decided without loading any profile: every identifier the
 * message claims already belongs to one and the same profile, so resolving
 * would change nothing (no merge, no attach, no retire, no refusal). Answers
 * the source identity then, undefined when full resolution is needed.
 */
export function knownVisitor(ids: readonly Identifier[], owners: ReadonlyMap<string, string>): Identifier | undefined {
  if (!ids.length) return undefined;
  const profiles = new Set(ids.map((i) => owners.get(identifierKey(i.kind, i.value))));
  if (profiles.size !== 1 || profiles.has(undefined)) return undefined;
  return preferredSource(ids);
}
