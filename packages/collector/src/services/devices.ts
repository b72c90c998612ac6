import { notFound } from '../domain/errors.js';
import type { Identifier } from '../domain/identity/types.js';
import { isJsonObject } from '../domain/json-object.js';
import { normalizeToken } from '../domain/reach/address.js';
import type { DeviceInput } from '../domain/reach/device-input.js';
import { appendLog } from '../repos/contact-log.js';
import type { Db } from '../repos/db.js';
import { devicesOf, disableDevice, getDevice, upsertDevice, type DeviceRecord } from '../repos/devices.js';
import type { NewLog } from './apply-plan.js';
import type { ServiceContext } from './context.js';
import { iso } from './profile-view.js';
import { recordIdentity } from './record-identity.js';
import { transact } from './request-transaction.js';

/** A device as the profile view shows it (SPEC §9). */
export interface ApiDevice {
  token: string;
  platform: string;
  enabled: boolean;
  updatedAt: string;
}

export const toApiDevice = (d: DeviceRecord): ApiDevice => ({
  token: d.token,
  platform: d.platform,
  enabled: d.enabled,
  updatedAt: iso(d.updatedAt),
});

/** The devices of one profile for its view. */
export async function profileDevices(db: Db, ws: string, profileId: string): Promise<ApiDevice[]> {
  return (await devicesOf(db, ws, [profileId])).map(toApiDevice);
}

/**
 * Registers a push token or web push subscription on the visitor's profile
 * (SPEC §4, §9). The visitor is resolved by the identity rules like any
 * event's sender; a token registered by someone else before moves to this
 * visitor (Iterable's rule: the last person on the device gets its pushes)
 * and `device_changed` is logged on both profiles.
 *
 * @example
 * await registerDevice(ctx, { token: 'fcm-1', platform: 'android', claim: { anonymousId: 'a1', verified: false } });
 */
export async function registerDevice(ctx: ServiceContext, input: DeviceInput): Promise<ApiDevice & { profileId: string }> {
  const { profileId, source } = await recordIdentity(ctx, input.claim, {}, 'device');
  return ctx.database.db.transaction().execute(async (trx) => {
    const device = await placeDevice(trx, ctx, { ...input, source, profileId });
    return { ...toApiDevice(device), profileId };
  });
}

/**
 * Puts a device on a profile under the identity it was seen with, enabled,
 * and logs what changed: `registered`, `enabled`, or a move (`moved_out` on
 * the profile it left, `moved_in` on this one).
 */
async function placeDevice(
  db: Db,
  ctx: ServiceContext,
  d: { token: string; platform: string; subscription?: unknown; source: Identifier; profileId: string },
): Promise<DeviceRecord> {
  const ws = ctx.workspace.id;
  const before = await getDevice(db, ws, d.token);
  const now = ctx.now();
  await upsertDevice(db, ws, {
    token: d.token,
    platform: d.platform,
    subscription: d.subscription ?? before?.subscription,
    source: d.source,
    now,
  });
  const details = { token: d.token, platform: d.platform };
  const { profileId } = d;
  const logs: NewLog[] = [];
  if (before?.profileId && before.profileId !== profileId) {
    logs.push({
      profileId: before.profileId,
      type: 'device_changed',
      at: now,
      details: { ...details, action: 'moved_out', to: profileId },
    });
    logs.push({ profileId, type: 'device_changed', at: now, details: { ...details, action: 'moved_in', from: before.profileId } });
  } else if (!before?.profileId) {
    logs.push({ profileId, type: 'device_changed', at: now, details: { ...details, action: 'registered' } });
  } else if (!before.enabled) {
    logs.push({ profileId, type: 'device_changed', at: now, details: { ...details, action: 'enabled' } });
  }
  await appendLog(db, ws, logs);
  return (await getDevice(db, ws, d.token))!;
}

/**
 * An identify carrying Segment's `context.device.token` says who is on that
 * device now: a known token moves to the identified profile (SPEC §4, the
 * shared-device rule), and an app's new token (`context.device.type` ios or
 * android) is registered. A token already on that profile changes nothing.
 *
 * @example
 * await deviceOnIdentify(ctx, message.context, { profileId, source });
 */
export async function deviceOnIdentify(
  ctx: ServiceContext,
  context: unknown,
  who: { profileId: string; source: Identifier },
): Promise<void> {
  const device = isJsonObject(context) && isJsonObject(context.device) ? context.device : undefined;
  const token = normalizeToken(device?.token);
  if (!token.ok) return;
  const known = await getDevice(ctx.database.db, ctx.workspace.id, token.value);
  const platform = known?.platform ?? (device?.type === 'ios' || device?.type === 'android' ? device.type : undefined);
  if (!platform || (known?.profileId === who.profileId && known.enabled)) return;
  await transact(ctx, (trx) => placeDevice(trx, ctx, { token: token.value, platform, ...who }));
}

/**
 * Disables a device: on logout (`DELETE /v1/devices/:token`) or when its
 * provider reports the token invalid. Logged on its profile; disabling a
 * disabled device changes nothing. Answers false for an unknown token.
 */
export async function disableDeviceToken(db: Db, ctx: ServiceContext, token: string, reason: 'logout' | 'invalid_token'): Promise<boolean> {
  const ws = ctx.workspace.id;
  const device = await getDevice(db, ws, token);
  if (!device) return false;
  if (!device.enabled) return true;
  const now = ctx.now();
  await disableDevice(db, ws, token, now);
  if (device.profileId) {
    await appendLog(db, ws, [
      {
        profileId: device.profileId,
        type: 'device_changed',
        at: now,
        details: { token, platform: device.platform, action: 'disabled', reason },
      },
    ]);
  }
  return true;
}

/** disableDeviceToken for the public route: 404 for a token never registered. */
export async function logoutDevice(ctx: ServiceContext, token: string): Promise<void> {
  if (!(await disableDeviceToken(ctx.database.db, ctx, token, 'logout'))) throw notFound('device');
}
