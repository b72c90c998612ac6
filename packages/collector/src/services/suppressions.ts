import { ADDRESS_OF, type Channel } from '../domain/channels.js';
import { notFound } from '../domain/errors.js';
import type { ChangedBy, Evidence, SuppressionReason } from '../domain/reach/suppression-input.js';
import { resetBounces } from '../repos/bounces.js';
import { appendLog } from '../repos/contact-log.js';
import type { Db } from '../repos/db.js';
import { getDevice } from '../repos/devices.js';
import { findOwners } from '../repos/identities.js';
import { deleteSuppression, getSuppression, insertSuppression, type Suppression } from '../repos/suppressions.js';
import type { NewLog } from './apply-plan.js';
import type { ServiceContext } from './context.js';
import { iso } from './profile-view.js';

/** A suppression as the admin API answers it (SPEC §9). */
export interface ApiSuppression {
  channel: string;
  address: string;
  reason: string;
  source: string;
  at: string;
  profileId: string | null;
}

export const toApiSuppression = (s: Suppression, profileId: string | undefined | null): ApiSuppression => ({
  ...s,
  at: iso(s.at),
  profileId: profileId ?? null,
});

/** The live profile holding the address now: the owner of the email or phone, or of the device token. */
export async function ownerOfAddress(db: Db, ws: string, channel: Channel, address: string): Promise<string | undefined> {
  const kind = ADDRESS_OF[channel];
  if (kind) return (await findOwners(db, ws, [{ kind, value: address }])).get(`${kind}:${address}`);
  return (await getDevice(db, ws, address))?.profileId ?? undefined;
}

export interface SuppressChange {
  channel: Channel;
  address: string;
  reason: SuppressionReason;
  source: string;
  by: ChangedBy;
  /** When the opt-out happened (a provider's event time), epoch ms. */
  at: number;
}

/**
 * Suppresses an address on a channel (SPEC §4), whoever holds it, or nobody
 * yet; the holder's log gets `suppression_changed`. An address suppressed
 * already keeps its first record (why and when it started) and logs nothing.
 * Takes `db` so an import can suppress inside its chunk's transaction, with
 * the row's profile as `owner` and its log entries gathered in `logs`.
 *
 * @example
 * await suppressAddress(db, ctx, { channel: 'email', address: 'ana@example.com', reason: 'unsubscribed', source: 'api', by: 'api', at: now });
 */
export async function suppressAddress(
  db: Db,
  ctx: ServiceContext,
  change: SuppressChange,
  opts: { owner?: string; logs?: NewLog[] } = {},
): Promise<ApiSuppression> {
  const ws = ctx.workspace.id;
  const row: Suppression = {
    channel: change.channel,
    address: change.address,
    reason: change.reason,
    source: change.source,
    at: change.at,
  };
  const created = await insertSuppression(db, ws, row);
  const stored = created ? row : ((await getSuppression(db, ws, change.channel, change.address)) ?? row);
  // An import knows the owner before its new profiles' identities are written.
  const profileId = opts.owner ?? (await ownerOfAddress(db, ws, change.channel, change.address));
  if (created && profileId) {
    const { at: _at, ...details } = change;
    const entry: NewLog = {
      profileId,
      type: 'suppression_changed',
      at: ctx.now(),
      details: { action: 'suppressed', ...details, suppressedAt: iso(change.at) },
    };
    if (opts.logs) opts.logs.push(entry);
    else await appendLog(db, ws, [entry]);
  }
  return toApiSuppression(stored, profileId);
}

/**
 * Lifts a suppression with the recorded re-opt-in (SPEC §4), logged on the
 * holder with its evidence; the address's hard bounces start again from zero.
 * 404 when the address is not suppressed on the channel.
 */
export async function liftSuppression(
  db: Db,
  ctx: ServiceContext,
  lift: { channel: Channel; address: string; evidence: Evidence; by: ChangedBy },
): Promise<ApiSuppression> {
  const ws = ctx.workspace.id;
  const existing = await getSuppression(db, ws, lift.channel, lift.address);
  if (!existing) throw notFound('suppression');
  await deleteSuppression(db, ws, lift.channel, lift.address);
  await resetBounces(db, ws, lift.channel, lift.address);
  const profileId = await ownerOfAddress(db, ws, lift.channel, lift.address);
  if (profileId) {
    await appendLog(db, ws, [
      {
        profileId,
        type: 'suppression_changed',
        at: ctx.now(),
        details: {
          action: 'lifted',
          channel: lift.channel,
          address: lift.address,
          reason: existing.reason,
          source: lift.evidence.source,
          by: lift.by,
          evidence: lift.evidence,
        },
      },
    ]);
  }
  return toApiSuppression(existing, profileId);
}
