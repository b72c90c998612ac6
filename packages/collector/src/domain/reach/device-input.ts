import { invalid } from '../errors.js';
import { claimIdentifier } from '../identity/claim.js';
import type { Claim } from '../identity/types.js';
import { isJsonObject } from '../json-object.js';
import { normalizeUserId } from '../normalize.js';
import type { Settings } from '../settings.js';
import { normalizeToken } from './address.js';

export const DEVICE_PLATFORMS = ['ios', 'android', 'web'] as const;
export type DevicePlatform = (typeof DEVICE_PLATFORMS)[number];

export interface DeviceInput {
  token: string;
  platform: DevicePlatform;
  subscription?: Record<string, unknown>;
  /** Who the device belongs to, as the identity rules read it. */
  claim: Claim;
}

/**
 * `POST /v1/devices` `{ anonymousId?, userId?, token, platform, subscription? }`
 * (SPEC §9). A web push subscription must carry the endpoint and keys the
 * browser gave (`PushSubscription.toJSON()`), since a sender needs them all.
 *
 * @example
 * parseDevice({ anonymousId: 'a1', token: 'fcm-123', platform: 'android' }, settings, false)
 */
export function parseDevice(body: unknown, settings: Settings, verified: boolean): DeviceInput {
  if (!isJsonObject(body)) throw invalid('body', 'must be a JSON object');
  const token = normalizeToken(body.token);
  if (!token.ok) throw invalid('token', token.reason);
  if (!(DEVICE_PLATFORMS as readonly unknown[]).includes(body.platform))
    throw invalid('platform', `must be one of ${DEVICE_PLATFORMS.join(', ')}`);
  const claim: Claim = { verified };
  if (body.anonymousId !== undefined) {
    const a = normalizeUserId(body.anonymousId);
    if (!a.ok) throw invalid('anonymousId', a.reason);
    claim.anonymousId = a.value;
  }
  if (body.userId !== undefined) {
    const u = claimIdentifier('userId', body.userId, settings);
    if (!u.ok) throw invalid('userId', u.reason);
    claim.userId = u.value;
  }
  if (!claim.anonymousId && !claim.userId) throw invalid('anonymousId', 'an anonymousId or a userId is required');
  const input: DeviceInput = { token: token.value, platform: body.platform as DevicePlatform, claim };
  if (body.subscription !== undefined) {
    const s = body.subscription;
    if (!isJsonObject(s) || typeof s.endpoint !== 'string' || !isJsonObject(s.keys))
      throw invalid('subscription', 'must be a PushSubscription as JSON: { endpoint, keys: { p256dh, auth } }');
    if (body.platform !== 'web') throw invalid('subscription', 'is for platform web only');
    input.subscription = s;
  }
  return input;
}
