import type { PersonKind } from './identity/types.js';
import type { PrimaryKey } from './settings.js';

export type ProfileStatus = 'anonymous' | 'addressable' | 'identified';

/**
 * SPEC §1: the primary key makes a profile identified; any other known
 * identifier without it (an email, a phone, or a userId when userId is not the
 * primary key: Netcore counts a customer ID as identifying data) addressable.
 *
 * @example
 * statusOf({ userId: 'CUST-1' }, 'email') // → 'addressable'
 */
export function statusOf(ids: Partial<Record<PersonKind, string>>, primaryKey: PrimaryKey): ProfileStatus {
  if (ids[primaryKey] !== undefined) return 'identified';
  if (ids.email !== undefined || ids.phone !== undefined || ids.userId !== undefined) return 'addressable';
  return 'anonymous';
}
