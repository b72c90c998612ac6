import type { Channel } from '../channels.js';
import { ADDRESS_OF, CHANNELS } from '../channels.js';
import { isJsonObject } from '../json-object.js';
import { channelAddress } from '../reach/address.js';
import { SUPPRESSION_REASONS, type SuppressionReason } from '../reach/suppression-input.js';
import type { Claim } from '../identity/types.js';
import type { Settings } from '../settings.js';
import type { Rejection } from './contact.js';

/** CSV columns that opt a row's address out of a channel (Brevo's blacklist columns), lower-cased. */
export const OPT_OUT_COLUMNS: Readonly<Record<string, Channel>> = {
  email_opt_out: 'email',
  sms_opt_out: 'sms',
  whatsapp_opt_out: 'whatsapp',
};

/** One opt-out a contact carries, before its address is known: the row's own address for the channel unless given. */
export interface OptOutInput {
  channel: unknown;
  address?: unknown;
  reason?: unknown;
  /** The name the source used, for rejections: `sms_opt_out`, `suppressions.0.channel`. */
  field: string;
}

/** An opt-out ready to record. */
export interface OptOut {
  channel: Channel;
  address: string;
  reason: SuppressionReason;
}

/**
 * A CSV opt-out cell: true or 1 opts out, false or 0 or empty leaves things as
 * they are (an import never lifts: that needs a recorded re-opt-in, SPEC §4).
 * Case-insensitive; anything else is an error naming the column.
 */
export function optOutCell(text: string): boolean | undefined {
  const v = text.trim().toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0' || v === '') return false;
  return undefined;
}

/** The bulk API's `suppressions: [{ channel, address?, reason? }]` of one contact, or the rejection naming its field. */
export function bulkOptOuts(raw: unknown): OptOutInput[] | Rejection {
  if (!Array.isArray(raw)) return { field: 'suppressions', reason: 'must be an array of { channel, address?, reason? }' };
  const out: OptOutInput[] = [];
  for (const [i, item] of raw.entries()) {
    if (!isJsonObject(item)) return { field: `suppressions.${i}`, reason: 'must be an object { channel, address?, reason? }' };
    const extra = Object.keys(item).find((k) => !['channel', 'address', 'reason'].includes(k));
    if (extra) return { field: `suppressions.${i}.${extra}`, reason: 'is not a suppression field (channel, address, reason)' };
    out.push({ channel: item.channel, address: item.address, reason: item.reason, field: `suppressions.${i}` });
  }
  return out;
}

/**
 * The contact's opt-outs with their addresses: the one given, normalised for
 * the channel, else the address the row claims for it (its email, its phone).
 * A push opt-out needs its token; an opt-out with no address is an error.
 *
 * @example
 * resolveOptOuts([{ channel: 'sms', field: 'sms_opt_out' }], { phone: '+14155552671', verified: true }, settings) // → [{ channel: 'sms', address: '+14155552671', reason: 'unsubscribed' }]
 */
export function resolveOptOuts(inputs: OptOutInput[], claim: Claim, settings: Settings): OptOut[] | Rejection {
  const out: OptOut[] = [];
  for (const o of inputs) {
    const direct = o.field.startsWith('suppressions.');
    if (!(CHANNELS as readonly unknown[]).includes(o.channel))
      return { field: direct ? `${o.field}.channel` : o.field, reason: `channel must be one of ${CHANNELS.join(', ')}` };
    const channel = o.channel as Channel;
    if (o.reason !== undefined && !(SUPPRESSION_REASONS as readonly unknown[]).includes(o.reason))
      return { field: `${o.field}.reason`, reason: `must be one of ${SUPPRESSION_REASONS.join(', ')}` };
    const kind = ADDRESS_OF[channel];
    let address: string | undefined;
    if (o.address !== undefined) {
      const r = channelAddress(channel, o.address, settings.defaultCountry);
      if (!r.ok) return { field: `${o.field}.address`, reason: r.reason };
      address = r.value;
    } else if (kind) address = claim[kind];
    if (!address)
      return {
        field: o.field,
        reason: kind ? `needs the contact's ${kind} to opt out of ${channel}` : 'needs the device token as address',
      };
    out.push({ channel, address, reason: (o.reason as SuppressionReason | undefined) ?? 'unsubscribed' });
  }
  return out;
}
