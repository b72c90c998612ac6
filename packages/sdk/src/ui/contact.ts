/** What a form can identify someone by (SPEC §6): the two person identifiers a visitor types. */
export type ContactKind = 'email' | 'phone';

// Loose on purpose: the collector normalises and decides (SPEC §2); this only keeps
// obvious non-addresses ("subscribe me", a name typed into the wrong box) off the wire.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// What people type into a phone box: digits, spaces, + ( ) . - ; E.164 caps a number at 15 digits.
// At least 6: a national number in a small numbering plan can be that short, and the collector,
// which knows the workspace's country, refuses what is not a number (nothing valid is lost here).
const PHONE = /^\+?[\d\s().-]+$/;

/**
 * The trimmed value when it can be an email address or a phone number, else
 * undefined. The one check of the form capture, the form embed and the popup form.
 * @example contactValue('phone', ' (415) 555-2671 ') // '(415) 555-2671'
 */
export function contactValue(kind: ContactKind, raw: unknown): string | undefined {
  const value = typeof raw === 'string' ? raw.trim() : '';
  if (kind === 'email') return value.length <= 254 && EMAIL.test(value) ? value : undefined;
  const digits = value.replace(/\D/g, '').length;
  return PHONE.test(value) && digits >= 6 && digits <= 15 ? value : undefined;
}
