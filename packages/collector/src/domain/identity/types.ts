import type { PrimaryKey } from '../settings.js';

export type IdentifierKind = 'anonymousId' | 'userId' | 'email' | 'phone';
/** Kinds a person holds one value of at a time (anonymous IDs are many per profile). */
export type PersonKind = Exclude<IdentifierKind, 'anonymousId'>;
export const PERSON_KINDS: readonly PersonKind[] = ['userId', 'email', 'phone'];

export interface Identifier {
  kind: IdentifierKind;
  value: string;
}

/** Normalised identifiers one message claims belong together. */
export interface Claim {
  anonymousId?: string;
  userId?: string;
  email?: string;
  phone?: string;
  /** Sent with the secret key or a valid HMAC: may do what an unverified claim may not (SPEC §2). */
  verified: boolean;
}

/** What the resolver needs to know of a profile that owns a claimed identifier. */
export interface ProfileView {
  id: string;
  createdAt: number;
  updatedAt: number;
  /** The profile's current (not replaced) person identifiers. */
  ids: Partial<Record<PersonKind, string>>;
}

export interface ResolveInput {
  primaryKey: PrimaryKey;
  verifiedLinksOnly: boolean;
  claim: Claim;
  /** Owner of each claimed identifier that currently identifies someone, keyed by `identifierKey`. */
  owners: ReadonlyMap<string, ProfileView>;
}

export type RefusalReason = 'primary_key_conflict';

export interface Refusal {
  profileId: string;
  reason: RefusalReason;
  /** The claimed identifiers that were not linked because of it. */
  identifiers: Identifier[];
}

/** Why an unverified claim was not applied in full (SPEC §2). */
export type ClaimRefusalReason =
  /** A claimed value would have replaced the one a profile holds. */
  | 'would_replace'
  /** A merge would have dropped a value a merged profile holds. */
  | 'would_remove'
  /** An alias would have renamed a userId. */
  | 'would_rename'
  /** `verifiedLinksOnly`: the claim would have linked to an identified profile. */
  | 'verified_links_only';

/** Part of an unverified claim that was not applied: logged as `claim_refused`, answered as a warning. */
export interface ClaimRefusal {
  reason: ClaimRefusalReason;
  /** The profiles the refused change would have altered. */
  profileIds: string[];
  /** The claimed identifiers that were not applied. */
  identifiers: Identifier[];
  /** The value a profile keeps that the claim would have replaced or removed. */
  kept?: Identifier & { profileId: string };
}

/**
 * The decision for one claim. Applying it is the repos' job: the resolver
 * only reads. `survivor.id` is undefined when a new profile must be created.
 */
export interface Plan {
  survivor: { id: string | undefined; wasIdentified: boolean };
  /** Profiles merged into the survivor, oldest first. */
  merge: string[];
  /** Claimed identifiers that end on the survivor and are not there yet (and not arriving by a merge). */
  attach: Identifier[];
  /** Values that stop identifying anyone: a newer value of the same kind won. */
  retire: Array<Identifier & { profileId: string; replacedBy: string }>;
  refused: Refusal[];
  /** What an unverified claim asked for and may not do: not applied. */
  claimRefused: ClaimRefusal[];
  /** `verifiedLinksOnly`: the message lands on an identified profile it may not change, so its traits are not applied. */
  holdTraits?: boolean;
  /** The identity the message's event is recorded under. */
  source: Identifier;
  /** The survivor's person identifiers once the plan is applied: its status follows from them. */
  identifiers: Partial<Record<PersonKind, string>>;
  /** The claim's identifiers, strongest first: what a merge says linked the profiles (absent on plans that merge nothing). */
  claimed?: Identifier[];
}

export const identifierKey = (kind: IdentifierKind, value: string) => `${kind}:${value}`;
