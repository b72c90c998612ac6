import { MAX_MESSAGE_BYTES } from '@threadline/protocol';
import { DomainError, invalid } from '../errors.js';
import { isJsonObject } from '../json-object.js';
import { jsonLargerThan, storableJson } from '../storable-json.js';
import { ROW_FIELD, type ContactInput, type Rejection } from './contact.js';
import { bulkOptOuts } from './opt-outs.js';

/** Contacts one `POST /api/contacts/bulk` may carry; larger sets go in several requests or a CSV import. */
export const MAX_BULK_CONTACTS = 1000;
/** A bulk request's body cap: the contacts cap times a generous contact, far below what a CSV import streams. */
export const MAX_BULK_BYTES = 2 * 1024 * 1024;

const FIELDS = ['userId', 'email', 'phone', 'traits', 'suppressions'] as const;
const IDENTIFIER_TRAITS = ['userId', 'email', 'phone'];

/** The `contacts` array of a bulk request, or a 400/413 naming `contacts`. */
export function bulkContactList(body: unknown): unknown[] {
  const contacts = (body as { contacts?: unknown } | null)?.contacts;
  if (!Array.isArray(contacts)) throw invalid('contacts', 'must be an array of contacts');
  if (contacts.length > MAX_BULK_CONTACTS) {
    throw new DomainError(
      'payload_too_large',
      `contacts: must hold at most ${MAX_BULK_CONTACTS} contacts (send more in several requests or as a CSV import)`,
      413,
      'contacts',
    );
  }
  return contacts;
}

/**
 * One bulk item `{ userId?, email?, phone?, traits?, suppressions? }` as a contact, or why it
 * cannot be one. Unknown fields are refused rather than ignored, so a typo
 * (`mail`) does not import a contact without its address.
 *
 * @example
 * bulkContact({ email: 'ana@example.com', traits: { plan: 'gold' } }) // → { email: 'ana@example.com', traits: { plan: 'gold' } }
 */
export function bulkContact(sent: unknown): ContactInput | Rejection {
  if (!isJsonObject(sent)) return { field: ROW_FIELD, reason: 'must be an object with userId, email, phone, traits or suppressions' };
  // Before measuring: JSON.stringify overflows on a deep enough contact, and PostgreSQL stores no NUL.
  const storable = storableJson(sent);
  if (!storable.ok) return { field: storable.field, reason: storable.reason };
  const raw = storable.value;
  if (jsonLargerThan(storable, MAX_MESSAGE_BYTES)) return { field: ROW_FIELD, reason: `is larger than ${MAX_MESSAGE_BYTES / 1024} KB` };
  const unknown = Object.keys(raw).find((k) => !(FIELDS as readonly string[]).includes(k));
  if (unknown) return { field: unknown, reason: `is not a contact field (${FIELDS.join(', ')})` };
  const traits = raw.traits ?? {};
  if (!isJsonObject(traits)) return { field: 'traits', reason: 'must be an object' };
  const misplaced = IDENTIFIER_TRAITS.find((k) => k in traits);
  if (misplaced) return { field: `traits.${misplaced}`, reason: `goes in the contact's own ${misplaced} field, where it is matched on` };
  const contact: ContactInput = { userId: raw.userId, email: raw.email, phone: raw.phone, traits };
  if (raw.suppressions !== undefined) {
    const optOuts = bulkOptOuts(raw.suppressions);
    if (!Array.isArray(optOuts)) return optOuts;
    contact.optOuts = optOuts;
  }
  return contact;
}
