import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

export type Normalized = { ok: true; value: string } | { ok: false; reason: string };

// Deliberately not RFC 5322's full grammar (quoted local parts, IP literals):
// like Customer.io and Iterable we accept what mail providers hand out and
// reject what cannot be delivered. One @, a dotted domain, no spaces.
const EMAIL = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/** Trims, lower-cases and syntax-checks an email address (SPEC §1). */
export function normalizeEmail(input: unknown): Normalized {
  if (typeof input !== 'string') return { ok: false, reason: 'must be a string' };
  const value = input.trim().toLowerCase();
  if (value.length > 254) return { ok: false, reason: 'must be at most 254 characters' };
  if (!EMAIL.test(value) || value.includes('..')) return { ok: false, reason: 'is not a valid email address' };
  return { ok: true, value };
}

/**
 * Recent answers of normalizePhone by default country and input: parsing and
 * validating against the full metadata is the dearest step of reading a
 * contact (~10 µs), and the same numbers come back (an import's repeat rows,
 * a visitor's identifies). A pure function's answers, dropped whole when full.
 */
const PHONES_KEPT = 4096;
const phones = new Map<string, Normalized>();

/** Parses a phone number to E.164, reading national numbers in the workspace's default country (SPEC §1). */
export function normalizePhone(input: unknown, defaultCountry: string): Normalized {
  if (typeof input !== 'string' && typeof input !== 'number') return { ok: false, reason: 'must be a string' };
  const raw = String(input).trim();
  if (raw.length > 40) return { ok: false, reason: 'must be at most 40 characters' };
  const key = `${defaultCountry}|${raw}`;
  const known = phones.get(key);
  if (known) return { ...known };
  const parsed = parsePhoneNumberFromString(raw, defaultCountry as CountryCode);
  const answer: Normalized = parsed?.isValid()
    ? { ok: true, value: parsed.number }
    : { ok: false, reason: `is not a valid phone number (national numbers are read as ${defaultCountry})` };
  if (phones.size >= PHONES_KEPT) phones.clear();
  phones.set(key, answer);
  return { ...answer };
}

/** Trims a customer ID (SPEC §1). */
export function normalizeUserId(input: unknown): Normalized {
  if (typeof input !== 'string' && typeof input !== 'number') return { ok: false, reason: 'must be a string' };
  const value = String(input).trim();
  if (!value) return { ok: false, reason: 'must not be empty' };
  if (value.length > 200) return { ok: false, reason: 'must be at most 200 characters' };
  return { ok: true, value };
}

export { isBlocked } from './block-list.js';
