import type { Settings } from '../settings.js';
import { contactClaim, ROW_FIELD, type ContactClaim, type ContactInput, type Rejection } from './contact.js';
import { resolveOptOuts, type OptOut } from './opt-outs.js';

/** One import row read and checked, before anything is written. */
export interface ReadRow {
  row: number;
  claim: ContactClaim;
  optOuts: OptOut[];
}

/**
 * One row of an import (`row` is 1-based): the contact it carries, why it
 * could not be read, or the row read already (a CSV file is read on a
 * thread of its own: services/csv-contacts.ts).
 */
export type ImportItem = { row: number } & ({ contact: ContactInput } | { rejection: Rejection } | { read: ReadRow });

/** Pairs a row number with what was read from it. */
export const importItem = (row: number, read: ContactInput | Rejection): ImportItem =>
  'reason' in read ? { row, rejection: read } : { row, contact: read };

/** A row rejected whole, naming the field at fault. */
export const rejectedRow = (row: number, { field, reason }: Rejection): ReadRow => ({
  row,
  claim: { ok: false, field, reason },
  optOuts: [],
});

/** True when reading the item needs the store: its contact names a profile by GUID (services/import-row.ts). */
export const readsStore = (item: ImportItem): boolean => 'contact' in item && item.contact.profileId !== undefined;

/**
 * The item read already when reading it needs no store: what the CSV reader
 * thread does with each row.
 */
export function readIfStoreless(item: ImportItem, settings: Settings): ImportItem {
  if (!('contact' in item) || readsStore(item)) return item;
  return { row: item.row, read: readContact(item.row, item.contact, settings) };
}

/**
 * Reads a contact into a verified claim and the opt-outs it carries, needing
 * no store: a contact naming a profile by GUID has had that profile's
 * identifiers filled in first (services/import-row.ts), and `anonymousId` is
 * the profile's when it holds no person identifier. A row whose identifiers
 * or opt-out cells are wrong is rejected whole, naming the field.
 *
 * @example
 * readContact(1, { email: 'ana@example.com', traits: {}, optOuts: [{ channel: 'email', field: 'email_opt_out' }] }, settings) // → { row: 1, claim: { ok: true, … }, optOuts: [{ channel: 'email', … }] }
 */
export function readContact(row: number, contact: ContactInput, settings: Settings, anonymousId?: string): ReadRow {
  let claim = contactClaim(contact, settings);
  if (!claim.ok && claim.field === ROW_FIELD && anonymousId)
    claim = { ok: true, claim: { verified: true, anonymousId }, traits: contact.traits };
  else if (claim.ok && anonymousId) claim.claim.anonymousId = anonymousId;
  if (!claim.ok) return { row, claim, optOuts: [] };
  const optOuts = resolveOptOuts(contact.optOuts ?? [], claim.claim, settings);
  if (!Array.isArray(optOuts)) return rejectedRow(row, optOuts);
  return { row, claim, optOuts };
}
