import type { FetchLike } from '../transport/fetch-like.js';
import { attempt } from '../util/guard.js';
import { validAnonymousId } from './anonymous-id.js';

/**
 * Whether the collector is served from the page's own origin (a path such as
 * `https://shop.example/tl` proxied to it, SPEC §8). Only then does it hold
 * the HttpOnly `tl_said` cookie, so only then is `/v1/id` worth asking.
 * @example sameOrigin('https://shop.example/tl', location) // true on https://shop.example/cart
 */
export function sameOrigin(host: string, location: { href: string; origin: string } | undefined): boolean {
  try {
    return !!location && new URL(host, location.href).origin === location.origin;
  } catch {
    return false; // an unparsable host: the sends will fail and say so
  }
}

/**
 * Asks the collector for the anonymous ID its HttpOnly first-party cookie
 * holds, for a visitor whose script-written cookie and IndexedDB mirror were
 * erased (Safari's 7-day cap on script-written storage). Never rejects.
 * @example const id = await recallAnonymousId('https://shop.example/tl', fetch); // '…' or undefined
 */
export function recallAnonymousId(host: string, fetchFn: FetchLike): Promise<string | undefined> {
  return attempt(() => fetchFn(`${host}/v1/id`, { method: 'GET', credentials: 'same-origin' }))
    .then((res) => (res.status === 200 ? res.json() : undefined))
    .then(
      (body) => validAnonymousId((body as { anonymousId?: unknown } | undefined)?.anonymousId),
      () => undefined,
    );
}

/**
 * Asks the collector to delete its HttpOnly cookie (consent denied, SPEC §7):
 * script cannot. Fire and forget; a failure leaves the cookie to expire.
 * @example forgetFirstPartyId('https://shop.example/tl', fetch);
 */
export function forgetFirstPartyId(host: string, fetchFn: FetchLike): void {
  attempt(() => fetchFn(`${host}/v1/id`, { method: 'DELETE', credentials: 'same-origin', keepalive: true })).catch(() => undefined);
}
