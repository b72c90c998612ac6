import { CHANNELS, type Channel } from '../channels.js';
import { invalid } from '../errors.js';
import { normalizeEmail, normalizePhone, type Normalized } from '../normalize.js';

/** A device token or web push endpoint: long enough for any provider's, short enough to index. */
export const MAX_TOKEN_CHARS = 4096;

/** Parses a channel name, or a 400 naming `field`. */
export function channelOf(raw: unknown, field = 'channel'): Channel {
  if (typeof raw !== 'string' || !(CHANNELS as readonly string[]).includes(raw))
    throw invalid(field, `must be one of ${CHANNELS.join(', ')}`);
  return raw as Channel;
}

/** A device token as stored: trimmed, non-empty. */
export function normalizeToken(raw: unknown): Normalized {
  if (typeof raw !== 'string') return { ok: false, reason: 'must be a string' };
  const value = raw.trim();
  if (!value) return { ok: false, reason: 'must not be empty' };
  if (value.length > MAX_TOKEN_CHARS) return { ok: false, reason: `must be at most ${MAX_TOKEN_CHARS} characters` };
  return { ok: true, value };
}

/**
 * An address on a channel, normalised as the identifier it matches (SPEC §1,
 * §4): an email for email, an E.164 phone for SMS and WhatsApp, a device
 * token for push and web push. The block list is not applied: suppressing a
 * shared value links nobody and stops messages to it, which is what is asked.
 *
 * @example
 * channelAddress('sms', '(201) 555-0123', 'US') // → { ok: true, value: '+12015550123' }
 */
export function channelAddress(channel: Channel, raw: unknown, defaultCountry: string): Normalized {
  if (channel === 'email') return normalizeEmail(raw);
  if (channel === 'sms' || channel === 'whatsapp') return normalizePhone(raw, defaultCountry);
  return normalizeToken(raw);
}

/** channelAddress or a 400 naming `field`. */
export function requireChannelAddress(channel: Channel, raw: unknown, defaultCountry: string, field = 'address'): string {
  const result = channelAddress(channel, raw, defaultCountry);
  if (!result.ok) throw invalid(field, result.reason);
  return result.value;
}
