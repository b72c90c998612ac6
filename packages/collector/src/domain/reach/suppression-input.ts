import { isIsoDate } from '@threadline/protocol';
import type { Channel } from '../channels.js';
import { invalid } from '../errors.js';
import { isJsonObject } from '../json-object.js';
import { channelOf, requireChannelAddress } from './address.js';

/** Why an address is suppressed (SPEC §9). */
export const SUPPRESSION_REASONS = ['unsubscribed', 'spam_complaint', 'hard_bounce', 'provider_opt_out', 'operator'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/** Who made a change, as the contact log records it: the admin API, an operator on one profile, a provider event, an import. */
export type ChangedBy = 'api' | 'operator' | 'provider' | 'import';

/** The recorded re-opt-in that alone lifts a suppression (SPEC §4): where and when the person asked again. */
export interface Evidence {
  source: string;
  at: string;
  text?: string;
}

const MAX_TEXT = 2000;

const shortText = (raw: unknown, field: string, max = 200): string => {
  if (typeof raw !== 'string' || !raw.trim()) throw invalid(field, 'must be a non-empty string');
  if (raw.length > max) throw invalid(field, `must be at most ${max} characters`);
  return raw.trim();
};

/** An ISO 8601 time as epoch milliseconds, or a 400 naming `field`. */
export function isoTime(raw: unknown, field: string): number {
  if (typeof raw !== 'string' || !isIsoDate(raw)) throw invalid(field, 'must be an ISO 8601 date-time');
  return Date.parse(raw);
}

/**
 * The evidence of a re-opt-in, or a 400 naming the missing part: without it
 * nothing can lift a suppression (SPEC §4 "only an explicit, recorded re-opt-in").
 *
 * @example
 * parseEvidence({ source: 'preference-center', at: '2026-01-01T12:00:00Z' }, 'evidence')
 */
export function parseEvidence(raw: unknown, field = 'evidence'): Evidence {
  if (!isJsonObject(raw)) throw invalid(field, 'is required: { source, at, text? } of the re-opt-in');
  const source = shortText(raw.source, `${field}.source`);
  isoTime(raw.at, `${field}.at`);
  const evidence: Evidence = { source, at: raw.at as string };
  if (raw.text !== undefined) evidence.text = shortText(raw.text, `${field}.text`, MAX_TEXT);
  return evidence;
}

export interface SuppressionInput {
  channel: Channel;
  address: string;
  reason: SuppressionReason;
  source?: string;
}

/**
 * `POST /api/suppressions` `{ channel, address, reason, source? }` with the address normalised for its channel.
 *
 * @example
 * parseSuppression({ channel: 'email', address: 'Ana@Example.com', reason: 'unsubscribed' }, 'US') // → address 'ana@example.com'
 */
export function parseSuppression(body: unknown, defaultCountry: string): SuppressionInput {
  if (!isJsonObject(body)) throw invalid('body', 'must be a JSON object');
  const channel = channelOf(body.channel);
  const address = requireChannelAddress(channel, body.address, defaultCountry);
  if (!(SUPPRESSION_REASONS as readonly unknown[]).includes(body.reason))
    throw invalid('reason', `must be one of ${SUPPRESSION_REASONS.join(', ')}`);
  const input: SuppressionInput = { channel, address, reason: body.reason as SuppressionReason };
  if (body.source !== undefined) input.source = shortText(body.source, 'source');
  return input;
}

/** `POST /api/suppressions/lift` `{ channel, address, evidence }`. */
export function parseLift(body: unknown, defaultCountry: string): { channel: Channel; address: string; evidence: Evidence } {
  if (!isJsonObject(body)) throw invalid('body', 'must be a JSON object');
  const channel = channelOf(body.channel);
  const address = requireChannelAddress(channel, body.address, defaultCountry);
  return { channel, address, evidence: parseEvidence(body.evidence) };
}
