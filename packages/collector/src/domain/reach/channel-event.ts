import { CHANNELS, type Channel } from '../channels.js';
import { isJsonObject } from '../json-object.js';
import { isIsoDate } from '@threadline/protocol';
import { DomainError, invalid } from '../errors.js';
import { channelAddress } from './address.js';
import { parseEvidence, type Evidence } from './suppression-input.js';

export const CHANNEL_EVENT_TYPES = ['unsubscribe', 'spam_complaint', 'hard_bounce', 'soft_bounce', 'opt_out', 'opt_in'] as const;
export type ChannelEventType = (typeof CHANNEL_EVENT_TYPES)[number];

/** Events one request may carry, as a tracking batch's messages are capped. */
export const MAX_CHANNEL_EVENTS = 1000;

export interface ChannelEvent {
  type: ChannelEventType;
  channel: Channel;
  address: string;
  /** When the provider saw it, epoch ms; the time it arrived when not given. */
  at: number;
  provider?: string;
  evidence?: Evidence;
}

/** Why one event of a request was not accepted, by its index and field. */
export interface ChannelEventRejection {
  index: number;
  field: string;
  reason: string;
}

const FIELDS = ['type', 'channel', 'address', 'at', 'provider', 'evidence'];

/** The `events` list of a request, or a 400/413 naming `events`. */
export function channelEventList(body: unknown): unknown[] {
  const events = (body as { events?: unknown } | null)?.events;
  if (!Array.isArray(events)) throw invalid('events', 'must be an array of events');
  if (events.length > MAX_CHANNEL_EVENTS)
    throw new DomainError('payload_too_large', `events: must hold at most ${MAX_CHANNEL_EVENTS} events`, 413, 'events');
  return events;
}

/**
 * One provider event (SPEC §9 `POST /api/channel-events`), or why it is
 * refused, naming the field. An `opt_in` lifts a suppression, so it needs
 * the evidence any lift needs.
 *
 * @example
 * parseChannelEvent({ type: 'hard_bounce', channel: 'email', address: 'Ana@x.com' }, 0, now, 'US') // → { type, channel, address: 'ana@x.com', at: now }
 */
export function parseChannelEvent(raw: unknown, index: number, now: number, defaultCountry: string): ChannelEvent | ChannelEventRejection {
  const reject = (field: string, reason: string) => ({ index, field, reason });
  if (!isJsonObject(raw)) return reject('(event)', 'must be an object with type, channel and address');
  const unknown = Object.keys(raw).find((k) => !FIELDS.includes(k));
  if (unknown) return reject(unknown, `is not an event field (${FIELDS.join(', ')})`);
  if (!(CHANNEL_EVENT_TYPES as readonly unknown[]).includes(raw.type))
    return reject('type', `must be one of ${CHANNEL_EVENT_TYPES.join(', ')}`);
  if (!(CHANNELS as readonly unknown[]).includes(raw.channel)) return reject('channel', `must be one of ${CHANNELS.join(', ')}`);
  const channel = raw.channel as Channel;
  const address = channelAddress(channel, raw.address, defaultCountry);
  if (!address.ok) return reject('address', address.reason);
  const event: ChannelEvent = { type: raw.type as ChannelEventType, channel, address: address.value, at: now };
  if (raw.at !== undefined) {
    if (typeof raw.at !== 'string' || !isIsoDate(raw.at)) return reject('at', 'must be an ISO 8601 date-time');
    event.at = Date.parse(raw.at);
  }
  if (raw.provider !== undefined) {
    if (typeof raw.provider !== 'string' || !raw.provider.trim() || raw.provider.length > 100)
      return reject('provider', 'must be a non-empty string of at most 100 characters');
    event.provider = raw.provider.trim();
  }
  if (event.type === 'opt_in') {
    try {
      event.evidence = parseEvidence(raw.evidence);
    } catch (err) {
      if (err instanceof DomainError) return reject(err.field ?? 'evidence', err.message.replace(/^[^:]+: /, ''));
      throw err;
    }
  } else if (raw.evidence !== undefined) return reject('evidence', 'is read on opt_in events only');
  return event;
}

/** The suppression reason each opting-out event records. */
export const REASON_OF = {
  unsubscribe: 'unsubscribed',
  spam_complaint: 'spam_complaint',
  hard_bounce: 'hard_bounce',
  opt_out: 'provider_opt_out',
} as const;
