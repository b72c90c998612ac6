import type { PersonKind } from './identity/types.js';
import type { PrimaryKey } from './settings.js';

export type ProfileStatus = 'anonymous' | 'addressable' | 'identified';

/** SPEC §1: the primary key makes a profile identified; an email or phone without it, addressable. */
export function statusOf(ids: Partial<Record<PersonKind, string>>, primaryKey: PrimaryKey): ProfileStatus {
  if (ids[primaryKey] !== undefined) return 'identified';
  if (ids.email !== undefined || ids.phone !== undefined) return 'addressable';
  return 'anonymous';
}
