import { ADDRESS_OF, type Channel } from '../domain/channels.js';
import { invalid, notFound } from '../domain/errors.js';
import { channelAddress, channelOf } from '../domain/reach/address.js';
import type { ChangedBy, Evidence, SuppressionReason } from '../domain/reach/suppression-input.js';
import { resetBounces } from '../repos/bounces.js';
import { appendLog } from '../repos/contact-log.js';
import type { Db } from '../repos/db.js';
import { getDevice } from '../repos/devices.js';
import { findOwners } from '../repos/identities.js';
import {
  deleteSuppression,
  getSuppression,
  insertSuppression,
  listSuppressions,
  type Suppression,
  type SuppressionCursor,
} from '../repos/suppressions.js';
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

const encodeCursor = (s: Suppression) => Buffer.from(JSON.stringify([s.at, s.channel, s.address])).toString('base64url');

function decodeCursor(raw: string): SuppressionCursor {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (Array.isArray(c) && typeof c[0] === 'number' && typeof c[1] === 'string' && typeof c[2] === 'string') return [c[0], c[1], c[2]];
  } catch {
    // fall through to the error below
  }
  throw invalid('after', 'must be the `next` cursor of a previous page');
}

/** `GET /api/suppressions`: a page in time order, narrowed to a channel and/or an address (normalised for the channel). */
export async function suppressionsPage(
  ctx: ServiceContext,
  q: { channel?: string; address?: string; after?: string; limit: number },
): Promise<{ suppressions: ApiSuppression[]; next: string | null }> {
  const { db } = ctx.database;
  const ws = ctx.workspace.id;
  const channel = q.channel === undefined ? undefined : channelOf(q.channel);
  let address = q.address?.trim();
  if (address !== undefined) {
    // Without a channel the address is read as an email, else a phone, else a token: the three never look alike.
    const tried = channel
      ? [channelAddress(channel, address, ctx.workspace.settings.defaultCountry)]
      : (['email', 'sms', 'push'] as const).map((c) => channelAddress(c, address, ctx.workspace.settings.defaultCountry));
    const found = tried.find((r) => r.ok);
    if (!found?.ok) throw invalid('address', tried[0]?.ok === false ? tried[0].reason : 'is not an address');
    address = found.value;
  }
  const rows = await listSuppressions(db, ws, {
    channel,
    address,
    after: q.after === undefined ? undefined : decodeCursor(q.after),
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const suppressions: ApiSuppression[] = [];
  for (const s of page) suppressions.push(toApiSuppression(s, await ownerOfAddress(db, ws, s.channel as Channel, s.address)));
  return { suppressions, next: rows.length > q.limit ? encodeCursor(page.at(-1)!) : null };
}
