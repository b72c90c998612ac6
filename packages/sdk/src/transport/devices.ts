import type { FetchLike } from './fetch-like.js';
import { attempt } from '../util/guard.js';

/** Where a push token comes from (SPEC §9): an app's APNs or FCM token, or a browser's web push subscription. */
export type DevicePlatform = 'ios' | 'android' | 'web';

/** The `POST /v1/devices` body (SPEC §9), write key included. */
export interface DeviceBody {
  writeKey: string;
  anonymousId?: string;
  userId?: string;
  token: string;
  platform: DevicePlatform;
  subscription?: unknown;
}

/**
 * Registers a push token or web push subscription on the visitor's profile.
 * A CORS-simple `text/plain` JSON body like the batches (no preflight); answers
 * whether the collector accepted it, never rejects.
 * @example await postDevice('https://c.example/v1/devices', { writeKey, anonymousId, token, platform: 'ios' }, fetch)
 */
export function postDevice(url: string, body: DeviceBody, fetchFn: FetchLike): Promise<boolean> {
  return attempt(() =>
    fetchFn(url, { method: 'POST', body: JSON.stringify(body), keepalive: true, headers: { 'Content-Type': 'text/plain' } }),
  ).then(
    (res) => res.status < 300,
    () => false,
  );
}
